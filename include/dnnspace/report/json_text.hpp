// JSON reports as text.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace dnnspace::report {

/// `json` indented by 2, with a final newline. Bytes that are not UTF-8 (a path or a name
/// taken from a file as it was written) become U+FFFD instead of failing the report.
inline std::string json_text(const nlohmann::json& json) {
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace dnnspace::report
