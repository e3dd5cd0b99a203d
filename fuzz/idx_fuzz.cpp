// IDX files, plain or gzip: read through a file, as the reader takes a path.
#include <unistd.h>

#include <fstream>
#include <string>

#include "dnnspace/engine/idx_reader.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/dnnspace_idx_fuzz." + std::to_string(::getpid());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  (void)dnnspace::engine::read_idx_file(path);
  return 0;
}
