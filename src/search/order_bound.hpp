// Internal to the mapper: lower bounds on the objective of the loop-order choices of one
// blocking, from per-tensor energies (docs/search.md, "Bounding").
#pragma once

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::detail {

/// Whether the bound below is sound for this architecture: every energy is >= 0, level 0
/// holds the outputs, and at most one storage level below the PE array holds them (then
/// every access count of every tensor only falls when more of its loops are resident).
bool order_bound_applies(const Architecture& arch) noexcept;

/// Energy the model charges to tensor t alone: its accesses at every level plus its
/// array transfers.
double tensor_energy_pj(const Architecture& arch, const CostResult& cost, TensorId t) noexcept;

/// What every mapping of the layer charges to tensor t at least: when the innermost
/// level holding t is below the PE array, the MACs read their operands from it once
/// each (macs reads), and for outputs each MAC's update is also written there and the
/// psum reads plus drains come to at least one per MAC. 0 otherwise.
PerTensor<double> tensor_energy_floor_pj(const Layer& layer, const Architecture& arch) noexcept;

/// A lower bound on the objective of one loop-order choice of a blocking from lower
/// bounds on each tensor's energy (docs/search.md, "Bounding"): MAC energy and compute
/// cycles do not depend on the orders, and cycles are at least the compute cycles.
double order_lower_bound(Objective objective, const PerTensor<double>& tensor_pj, double mac_energy_pj,
                         double compute_cycles) noexcept;

}  // namespace dnnspace::detail
