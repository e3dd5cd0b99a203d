// A rough silicon-area estimate of an architecture at 28 nm, for area/energy trade-offs.
#pragma once

#include "dnnspace/arch/architecture.hpp"

namespace dnnspace {

/// Area of one instance of a level, mm^2: its `area_mm2` when the architecture gives it,
/// else a rough, first-order 28 nm estimate meant for ranking design points on Pareto
/// fronts, not for sign-off (the constants are stated assumptions, see area.cpp and
/// docs/arch.md, not numbers from the source papers):
///  - the outermost level (index 0) is off-chip main memory: no area;
///  - shared levels (index 1..array.parent_level): SRAM, 0.5 um^2 per bit;
///  - per-PE levels (index > array.parent_level): register files, 3 um^2 per bit.
double level_area_mm2(const Architecture& arch, std::size_t level) noexcept;

/// Area of one PE's MAC, mm^2: 1000 um^2 at 16 x 16 bits, scaled by a x b / 16^2 for the
/// operand widths the MACs see (mac_operand_bits).
double mac_area_mm2(const Architecture& arch) noexcept;

/// Estimated die area in mm^2: every level's area (per-PE levels once per PE) plus one
/// MAC per PE. Monotonically non-decreasing in every capacity, in rows, cols and widths.
/// Expects a validated architecture (capacities >= 0).
double area_mm2(const Architecture& arch) noexcept;

}  // namespace dnnspace
