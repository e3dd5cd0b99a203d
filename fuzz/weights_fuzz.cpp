// Weight files: a network with the file's values, or an error.
#include "dnnspace/engine/weights_io.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)dnnspace::engine::deserialize_weights(dnnspace::fuzz::as_text(data, size), "fuzz.bin");
  return 0;
}
