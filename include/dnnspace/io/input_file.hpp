// Checking an input path before reading it.
#pragma once

#include <string>

#include "dnnspace/core/expected.hpp"

namespace dnnspace::io {

/// The path names an existing regular file: "PATH: cannot open file" when it does not exist,
/// "PATH: not a regular file" for a directory, device or FIFO (reading one never ends, or
/// blocks).
[[nodiscard]] Expected<void> check_input_file(const std::string& path);

}  // namespace dnnspace::io
