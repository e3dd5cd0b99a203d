// A storage level's access energy derived from a technology table, with the record of
// where it came from: the one place the number, the derivation and the label are set.
#pragma once

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"

namespace dnnspace {

/// Sets level.access_energy_pj to access_energy_pj(derivation.table, derivation.kind,
/// level.capacity_bytes, word_bits), level.energy_derivation to `derivation` and
/// level.energy_source to energy_source_label(...) of the same. The presets, io/arch_yaml
/// and search/arch_variant all derive energies through it, so an architecture built any of
/// these ways compares equal. On error (unknown table, bad size or width; the message is
/// access_energy_pj's) the level is unchanged.
[[nodiscard]] Expected<void> derive_level_energy(StorageLevel& level, const EnergyDerivation& derivation,
                                                 int word_bits);

}  // namespace dnnspace
