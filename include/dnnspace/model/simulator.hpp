// The tile-walking reference simulator: the definition of the model's access counts.
#pragma once

#include <vector>

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

/// Which elements of each tensor slot are zero, indexed by element_id (an empty vector:
/// none). The sparse check of the model (docs/model.md Sec. 11).
struct ZeroMask {
  PerTensor<std::vector<bool>> zero;
};

/// simulate() with the architecture's zero handling applied to real zeros: a MAC whose
/// checked operand is zero is not performed, and neither are its reads of the other
/// operands nor its psum update. Compression is not simulated (the counts are dense words).
SimulatedCounts simulate(const Layer& layer, const Architecture& arch, const Mapping& mapping, const ZeroMask& zeros);

}  // namespace dnnspace
