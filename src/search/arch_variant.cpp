#include "dnnspace/search/arch_variant.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "dnnspace/arch/level_energy.hpp"
#include "dnnspace/arch/size_units.hpp"
#include "dnnspace/arch/tech_table.hpp"
#include "dnnspace/arch/validate.hpp"

namespace dnnspace {
namespace {

constexpr std::array<SweepKey, 6> kKeys = {SweepKey::RegFile, SweepKey::RegFile2, SweepKey::GlobalBuffer,
                                           SweepKey::GlobalBuffer2, SweepKey::ArrayShape, SweepKey::Levels};

// A size value's error in its --sweep context. Ranges are the sweep's own addition to the
// size rule, so the hint about them is added here.
Error size_error(const std::string& key_arg, const Error& error) {
  return Error{key_arg + ": " + error.message + "; a range of powers of two such as 16..512 is allowed too"};
}

std::string keys_list() {
  std::string list;
  for (SweepKey k : kKeys) list += (list.empty() ? "" : ", ") + std::string(sweep_key_name(k));
  return list;
}

bool is_size_key(SweepKey key) {
  return key == SweepKey::RegFile || key == SweepKey::RegFile2 || key == SweepKey::GlobalBuffer ||
         key == SweepKey::GlobalBuffer2;
}

bool is_power_of_two(std::int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == sep) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

std::optional<std::int64_t> parse_count(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The default size of a level added above one of `below_bytes`; an error when it would pass
// the largest size a value may have (kMaxSizeBytes), which also keeps the product in range.
Expected<std::int64_t> added_level_size(std::int64_t below_bytes, const std::string& what) {
  if (below_bytes > kMaxSizeBytes / kAddedLevelSizeRatio) {
    return Error{what + ": the added level's default size, " + std::to_string(kAddedLevelSizeRatio) +
                 " x " + format_bytes(below_bytes) + ", is larger than the largest size (" +
                 std::to_string(kMaxSizeBytes) + " bytes); give its size"};
  }
  return kAddedLevelSizeRatio * below_bytes;
}

std::string unique_name(const Architecture& arch, const std::string& wanted) {
  const auto taken = [&](const std::string& name) {
    return std::any_of(arch.levels.begin(), arch.levels.end(), [&](const StorageLevel& l) { return l.name == name; });
  };
  if (!taken(wanted)) return wanted;
  for (int i = 2;; ++i) {
    const std::string name = wanted + "_" + std::to_string(i);
    if (!taken(name)) return name;
  }
}

}  // namespace

LevelRoles level_roles(const Architecture& arch) noexcept {
  LevelRoles r;
  const int n = static_cast<int>(arch.levels.size());
  const int parent = arch.array.parent_level;
  if (n - 1 > parent) r.rf = n - 1;
  if (n - 2 > parent) r.rf2 = n - 2;
  if (parent >= 1) r.gb = parent;
  if (parent - 1 >= 1) r.gb2 = parent - 1;
  return r;
}

std::string_view sweep_key_name(SweepKey key) noexcept {
  switch (key) {
    case SweepKey::RegFile: return "rf";
    case SweepKey::RegFile2: return "rf2";
    case SweepKey::GlobalBuffer: return "gb";
    case SweepKey::GlobalBuffer2: return "gb2";
    case SweepKey::ArrayShape: return "array";
    case SweepKey::Levels: return "levels";
  }
  return "?";
}

std::string sweep_value_text(const SweepValue& value) {
  switch (value.key) {
    case SweepKey::ArrayShape: return std::to_string(value.rows) + "x" + std::to_string(value.cols);
    case SweepKey::Levels: {
      std::string text = std::string(value.add_rf2 ? "+rf2" : "") + (value.add_gb2 ? "+gb2" : "");
      return text.empty() ? "base" : text;
    }
    default: return format_bytes(value.size_bytes);
  }
}

Expected<SweepAxis> parse_sweep(std::string_view text) {
  const std::string arg = "sweep '" + std::string(text) + "'";
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) {
    return Error{arg + ": expected KEY=VALUES with KEY one of " + keys_list()};
  }
  const std::string_view name = text.substr(0, eq);
  const auto found = std::find_if(kKeys.begin(), kKeys.end(), [&](SweepKey k) { return sweep_key_name(k) == name; });
  if (found == kKeys.end()) {
    return Error{arg + ": unknown key '" + std::string(name) + "' (allowed: " + keys_list() + ")"};
  }
  SweepAxis axis;
  axis.key = *found;
  const std::string key_arg = arg + ": key " + std::string(name);
  const std::string_view list = text.substr(eq + 1);
  for (std::string_view item : split(list, ',')) {
    if (item.empty()) return Error{key_arg + ": empty value in '" + std::string(list) + "'"};
    std::vector<SweepValue> values;
    if (is_size_key(axis.key)) {
      const std::size_t dots = item.find("..");
      if (dots == std::string_view::npos) {
        Expected<std::int64_t> size = parse_size_bytes(item);
        if (!size) return size_error(key_arg, size.error());
        values.push_back({axis.key, *size, 0, 0, false, false});
      } else {
        Expected<std::int64_t> lo = parse_size_bytes(item.substr(0, dots));
        if (!lo) return size_error(key_arg, lo.error());
        Expected<std::int64_t> hi = parse_size_bytes(item.substr(dots + 2));
        if (!hi) return size_error(key_arg, hi.error());
        if (!is_power_of_two(*lo) || !is_power_of_two(*hi) || *lo > *hi) {
          return Error{key_arg + ": range '" + std::string(item) +
                       "' must run from a power of two to a larger or equal one (e.g. 16..512, 32K..512K)"};
        }
        for (std::int64_t s = *lo; s <= *hi; s *= 2) values.push_back({axis.key, s, 0, 0, false, false});
      }
    } else if (axis.key == SweepKey::ArrayShape) {
      const std::string lower = [&] {
        std::string s(item);
        for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
      }();
      const auto parts = split(lower, 'x');
      const auto rows = parts.size() == 2 ? parse_count(parts[0]) : std::nullopt;
      const auto cols = parts.size() == 2 ? parse_count(parts[1]) : std::nullopt;
      if (!rows || !cols || *rows < 1 || *cols < 1 || *rows > 65536 || *cols > 65536) {
        return Error{key_arg + ": '" + std::string(item) + "' is not an array shape (allowed: ROWSxCOLS such as 16x16, 32x8)"};
      }
      values.push_back({axis.key, 0, *rows, *cols, false, false});
    } else {
      SweepValue v{axis.key, 0, 0, 0, false, false};
      if (item == "+rf2") v.add_rf2 = true;
      else if (item == "+gb2") v.add_gb2 = true;
      else if (item == "+rf2+gb2" || item == "+gb2+rf2") v.add_rf2 = v.add_gb2 = true;
      else if (item != "base") {
        return Error{key_arg + ": unknown value '" + std::string(item) + "' (allowed: base, +rf2, +gb2, +rf2+gb2)"};
      }
      values.push_back(v);
    }
    for (const SweepValue& v : values) {
      if (std::find(axis.values.begin(), axis.values.end(), v) != axis.values.end()) {
        return Error{key_arg + ": value " + sweep_value_text(v) + " is listed twice"};
      }
      axis.values.push_back(v);
    }
  }
  return axis;
}

Expected<void> check_sweep_axes(const std::vector<SweepAxis>& axes) {
  for (std::size_t i = 0; i < axes.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (axes[i].key == axes[j].key) {
        return Error{"sweep: key " + std::string(sweep_key_name(axes[i].key)) + " is given twice; list all its values in one --sweep"};
      }
    }
  }
  const auto levels = std::find_if(axes.begin(), axes.end(), [](const SweepAxis& a) { return a.key == SweepKey::Levels; });
  if (levels == axes.end()) return {};
  for (const SweepAxis& a : axes) {
    if (a.key != SweepKey::RegFile2 && a.key != SweepKey::GlobalBuffer2) continue;
    const bool rf2 = a.key == SweepKey::RegFile2;
    for (const SweepValue& v : levels->values) {
      if (!(rf2 ? v.add_rf2 : v.add_gb2)) {
        return Error{"sweep: key " + std::string(sweep_key_name(a.key)) + " sizes the added level, but levels value '" +
                     sweep_value_text(v) + "' does not add it; give " + std::string(sweep_key_name(a.key)) +
                     " only with levels values that contain +" + std::string(sweep_key_name(a.key))};
      }
    }
  }
  return {};
}

std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes) {
  std::vector<SweepPoint> points(1);
  for (const SweepAxis& axis : axes) {
    std::vector<SweepPoint> next;
    next.reserve(points.size() * axis.values.size());
    for (const SweepPoint& p : points) {
      for (const SweepValue& v : axis.values) {
        next.push_back(p);
        next.back().push_back(v);
      }
    }
    points = std::move(next);
  }
  return points;
}

std::string sweep_point_label(const SweepPoint& point) {
  if (point.empty()) return "base";
  std::string label;
  for (const SweepValue& v : point) {
    label += (label.empty() ? "" : " ") + std::string(sweep_key_name(v.key)) + "=" + sweep_value_text(v);
  }
  return label;
}

Expected<Architecture> apply_sweep_point(const Architecture& base, const SweepPoint& point) {
  Architecture arch = base;
  const std::string where = "architecture '" + base.name + "', " + sweep_point_label(point);
  const auto value_of = [&](SweepKey key) -> const SweepValue* {
    for (const SweepValue& v : point) if (v.key == key) return &v;
    return nullptr;
  };
  const SweepValue* levels = value_of(SweepKey::Levels);
  const SweepValue* rf2_size = value_of(SweepKey::RegFile2);
  const SweepValue* gb2_size = value_of(SweepKey::GlobalBuffer2);
  // Without a levels key, sizing rf2 / gb2 adds the level when the base lacks it.
  const LevelRoles base_roles = level_roles(base);
  const bool add_rf2 = levels ? levels->add_rf2 : (rf2_size && base_roles.rf2 < 0);
  const bool add_gb2 = levels ? levels->add_gb2 : (gb2_size && base_roles.gb2 < 0);

  std::vector<bool> rederive(base.levels.size(), false);
  if (add_gb2) {
    if (base_roles.gb < 0) return Error{where + ": +gb2 needs a buffer feeding the array, but the array hangs below the outermost level"};
    if (base_roles.gb2 >= 0) {
      return Error{where + ": +gb2: the base already has a second buffer '" +
                   base.levels[static_cast<std::size_t>(base_roles.gb2)].name + "'; size it with gb2 instead"};
    }
    StorageLevel added = base.levels[static_cast<std::size_t>(base_roles.gb)];
    added.name = unique_name(arch, "GlobalBuffer2");
    // Its size is set with the swept sizes below (gb2's value, or 16 x the final gb).
    arch.levels.insert(arch.levels.begin() + base_roles.gb, added);
    rederive.insert(rederive.begin() + base_roles.gb, true);
    arch.array.parent_level += 1;
  }
  if (add_rf2) {
    const LevelRoles r = level_roles(arch);
    if (r.rf < 0) return Error{where + ": +rf2 needs a register file in each PE, but the PEs of the base have no private level"};
    if (r.rf2 >= 0) {
      return Error{where + ": +rf2: the base already has a second register file '" +
                   arch.levels[static_cast<std::size_t>(r.rf2)].name + "'; size it with rf2 instead"};
    }
    StorageLevel added = arch.levels[static_cast<std::size_t>(r.rf)];
    added.name = unique_name(arch, "RegFile2");
    arch.levels.insert(arch.levels.begin() + r.rf, added);
    rederive.insert(rederive.begin() + r.rf, true);
  }
  const LevelRoles roles = level_roles(arch);
  const auto level_for = [&](SweepKey key) -> int {
    switch (key) {
      case SweepKey::RegFile: return roles.rf;
      case SweepKey::RegFile2: return roles.rf2;
      case SweepKey::GlobalBuffer: return roles.gb;
      case SweepKey::GlobalBuffer2: return roles.gb2;
      default: return -1;
    }
  };
  for (SweepKey key : {SweepKey::RegFile, SweepKey::GlobalBuffer, SweepKey::RegFile2, SweepKey::GlobalBuffer2}) {
    const SweepValue* v = value_of(key);
    const int index = level_for(key);
    if (!v) {
      // An added level without a size of its own follows the (possibly swept) level below it.
      const bool added = (key == SweepKey::RegFile2 && add_rf2) || (key == SweepKey::GlobalBuffer2 && add_gb2);
      if (added) {
        const int below = key == SweepKey::RegFile2 ? roles.rf : roles.gb;
        Expected<std::int64_t> size = added_level_size(arch.levels[static_cast<std::size_t>(below)].capacity_bytes,
                                                       where + ": " + std::string(sweep_key_name(key)));
        if (!size) return size.error();
        arch.levels[static_cast<std::size_t>(index)].capacity_bytes = *size;
      }
      continue;
    }
    if (index < 0) {
      static constexpr std::string_view kWhat[] = {"no per-PE register file (the PEs have no private level)",
                                                   "no second per-PE register file (add one with levels=+rf2)",
                                                   "no buffer feeding the array (the array hangs below the outermost level)",
                                                   "no second shared buffer above the one feeding the array (add one with levels=+gb2)"};
      return Error{where + ": key " + std::string(sweep_key_name(key)) + ": the architecture has " +
                   std::string(kWhat[static_cast<std::size_t>(key)])};
    }
    StorageLevel& level = arch.levels[static_cast<std::size_t>(index)];
    if (level.capacity_bytes != v->size_bytes) rederive[static_cast<std::size_t>(index)] = true;
    level.capacity_bytes = v->size_bytes;
  }
  for (std::size_t i = 0; i < arch.levels.size(); ++i) {
    if (!rederive[i]) continue;
    StorageLevel& level = arch.levels[i];
    if (!level.energy_derivation) {
      return Error{where + ": level '" + level.name + "' has a given access_energy_pj (" + level.energy_source +
                   "), so its energy cannot follow a new size; derive it from a technology table instead "
                   "(omit access_energy_pj and set technology)"};
    }
    const EnergyDerivation derivation = *level.energy_derivation;  // a copy: the call overwrites the level's
    if (Expected<void> ok = derive_level_energy(level, derivation, arch.word_bits); !ok) {
      return Error{where + ": level '" + level.name + "': " + ok.error().message};
    }
  }
  if (const SweepValue* shape = value_of(SweepKey::ArrayShape)) {
    arch.array.rows = shape->rows;
    arch.array.cols = shape->cols;
    // The flat (distance-independent) transfer energy depends on the shape; the per-hop
    // one does not. A flat energy given as a number is the user's: never replaced.
    if (!base.array.flat_energy_table.empty()) {
      Expected<double> flat =
          array_flat_energy_pj(base.array.flat_energy_table, shape->rows, shape->cols, arch.word_bits);
      if (!flat) return Error{where + ": array: " + flat.error().message};
      arch.array.flat_energy_pj = *flat;
    } else if (arch.array.cost_style == ArrayCostStyle::Flat) {
      return Error{where + ": key array: the base's flat array energy was given as a number, so it cannot follow a new "
                   "shape; derive it from a technology table instead"};
    }
  }
  arch.name = base.name + " [" + sweep_point_label(point) + "]";
  if (Expected<void> ok = validate_architecture(arch); !ok) return Error{where + ": " + ok.error().message};
  return arch;
}

Expected<std::vector<SweepAxis>> parse_sweeps(const std::vector<std::string>& texts) {
  std::vector<SweepAxis> axes;
  for (const std::string& text : texts) {
    Expected<SweepAxis> axis = parse_sweep(text);
    if (!axis) return Error{"--" + axis.error().message};
    axes.push_back(std::move(*axis));
  }
  if (auto ok = check_sweep_axes(axes); !ok) return Error{"--" + ok.error().message};
  return axes;
}

Expected<std::vector<SweepDesign>> sweep_designs(const Architecture& base, const std::vector<SweepAxis>& axes) {
  std::vector<SweepDesign> designs;
  for (const SweepPoint& point : sweep_points(axes)) {
    Expected<Architecture> arch = apply_sweep_point(base, point);
    if (!arch) return Error{"--sweep: " + arch.error().message};
    designs.push_back({sweep_point_label(point), std::move(*arch)});
  }
  return designs;
}

}  // namespace dnnspace
