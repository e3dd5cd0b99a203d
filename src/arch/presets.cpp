#include "dnnspace/arch/presets.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "dnnspace/arch/level_energy.hpp"
#include "dnnspace/arch/tech_table.hpp"

namespace dnnspace {
namespace {

constexpr std::int64_t kKiB = 1024;
constexpr std::int64_t kMiB = 1024 * kKiB;

constexpr std::string_view kInterstellar = "interstellar-28nm";
constexpr std::string_view kEyerissNormalized = "eyeriss-normalized";

// 004 Sec. V-A: "All of our ASIC designs achieve 400 MHz operation" (28 nm).
constexpr double k004ClockMhz = 400.0;
// The Eyeriss chip of 003 Sec. V-B runs its core at 200 MHz; 003 does not state the
// clock, the figure is from the Eyeriss chip paper (003 ref. [94]).
constexpr double kEyerissChipClockMhz = 200.0;

// A storage level before its energy is derived from a table.
struct LevelSpec {
  std::string_view name;
  MemoryKind kind;
  std::int64_t capacity_bytes;  // 0 = unbounded (DRAM)
  bool double_buffered;
  double bandwidth_words_per_cycle;  // 0 = unlimited
};

// Everything that distinguishes one preset from another.
struct PresetSpec {
  std::string_view name;
  std::string_view table;
  int word_bits;
  double clock_mhz;
  std::span<const LevelSpec> levels;  // outermost first
  std::int64_t rows;
  std::int64_t cols;
  int parent_level;
  ArrayCostStyle cost_style;
};

// Resolves every energy of `spec` from its table, exactly as io/arch_yaml does for a spec
// that omits the energy fields (so examples/arch/<name>.yaml equals the preset).
Expected<Architecture> build(const PresetSpec& spec) {
  Architecture arch;
  arch.name = std::string(spec.name);
  arch.word_bits = spec.word_bits;
  arch.clock_mhz = spec.clock_mhz;
  for (const LevelSpec& l : spec.levels) {
    StorageLevel level;
    level.name = std::string(l.name);
    level.capacity_bytes = l.capacity_bytes;
    level.double_buffered = l.double_buffered;
    level.bandwidth_words_per_cycle = l.bandwidth_words_per_cycle;
    if (Expected<void> ok = derive_level_energy(level, EnergyDerivation{std::string(spec.table), l.kind},
                                                spec.word_bits);
        !ok) {
      return ok.error();
    }
    arch.levels.push_back(std::move(level));
  }
  Expected<double> mac = mac_energy_pj(spec.table, spec.word_bits);
  if (!mac) return mac.error();
  arch.mac_energy_pj = *mac;
  arch.array.rows = spec.rows;
  arch.array.cols = spec.cols;
  arch.array.parent_level = spec.parent_level;
  arch.array.cost_style = spec.cost_style;
  Expected<double> hop = array_hop_energy_pj(spec.table, spec.word_bits);
  if (!hop) return hop.error();
  arch.array.hop_energy_pj = *hop;
  Expected<double> flat = array_flat_energy_pj(spec.table, spec.rows, spec.cols, spec.word_bits);
  if (!flat) return flat.error();
  arch.array.flat_energy_pj = *flat;
  arch.array.flat_energy_table = spec.table;
  return arch;
}

// 004 Sec. VI-A (Fig. 7, blue): "the same hardware as Eyeriss ... a 512 B register file
// per PE, 128 KB global buffer and 16x16 PE array, with 16-bit precision". The global
// buffer is a double buffer as in 004's template (Sec. IV-B, Fig. 3).
constexpr std::array<LevelSpec, 3> kEyerissLevels{{
    {"DRAM", MemoryKind::Dram, 0, false, 0.0},
    {"GlobalBuffer", MemoryKind::Sram, 128 * kKiB, true, 0.0},
    {"RegFile", MemoryKind::RegisterFile, 512, false, 0.0},
}};

// 004 Sec. VI-A (Fig. 7, green): the same with "a smaller, 64 byte ... register file".
constexpr std::array<LevelSpec, 3> kEyeriss64bLevels{{
    {"DRAM", MemoryKind::Dram, 0, false, 0.0},
    {"GlobalBuffer", MemoryKind::Sram, 128 * kKiB, true, 0.0},
    {"RegFile", MemoryKind::RegisterFile, 64, false, 0.0},
}};

// 003 Sec. V-B: the Eyeriss chip, "a 14x12 PE array, a 108KB global buffer", fed from
// DRAM over "a 64-bit bidirectional data bus" = 4 16-bit words per cycle. RF: 003 puts
// the per-PE register file at "0.5 - 1.0kB"; we take 0.5 KB = 512 B. 003 does not say
// the global buffer is double buffered, so it is not.
constexpr std::array<LevelSpec, 3> kEyerissChipLevels{{
    {"DRAM", MemoryKind::Dram, 0, false, 4.0},
    {"GlobalBuffer", MemoryKind::Sram, 108 * kKiB, false, 0.0},
    {"RegFile", MemoryKind::RegisterFile, 512, false, 0.0},
}};

// 004 Sec. VI-C: "The larger chip uses 32x32 PE array, with 8 B register per PE, 64 KB for
// first-level global buffer and a 28 MB second-level global buffer ... similar to ...
// TPU". Both global buffers double buffered as in 004's template.
constexpr std::array<LevelSpec, 4> kTpuLikeLevels{{
    {"DRAM", MemoryKind::Dram, 0, false, 0.0},
    {"GlobalBuffer2", MemoryKind::Sram, 28 * kMiB, true, 0.0},
    {"GlobalBuffer", MemoryKind::Sram, 64 * kKiB, true, 0.0},
    {"RegFile", MemoryKind::RegisterFile, 8, false, 0.0},
}};

// The array hangs below GlobalBuffer (index 1, or 2 in tpu-like): it and the levels above
// it are shared, RegFile is private to each PE.
constexpr std::array<PresetSpec, 5> kPresets{{
    {"eyeriss", kInterstellar, 16, k004ClockMhz, kEyerissLevels, 16, 16, 1, ArrayCostStyle::PerHop},
    {"eyeriss-64b", kInterstellar, 16, k004ClockMhz, kEyeriss64bLevels, 16, 16, 1,
     ArrayCostStyle::PerHop},
    // 004 Fig. 7 red: "treats all the communication to be global, with cost independent
    // of the transfer distance". Flat cost = hop cost x mean PE distance (tech_table).
    {"eyeriss-flat", kInterstellar, 16, k004ClockMhz, kEyerissLevels, 16, 16, 1,
     ArrayCostStyle::Flat},
    // 003 writes the array as 14x12 (columns x rows: its Fig. 32 folds a 27x5 mapping
    // into "14x5 and 13x5 ... vertically mapped", stacking the 5-row parts, so the chip
    // has 12 rows of 14 PEs). Eyeriss counts every array transfer alike (Flat, cost 2).
    {"eyeriss-chip", kEyerissNormalized, 16, kEyerissChipClockMhz, kEyerissChipLevels, 12, 14, 1,
     ArrayCostStyle::Flat},
    {"tpu-like", kInterstellar, 16, k004ClockMhz, kTpuLikeLevels, 32, 32, 2, ArrayCostStyle::PerHop},
}};

}  // namespace

std::vector<std::string_view> arch_preset_names() {
  std::vector<std::string_view> names;
  names.reserve(kPresets.size());
  for (const PresetSpec& p : kPresets) names.push_back(p.name);
  return names;
}

Expected<Architecture> arch_preset(std::string_view name) {
  for (const PresetSpec& p : kPresets) {
    if (p.name == name) return build(p);
  }
  std::string list;
  for (const PresetSpec& p : kPresets) list += (list.empty() ? "" : ", ") + std::string(p.name);
  return Error{"unknown architecture preset '" + std::string(name) + "' (allowed: " + list + ")"};
}

}  // namespace dnnspace
