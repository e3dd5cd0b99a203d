// An accelerator: a memory hierarchy, a PE array and per-access energies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dnnspace/arch/memory_kind.hpp"
#include "dnnspace/core/tensor_id.hpp"

namespace dnnspace {

/// Most storage levels an architecture may have (validate_architecture enforces it;
/// mappings and cost results hold one entry per level inline).
inline constexpr std::size_t kMaxLevels = 16;
/// Most PEs along one array axis (validate_architecture), so that rows x cols and the
/// array's hop distances stay far inside 64 bits.
inline constexpr std::int64_t kMaxArrayAxis = 65536;

/// How a level's access energy was derived from a technology table: enough to derive it
/// again for another capacity (with Architecture::word_bits), as a --sweep that resizes
/// the level does (search/arch_variant). Set by arch/level_energy's derive_level_energy.
struct EnergyDerivation {
  std::string table;                   ///< a tech_table_names() entry
  MemoryKind kind = MemoryKind::Sram;  ///< which size -> energy rule of the table

  friend bool operator==(const EnergyDerivation&, const EnergyDerivation&) = default;
};

/// One storage level. Levels are listed outermost (DRAM) first.
/// Energies are already resolved to numbers (io/ and the presets derive them from a
/// technology table when a spec names one); the model reads them through
/// read_energy_pj and write_energy_pj.
/// Most words one access of a level moves (StorageLevel::access_width_words).
inline constexpr int kMaxAccessWidthWords = 4096;

/// How a level stores a sparse tensor (003 Sec. VII-B; docs/model.md Sec. 11): as is, or
/// its nonzeros only with metadata saying where they are.
enum class Compression : std::uint8_t {
  None,
  Bitmask,    ///< the nonzeros and one bit per element (zero or not)
  RunLength,  ///< each nonzero with the run of zeros before it in run_bits bits (Eyeriss's RLC)
};

struct StorageLevel {
  std::string name;
  /// false = the tensor bypasses this level. Only the three named slots are read: a
  /// workload's further operands are held where the inputs are (holds_tensor).
  PerTensor<bool> holds = PerTensor<bool>::filled(true);
  std::int64_t capacity_bytes = 0;            ///< per instance; 0 = unbounded (DRAM)
  bool double_buffered = false;               ///< tiles need twice their size
  double bandwidth_words_per_cycle = 0.0;     ///< reads + writes, per instance; 0 = unlimited
  double access_energy_pj = 0.0;              ///< per word read or written
  /// Where access_energy_pj came from, as reports print it: "given", or for a derived
  /// energy energy_source_label's "interstellar-28nm sram 128KB".
  std::string energy_source;
  std::optional<EnergyDerivation> energy_derivation;  ///< absent when the energy was given
  /// Per word read, and per word written, when they differ from access_energy_pj (an
  /// SRAM write often costs more than a read). Given numbers: a sweep that re-derives
  /// access_energy_pj for a new size keeps them.
  std::optional<double> read_energy_pj;
  std::optional<double> write_energy_pj;
  /// Per tensor (the three named slots): a read or write energy of its own, over the
  /// level's (YAML: `read_energy_pj: {weights: 1.2}`).
  PerTensor<std::optional<double>> tensor_read_energy_pj{};
  PerTensor<std::optional<double>> tensor_write_energy_pj{};
  /// Words one access moves (a vector): the energies above are per access, so a word
  /// costs 1 / access_width_words of one. > 1 needs a given access energy (a technology
  /// table's is per word).
  int access_width_words = 1;
  /// Bits per word of each tensor at this level (8-bit weights and inputs, 24-bit partial
  /// sums, ...); 0 = the architecture's word_bits. Only the three named slots are read:
  /// a workload's further operands take the inputs' width (tensor_bits).
  PerTensor<int> word_bits{};
  /// Separate read and write ports: words read (written) per cycle per instance; 0 =
  /// unlimited. Each limit that is set bounds the cycles, with bandwidth_words_per_cycle.
  double read_bandwidth_words_per_cycle = 0.0;
  double write_bandwidth_words_per_cycle = 0.0;
  /// Static (leakage) power of one instance, mW: it leaks for every cycle of a layer,
  /// whether used or not (docs/model.md Sec. 5). 0 = not modelled.
  double leakage_mw = 0.0;
  /// Silicon area of one instance, mm^2, when known; else area_mm2(arch) estimates it
  /// from the capacity (docs/arch.md, "Area").
  std::optional<double> area_mm2 = std::nullopt;
  /// `bypass: search`: the mapper chooses which of the tensors in `holds` the level keeps
  /// (at least one); the others bypass it. Not on the outermost level.
  bool bypass_searched = false;
  /// `buffering: search`: the mapper chooses single or double buffering. Only on a level
  /// with a capacity.
  bool buffering_searched = false;
  /// Per tensor (inputs and weights): how the level stores it; with a density below 1
  /// its tiles take fewer words and every access moves fewer (docs/model.md Sec. 11).
  PerTensor<Compression> compression{};
  /// Bits of a run length (Compression::RunLength); Eyeriss's RLC uses 5.
  int run_bits = 5;

  friend bool operator==(const StorageLevel&, const StorageLevel&) = default;
};

/// Energy of one word read from the level: read_energy_pj if given, else access_energy_pj.
constexpr double read_energy_pj(const StorageLevel& level) noexcept {
  return level.read_energy_pj.value_or(level.access_energy_pj);
}
/// Energy of one word written into the level: write_energy_pj if given, else access_energy_pj.
constexpr double write_energy_pj(const StorageLevel& level) noexcept {
  return level.write_energy_pj.value_or(level.access_energy_pj);
}

/// Whether the level holds the tensor in slot t: holds[t] for the three named slots,
/// holds[Inputs] for a workload's further operands.
constexpr bool holds_tensor(const StorageLevel& level, TensorId t) noexcept {
  return level.holds[static_cast<std::size_t>(t) < kNumTensors ? t : TensorId::Inputs];
}

/// How array (inter-PE) transfers are charged (004 Sec. V-A vs Eyeriss in 003).
enum class ArrayCostStyle : std::uint8_t {
  PerHop,  ///< energy = hops x hop_energy_pj, hops by PE distance (004)
  Flat,    ///< energy = transfers x flat_energy_pj, all alike (Eyeriss)
};

/// How the PE array spends its cycles (docs/model.md Sec. 5).
enum class ArrayTiming : std::uint8_t {
  Ideal,     ///< one MAC per PE per cycle, operands there when needed
  Systolic,  ///< operands move PE to PE: every fold pays the array's fill and drain
};

/// What the PE array does with a MAC whose checked operand is zero (003 Sec. VII-B;
/// docs/model.md Sec. 11).
enum class ZeroHandling : std::uint8_t {
  None,  ///< every MAC runs
  Gate,  ///< the MAC and the reads it would make of the other operands and the partial
         ///< sum are gated off; the cycle is still spent (Eyeriss)
  Skip,  ///< as Gate, and the cycle is saved too (Cnvlutin)
};

/// The PE array. It sits below storage level `parent_level`: that level and all
/// above it are shared; every level below it is private to each PE.
struct PeArray {
  std::int64_t rows = 1;
  std::int64_t cols = 1;
  int parent_level = 0;
  ArrayCostStyle cost_style = ArrayCostStyle::PerHop;
  double hop_energy_pj = 0.0;   ///< per word per hop between neighbouring PEs
  double flat_energy_pj = 0.0;  ///< per word per array transfer (Flat style)
  /// The technology table flat_energy_pj was derived from (it depends on the shape, so a
  /// new shape re-derives it); empty when it was given as a number.
  std::string flat_energy_table = {};
  ArrayTiming timing = ArrayTiming::Ideal;
  ZeroHandling zeros = ZeroHandling::None;
  /// The operands whose zeros are detected (with zeros != None): each is read in full,
  /// the rest of a MAC is gated when one of them is zero. Inputs by default.
  PerTensor<bool> zero_checked = [] {
    PerTensor<bool> p{};
    p[TensorId::Inputs] = true;
    return p;
  }();

  friend bool operator==(const PeArray&, const PeArray&) = default;
};

/// A complete accelerator description, validated by io/ or the presets.
struct Architecture {
  std::string name;
  std::vector<StorageLevel> levels;  ///< outermost first; at least one
  PeArray array;
  double mac_energy_pj = 0.0;
  int word_bits = 16;
  double clock_mhz = 1000.0;

  friend bool operator==(const Architecture&, const Architecture&) = default;
};

/// Number of PEs in the array.
inline std::int64_t pe_count(const Architecture& arch) noexcept {
  return arch.array.rows * arch.array.cols;
}

/// Bytes per word.
inline std::int64_t word_bytes(const Architecture& arch) noexcept {
  return (arch.word_bits + 7) / 8;
}

/// Bits per word of the tensor in slot t at the level: its own width there, else the
/// architecture's word_bits (further operands take the inputs' width).
constexpr int tensor_bits(const Architecture& arch, const StorageLevel& level, TensorId t) noexcept {
  const int bits = level.word_bits[static_cast<std::size_t>(t) < kNumTensors ? t : TensorId::Inputs];
  return bits > 0 ? bits : arch.word_bits;
}

/// Whether some level leaks (leakage_mw > 0): its energy then depends on the cycles.
constexpr bool has_leakage(const Architecture& arch) noexcept {
  for (const StorageLevel& level : arch.levels) if (level.leakage_mw > 0.0) return true;
  return false;
}

/// The width at which the MACs see the tensor in slot t: its width at the innermost level
/// holding it (the architecture's word_bits if none does).
constexpr int mac_operand_bits(const Architecture& arch, TensorId t) noexcept {
  int bits = arch.word_bits;
  for (const StorageLevel& level : arch.levels) {
    if (level.holds[static_cast<std::size_t>(t) < kNumTensors ? t : TensorId::Inputs]) bits = tensor_bits(arch, level, t);
  }
  return bits;
}

/// Bytes a word of the tensor takes at the level (words are byte-aligned).
constexpr std::int64_t tensor_bytes(const Architecture& arch, const StorageLevel& level, TensorId t) noexcept {
  return (tensor_bits(arch, level, t) + 7) / 8;
}

/// The access energy of the tensor's words at the level: an energy derived from a
/// technology table scales with the width (the table's rule is per bit), so a tensor
/// narrower or wider than word_bits pays access_energy_pj x its bits / word_bits; a given
/// energy is per word access whatever the width.
constexpr double tensor_access_energy_pj(const Architecture& arch, const StorageLevel& level, TensorId t) noexcept {
  const int bits = tensor_bits(arch, level, t);
  if (!level.energy_derivation || bits == arch.word_bits) return level.access_energy_pj;
  return level.access_energy_pj * static_cast<double>(bits) / static_cast<double>(arch.word_bits);
}

/// Energy of one word of the tensor read from the level: of one access, the tensor's own
/// read energy if given, else the level's read_energy_pj if given, else its access
/// energy; divided by the words an access moves.
constexpr double read_energy_pj(const Architecture& arch, const StorageLevel& level, TensorId t) noexcept {
  const auto& own = level.tensor_read_energy_pj[static_cast<std::size_t>(t) < kNumTensors ? t : TensorId::Inputs];
  const double access = own ? *own : level.read_energy_pj ? *level.read_energy_pj : tensor_access_energy_pj(arch, level, t);
  return level.access_width_words > 1 ? access / level.access_width_words : access;
}
/// Energy of one word of the tensor written into the level, as read_energy_pj with the
/// write energies.
constexpr double write_energy_pj(const Architecture& arch, const StorageLevel& level, TensorId t) noexcept {
  const auto& own = level.tensor_write_energy_pj[static_cast<std::size_t>(t) < kNumTensors ? t : TensorId::Inputs];
  const double access =
      own ? *own : level.write_energy_pj ? *level.write_energy_pj : tensor_access_energy_pj(arch, level, t);
  return level.access_width_words > 1 ? access / level.access_width_words : access;
}

}  // namespace dnnspace
