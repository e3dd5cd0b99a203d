// The tile-walking reference simulator: the definition of the model's access counts.
#pragma once

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/model/tile_walk.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// Transfer counts found by executing the mapped nest step by step.
using SimulatedCounts = TransferCounts;

/// Executes the mapping with ideal buffers: every level instance holds exactly the
/// data its PEs touch while the indices of the loops above it that select its tile
/// stay the same, and refetches the whole tile when they change. Counts every fill,
/// read, drain, psum read-modify-write and PE-to-PE transfer by brute force over sets
/// of element ids, along the events of walk_tiles(). Meant for small problems (tests);
/// cost grows with the MAC count.
SimulatedCounts simulate(const Layer& layer, const Architecture& arch, const Mapping& mapping);

}  // namespace dnnspace
