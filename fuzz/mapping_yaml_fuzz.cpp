// Mapping YAML on eyeriss: what parses and passes the legality checks is evaluated, so
// the fuzzer also drives the cost model with arbitrary loop nests.
#include "dnnspace/arch/presets.hpp"
#include "dnnspace/io/mapping_yaml.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/workload/zoo.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const dnnspace::Architecture arch = *dnnspace::arch_preset("eyeriss");
  static const dnnspace::Layer layer = *dnnspace::zoo_layer("lenet5/conv2", 2);
  static const dnnspace::PreparedProblem problem = dnnspace::prepare(layer, arch);
  const auto mapping = dnnspace::io::parse_mapping_yaml(dnnspace::fuzz::as_text(data, size), "fuzz.yaml", arch);
  if (mapping && dnnspace::check_mapping_structure(layer, arch, *mapping)) {
    (void)dnnspace::evaluate(problem, *mapping);
  }
  return 0;
}
