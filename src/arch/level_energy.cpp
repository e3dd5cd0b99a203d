#include "dnnspace/arch/level_energy.hpp"

#include "dnnspace/arch/tech_table.hpp"

namespace dnnspace {

Expected<void> derive_level_energy(StorageLevel& level, const EnergyDerivation& derivation, int word_bits) {
  Expected<double> energy = access_energy_pj(derivation.table, derivation.kind, level.capacity_bytes, word_bits);
  if (!energy) return energy.error();
  level.access_energy_pj = *energy;
  level.energy_source = energy_source_label(derivation.table, derivation.kind, level.capacity_bytes, word_bits);
  level.energy_derivation = derivation;
  return {};
}

}  // namespace dnnspace
