// Architecture YAML: any text gives an architecture that validates, or an error.
#include <cstdlib>

#include "dnnspace/arch/validate.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto arch = dnnspace::io::parse_arch_yaml(dnnspace::fuzz::as_text(data, size), "fuzz.yaml");
  if (arch && !dnnspace::validate_architecture(*arch)) std::abort();  // the reader validates what it returns
  return 0;
}
