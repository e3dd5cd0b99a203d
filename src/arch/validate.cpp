#include "dnnspace/arch/validate.hpp"

#include <cmath>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "dnnspace/arch/storage_choice.hpp"

namespace dnnspace {
namespace {

std::string number_text(double value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

// Prefix of every message: which architecture, and which level when there is one.
std::string arch_prefix(const Architecture& arch) { return "architecture '" + arch.name + "': "; }

std::string level_prefix(const Architecture& arch, std::size_t index) {
  return arch_prefix(arch) + "level " + std::to_string(index) + " '" + arch.levels[index].name + "': ";
}

Error field_error(const std::string& prefix, std::string_view field, const std::string& what) {
  return Error{prefix + "field '" + std::string(field) + "': " + what};
}

Expected<void> check_non_negative(const std::string& prefix, std::string_view field, double value) {
  if (!std::isfinite(value) || value < 0.0 || value > kMaxArchNumber) {
    return field_error(prefix, field, "must be a finite number in 0..1e12, got " + number_text(value));
  }
  return {};
}

Expected<void> check_level(const Architecture& arch, std::size_t index) {
  const StorageLevel& level = arch.levels[index];
  const std::string prefix = level_prefix(arch, index);
  if (level.name.empty()) return field_error(prefix, "name", "must not be empty");
  if (level.name == "MAC" || level.name == "Array") {
    // Reports use these names for the MAC and array energies next to the levels'.
    return field_error(prefix, "name", "'" + level.name + "' is reserved (MAC and Array name energy rows)");
  }
  for (std::size_t other = 0; other < index; ++other) {
    if (arch.levels[other].name == level.name) {
      return field_error(prefix, "name", "duplicates the name of level " + std::to_string(other));
    }
  }
  if (level.capacity_bytes < 0) {
    return field_error(prefix, "capacity_bytes",
                       "must be >= 0, got " + std::to_string(level.capacity_bytes));
  }
  if (level.capacity_bytes == 0 && index != 0) {
    return field_error(prefix, "capacity_bytes",
                       "0 (unbounded) is allowed only for the outermost level; give a size");
  }
  if (Expected<void> ok = check_non_negative(prefix, "access_energy_pj", level.access_energy_pj); !ok) {
    return ok;
  }
  for (TensorId t : kAllTensors) {
    const int bits = level.word_bits[t];
    if (bits != 0 && (bits < 1 || bits > 64)) {
      return field_error(prefix, "word_bits", std::string(tensor_name(t)) + ": must be in 1..64 (or 0: the "
                         "architecture's word_bits), got " + std::to_string(bits));
    }
  }
  for (const auto& [field, value] : {std::pair{"read_energy_pj", level.read_energy_pj},
                                     std::pair{"write_energy_pj", level.write_energy_pj}}) {
    if (!value) continue;
    if (Expected<void> ok = check_non_negative(prefix, field, *value); !ok) return ok;
  }
  for (TensorId t : kAllTensors) {
    for (const auto& [field, value] : {std::pair{"read_energy_pj", level.tensor_read_energy_pj[t]},
                                       std::pair{"write_energy_pj", level.tensor_write_energy_pj[t]}}) {
      if (!value) continue;
      if (!level.holds[t]) {
        return field_error(prefix, field, std::string(tensor_name(t)) + ": the level never holds " +
                                              std::string(tensor_name(t)) + " (add it to 'holds' or drop its energy)");
      }
      if (Expected<void> ok = check_non_negative(prefix, std::string(field) + ": " + std::string(tensor_name(t)), *value); !ok) {
        return ok;
      }
    }
  }
  if (level.access_width_words < 1 || level.access_width_words > kMaxAccessWidthWords) {
    return field_error(prefix, "access_width_words",
                       "must be in 1.." + std::to_string(kMaxAccessWidthWords) + ", got " +
                           std::to_string(level.access_width_words));
  }
  if (level.access_width_words > 1 && level.energy_derivation) {
    return field_error(prefix, "access_width_words",
                       "words per access above 1 need the energy of one access given (a technology table's is per word)");
  }
  if (Expected<void> ok = check_non_negative(prefix, "leakage_mw", level.leakage_mw); !ok) return ok;
  if (level.area_mm2) {
    if (Expected<void> ok = check_non_negative(prefix, "area_mm2", *level.area_mm2); !ok) return ok;
  }
  if (Expected<void> ok = check_non_negative(prefix, "bandwidth_words_per_cycle",
                                             level.bandwidth_words_per_cycle);
      !ok) {
    return ok;
  }
  for (const auto& [field, value] : {std::pair{"read_bandwidth_words_per_cycle", level.read_bandwidth_words_per_cycle},
                                     std::pair{"write_bandwidth_words_per_cycle", level.write_bandwidth_words_per_cycle}}) {
    if (Expected<void> ok = check_non_negative(prefix, field, value); !ok) return ok;
  }
  bool holds_any = false;
  for (TensorId t : kAllTensors) {
    holds_any = holds_any || level.holds[t];
    if (index == 0 && !level.holds[t]) {
      return field_error(prefix, "holds",
                         "the outermost level must hold every tensor, but " +
                             std::string(tensor_name(t)) + " bypasses it");
    }
  }
  if (!holds_any) return field_error(prefix, "holds", "holds no tensor; remove the level instead");
  if (index == 0 && level.bypass_searched) {
    return field_error(prefix, "bypass",
                       "the outermost level holds every tensor; 'search' is for the levels below it");
  }
  if (level.buffering_searched && level.capacity_bytes <= 0) {
    return field_error(prefix, "buffering", "'search' needs a level with a capacity (this one is unbounded)");
  }
  if (level.compression[TensorId::Outputs] != Compression::None) {
    return field_error(prefix, "compression",
                       "outputs cannot be compressed (partial sums are dense); compress inputs or weights");
  }
  for (TensorId t : kAllTensors) {
    if (level.compression[t] != Compression::None && !level.holds[t]) {
      return field_error(prefix, "compression",
                         "compresses " + std::string(tensor_name(t)) + ", which the level does not hold");
    }
  }
  if (level.run_bits < 1 || level.run_bits > 32) {
    return field_error(prefix, "run_bits", "must be in 1..32, got " + std::to_string(level.run_bits));
  }
  return {};
}

}  // namespace

Expected<void> validate_architecture(const Architecture& arch) {
  const std::string prefix = arch_prefix(arch);
  if (arch.name.empty()) return field_error(prefix, "name", "must not be empty");
  if (arch.levels.empty()) return field_error(prefix, "levels", "at least one level is required");
  if (arch.levels.size() > kMaxLevels) {
    return field_error(prefix, "levels",
                       std::to_string(arch.levels.size()) + " levels; at most " + std::to_string(kMaxLevels) +
                           " are allowed");
  }
  for (std::size_t i = 0; i < arch.levels.size(); ++i) {
    if (Expected<void> ok = check_level(arch, i); !ok) return ok;
  }
  if (const std::int64_t choices = count_storage_choices(arch); choices > kMaxStorageChoices) {
    return field_error(prefix, "levels",
                       "bypass and buffering left to the mapper give more than " + std::to_string(kMaxStorageChoices) +
                           " storage choices; fix some levels' holds or buffering");
  }
  if (arch.word_bits < 1 || arch.word_bits > 64) {
    return field_error(prefix, "word_bits", "must be in 1..64, got " + std::to_string(arch.word_bits));
  }
  // At least 1 Hz: slower clocks turn leakage per cycle into overflowing energies.
  if (!std::isfinite(arch.clock_mhz) || arch.clock_mhz < 1e-6) {
    return field_error(prefix, "clock_mhz",
                       "must be a finite number >= 1e-6 (1 Hz), got " + number_text(arch.clock_mhz));
  }
  if (Expected<void> ok = check_non_negative(prefix, "mac_energy_pj", arch.mac_energy_pj); !ok) return ok;

  const std::string array_prefix = prefix + "array: ";
  const PeArray& array = arch.array;
  for (const auto& [value, field] : {std::pair{array.rows, "rows"}, std::pair{array.cols, "cols"}}) {
    if (value < 1 || value > kMaxArrayAxis) {
      return field_error(array_prefix, field,
                         "must be in 1.." + std::to_string(kMaxArrayAxis) + ", got " + std::to_string(value));
    }
  }
  const int level_count = static_cast<int>(arch.levels.size());
  if (array.parent_level < 0 || array.parent_level >= level_count) {
    return field_error(array_prefix, "parent_level",
                       "must be a level index in 0.." + std::to_string(level_count - 1) + ", got " +
                           std::to_string(array.parent_level));
  }
  if (Expected<void> ok = check_non_negative(array_prefix, "hop_energy_pj", array.hop_energy_pj); !ok) {
    return ok;
  }
  if (Expected<void> ok = check_non_negative(array_prefix, "flat_energy_pj", array.flat_energy_pj); !ok) {
    return ok;
  }
  if (array.zero_checked[TensorId::Outputs]) {
    return field_error(array_prefix, "zero_operands", "outputs are not an operand; allowed: inputs, weights");
  }
  if (array.zeros != ZeroHandling::None && !array.zero_checked[TensorId::Inputs] && !array.zero_checked[TensorId::Weights]) {
    return field_error(array_prefix, "zero_operands", "must name at least one of inputs, weights when zeros are gated or skipped");
  }
  return {};
}

}  // namespace dnnspace
