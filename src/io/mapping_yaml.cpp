#include "dnnspace/io/mapping_yaml.hpp"

#include "dnnspace/io/yaml_util.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace dnnspace::io {
namespace {

template <std::size_t N>
Expected<void> read_loops(const YamlOrigin& origin, const YAML::Node& node, const std::string& field,
                          std::span<const Dim> dims, FixedVector<Loop, N>& out) {
  if (!node) return {};
  if (!node.IsSequence()) {
    return field_error(origin, node, field, "expected a list of DIM: FACTOR pairs such as [K: 12, C: 8]");
  }
  for (const YAML::Node& item : node) {
    if (!item.IsMap() || item.size() != 1) {
      return field_error(origin, item, field, "each loop must be one DIM: FACTOR pair such as K: 12");
    }
    const auto kv = *item.begin();
    const std::string letter = kv.first.as<std::string>();
    const auto dim = letter.size() == 1 ? dim_from_letter(letter[0]) : std::nullopt;
    if (!dim || std::find(dims.begin(), dims.end(), *dim) == dims.end()) {
      return field_error(origin, item, field, "unknown dimension '" + letter + "' (allowed: " + dim_letters_text(dims) + ")");
    }
    std::int64_t factor = 0;
    if (!kv.second.IsScalar() || !decode_decimal(kv.second, factor) || factor < 1 ||
        factor > kMaxMappedIterations) {
      return field_error(origin, item, field,
                         "loop " + letter + ": factor must be a whole number in 1.." +
                             std::to_string(kMaxMappedIterations) + " (2^57), got '" +
                             (kv.second.IsScalar() ? kv.second.Scalar() : std::string("a non-scalar")) + "'");
    }
    if (out.full()) {
      return field_error(origin, item, field, "too many loops (at most " + std::to_string(N) + ")");
    }
    out.push_back({factor, *dim});
  }
  return {};
}

}  // namespace

Expected<Mapping> parse_mapping_yaml(std::string_view text, const std::string& origin, const Architecture& arch,
                                     std::span<const Dim> dims) {
  auto doc = parse_yaml_text(text, origin);
  if (!doc) return doc.error();
  const YamlOrigin where{origin};
  const YAML::Node root = *doc;
  if (!root.IsMap() || !root["mapping"]) {
    return Error{origin + ": expected a top-level 'mapping:' list of levels"};
  }
  if (auto ok = check_keys(where, root, "top level", {"mapping"}); !ok) return ok.error();
  const YAML::Node levels = root["mapping"];
  if (!levels.IsSequence()) return field_error(where, levels, "mapping", "expected a list of levels");
  std::string names;
  for (const StorageLevel& s : arch.levels) names += (names.empty() ? "" : ", ") + s.name;

  Mapping m;
  m.levels.resize(arch.levels.size());
  std::vector<bool> seen(arch.levels.size(), false);
  for (const YAML::Node& entry : levels) {
    if (auto ok = check_keys(where, entry, "mapping entry", {"level", "temporal", "spatial"}); !ok) return ok.error();
    auto name = read_string(where, entry, "level");
    if (!name) return name.error();
    std::size_t index = arch.levels.size();
    for (std::size_t i = 0; i < arch.levels.size(); ++i) if (arch.levels[i].name == *name) index = i;
    if (index == arch.levels.size()) {
      return field_error(where, entry["level"], "level",
                         "unknown level '" + *name + "' (architecture '" + arch.name + "' has: " + names + ")");
    }
    if (seen[index]) return field_error(where, entry["level"], "level", "level '" + *name + "' listed twice");
    seen[index] = true;
    LevelLoops& out = m.levels[index];
    if (auto ok = read_loops(where, entry["temporal"], *name + ".temporal", dims, out.temporal); !ok) return ok.error();
    if (const YAML::Node spatial = entry["spatial"]) {
      if (auto ok = check_keys(where, spatial, *name + ".spatial", {"rows", "cols"}); !ok) return ok.error();
      if (auto ok = read_loops(where, spatial["rows"], *name + ".spatial.rows", dims, out.rows); !ok) return ok.error();
      if (auto ok = read_loops(where, spatial["cols"], *name + ".spatial.cols", dims, out.cols); !ok) return ok.error();
    }
  }
  return m;
}

Expected<Mapping> load_mapping_yaml(const std::string& path, const Architecture& arch, std::span<const Dim> dims) {
  std::ifstream in(path);
  if (!in) return Error{path + ": cannot open file"};
  std::stringstream text;
  text << in.rdbuf();
  return parse_mapping_yaml(text.str(), path, arch, dims);
}

}  // namespace dnnspace::io
