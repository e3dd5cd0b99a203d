#include "dnnspace/arch/tech_table.hpp"

#include <array>
#include <cmath>
#include <span>

namespace dnnspace {
namespace {

// The tables this file knows. Table names are looked up once, then dispatched by enum.
enum class TechTable : std::uint8_t { Interstellar28nm, EyerissNormalized };

constexpr std::string_view kInterstellarName = "interstellar-28nm";
constexpr std::string_view kEyerissNormalizedName = "eyeriss-normalized";

// Both tables quote energies per 16-bit access (004 Table IV caption; Eyeriss is 16-bit).
constexpr double kTableWordBits = 16.0;

struct TablePoint {
  std::int64_t size_bytes;
  double energy_pj;
};

// 004 Table IV, "Reg. Size" column: pJ per 16-bit register-file access. Each doubling of
// size doubles the energy, i.e. the column is exactly linear in size (0.03 pJ per 16 B).
constexpr std::array<TablePoint, 6> kRegFilePoints{{
    {16, 0.03}, {32, 0.06}, {64, 0.12}, {128, 0.24}, {256, 0.48}, {512, 0.96}}};

// 004 Table IV, "SRAM Size" column: pJ per 16-bit SRAM access. Each doubling of size
// multiplies the energy by 1.5 (6 -> 9 -> 13.5 -> 20.25 -> 30.375).
constexpr std::int64_t kKiB = 1024;
constexpr std::array<TablePoint, 5> kSramPoints{{{32 * kKiB, 6.0},
                                                 {64 * kKiB, 9.0},
                                                 {128 * kKiB, 13.5},
                                                 {256 * kKiB, 20.25},
                                                 {512 * kKiB, 30.375}}};

// 004 Table IV bottom row.
constexpr double kInterstellarMacPj = 0.075;
constexpr double kInterstellarDramPj = 200.0;

// Growth per doubling used outside the table for SRAM below 32 KB and for register files
// above 512 B: the SRAM column's own ratio (30.375/20.25 = 1.5). Above 512 B a register
// file is assumed to be banked like an SRAM, so it grows at SRAM's rate from its last
// table point; this keeps it continuous and above an SRAM of the same size.
constexpr double kGrowthPerDoublingOutsideTable = 1.5;

// SRAMs beyond 512 KB are modelled as n = size / 512 KB banks of the largest table entry
// (30.375 pJ) reached through an H-tree whose length, and so energy, grows with sqrt(n).
// The constant is an assumption, not from 004: ~0.1 pJ/bit/mm for 28 nm on-chip wires,
// x 16 bits, x 2 (request out, data back), x ~1.45 mm, the side of one 512 KB bank at the
// 0.5 um^2/bit SRAM density of area.cpp: 0.1 * 16 * 2 * 1.45 = 4.64, rounded to 4.5 pJ.
// A 28 MB buffer (56 banks) then costs 30.375 + 4.5 * (sqrt(56) - 1) = 59.5 pJ, between
// the 512 KB SRAM and DRAM's 200 pJ. The "- 1" keeps the curve continuous at 512 KB:
// the table entry already includes one bank's own wiring.
constexpr double kHTreePjPerSqrtBank = 4.5;

// Per-hop array cost: 004 Sec. V-A says only that it is "the energy consumed by the wires
// and registers used when propagating data" and Table IV gives no number. We assume
// 0.035 pJ per 16-bit word per hop, the value of `parallel_cost` in the example
// architecture files of the 004 authors' released optimizer (CNN-blocking); it sits
// between a 16 B (0.03 pJ) and a 32 B (0.06 pJ) register-file access, i.e. one pipeline
// register plus a short neighbour wire.
constexpr double kInterstellarHopPj = 0.035;

// 003 Fig. 22: data-movement energy normalized to one MAC: RF 1x, inter-PE array 2x,
// global buffer 6x, DRAM 200x. These are units of MAC energy, reported as pJ.
constexpr double kNormalizedMac = 1.0;
constexpr double kNormalizedRegFile = 1.0;
constexpr double kNormalizedArray = 2.0;
constexpr double kNormalizedBuffer = 6.0;
constexpr double kNormalizedDram = 200.0;

Error unknown_table_error(std::string_view table) {
  std::string list;
  for (std::string_view name : tech_table_names()) {
    list += (list.empty() ? "" : ", ") + std::string(name);
  }
  return Error{"unknown technology table '" + std::string(table) + "' (allowed: " + list + ")"};
}

Expected<TechTable> find_table(std::string_view table) {
  if (table == kInterstellarName) return TechTable::Interstellar28nm;
  if (table == kEyerissNormalizedName) return TechTable::EyerissNormalized;
  return unknown_table_error(table);
}

Expected<void> check_word_bits(int word_bits) {
  if (word_bits < 1 || word_bits > 64) {
    return Error{"word_bits must be in 1..64, got " + std::to_string(word_bits)};
  }
  return {};
}

// Energy at `size` by interpolating linearly in log(energy) over log2(size) between the
// two table points around it (a piecewise power law). For the register-file column this
// is exactly linear in size; for the SRAM column it is x1.5 per doubling. Precondition:
// points.front().size_bytes <= size <= points.back().size_bytes.
double interpolate_log_log(std::span<const TablePoint> points, double size) {
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    const TablePoint lo = points[i];
    const TablePoint hi = points[i + 1];
    if (size < static_cast<double>(hi.size_bytes)) {
      const double t = std::log2(size / static_cast<double>(lo.size_bytes)) /
                       std::log2(static_cast<double>(hi.size_bytes) / static_cast<double>(lo.size_bytes));
      return lo.energy_pj * std::pow(hi.energy_pj / lo.energy_pj, t);
    }
  }
  return points.back().energy_pj;
}

// Energy of `size` extrapolated from `anchor` at `growth` per doubling (growth^log2(ratio)).
double extrapolate(TablePoint anchor, double growth, double size) {
  return anchor.energy_pj * std::pow(growth, std::log2(size / static_cast<double>(anchor.size_bytes)));
}

// Interstellar register file, per 16-bit access.
double interstellar_regfile_pj(double size) {
  const TablePoint smallest = kRegFilePoints.front();
  const TablePoint largest = kRegFilePoints.back();
  if (size < static_cast<double>(smallest.size_bytes)) {
    // Below 16 B: linear in size, the column's own trend (8 B -> 0.015 pJ).
    return smallest.energy_pj * size / static_cast<double>(smallest.size_bytes);
  }
  if (size > static_cast<double>(largest.size_bytes)) {
    return extrapolate(largest, kGrowthPerDoublingOutsideTable, size);
  }
  return interpolate_log_log(kRegFilePoints, size);
}

// Interstellar SRAM, per 16-bit access.
double interstellar_sram_pj(double size) {
  const TablePoint smallest = kSramPoints.front();
  const TablePoint largest = kSramPoints.back();
  if (size < static_cast<double>(smallest.size_bytes)) {
    // Below 32 KB (004 gives no point): the column's x1.5 per doubling continued down,
    // e.g. 16 KB -> 4 pJ, 512 B -> 6 / 1.5^6 = 0.527 pJ.
    return extrapolate(smallest, kGrowthPerDoublingOutsideTable, size);
  }
  if (size > static_cast<double>(largest.size_bytes)) {
    const double banks = size / static_cast<double>(largest.size_bytes);
    return largest.energy_pj + kHTreePjPerSqrtBank * (std::sqrt(banks) - 1.0);
  }
  return interpolate_log_log(kSramPoints, size);
}

double width_scale(int word_bits) { return static_cast<double>(word_bits) / kTableWordBits; }

}  // namespace

std::vector<std::string_view> tech_table_names() {
  return {kInterstellarName, kEyerissNormalizedName};
}

Expected<double> access_energy_pj(std::string_view table, MemoryKind kind, std::int64_t size_bytes,
                                  int word_bits) {
  Expected<TechTable> found = find_table(table);
  if (!found) return found.error();
  if (Expected<void> ok = check_word_bits(word_bits); !ok) return ok.error();
  const std::int64_t min_size = kind == MemoryKind::Dram ? 0 : 1;
  if (size_bytes < min_size) {
    return Error{"size of a " + std::string(memory_kind_name(kind)) + " must be >= " +
                 std::to_string(min_size) + " bytes, got " + std::to_string(size_bytes)};
  }
  const double size = static_cast<double>(size_bytes);
  double energy_16b = 0.0;
  switch (*found) {
    case TechTable::Interstellar28nm:
      switch (kind) {
        case MemoryKind::RegisterFile: energy_16b = interstellar_regfile_pj(size); break;
        case MemoryKind::Sram: energy_16b = interstellar_sram_pj(size); break;
        case MemoryKind::Dram: energy_16b = kInterstellarDramPj; break;
      }
      break;
    case TechTable::EyerissNormalized:
      // 003 Fig. 22 gives one cost per level, whatever its size.
      switch (kind) {
        case MemoryKind::RegisterFile: energy_16b = kNormalizedRegFile; break;
        case MemoryKind::Sram: energy_16b = kNormalizedBuffer; break;
        case MemoryKind::Dram: energy_16b = kNormalizedDram; break;
      }
      break;
  }
  return energy_16b * width_scale(word_bits);
}

Expected<double> mac_energy_pj(std::string_view table, int word_bits) {
  Expected<TechTable> found = find_table(table);
  if (!found) return found.error();
  if (Expected<void> ok = check_word_bits(word_bits); !ok) return ok.error();
  double energy_16b = 0.0;
  switch (*found) {
    case TechTable::Interstellar28nm: energy_16b = kInterstellarMacPj; break;
    case TechTable::EyerissNormalized: energy_16b = kNormalizedMac; break;
  }
  const double scale = width_scale(word_bits);
  return energy_16b * scale * scale;
}

Expected<double> array_hop_energy_pj(std::string_view table, int word_bits) {
  Expected<TechTable> found = find_table(table);
  if (!found) return found.error();
  if (Expected<void> ok = check_word_bits(word_bits); !ok) return ok.error();
  double energy_16b = 0.0;
  switch (*found) {
    case TechTable::Interstellar28nm: energy_16b = kInterstellarHopPj; break;
    // 003 charges any array transfer 2x; a one-hop transfer is such a transfer.
    case TechTable::EyerissNormalized: energy_16b = kNormalizedArray; break;
  }
  return energy_16b * width_scale(word_bits);
}

Expected<double> array_flat_energy_pj(std::string_view table, std::int64_t rows, std::int64_t cols,
                                      int word_bits) {
  Expected<TechTable> found = find_table(table);
  if (!found) return found.error();
  if (Expected<void> ok = check_word_bits(word_bits); !ok) return ok.error();
  if (rows < 1 || cols < 1) {
    return Error{"array rows and cols must be >= 1, got " + std::to_string(rows) + " x " +
                 std::to_string(cols)};
  }
  switch (*found) {
    case TechTable::Interstellar28nm: {
      // A distance-independent ("global") transfer is charged the average distance of a
      // transfer between two PEs drawn uniformly from the array: for one axis of length
      // L the mean |i - j| is (L^2 - 1) / (3L), so 16 x 16 gives 2 * 255/48 = 10.625 hops.
      const auto mean_axis = [](std::int64_t length) {
        const double l = static_cast<double>(length);
        return (l * l - 1.0) / (3.0 * l);
      };
      return kInterstellarHopPj * (mean_axis(rows) + mean_axis(cols)) * width_scale(word_bits);
    }
    case TechTable::EyerissNormalized:
      return kNormalizedArray * width_scale(word_bits);
  }
  return unknown_table_error(table);
}

std::string energy_source_label(std::string_view table, MemoryKind kind, std::int64_t size_bytes,
                                int word_bits) {
  std::string label = std::string(table) + " " + std::string(memory_kind_name(kind));
  if (kind != MemoryKind::Dram || size_bytes > 0) label += " " + format_bytes(size_bytes);
  if (word_bits != 16) label += " @" + std::to_string(word_bits) + "b";
  return label;
}

}  // namespace dnnspace
