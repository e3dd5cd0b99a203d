#include "dnnspace/io/arch_yaml.hpp"

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "dnnspace/arch/level_energy.hpp"
#include "dnnspace/arch/presets.hpp"
#include "dnnspace/arch/tech_table.hpp"
#include "dnnspace/arch/validate.hpp"
#include "dnnspace/io/yaml_util.hpp"

namespace dnnspace::io {
namespace {

constexpr std::string_view kGivenSource = "given";

// "a, b, c" for messages that list what is allowed.
std::string join(const std::vector<std::string_view>& names) {
  std::string list;
  for (std::string_view n : names) list += (list.empty() ? "" : ", ") + std::string(n);
  return list;
}

// Inserts "CONTEXT: " before the "field '...'" part of a located message, so errors from
// the shared helpers also say which level or section they are about.
Error in_context(const Error& error, const std::string& context) {
  const std::size_t at = error.message.find("field '");
  if (at == std::string::npos) return error;
  std::string message = error.message;
  message.insert(at, context + ": ");
  return Error{std::move(message)};
}

// Reads the optional field `field` of `map`, one of `choices`, into `out` (left as it is
// when the field is absent). `what` names the field in the error: "unknown timing 'x'
// (allowed: ideal, systolic)", in `context`.
template <typename E>
Expected<void> read_choice(const YamlOrigin& origin, const YAML::Node& map, const std::string& field,
                           std::string_view what, E& out,
                           std::initializer_list<std::pair<std::string_view, std::type_identity_t<E>>> choices,
                           const std::string& context) {
  if (!map[field]) return {};
  Expected<std::string> text = read_string(origin, map, field);
  if (!text) return in_context(text.error(), context);
  std::vector<std::string_view> names;
  for (const auto& [name, value] : choices) {
    if (*text == name) {
      out = value;
      return {};
    }
    names.push_back(name);
  }
  return in_context(field_error(origin, map[field], field,
                                "unknown " + std::string(what) + " '" + *text + "' (allowed: " + join(names) + ")"),
                    context);
}

// What every level and the array need while they are being read.
struct SpecContext {
  YamlOrigin origin;
  std::optional<std::string> technology;  // absent: every energy must be given
  int word_bits = 16;
};

// Reads an optional energy field, or derives it with `derive` from the technology table.
// Returns the energy and where it came from. `what` names the energy for messages.
template <typename Derive>
Expected<std::pair<double, std::string>> energy_field(const SpecContext& ctx, const YAML::Node& map,
                                                      std::string_view field, Derive derive) {
  if (map[std::string(field)]) {
    Expected<double> given = read_double_or(ctx.origin, map, field, 0.0, 0.0);
    if (!given) return given.error();
    return std::pair<double, std::string>{*given, std::string(kGivenSource)};
  }
  if (!ctx.technology) {
    return field_error(ctx.origin, map, field,
                       "missing, and there is no 'technology' to derive it from (give a number "
                       "in pJ, or set technology to one of: " +
                           join(tech_table_names()) + ")");
  }
  return derive(*ctx.technology);
}

Expected<PerTensor<bool>> read_holds(const SpecContext& ctx, const YAML::Node& level) {
  PerTensor<bool> holds = PerTensor<bool>::filled(true);
  const YAML::Node node = level["holds"];
  if (!node) return holds;
  const std::string allowed = "inputs, weights, outputs";
  if (!node.IsSequence() || node.size() == 0) {
    return field_error(ctx.origin, node, "holds",
                       "expected a non-empty list of tensors (allowed: " + allowed + ")");
  }
  for (TensorId t : kAllTensors) holds[t] = false;  // further slots stay true: never read
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    const std::optional<TensorId> tensor =
        item.IsScalar() ? tensor_from_name(item.Scalar()) : std::nullopt;
    if (!tensor) {
      const std::string text = item.IsScalar() ? item.Scalar() : std::string("a non-scalar");
      return field_error(ctx.origin, item, "holds",
                         "unknown tensor '" + text + "' (allowed: " + allowed + ")");
    }
    if (holds[*tensor]) {
      return field_error(ctx.origin, item, "holds",
                         "tensor '" + std::string(tensor_name(*tensor)) + "' is listed twice");
    }
    holds[*tensor] = true;
  }
  return holds;
}

Expected<StorageLevel> read_level(const SpecContext& ctx, const YAML::Node& node, std::size_t index) {
  const std::string context = "level " + std::to_string(index);
  if (Expected<void> ok = check_keys(ctx.origin, node, context,
                                     {"name", "kind", "capacity", "double_buffered", "buffering", "bypass",
                                      "bandwidth_words_per_cycle", "access_energy_pj", "read_energy_pj",
                                      "write_energy_pj", "holds", "word_bits", "read_bandwidth_words_per_cycle",
                                      "write_bandwidth_words_per_cycle", "leakage_mw", "area_mm2",
                                      "access_width_words", "compression", "run_bits"});
      !ok) {
    return ok.error();
  }
  StorageLevel level;
  Expected<std::string> name = read_string(ctx.origin, node, "name");
  if (!name) return in_context(name.error(), context);
  if (name->empty()) {
    return in_context(field_error(ctx.origin, node["name"], "name", "must not be empty"), context);
  }
  level.name = *name;
  const std::string named = context + " '" + level.name + "'";

  Expected<std::string> kind_text = read_string(ctx.origin, node, "kind");
  if (!kind_text) return in_context(kind_text.error(), named);
  const std::optional<MemoryKind> kind = memory_kind_from_name(*kind_text);
  if (!kind) {
    return in_context(field_error(ctx.origin, node["kind"], "kind",
                                  "unknown kind '" + *kind_text + "' (allowed: dram, sram, regfile)"),
                      named);
  }

  if (node["capacity"]) {
    Expected<std::int64_t> capacity = read_bytes(ctx.origin, node, "capacity");
    if (!capacity) return in_context(capacity.error(), named);
    level.capacity_bytes = *capacity;
  } else if (*kind != MemoryKind::Dram) {
    return in_context(field_error(ctx.origin, node, "capacity",
                                  "missing: a " + std::string(memory_kind_name(*kind)) +
                                      " level needs a size such as 512B or 128KB (only dram may "
                                      "omit it, meaning unbounded)"),
                      named);
  } else if (index != 0) {
    return in_context(field_error(ctx.origin, node, "capacity",
                                  "missing: only the outermost level may be unbounded; give a size"),
                      named);
  }

  Expected<bool> double_buffered = read_bool_or(ctx.origin, node, "double_buffered", false);
  if (!double_buffered) return in_context(double_buffered.error(), named);
  level.double_buffered = *double_buffered;
  if (const YAML::Node buffering = node["buffering"]; buffering) {
    if (node["double_buffered"]) {
      return in_context(field_error(ctx.origin, buffering, "buffering",
                                    "give either 'buffering' or 'double_buffered', not both"),
                        named);
    }
    const std::string text = buffering.IsScalar() ? buffering.Scalar() : buffering.IsNull() ? std::string("(empty)")
                                                                                           : std::string("a non-scalar");
    if (text == "search") {
      if (level.capacity_bytes <= 0) {
        return in_context(field_error(ctx.origin, buffering, "buffering",
                                      "'search' needs a level with a capacity (this one is unbounded)"),
                          named);
      }
      level.buffering_searched = true;
    } else if (text == "single" || text == "double") {
      level.double_buffered = text == "double";
    } else {
      return in_context(field_error(ctx.origin, buffering, "buffering",
                                    "unknown value '" + text + "' (allowed: single, double, search)"),
                        named);
    }
  }
  if (const YAML::Node bypass = node["bypass"]; bypass) {
    const std::string text = bypass.IsScalar() ? bypass.Scalar() : bypass.IsNull() ? std::string("(empty)")
                                                                                  : std::string("a non-scalar");
    if (text != "search") {
      return in_context(field_error(ctx.origin, bypass, "bypass",
                                    "unknown value '" + text +
                                        "' (allowed: search; to fix what the level keeps, list it in 'holds')"),
                        named);
    }
    if (index == 0) {
      return in_context(field_error(ctx.origin, bypass, "bypass",
                                    "the outermost level holds every tensor; 'search' is for the levels below it"),
                        named);
    }
    level.bypass_searched = true;
  }

  Expected<double> bandwidth = read_double_or(ctx.origin, node, "bandwidth_words_per_cycle", 0.0, 0.0);
  if (!bandwidth) return in_context(bandwidth.error(), named);
  level.bandwidth_words_per_cycle = *bandwidth;
  for (const auto& [field, slot] : {std::pair{"read_bandwidth_words_per_cycle", &level.read_bandwidth_words_per_cycle},
                                    std::pair{"write_bandwidth_words_per_cycle", &level.write_bandwidth_words_per_cycle}}) {
    Expected<double> value = read_double_or(ctx.origin, node, field, 0.0, 0.0);
    if (!value) return in_context(value.error(), named);
    *slot = *value;
  }

  Expected<double> leakage = read_double_or(ctx.origin, node, "leakage_mw", 0.0, 0.0);
  if (!leakage) return in_context(leakage.error(), named);
  level.leakage_mw = *leakage;
  if (node["area_mm2"]) {
    Expected<double> area = read_double_or(ctx.origin, node, "area_mm2", 0.0, 0.0);
    if (!area) return in_context(area.error(), named);
    level.area_mm2 = *area;
  }

  // Bits per word here: one width for every tensor, or {inputs, weights, outputs}.
  if (const YAML::Node widths = node["word_bits"]; widths) {
    const auto in_range = [&](const YAML::Node& at, std::string_view field, std::int64_t bits) -> Expected<int> {
      if (bits > 64) return field_error(ctx.origin, at, field, "must be in 1..64, got " + std::to_string(bits));
      return static_cast<int>(bits);
    };
    if (widths.IsMap()) {
      if (auto ok = check_keys(ctx.origin, widths, named + ": word_bits", {"inputs", "weights", "outputs"}); !ok) {
        return ok.error();
      }
      if (widths.size() == 0) {
        return in_context(field_error(ctx.origin, widths, "word_bits",
                                      "an empty map; give bits per tensor ({inputs: 8, outputs: 24}) or one number"),
                          named);
      }
      for (TensorId t : kAllTensors) {
        const std::string key(tensor_name(t));
        if (!widths[key]) continue;
        Expected<std::int64_t> bits = read_int(ctx.origin, widths, key, 1);
        if (!bits) return in_context(bits.error(), named + ": word_bits");
        Expected<int> checked = in_range(widths[key], key, *bits);
        if (!checked) return in_context(checked.error(), named + ": word_bits");
        level.word_bits[t] = *checked;
      }
    } else {
      Expected<std::int64_t> bits = read_int(ctx.origin, node, "word_bits", 1);
      if (!bits) return in_context(bits.error(), named);
      Expected<int> checked = in_range(widths, "word_bits", *bits);
      if (!checked) return in_context(checked.error(), named);
      for (TensorId t : kAllTensors) level.word_bits[t] = *checked;
    }
  }

  Expected<PerTensor<bool>> holds = read_holds(ctx, node);
  if (!holds) return in_context(holds.error(), named);
  level.holds = *holds;

  // A derived energy also records its table and kind (level.energy_derivation), so a
  // sweep can derive it again for another size; a given one records neither.
  const MemoryKind memory_kind = *kind;
  Expected<std::pair<double, std::string>> energy = energy_field(
      ctx, node, "access_energy_pj",
      [&](const std::string& table) -> Expected<std::pair<double, std::string>> {
        if (Expected<void> ok = derive_level_energy(level, EnergyDerivation{table, memory_kind}, ctx.word_bits); !ok) {
          return field_error(ctx.origin, node, "access_energy_pj", ok.error().message);
        }
        return std::pair<double, std::string>{level.access_energy_pj, level.energy_source};
      });
  if (!energy) return in_context(energy.error(), named);
  level.access_energy_pj = energy->first;
  level.energy_source = energy->second;
  // Reads and writes that cost differently from access_energy_pj (both default to it):
  // one number for the level, or a map of tensors to their own.
  for (const auto& [field, slot, per_tensor] :
       {std::tuple{"read_energy_pj", &level.read_energy_pj, &level.tensor_read_energy_pj},
        std::tuple{"write_energy_pj", &level.write_energy_pj, &level.tensor_write_energy_pj}}) {
    const YAML::Node given = node[field];
    if (!given) continue;
    if (given.IsMap()) {
      const std::string where = named + ": " + field;
      if (auto ok = check_keys(ctx.origin, given, where, {"inputs", "weights", "outputs"}); !ok) return ok.error();
      if (given.size() == 0) {
        return in_context(field_error(ctx.origin, given, field,
                                      "an empty map; give pJ per tensor ({weights: 1.5}) or one number"),
                          named);
      }
      for (TensorId t : kAllTensors) {
        const std::string key(tensor_name(t));
        if (!given[key]) continue;
        Expected<double> value = read_double_or(ctx.origin, given, key, 0.0, 0.0);
        if (!value) return in_context(value.error(), where);
        (*per_tensor)[t] = *value;
      }
      continue;
    }
    Expected<double> value = read_double_or(ctx.origin, node, field, 0.0, 0.0);
    if (!value) return in_context(value.error(), named);
    *slot = *value;
  }
  if (node["access_width_words"]) {
    Expected<std::int64_t> width = read_int(ctx.origin, node, "access_width_words", 1);
    if (!width) {
      return in_context(field_error(ctx.origin, node["access_width_words"], "access_width_words",
                                    "expected a whole number in 1.." + std::to_string(kMaxAccessWidthWords) + ", got '" +
                                        (node["access_width_words"].IsScalar() ? node["access_width_words"].Scalar()
                                                                               : std::string("a non-scalar")) +
                                        "'"),
                        named);
    }
    if (*width > kMaxAccessWidthWords) {
      return in_context(field_error(ctx.origin, node["access_width_words"], "access_width_words",
                                    "must be in 1.." + std::to_string(kMaxAccessWidthWords) + ", got " +
                                        std::to_string(*width)),
                        named);
    }
    if (*width > 1 && level.energy_derivation) {
      return in_context(field_error(ctx.origin, node["access_width_words"], "access_width_words",
                                    std::to_string(*width) + " words per access needs the energy of one access: give "
                                    "access_energy_pj (the technology table's is per word)"),
                        named);
    }
    level.access_width_words = static_cast<int>(*width);
  }
  // Compressed storage of sparse operands (docs/model.md Sec. 11): {inputs: bitmask}.
  if (const YAML::Node compression = node["compression"]; compression) {
    const std::string where = named + ": compression";
    if (!compression.IsMap() || compression.size() == 0) {
      return in_context(field_error(ctx.origin, compression, "compression",
                                    "expected a map of tensor to scheme, e.g. {inputs: run_length} (tensors: inputs, "
                                    "weights; schemes: none, bitmask, run_length)"),
                        named);
    }
    if (auto ok = check_keys(ctx.origin, compression, where, {"inputs", "weights"}); !ok) return ok.error();
    for (TensorId t : {TensorId::Inputs, TensorId::Weights}) {
      const std::string key(tensor_name(t));
      if (!compression[key]) continue;
      if (auto ok = read_choice(ctx.origin, compression, key, "scheme", level.compression[t],
                                {{"none", Compression::None}, {"bitmask", Compression::Bitmask},
                                 {"run_length", Compression::RunLength}},
                                where);
          !ok) {
        return ok.error();
      }
      if (level.compression[t] != Compression::None && !level.holds[t]) {
        return in_context(field_error(ctx.origin, compression[key], key,
                                      "the level does not hold " + key + " (see 'holds'), so it cannot compress them"),
                          where);
      }
    }
  }
  if (node["run_bits"]) {
    Expected<std::int64_t> bits = read_int(ctx.origin, node, "run_bits", 1);
    if (!bits) return in_context(bits.error(), named);
    if (*bits > 32) {
      return in_context(field_error(ctx.origin, node["run_bits"], "run_bits", "must be in 1..32, got " + std::to_string(*bits)),
                        named);
    }
    level.run_bits = static_cast<int>(*bits);
  }
  return level;
}

Expected<PeArray> read_array(const SpecContext& ctx, const YAML::Node& spec,
                             const std::vector<StorageLevel>& levels) {
  const YAML::Node node = spec["array"];
  if (!node) {
    return field_error(ctx.origin, spec, "array",
                       "missing (a map with rows, cols, below and optionally cost is required)");
  }
  const std::string context = "array";
  if (Expected<void> ok = check_keys(ctx.origin, node, context,
                                     {"rows", "cols", "below", "cost", "timing", "hop_energy_pj", "flat_energy_pj",
                                      "zeros", "zero_operands"});
      !ok) {
    return ok.error();
  }
  PeArray array;
  Expected<std::int64_t> rows = read_int(ctx.origin, node, "rows", 1);
  if (!rows) return in_context(rows.error(), context);
  Expected<std::int64_t> cols = read_int(ctx.origin, node, "cols", 1);
  if (!cols) return in_context(cols.error(), context);
  array.rows = *rows;
  array.cols = *cols;

  Expected<std::string> below = read_string(ctx.origin, node, "below");
  if (!below) return in_context(below.error(), context);
  std::vector<std::string_view> names;
  std::optional<int> parent;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    names.push_back(levels[i].name);
    if (levels[i].name == *below && !parent) parent = static_cast<int>(i);
  }
  if (!parent) {
    return in_context(field_error(ctx.origin, node["below"], "below",
                                  "unknown level '" + *below + "' (allowed: " + join(names) + ")"),
                      context);
  }
  array.parent_level = *parent;

  if (auto ok = read_choice(ctx.origin, node, "cost", "cost style", array.cost_style,
                            {{"per_hop", ArrayCostStyle::PerHop}, {"flat", ArrayCostStyle::Flat}}, context);
      !ok) {
    return ok.error();
  }
  if (auto ok = read_choice(ctx.origin, node, "timing", "timing", array.timing,
                            {{"ideal", ArrayTiming::Ideal}, {"systolic", ArrayTiming::Systolic}}, context);
      !ok) {
    return ok.error();
  }
  // What the MACs do with a zero operand (docs/model.md Sec. 11).
  if (auto ok = read_choice(ctx.origin, node, "zeros", "zero handling", array.zeros,
                            {{"none", ZeroHandling::None}, {"gate", ZeroHandling::Gate}, {"skip", ZeroHandling::Skip}},
                            context);
      !ok) {
    return ok.error();
  }
  if (const YAML::Node operands = node["zero_operands"]; operands) {
    const std::string allowed = "inputs, weights";
    if (!operands.IsSequence() || operands.size() == 0) {
      return in_context(field_error(ctx.origin, operands, "zero_operands",
                                    "expected a non-empty list of operands (allowed: " + allowed + ")"),
                        context);
    }
    array.zero_checked = {};
    for (std::size_t i = 0; i < operands.size(); ++i) {
      const YAML::Node item = operands[i];
      const std::optional<TensorId> t = item.IsScalar() ? tensor_from_name(item.Scalar()) : std::nullopt;
      if (!t || *t == TensorId::Outputs) {
        return in_context(field_error(ctx.origin, item, "zero_operands",
                                      "unknown operand '" + (item.IsScalar() ? item.Scalar() : std::string("a non-scalar")) +
                                          "' (allowed: " + allowed + ")"),
                          context);
      }
      array.zero_checked[*t] = true;
    }
  }

  // The energy of the style in use is required (given or derived). The other one is
  // derived when a table is named, else left 0, so a spec never has to give both.
  const bool flat = array.cost_style == ArrayCostStyle::Flat;
  const auto read_or_zero = [&](std::string_view field, bool needed,
                                auto derive) -> Expected<double> {
    if (!needed && !node[std::string(field)] && !ctx.technology) return 0.0;
    Expected<std::pair<double, std::string>> energy = energy_field(ctx, node, field, derive);
    if (!energy) return in_context(energy.error(), context);
    return energy->first;
  };
  const auto wrap = [&](std::string_view field, Expected<double> derived)
      -> Expected<std::pair<double, std::string>> {
    if (!derived) return field_error(ctx.origin, node, field, derived.error().message);
    return std::pair<double, std::string>{*derived, ""};
  };
  Expected<double> hop = read_or_zero("hop_energy_pj", !flat, [&](const std::string& table) {
    return wrap("hop_energy_pj", array_hop_energy_pj(table, ctx.word_bits));
  });
  if (!hop) return hop.error();
  array.hop_energy_pj = *hop;
  Expected<double> flat_energy = read_or_zero("flat_energy_pj", flat, [&](const std::string& table) {
    return wrap("flat_energy_pj", array_flat_energy_pj(table, array.rows, array.cols, ctx.word_bits));
  });
  if (!flat_energy) return flat_energy.error();
  array.flat_energy_pj = *flat_energy;
  if (!node["flat_energy_pj"] && ctx.technology) array.flat_energy_table = *ctx.technology;
  return array;
}

Expected<Architecture> parse_arch_node(const YamlOrigin& origin, const YAML::Node& root) {
  if (Expected<void> ok = check_keys(origin, root, "top level", {"architecture"}); !ok) return ok.error();
  const YAML::Node spec = root["architecture"];
  if (!spec) {
    return field_error(origin, root, "architecture", "missing (the spec must start with 'architecture:')");
  }
  if (Expected<void> ok = check_keys(origin, spec, "architecture",
                                     {"name", "word_bits", "clock_mhz", "technology", "mac_energy_pj",
                                      "levels", "array"});
      !ok) {
    return ok.error();
  }

  Architecture arch;
  Expected<std::string> name = read_string(origin, spec, "name");
  if (!name) return name.error();
  if (name->empty()) return field_error(origin, spec["name"], "name", "must not be empty");
  arch.name = *name;

  Expected<std::int64_t> word_bits = read_int_or(origin, spec, "word_bits", 1, 16);
  if (!word_bits) return word_bits.error();
  if (*word_bits > 64) {
    return field_error(origin, spec["word_bits"], "word_bits",
                       "must be in 1..64, got " + std::to_string(*word_bits));
  }
  arch.word_bits = static_cast<int>(*word_bits);

  Expected<double> clock = read_double_or(origin, spec, "clock_mhz", 0.0, arch.clock_mhz);
  if (!clock) return clock.error();
  if (*clock <= 0.0) return field_error(origin, spec["clock_mhz"], "clock_mhz", "must be > 0");
  arch.clock_mhz = *clock;

  SpecContext ctx{origin, std::nullopt, arch.word_bits};
  if (spec["technology"]) {
    Expected<std::string> technology = read_string(origin, spec, "technology");
    if (!technology) return technology.error();
    bool known = false;
    for (std::string_view t : tech_table_names()) known = known || t == *technology;
    if (!known) {
      return field_error(origin, spec["technology"], "technology",
                         "unknown technology '" + *technology + "' (allowed: " +
                             join(tech_table_names()) + ")");
    }
    ctx.technology = *technology;
  }

  Expected<std::pair<double, std::string>> mac = energy_field(
      ctx, spec, "mac_energy_pj", [&](const std::string& table) -> Expected<std::pair<double, std::string>> {
        Expected<double> derived = mac_energy_pj(table, arch.word_bits);
        if (!derived) return field_error(origin, spec, "mac_energy_pj", derived.error().message);
        return std::pair<double, std::string>{*derived, ""};
      });
  if (!mac) return mac.error();
  arch.mac_energy_pj = mac->first;

  const YAML::Node levels = spec["levels"];
  if (!levels || !levels.IsSequence() || levels.size() == 0) {
    return field_error(origin, levels ? levels : spec, "levels",
                       "expected a non-empty list of levels, outermost (DRAM) first");
  }
  for (std::size_t i = 0; i < levels.size(); ++i) {
    Expected<StorageLevel> level = read_level(ctx, levels[i], i);
    if (!level) return level.error();
    arch.levels.push_back(std::move(*level));
  }

  Expected<PeArray> array = read_array(ctx, spec, arch.levels);
  if (!array) return array.error();
  arch.array = *array;

  // Cross-field rules (unique names, bypass of the outermost level, ...) live in one place.
  if (Expected<void> ok = validate_architecture(arch); !ok) {
    return Error{origin.file + ": " + ok.error().message};
  }
  return arch;
}

}  // namespace

Expected<Architecture> parse_arch_yaml(std::string_view text, const std::string& origin) {
  Expected<YAML::Node> root = parse_yaml_text(text, origin);
  if (!root) return root.error();
  return parse_arch_node(YamlOrigin{origin}, *root);
}

Expected<Architecture> load_arch_yaml(const std::string& path) {
  Expected<YAML::Node> root = load_yaml_file(path);
  if (!root) return root.error();
  return parse_arch_node(YamlOrigin{path}, *root);
}

Expected<Architecture> resolve_arch(std::string_view name_or_path) {
  for (std::string_view preset : arch_preset_names()) {
    if (preset == name_or_path) return arch_preset(preset);
  }
  const std::string path(name_or_path);
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return load_arch_yaml(path);
  const bool looks_like_path = path.find('/') != std::string::npos || path.ends_with(".yaml") || path.ends_with(".yml");
  if (looks_like_path) return Error{path + ": cannot open file"};
  return Error{"architecture '" + path + "' is neither a built-in architecture (" +
               join(arch_preset_names()) + ") nor a readable file"};
}

}  // namespace dnnspace::io
