// A case small enough to work by hand (timing_test, roofline_test): FC, K = 4 outputs,
// C = 8 inputs, 16-bit words at 1 GHz: DRAM, then a 1 KB buffer feeding one PE;
// DRAM [K:4] / Buffer [C:8]. The buffer holds all 8 inputs (reused across K), one row of
// 8 weights per output, one psum.
#pragma once

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::testing {

struct OnePeCase {
  Layer layer;
  Architecture arch;
  Mapping mapping;
};

inline OnePeCase fc_on_one_pe() {
  OnePeCase c;
  c.layer.name = "fc";
  c.layer.kind = LayerKind::FullyConnected;
  c.layer.bounds[Dim::K] = 4;
  c.layer.bounds[Dim::C] = 8;
  c.arch.name = "buffer";
  c.arch.clock_mhz = 1000.0;
  c.arch.word_bits = 16;
  for (int l = 0; l < 2; ++l) {
    StorageLevel s;
    s.name = l == 0 ? "DRAM" : "Buffer";
    s.capacity_bytes = l == 0 ? 0 : 1024;
    s.access_energy_pj = 1.0;
    c.arch.levels.push_back(s);
  }
  c.arch.array = PeArray{1, 1, 1, ArrayCostStyle::PerHop, 0.0, 0.0};
  c.mapping.levels.resize(2);
  c.mapping.levels[0].temporal.push_back({4, Dim::K});
  c.mapping.levels[1].temporal.push_back({8, Dim::C});
  return c;
}

}  // namespace dnnspace::testing
