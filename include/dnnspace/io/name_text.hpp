// Names read from files (layers, runs, graph nodes) end up in one-line reports, errors and
// JSON: they must be printable UTF-8 text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dnnspace::io {

/// What is wrong with a name as text, or nothing: control characters (newline, tab, NUL,
/// ...) or bytes that are not UTF-8.
std::optional<std::string> name_text_problem(std::string_view name);

}  // namespace dnnspace::io
