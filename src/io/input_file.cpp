#include "dnnspace/io/input_file.hpp"

#include <filesystem>
#include <system_error>

namespace dnnspace::io {

Expected<void> check_input_file(const std::string& path) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return Error{path + ": cannot open file"};
  if (!std::filesystem::is_regular_file(status)) return Error{path + ": not a regular file"};
  return {};
}

}  // namespace dnnspace::io
