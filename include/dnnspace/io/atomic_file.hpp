// Writing output files atomically, never over a file the user wrote by hand.
#pragma once

#include <string>
#include <string_view>

#include "dnnspace/core/expected.hpp"

namespace dnnspace::io {

/// Writes `contents` to `path` through a temporary file in the same directory and a
/// rename, so readers never see a half-written file. Errors name the path.
Expected<void> write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace dnnspace::io
