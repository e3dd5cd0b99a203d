// A rough silicon-area estimate of an architecture at 28 nm, for area/energy trade-offs.
#pragma once

#include "dnnspace/arch/architecture.hpp"

namespace dnnspace {

/// Estimated die area in mm^2 (28 nm). A rough, first-order estimate meant for ranking
/// design points on Pareto fronts, not for sign-off; the constants are stated
/// assumptions (see area.cpp and docs/arch.md), not numbers from the source papers:
///  - the outermost level (index 0) is off-chip main memory: no area;
///  - shared levels (index 1..array.parent_level): SRAM, 0.5 um^2 per bit;
///  - per-PE levels (index > array.parent_level): register files, 3 um^2 per bit, times
///    the number of PEs;
///  - one MAC per PE: 1000 um^2 at 16 bits, scaled by (word_bits/16)^2.
/// Monotonically non-decreasing in every capacity, in rows, cols and word_bits.
/// Expects a validated architecture (capacities >= 0).
double area_mm2(const Architecture& arch) noexcept;

}  // namespace dnnspace
