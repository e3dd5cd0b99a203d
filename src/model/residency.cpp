#include "dnnspace/model/residency.hpp"

#include <algorithm>

namespace dnnspace {

Architecture with_resident_tensor(Architecture arch, int level, TensorId t, std::int64_t reserved_bytes) {
  const StorageLevel& home = arch.levels[static_cast<std::size_t>(level)];
  const double read_pj = read_energy_pj(arch, home, t), write_pj = write_energy_pj(arch, home, t);
  for (int l = 1; l <= level; ++l) arch.levels[static_cast<std::size_t>(l)].holds[t] = false;
  arch.levels[static_cast<std::size_t>(level)].capacity_bytes -= reserved_bytes;
  // Per access of the outermost level, which read_energy_pj divides by its access width.
  StorageLevel& outer = arch.levels[0];
  const double width = outer.access_width_words > 1 ? outer.access_width_words : 1;
  outer.tensor_read_energy_pj[t] = read_pj * width;
  outer.tensor_write_energy_pj[t] = write_pj * width;
  return arch;
}

std::int64_t book_resident_accesses(CostResult& cost, int level, TensorId t, std::int64_t outer_word_bytes) noexcept {
  LevelCost& outer = cost.levels[0];
  LevelCost& home = cost.levels[static_cast<std::size_t>(level)];
  const TensorAccesses moved = outer.accesses[t];
  home.accesses[t].reads += moved.reads;
  home.accesses[t].writes += moved.writes;
  home.energy_pj[t] += outer.energy_pj[t];
  home.energy_total_pj += outer.energy_pj[t];
  outer.energy_total_pj -= outer.energy_pj[t];
  outer.energy_pj[t] = 0.0;
  outer.accesses[t] = {};
  const std::int64_t bytes = (moved.reads + moved.writes) * outer_word_bytes;
  cost.offchip_bytes -= bytes;
  return bytes;
}

void book_copy_writes(CostResult& cost, const Architecture& arch, int level, TensorId t, std::int64_t words) noexcept {
  const StorageLevel& spec = arch.levels[static_cast<std::size_t>(level)];
  LevelCost& home = cost.levels[static_cast<std::size_t>(level)];
  const double energy = static_cast<double>(words) * write_energy_pj(arch, spec, t);
  home.accesses[t].writes += words;
  home.energy_pj[t] += energy;
  home.energy_total_pj += energy;
  cost.energy_pj += energy;
  // The level's bandwidth now moves these words too: its cycles, and the layer's if they bind.
  std::int64_t moved = 0, read_words = 0;
  for (TensorId slot : tensor_slots(kMaxTensors)) {
    moved += home.accesses[slot].reads + home.accesses[slot].writes;
    read_words += home.accesses[slot].reads;
  }
  home.cycles = std::max({home.cycles, bandwidth_cycles(moved, home.instances, spec.bandwidth_words_per_cycle),
                          bandwidth_cycles(read_words, home.instances, spec.read_bandwidth_words_per_cycle),
                          bandwidth_cycles(moved - read_words, home.instances, spec.write_bandwidth_words_per_cycle)});
  if (home.cycles <= cost.cycles) return;
  cost.cycles = home.cycles;
  cost.bound_level = level;
  cost.achieved_utilization = static_cast<double>(cost.macs) /
                              (static_cast<double>(cost.cycles) * static_cast<double>(pe_count(arch)));
  // Leakage runs for the longer time.
  cost.energy_pj -= cost.leakage_energy_pj;
  cost.leakage_energy_pj = 0.0;
  for (int l = 0; l < cost.num_levels; ++l) {
    LevelCost& lc = cost.levels[static_cast<std::size_t>(l)];
    lc.leakage_pj = leakage_pj_per_cycle(arch, l) * static_cast<double>(cost.cycles);
    cost.leakage_energy_pj += lc.leakage_pj;
  }
  cost.energy_pj += cost.leakage_energy_pj;
}

}  // namespace dnnspace
