#include "dnnspace/io/numerics_yaml.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <optional>
#include <utility>

#include "dnnspace/io/yaml_util.hpp"

namespace dnnspace::io {
namespace {

using engine::Arithmetic;
using engine::FixedFormat;
using engine::Int8Granularity;
using engine::LayerNumerics;
using engine::LutSigmoidSpec;
using engine::Rounding;

constexpr std::string_view kFormatHelp = "allowed: Qm.n with m >= 1, n >= 0, m + n <= 32, e.g. Q2.6";

// A layer entry as written: every field optional, so that a layer overrides only what it names.
struct PartialNumerics {
  std::optional<Arithmetic> arithmetic;
  std::optional<FixedFormat> weights, activations, products;
  std::optional<Rounding> rounding;
  std::optional<Int8Granularity> granularity;
  std::optional<std::optional<LutSigmoidSpec>> lut;  // set to nullopt by "sigmoid_lut: off"
  std::optional<std::optional<double>> prune;         // set to nullopt by "prune_threshold: off"
  YAML::Node node;
};

// Reads an optional string field that must be one of `names`; returns the index or -1 if absent.
Expected<int> read_choice(const YamlOrigin& origin, const YAML::Node& map, std::string_view field,
                          std::initializer_list<std::string_view> names) {
  const YAML::Node node = map[std::string(field)];
  if (!node) return -1;
  std::string list;
  for (std::string_view n : names) list += (list.empty() ? "" : ", ") + std::string(n);
  if (!node.IsScalar()) return field_error(origin, node, field, "expected one of: " + list);
  int index = 0;
  for (std::string_view n : names) {
    if (node.Scalar() == n) return index;
    ++index;
  }
  return field_error(origin, node, field, "'" + node.Scalar() + "' is not allowed (allowed: " + list + ")");
}

Expected<std::optional<FixedFormat>> read_format(const YamlOrigin& origin, const YAML::Node& map,
                                                 std::string_view field) {
  const YAML::Node node = map[std::string(field)];
  if (!node) return std::optional<FixedFormat>{};
  if (!node.IsScalar()) return field_error(origin, node, field, "expected a fixed-point type (" + std::string(kFormatHelp) + ")");
  Expected<FixedFormat> format = parse_fixed_format(node.Scalar());
  if (!format) return field_error(origin, node, field, format.error().message);
  return std::optional<FixedFormat>{*format};
}

Expected<std::optional<LutSigmoidSpec>> read_lut(const YamlOrigin& origin, const YAML::Node& node) {
  if (node.IsScalar() && node.Scalar() == "off") return std::optional<LutSigmoidSpec>{};
  if (!node.IsMap()) {
    return field_error(origin, node, "sigmoid_lut", "expected a map {entries, min, max} or 'off'");
  }
  if (auto keys = check_keys(origin, node, "sigmoid_lut", {"entries", "min", "max"}); !keys) return keys.error();
  LutSigmoidSpec spec;
  Expected<std::int64_t> entries = read_int_or(origin, node, "entries", 2, spec.entries);
  if (!entries) return entries.error();
  if (*entries > (std::int64_t{1} << 24)) {
    return field_error(origin, node["entries"], "entries", "must be <= 16777216, got " + std::to_string(*entries));
  }
  constexpr double kLowest = -1e300;
  Expected<double> lo = read_double_or(origin, node, "min", kLowest, spec.min_input);
  if (!lo) return lo.error();
  Expected<double> hi = read_double_or(origin, node, "max", kLowest, spec.max_input);
  if (!hi) return hi.error();
  if (*lo >= *hi) {
    return field_error(origin, node, "sigmoid_lut", "min (" + std::to_string(*lo) + ") must be below max (" + std::to_string(*hi) + ")");
  }
  spec.entries = *entries;
  spec.min_input = *lo;
  spec.max_input = *hi;
  return std::optional<LutSigmoidSpec>{spec};
}

Expected<PartialNumerics> read_partial(const YamlOrigin& origin, const YAML::Node& map,
                                       const std::string& context) {
  if (auto keys = check_keys(origin, map, context,
                             {"arithmetic", "weights", "activations", "products", "rounding",
                              "granularity", "sigmoid_lut", "prune_threshold"});
      !keys) {
    return keys.error();
  }
  PartialNumerics out;
  out.node = map;
  Expected<int> arithmetic = read_choice(origin, map, "arithmetic", {"fp32", "fixed", "int8"});
  if (!arithmetic) return arithmetic.error();
  if (*arithmetic >= 0) out.arithmetic = static_cast<Arithmetic>(*arithmetic);
  for (auto [field, slot] : {std::pair{"weights", &out.weights}, std::pair{"activations", &out.activations},
                             std::pair{"products", &out.products}}) {
    Expected<std::optional<FixedFormat>> format = read_format(origin, map, field);
    if (!format) return format.error();
    *slot = *format;
  }
  Expected<int> rounding = read_choice(origin, map, "rounding", {"nearest-even", "truncate"});
  if (!rounding) return rounding.error();
  if (*rounding >= 0) out.rounding = static_cast<Rounding>(*rounding);
  Expected<int> granularity = read_choice(origin, map, "granularity", {"per-tensor", "per-channel"});
  if (!granularity) return granularity.error();
  if (*granularity >= 0) out.granularity = static_cast<Int8Granularity>(*granularity);
  if (const YAML::Node lut = map["sigmoid_lut"]; lut) {
    Expected<std::optional<LutSigmoidSpec>> spec = read_lut(origin, lut);
    if (!spec) return spec.error();
    out.lut = *spec;
  }
  if (const YAML::Node prune = map["prune_threshold"]; prune) {
    if (prune.IsScalar() && prune.Scalar() == "off") {
      out.prune = std::optional<double>{};
    } else {
      Expected<double> threshold = read_double(origin, map, "prune_threshold", 0.0);
      if (!threshold) return threshold.error();
      out.prune = std::optional<double>{*threshold};
    }
  }
  return out;
}

// Applies a partial entry on top of `base`; fixed arithmetic needs all three formats in the end.
Expected<LayerNumerics> resolve(const YamlOrigin& origin, const PartialNumerics& partial,
                                LayerNumerics base, bool base_has_formats, const std::string& context) {
  if (partial.arithmetic) base.arithmetic = *partial.arithmetic;
  if (partial.weights) base.fixed.weights = *partial.weights;
  if (partial.activations) base.fixed.activations = *partial.activations;
  if (partial.products) base.fixed.products = *partial.products;
  if (partial.rounding) base.fixed.rounding = *partial.rounding;
  if (partial.granularity) base.int8_granularity = *partial.granularity;
  if (partial.lut) base.lut_sigmoid = *partial.lut;
  if (partial.prune) base.prune_threshold = *partial.prune;
  base.prune_threshold_given = partial.prune.has_value() && context != "default";
  if (base.arithmetic == Arithmetic::Fixed && !base_has_formats) {
    for (auto [field, given] : {std::pair{"weights", partial.weights.has_value()},
                                std::pair{"activations", partial.activations.has_value()},
                                std::pair{"products", partial.products.has_value()}}) {
      if (!given) {
        return field_error(origin, partial.node, field,
                           context + ": missing (arithmetic 'fixed' needs weights, activations and "
                                     "products, e.g. Q2.6)");
      }
    }
  }
  return base;
}

}  // namespace

Expected<FixedFormat> parse_fixed_format(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "' is not a fixed-point type (" + std::string(kFormatHelp) + ")";
  if (text.size() < 4 || text[0] != 'Q') return Error{quoted};
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return Error{quoted};
  int m = 0;
  int n = 0;
  const char* m_begin = text.data() + 1;
  const char* m_end = text.data() + dot;
  const char* n_begin = text.data() + dot + 1;
  const char* n_end = text.data() + text.size();
  auto [m_ptr, m_err] = std::from_chars(m_begin, m_end, m);
  auto [n_ptr, n_err] = std::from_chars(n_begin, n_end, n);
  if (m_err != std::errc{} || m_ptr != m_end || n_err != std::errc{} || n_ptr != n_end || m_begin == m_end ||
      n_begin == n_end) {
    return Error{quoted};
  }
  // The rule of engine::is_valid, spelled out here: io links no engine code, only its types.
  if (m < 1 || n < 0 || m + n > engine::kMaxFixedBits) return Error{quoted};
  return FixedFormat{m, n};
}

Expected<engine::NumericsSpec> parse_numerics_text(std::string_view text, const std::string& origin_name) {
  Expected<YAML::Node> root = parse_yaml_text(text, origin_name);
  if (!root) return root.error();
  const YamlOrigin origin{origin_name};
  if (auto keys = check_keys(origin, *root, "numerics", {"default", "layers"}); !keys) return keys.error();
  engine::NumericsSpec spec;
  bool default_has_formats = false;
  if (const YAML::Node node = (*root)["default"]; node) {
    Expected<PartialNumerics> partial = read_partial(origin, node, "default");
    if (!partial) return partial.error();
    Expected<LayerNumerics> resolved = resolve(origin, *partial, LayerNumerics{}, false, "default");
    if (!resolved) return resolved.error();
    spec.defaults = *resolved;
    default_has_formats = partial->weights && partial->activations && partial->products;
  }
  if (const YAML::Node layers = (*root)["layers"]; layers) {
    if (!layers.IsMap()) return field_error(origin, layers, "layers", "expected a map from layer name to numerics");
    for (const auto& kv : layers) {
      const std::string name = kv.first.as<std::string>();
      for (const auto& [existing, unused] : spec.layers) {
        if (existing == name) return field_error(origin, kv.first, "layers", "layer '" + name + "' appears twice");
      }
      Expected<PartialNumerics> partial = read_partial(origin, kv.second, "layer '" + name + "'");
      if (!partial) return partial.error();
      Expected<LayerNumerics> resolved =
          resolve(origin, *partial, spec.defaults, default_has_formats, "layer '" + name + "'");
      if (!resolved) return resolved.error();
      spec.layers.emplace_back(name, *resolved);
    }
  }
  return spec;
}

Expected<engine::NumericsSpec> load_numerics_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{path + ": cannot open file"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_numerics_text(buffer.str(), path);
}

}  // namespace dnnspace::io
