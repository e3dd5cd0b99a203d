#include "dnnspace/arch/area.hpp"

#include <cstddef>

namespace dnnspace {
namespace {

// All three constants are round-number assumptions for a 28 nm process; none of the
// source papers gives absolute areas. They only need to rank designs sensibly.
//
// SRAM: a 28 nm high-density 6T bit cell is ~0.12 um^2; with decoders, sense amplifiers
// and banking overhead a macro reaches roughly 40-50% array efficiency, so 0.5 um^2 per
// bit (~4 mm^2 per MB). Cross-check: the 28 nm TPU v1 spends ~29% of its <=331 mm^2 die
// on a 24 MiB buffer, ~4 mm^2 per MiB.
constexpr double kSramUm2PerBit = 0.5;
// Register file: flip-flops plus read multiplexers, ~3 um^2 per bit at 28 nm, 6x an SRAM
// bit. 003 Sec. V-B notes small register files are energy-efficient but area-inefficient
// (um^2/bit), which is why its no-local-reuse dataflow drops them.
constexpr double kRegFileUm2PerBit = 3.0;
// One 16-bit fixed-point multiplier plus accumulator adder and pipeline register:
// ~1000 um^2 at 28 nm. Scaled by a x b / 16^2 for operands of a and b bits, since the
// multiplier dominates and its area grows with the product of its widths (003 Sec. VII-A).
constexpr double kMac16bUm2 = 1000.0;
constexpr double kUm2PerMm2 = 1.0e6;
constexpr double kBitsPerByte = 8.0;

}  // namespace

double level_area_mm2(const Architecture& arch, std::size_t level) noexcept {
  const StorageLevel& spec = arch.levels[level];
  if (spec.area_mm2) return *spec.area_mm2;
  if (level == 0) return 0.0;  // the backing store (DRAM): off-chip
  const double bits = static_cast<double>(spec.capacity_bytes) * kBitsPerByte;
  const bool per_pe = static_cast<int>(level) > arch.array.parent_level;
  return bits * (per_pe ? kRegFileUm2PerBit : kSramUm2PerBit) / kUm2PerMm2;
}

double mac_area_mm2(const Architecture& arch) noexcept {
  // The multiplier dominates and grows with the product of its operand widths.
  const double a = mac_operand_bits(arch, TensorId::Inputs), b = mac_operand_bits(arch, TensorId::Weights);
  return kMac16bUm2 * (a * b) / (16.0 * 16.0) / kUm2PerMm2;
}

double area_mm2(const Architecture& arch) noexcept {
  const double pes = static_cast<double>(pe_count(arch));
  double area = 0.0;
  for (std::size_t i = 0; i < arch.levels.size(); ++i) {
    const bool per_pe = static_cast<int>(i) > arch.array.parent_level;
    area += level_area_mm2(arch, i) * (per_pe ? pes : 1.0);
  }
  return area + pes * mac_area_mm2(arch);
}

}  // namespace dnnspace
