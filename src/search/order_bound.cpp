#include "order_bound.hpp"

namespace dnnspace::detail {

bool order_bound_applies(const Architecture& arch) noexcept {
  if (arch.levels.empty() || !arch.levels[0].holds[TensorId::Outputs]) return false;
  if (arch.mac_energy_pj < 0 || arch.array.hop_energy_pj < 0 || arch.array.flat_energy_pj < 0) return false;
  int per_pe_output_levels = 0;
  for (std::size_t l = 0; l < arch.levels.size(); ++l) {
    if (arch.levels[l].access_energy_pj < 0) return false;
    if (static_cast<int>(l) > arch.array.parent_level && arch.levels[l].holds[TensorId::Outputs]) {
      ++per_pe_output_levels;
    }
  }
  // With two per-PE output levels the inner one's psum reads grow when the outer one's
  // drains shrink (docs/search.md), so residency no longer lowers every count.
  return per_pe_output_levels <= 1;
}

double tensor_energy_pj(const Architecture& arch, const CostResult& cost, TensorId t) noexcept {
  double e = 0.0;
  for (int l = 0; l < cost.num_levels; ++l) e += cost.levels[static_cast<std::size_t>(l)].energy_pj[t];
  e += arch.array.cost_style == ArrayCostStyle::Flat
           ? static_cast<double>(cost.array_transfers[t]) * arch.array.flat_energy_pj
           : cost.array_hops[t] * arch.array.hop_energy_pj;
  return e;
}

PerTensor<double> tensor_energy_floor_pj(const Layer& layer, const Architecture& arch) noexcept {
  PerTensor<double> floor{};
  const double mac_count = static_cast<double>(macs(layer));
  for (TensorId t : kAllTensors) {
    int innermost = -1;
    for (std::size_t l = 0; l < arch.levels.size(); ++l) if (arch.levels[l].holds[t]) innermost = static_cast<int>(l);
    if (innermost <= arch.array.parent_level) continue;
    floor[t] = (t == TensorId::Outputs ? 2.0 : 1.0) * mac_count *
               arch.levels[static_cast<std::size_t>(innermost)].access_energy_pj;
  }
  return floor;
}

double order_lower_bound(Objective objective, const PerTensor<double>& tensor_pj, double mac_energy_pj,
                         double compute_cycles) noexcept {
  double energy = mac_energy_pj;
  for (TensorId t : kAllTensors) energy += tensor_pj[t];
  // The sum is rounded in another order than evaluate() rounds its total: shave a
  // relative 1e-9 so that rounding can never lift the bound over a real value.
  energy *= 1.0 - 1e-9;
  switch (objective) {
    case Objective::Energy: return energy;
    case Objective::Cycles: return compute_cycles;  // cycles >= compute cycles
    case Objective::EnergyDelay: return energy * compute_cycles;
  }
  return 0.0;
}

}  // namespace dnnspace::detail
