// Numerics YAML (fixed-point formats, LUTs, faults): a spec or an error.
#include "dnnspace/io/numerics_yaml.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)dnnspace::io::parse_numerics_text(dnnspace::fuzz::as_text(data, size), "fuzz.yaml");
  return 0;
}
