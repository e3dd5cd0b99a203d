#include "dnnspace/io/yaml_util.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "dnnspace/arch/size_units.hpp"

namespace dnnspace::io {
namespace {

std::string located(const YamlOrigin& origin, const YAML::Node& node) {
  std::string out = origin.file;
  // A lookup of an absent key gives an invalid node, whose Mark() throws: no line then.
  if (!node.IsDefined()) return out;
  const YAML::Mark mark = node.Mark();
  if (mark.line >= 0 && !node.IsNull()) out += ":" + std::to_string(mark.line + 1);
  return out;
}

std::string scalar_text(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a map";
  return "nothing (the field is empty)";
}

// Specs nest a few levels; anything this deep is not one, and deeper recursion risks the stack.
constexpr int kMaxYamlDepth = 64;
// Nodes a document may expand to, aliases counted at every use.
constexpr std::int64_t kMaxYamlNodes = 1000000;

// The first map key that is not a name, or that appears twice in any map of the tree
// (yaml-cpp keeps both entries and answers lookups with the first, so a repeated key
// would silently be ignored), or a tree nested past kMaxYamlDepth.
Expected<void> check_tree(const YAML::Node& node, const std::string& origin, int depth, std::int64_t& budget) {
  // Aliases make a node reachable many times over (a "billion laughs" file of ten lines
  // expands to 10^9 nodes): every visit counts, so such a file stops here, fast.
  if (--budget < 0) {
    return Error{origin + ": the document expands to more than " + std::to_string(kMaxYamlNodes) +
                 " nodes (YAML aliases repeat what they name); a spec is far smaller"};
  }
  if (depth > kMaxYamlDepth) {
    return Error{origin + ":" + std::to_string(node.Mark().line + 1) + ": nested deeper than " +
                 std::to_string(kMaxYamlDepth) + " levels"};
  }
  if (node.IsMap()) {
    std::map<std::string, int> first_line;
    for (const auto& kv : node) {
      // Every key of a spec is a name; a list or map as a key (or none) is an error here,
      // so no reader ever converts such a key to text (yaml-cpp throws on it).
      if (!kv.first.IsScalar()) {
        return Error{origin + ":" + std::to_string(kv.first.Mark().line + 1) + ": a key must be a name, got " +
                     scalar_text(kv.first)};
      }
      const auto [it, inserted] = first_line.emplace(kv.first.Scalar(), kv.first.Mark().line);
      if (!inserted) {
        return Error{origin + ":" + std::to_string(kv.first.Mark().line + 1) + ": duplicate key '" +
                     kv.first.Scalar() + "' (first at line " + std::to_string(it->second + 1) +
                     "); each key may appear once"};
      }
      if (auto ok = check_tree(kv.second, origin, depth + 1, budget); !ok) return ok;
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (auto ok = check_tree(item, origin, depth + 1, budget); !ok) return ok;
    }
  }
  return {};
}

}  // namespace

Expected<YAML::Node> parse_yaml_text(std::string_view text, const std::string& origin) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Error{origin + ":" + std::to_string(e.mark.line + 1) + ":" +
                 std::to_string(e.mark.column + 1) + ": malformed YAML: " + e.msg};
  }
  std::int64_t budget = kMaxYamlNodes;
  if (auto ok = check_tree(root, origin, 0, budget); !ok) return ok.error();
  return root;
}

Expected<YAML::Node> load_yaml_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{path + ": cannot open file"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_yaml_text(buffer.str(), path);
}

namespace {

// Where a field's value is, for messages: its node, or for an empty value (`key:` with
// nothing after it), to which yaml-cpp gives no position, the key's.
YAML::Node where_of(const YAML::Node& map, const std::string& key) {
  const YAML::Node value = map[key];
  if (!value.IsNull()) return value;
  for (const auto& kv : map) {
    if (kv.first.IsScalar() && kv.first.Scalar() == key) return kv.first;
  }
  return value;
}

}  // namespace

Error field_error(const YamlOrigin& origin, const YAML::Node& node, std::string_view field,
                  std::string_view what) {
  return Error{located(origin, node) + ": field '" + std::string(field) + "': " + std::string(what)};
}

bool decode_decimal(const YAML::Node& node, std::int64_t& value) {
  // Decimal digits only: yaml-cpp would read 012 as octal 10 and 0x10 as 16.
  if (!node.IsScalar()) return false;
  const std::string& text = node.Scalar();
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return !text.empty() && ec == std::errc() && ptr == end;
}

Expected<std::int64_t> read_int_or(const YamlOrigin& origin, const YAML::Node& map,
                                   std::string_view field, std::int64_t min_value,
                                   std::int64_t fallback) {
  const std::string key(field);
  if (!map.IsMap() || !map[key]) return fallback;
  const YAML::Node node = map[key];
  const YAML::Node at = where_of(map, key);
  std::int64_t value = 0;
  if (!decode_decimal(node, value)) {
    return field_error(origin, at, field,
                       "expected a whole number, got '" + scalar_text(node) + "' (decimal digits, at most 2^63 - 1)");
  }
  if (value < min_value) {
    return field_error(origin, at, field,
                       "must be >= " + std::to_string(min_value) + ", got " + std::to_string(value));
  }
  return value;
}

Expected<std::int64_t> read_int(const YamlOrigin& origin, const YAML::Node& map,
                                std::string_view field, std::int64_t min_value) {
  if (!map.IsMap() || !map[std::string(field)]) {
    return field_error(origin, map, field, "missing (a whole number >= " + std::to_string(min_value) + " is required)");
  }
  return read_int_or(origin, map, field, min_value, 0);
}

Expected<double> read_double_or(const YamlOrigin& origin, const YAML::Node& map,
                                std::string_view field, double min_value, double fallback) {
  const std::string key(field);
  if (!map.IsMap() || !map[key]) return fallback;
  const YAML::Node node = map[key];
  const YAML::Node at = where_of(map, key);
  double value = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value)) {
    return field_error(origin, at, field, "expected a number, got '" + scalar_text(node) + "'");
  }
  if (value < min_value) {
    std::ostringstream os;
    os << "must be >= " << min_value << ", got " << value;
    return field_error(origin, at, field, os.str());
  }
  return value;
}

Expected<double> read_double(const YamlOrigin& origin, const YAML::Node& map,
                             std::string_view field, double min_value) {
  if (!map.IsMap() || !map[std::string(field)]) {
    return field_error(origin, map, field, "missing (a number is required)");
  }
  return read_double_or(origin, map, field, min_value, 0.0);
}

Expected<std::string> read_string(const YamlOrigin& origin, const YAML::Node& map,
                                  std::string_view field) {
  const std::string key(field);
  if (!map.IsMap() || !map[key]) return field_error(origin, map, field, "missing (a string is required)");
  const YAML::Node node = map[key];
  const YAML::Node at = where_of(map, key);
  if (!node.IsScalar()) return field_error(origin, at, field, "expected a string, got " + scalar_text(node));
  // Names end up in one-line reports and errors: no newlines, tabs or other controls.
  for (const char c : node.Scalar()) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return field_error(origin, at, field, "control characters (newline, tab, ...) are not allowed");
    }
  }
  return node.Scalar();
}

Expected<bool> read_bool_or(const YamlOrigin& origin, const YAML::Node& map,
                            std::string_view field, bool fallback) {
  const std::string key(field);
  if (!map.IsMap() || !map[key]) return fallback;
  const YAML::Node node = map[key];
  const YAML::Node at = where_of(map, key);
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    return field_error(origin, at, field, "expected true or false, got '" + scalar_text(node) + "'");
  }
  return value;
}

Expected<void> check_keys(const YamlOrigin& origin, const YAML::Node& map,
                          std::string_view context, std::initializer_list<std::string_view> allowed) {
  if (!map.IsMap()) {
    return Error{located(origin, map) + ": " + std::string(context) + ": expected a map, got " +
                 scalar_text(map)};
  }
  for (const auto& kv : map) {
    const std::string key = kv.first.as<std::string>();
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Error{located(origin, kv.first) + ": " + std::string(context) + ": unknown field '" +
                   key + "' (allowed: " + list + ")"};
    }
  }
  return {};
}

Expected<std::int64_t> read_bytes(const YamlOrigin& origin, const YAML::Node& map,
                                  std::string_view field) {
  const std::string key(field);
  if (!map.IsMap() || !map[key]) {
    return field_error(origin, map, field, "missing (a size such as 512, 512B, 128KB or 28MB is required)");
  }
  const YAML::Node node = map[key];
  const YAML::Node at = where_of(map, key);
  if (!node.IsScalar()) return field_error(origin, at, field, "expected a size, got " + scalar_text(node));
  Expected<std::int64_t> bytes = parse_size_bytes(node.Scalar());
  if (!bytes) return field_error(origin, at, field, bytes.error().message);
  return bytes;
}

}  // namespace dnnspace::io
