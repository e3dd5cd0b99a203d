#include "dnnspace/model/weight_update.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "dnnspace/core/checked.hpp"

namespace dnnspace {

Expected<WeightUpdate> weight_update_cost(const Architecture& arch, std::int64_t parameters, Optimizer optimizer,
                                          TensorId slot) {
  const std::int64_t states = optimizer_state_words(optimizer);
  const auto reads = checked_mul(parameters, 2 + states);
  const auto writes = checked_mul(parameters, 1 + states);
  const auto operations = checked_mul(parameters, optimizer_ops_per_parameter(optimizer));
  const StorageLevel& outer = arch.levels[0];
  const std::int64_t word_bytes = tensor_bytes(arch, outer, slot);
  const auto words = reads && writes ? checked_add(*reads, *writes) : std::nullopt;
  const auto bytes = words ? checked_mul(*words, word_bytes) : std::nullopt;
  if (!operations || !bytes) {
    return Error{"the weight update of " + std::to_string(parameters) + " parameters moves more than 2^63 words"};
  }
  WeightUpdate out;
  out.parameters = parameters;
  out.operations = *operations;
  CostResult& r = out.cost;
  r.num_levels = static_cast<int>(arch.levels.size());
  LevelCost& lc = r.levels[0];
  lc.accesses[slot] = {*reads, *writes};
  lc.energy_pj[slot] = static_cast<double>(*reads) * read_energy_pj(arch, outer, slot) +
                                    static_cast<double>(*writes) * write_energy_pj(arch, outer, slot);
  lc.energy_total_pj = lc.energy_pj[slot];
  lc.cycles = std::max({bandwidth_cycles(*words, 1, outer.bandwidth_words_per_cycle),
                        bandwidth_cycles(*reads, 1, outer.read_bandwidth_words_per_cycle),
                        bandwidth_cycles(*writes, 1, outer.write_bandwidth_words_per_cycle)});
  const std::int64_t pes = pe_count(arch);
  r.compute_cycles = *operations / pes + (*operations % pes != 0 ? 1 : 0);
  r.cycles = r.compute_cycles;
  if (lc.cycles > r.cycles) {
    r.cycles = lc.cycles;
    r.bound_level = 0;
  }
  r.offchip_bytes = *bytes;
  r.mac_energy_pj = static_cast<double>(*operations) * mac_energy_per_mac_pj(arch);
  for (int l = 0; l < r.num_levels; ++l) {
    LevelCost& level = r.levels[static_cast<std::size_t>(l)];
    level.leakage_pj = leakage_pj_per_cycle(arch, l) * static_cast<double>(r.cycles);
    r.leakage_energy_pj += level.leakage_pj;
  }
  r.energy_pj = lc.energy_total_pj + r.mac_energy_pj + r.leakage_energy_pj;
  if (r.compute_cycles > 0) {
    r.utilization = static_cast<double>(*operations) /
                    (static_cast<double>(r.compute_cycles) * static_cast<double>(pes));
    r.achieved_utilization = static_cast<double>(*operations) / (static_cast<double>(r.cycles) * static_cast<double>(pes));
  }
  return out;
}

}  // namespace dnnspace
