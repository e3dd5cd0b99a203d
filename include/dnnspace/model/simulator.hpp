// The tile-walking reference simulator: the definition of the model's access counts.
#pragma once

#include <array>
#include <cstdint>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// Transfer counts found by executing the mapped nest step by step.
struct SimulatedCounts {
  int num_levels = 0;
  std::array<PerTensor<TensorAccesses>, kMaxLevels> accesses{};
  PerTensor<std::int64_t> array_transfers{};
  std::int64_t macs = 0;            ///< valid MACs executed
  std::int64_t compute_cycles = 0;  ///< time steps of the temporal loops
};

/// Executes the mapping with ideal buffers: every level instance holds exactly the
/// data its PEs touch while the indices of the loops above it that select its tile
/// stay the same, and refetches the whole tile when they change. Counts every fill,
/// read, drain, psum read-modify-write and PE-to-PE transfer by brute force over sets
/// of element ids. Meant for small problems (tests); cost grows with the MAC count.
SimulatedCounts simulate(const Layer& layer, const Architecture& arch, const Mapping& mapping);

}  // namespace dnnspace
