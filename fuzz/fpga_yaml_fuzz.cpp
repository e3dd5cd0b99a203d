// FPGA target YAML (dse --target fpga:FILE.yaml): a target or an error.
#include "dnnspace/io/fpga_yaml.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)dnnspace::io::parse_fpga_target_text(dnnspace::fuzz::as_text(data, size), "fuzz.yaml");
  return 0;
}
