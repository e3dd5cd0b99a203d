// Shared helpers for reading YAML specs with one-line, located error messages.
// Only io/ includes this header: the rest of dnnspace never sees YAML.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "dnnspace/core/expected.hpp"

namespace dnnspace::io {

/// Where a value came from, for messages: the file (or "<string>") and a field path.
struct YamlOrigin {
  std::string file;
};

/// Reads and parses a YAML file. Errors: "FILE: cannot open file" or
/// "FILE:LINE:COL: malformed YAML: ...".
Expected<YAML::Node> load_yaml_file(const std::string& path);

/// Parses YAML text; `origin` names it in messages.
Expected<YAML::Node> parse_yaml_text(std::string_view text, const std::string& origin);

/// Builds "FILE:LINE: field 'FIELD': WHAT" (LINE when the node has a mark).
Error field_error(const YamlOrigin& origin, const YAML::Node& node, std::string_view field,
                  std::string_view what);

/// Decodes a scalar of decimal digits with an optional '-' (no octal, hex, '+' or
/// fractions) into value; false when the node is anything else or out of range.
bool decode_decimal(const YAML::Node& node, std::int64_t& value);

/// Reads a required integer field >= min_value. Errors name the field and the limit.
Expected<std::int64_t> read_int(const YamlOrigin& origin, const YAML::Node& map,
                                std::string_view field, std::int64_t min_value);
/// Reads an optional integer field >= min_value, or returns `fallback` when absent.
Expected<std::int64_t> read_int_or(const YamlOrigin& origin, const YAML::Node& map,
                                   std::string_view field, std::int64_t min_value,
                                   std::int64_t fallback);
/// Reads a required number field >= min_value.
Expected<double> read_double(const YamlOrigin& origin, const YAML::Node& map,
                             std::string_view field, double min_value);
/// Reads an optional number field >= min_value, or `fallback` when absent.
Expected<double> read_double_or(const YamlOrigin& origin, const YAML::Node& map,
                                std::string_view field, double min_value, double fallback);
/// Reads a required string field (no control characters).
Expected<std::string> read_string(const YamlOrigin& origin, const YAML::Node& map,
                                  std::string_view field);
/// Reads an optional boolean field, or `fallback` when absent.
Expected<bool> read_bool_or(const YamlOrigin& origin, const YAML::Node& map,
                            std::string_view field, bool fallback);
/// Fails if the map has a key outside `allowed` (catches typos like "capacty").
Expected<void> check_keys(const YamlOrigin& origin, const YAML::Node& map,
                          std::string_view context, std::initializer_list<std::string_view> allowed);

/// Reads a required byte-size field by the rule of parse_size_bytes (arch/size_units.hpp):
/// "512", "512B", "64K", "128KB", "28MB", ... Errors name the file, line and field.
Expected<std::int64_t> read_bytes(const YamlOrigin& origin, const YAML::Node& map,
                                  std::string_view field);

}  // namespace dnnspace::io
