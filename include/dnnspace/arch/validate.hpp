// Structural checks on an Architecture before any model or search sees it.
#pragma once

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"

namespace dnnspace {

/// The largest number an architecture's energies (pJ), powers (mW), areas (mm^2) and
/// bandwidths (words per cycle) may hold: far above any real part, and low enough that
/// energies summed over 2^62 accesses or cycles stay finite.
inline constexpr double kMaxArchNumber = 1e12;

/// Checks that `arch` is well formed. Rules (see docs/arch.md):
///  - a non-empty name and at least one level;
///  - level names non-empty and unique;
///  - capacity_bytes >= 0, and 0 (unbounded) only for the outermost level, which is the
///    only level that can stand for off-chip memory;
///  - access energies, bandwidths, the MAC energy and the array energies finite and >= 0;
///    clock_mhz finite and > 0; word_bits in 1..64;
///  - every level holds at least one tensor and the outermost level holds all of them
///    (every tensor must live somewhere before it can bypass anything);
///  - array rows and cols >= 1; array.parent_level a valid level index. The parent may be
///    the innermost level: the PEs then have no private storage (003 Sec. V-B's no local
///    reuse dataflow).
/// Returns the first violation as one line naming the architecture, the level and the
/// field, e.g. "architecture 'x': level 2 'RegFile': field 'capacity_bytes': ...".
[[nodiscard]] Expected<void> validate_architecture(const Architecture& arch);

}  // namespace dnnspace
