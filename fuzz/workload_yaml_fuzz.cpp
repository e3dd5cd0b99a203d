// Layer, workload and network YAML: any text gives a layer or network within the size limits, or an error.
#include <cstdlib>

#include "dnnspace/io/workload_yaml.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = dnnspace::fuzz::as_text(data, size);
  if (const auto layer = dnnspace::io::load_layer_yaml_text(text, "fuzz.yaml")) {
    if (!dnnspace::check_layer_size(*layer)) std::abort();
    (void)dnnspace::macs(*layer);
    (void)dnnspace::weight_count(*layer);
    for (dnnspace::Pass pass : {dnnspace::Pass::Forward, dnnspace::Pass::DataGradient, dnnspace::Pass::WeightGradient}) {
      for (dnnspace::TensorId t : dnnspace::kAllTensors) (void)dnnspace::tensor_size(dnnspace::with_pass(*layer, pass), t);
    }
  }
  if (const auto network = dnnspace::io::load_network_yaml_text(text, "fuzz.yaml")) {
    if (!dnnspace::check_network_size(*network)) std::abort();
    (void)dnnspace::total_macs(*network);
  }
  return 0;
}
