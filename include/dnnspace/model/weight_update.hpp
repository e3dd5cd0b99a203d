// The optimizer's update of a layer's parameters in a training step (docs/model.md Sec. 10).
#pragma once

#include <cstdint>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/workload/training.hpp"

namespace dnnspace {

/// The update as the model costs it: an element-wise pass with no reuse, streamed between
/// the outermost level and the PEs. Per parameter it reads the weight, its gradient and
/// the optimizer's state words from the outermost level and writes back the weight and the
/// state (2 + s reads, 1 + s writes, s = optimizer_state_words), all at the weights' width
/// and energies there; it passes the on-chip levels uncharged. Its arithmetic,
/// optimizer_ops_per_parameter per parameter, costs one MAC energy each and runs on every
/// PE: ceil(operations / PEs) cycles, or the outermost level's bandwidth cycles if more.
/// Leakage as for a layer. In the result: levels[0] (the parameters' slot), mac_energy_pj (the
/// arithmetic), compute_cycles, cycles, bound_level, offchip_bytes, leakage, energy_pj;
/// macs is 0 (no MAC of a layer) and utilization is operations / (compute_cycles x PEs).
/// An error when a count would pass 2^63.
struct WeightUpdate {
  std::int64_t parameters = 0;
  std::int64_t operations = 0;  ///< parameters x optimizer_ops_per_parameter
  CostResult cost;
};
/// `slot`: the tensor slot holding the parameters (its width and energies price them).
Expected<WeightUpdate> weight_update_cost(const Architecture& arch, std::int64_t parameters, Optimizer optimizer,
                                          TensorId slot = TensorId::Weights);

}  // namespace dnnspace
