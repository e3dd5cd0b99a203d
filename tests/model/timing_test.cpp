// Cycles by hand: a level's bandwidth overlaps with compute, a single-buffered level's
// refills do not (docs/model.md Sec. 5).
#include <gtest/gtest.h>

#include <vector>

#include "dnnspace/model/cost.hpp"
#include "support/fc_on_one_pe.hpp"

namespace dnnspace {
namespace {

using Case = testing::OnePeCase;
using testing::fc_on_one_pe;

// Into the buffer from DRAM: 8 inputs once, 4 x 8 weights, no psum (each output starts
// at zero in the buffer): 40 words; out of it to DRAM: the 4 outputs. It also takes
// the 32 MACs' psum updates: 72 writes; it is read for 32 inputs, 32 weights and 28
// psums (the first update of each output starts from zero, not from a read) and 4
// drains: 96 reads. 32 compute cycles.
TEST(Timing, FillsAndDrainsCountedByHand) {
  const Case c = fc_on_one_pe();
  const CostResult r = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_EQ(r.compute_cycles, 32);
  EXPECT_EQ(r.levels[1].fill_words, 40);
  EXPECT_EQ(r.levels[1].drain_words, 4);
  std::int64_t writes = 0, reads = 0;
  for (TensorId t : kAllTensors) {
    writes += r.levels[1].accesses[t].writes;
    reads += r.levels[1].accesses[t].reads;
  }
  EXPECT_EQ(writes, 72);
  EXPECT_EQ(reads, 96);
  EXPECT_EQ(r.refill_stall_cycles, 0);  // unlimited bandwidth: nothing to wait for
  EXPECT_EQ(r.cycles, 32);
}

// A write port of 2 words per cycle. Double-buffered, the buffer's 72 writes take 36
// cycles next to the 32 of compute: 36, bound by the buffer. Single-buffered, the 40
// words filled from DRAM take 20 cycles during which the PE waits: 32 + 20 = 52.
TEST(Timing, SingleBufferingStallsForItsRefills) {
  Case c = fc_on_one_pe();
  c.arch.levels[1].write_bandwidth_words_per_cycle = 2.0;
  c.arch.levels[1].double_buffered = true;
  const CostResult twice = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_EQ(twice.levels[1].cycles, 36);
  EXPECT_EQ(twice.refill_stall_cycles, 0);
  EXPECT_EQ(twice.cycles, 36);
  EXPECT_EQ(twice.bound_level, 1);
  c.arch.levels[1].double_buffered = false;
  const CostResult once = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_EQ(once.levels[1].cycles, 36);
  EXPECT_EQ(once.levels[1].refill_stall_cycles, 20);
  EXPECT_EQ(once.refill_stall_cycles, 20);
  EXPECT_EQ(once.cycles, 52);
  EXPECT_EQ(once.bound_level, -1);  // compute plus its stalls set the cycles
  EXPECT_DOUBLE_EQ(once.achieved_utilization, 32.0 / 52.0);
  EXPECT_DOUBLE_EQ(once.energy_pj, twice.energy_pj);  // buffering changes no count
}

// A shared port of 4 words per cycle: the 44 words exchanged with DRAM take 11 cycles
// single-buffered (43 in all, the port's own 168 words take 42); a read port of 1 word
// per cycle alone: the 4 drains take 4, the 96 reads 96.
TEST(Timing, SharedAndReadPortsBoundTheRefillsToo) {
  Case c = fc_on_one_pe();
  c.arch.levels[1].bandwidth_words_per_cycle = 4.0;
  const CostResult shared = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_EQ(shared.levels[1].refill_stall_cycles, 11);
  EXPECT_EQ(shared.levels[1].cycles, 42);  // 168 words at 4 per cycle
  EXPECT_EQ(shared.cycles, 43);            // 32 + 11, above the port's 42
  EXPECT_EQ(shared.bound_level, -1);
  c.arch.levels[1].bandwidth_words_per_cycle = 0.0;
  c.arch.levels[1].read_bandwidth_words_per_cycle = 1.0;
  const CostResult read_port = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_EQ(read_port.levels[1].refill_stall_cycles, 4);
  EXPECT_EQ(read_port.levels[1].cycles, 96);  // 96 reads at 1 per cycle
  EXPECT_EQ(read_port.cycles, 96);             // above 32 + 4
  EXPECT_EQ(read_port.bound_level, 1);
}

// The unbounded outermost level is never refilled: its bandwidth only overlaps.
TEST(Timing, TheOutermostLevelNeverStalls) {
  Case c = fc_on_one_pe();
  c.arch.levels[0].bandwidth_words_per_cycle = 1.0;
  const CostResult r = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_EQ(r.levels[0].refill_stall_cycles, 0);
  EXPECT_EQ(r.levels[0].cycles, 44);  // 40 read out of it, 4 written back
  EXPECT_EQ(r.cycles, 44);
}

// Leakage: power x time, for every physical instance. The buffer at 0.5 mW and 200 MHz
// leaks 0.5 mW x 32 cycles / 200 MHz = 0.08 nJ = 80 pJ over the 32 cycles; single-buffered
// behind a 2-word write port, over 52 cycles, 130 pJ. It is part of the energy.
TEST(Timing, LeakageIsPowerTimesCycles) {
  Case c = fc_on_one_pe();
  c.arch.clock_mhz = 200.0;
  const CostResult dry = evaluate(prepare(c.layer, c.arch), c.mapping);
  c.arch.levels[1].leakage_mw = 0.5;
  const CostResult r = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_DOUBLE_EQ(r.levels[1].leakage_pj, 80.0);
  EXPECT_DOUBLE_EQ(r.levels[0].leakage_pj, 0.0);
  EXPECT_DOUBLE_EQ(r.leakage_energy_pj, 80.0);
  EXPECT_DOUBLE_EQ(r.energy_pj, dry.energy_pj + 80.0);
  EXPECT_DOUBLE_EQ(r.levels[1].energy_total_pj, dry.levels[1].energy_total_pj);  // dynamic only
  c.arch.levels[1].write_bandwidth_words_per_cycle = 2.0;
  const CostResult stalled = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_EQ(stalled.cycles, 52);
  EXPECT_DOUBLE_EQ(stalled.leakage_energy_pj, 130.0);
}

// A per-PE level leaks in every PE of the array, used or not: 4 PEs of which the mapping
// uses 1, 0.25 mW each at 1000 MHz over 32 cycles: 4 x 0.25 x 32 / 1000 nJ = 32 pJ.
TEST(Timing, EveryPhysicalPeLeaks) {
  Case c = fc_on_one_pe();
  c.arch.clock_mhz = 1000.0;
  c.arch.array = PeArray{2, 2, 0, ArrayCostStyle::PerHop, 0.0, 0.0};  // the buffer is per PE
  c.arch.levels[1].leakage_mw = 0.25;
  c.mapping.levels[0].temporal.clear();
  c.mapping.levels[0].temporal.push_back({4, Dim::K});
  const CostResult r = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_EQ(r.cycles, 32);
  EXPECT_EQ(r.levels[1].instances, 1);  // the PEs the mapping uses
  EXPECT_DOUBLE_EQ(r.leakage_energy_pj, 32.0);
}


// A systolic array, by hand: a GEMM of 3 rows (P), a reduction of 5 (C) and 4 columns (K)
// on a 2 x 3 array below DRAM, with one register per PE (docs/model.md Sec. 5).
struct SystolicCase {
  Layer layer;
  Architecture arch;
};

SystolicCase gemm_on_2x3() {
  SystolicCase c;
  c.layer.name = "gemm";
  c.layer.kind = LayerKind::Matmul;
  c.layer.bounds[Dim::P] = 3;
  c.layer.bounds[Dim::C] = 5;
  c.layer.bounds[Dim::K] = 4;
  c.arch.name = "systolic";
  for (int l = 0; l < 2; ++l) {
    StorageLevel s;
    s.name = l == 0 ? "DRAM" : "PE";
    s.access_energy_pj = 1.0;
    c.arch.levels.push_back(s);
  }
  c.arch.array = PeArray{2, 3, 0, ArrayCostStyle::PerHop, 0.0, 0.0};
  c.arch.array.timing = ArrayTiming::Systolic;
  return c;
}

Mapping systolic_mapping(std::vector<Loop> folds, Loop rows, Loop cols, Loop time) {
  Mapping m;
  m.levels.resize(2);
  for (const Loop& l : folds) m.levels[0].temporal.push_back(l);
  m.levels[0].rows.push_back(rows);
  m.levels[0].cols.push_back(cols);
  m.levels[1].temporal.push_back(time);
  return m;
}

// Output stationary: pixels on the 2 rows (2 folds: 2 + 1), filters on the 3 columns (2
// folds: 3 + 1), the reduction of 5 in time. Each of the 4 folds streams its 5 steps,
// skewed by 2 - 1 rows and 3 - 1 columns: 5 + 3 = 8 cycles, 32 in all (SCALE-Sim's
// T + R + C - 2 per fold). Outputs stay put: nothing to preload.
TEST(Timing, SystolicOutputStationaryFoldsByHand) {
  const SystolicCase c = gemm_on_2x3();
  const Mapping m = systolic_mapping({{2, Dim::K}, {2, Dim::P}}, {2, Dim::P}, {3, Dim::K}, {5, Dim::C});
  const CostResult r = evaluate(prepare(c.layer, c.arch), m);
  EXPECT_EQ(r.folds, 4);
  EXPECT_EQ(r.compute_cycles, 20);
  EXPECT_EQ(r.fill_drain_cycles, 12);
  EXPECT_EQ(r.cycles, 32);
  EXPECT_DOUBLE_EQ(r.achieved_utilization, 60.0 / (32.0 * 6.0));
}

// Weight stationary: the reduction on the rows (3 folds: 2 + 2 + 1), filters on the
// columns (2 folds), the 3 pixels in time. Each fold first shifts its weights down the 2
// rows, then streams 3 steps with the 2 + 3 - 2 skew: 2 + 3 + 3 = 8; 6 folds, 48 cycles
// (SCALE-Sim's 2R + C + T - 2).
TEST(Timing, SystolicWeightStationaryPreloadsTheRows) {
  const SystolicCase c = gemm_on_2x3();
  const Mapping m = systolic_mapping({{2, Dim::K}, {3, Dim::C}}, {2, Dim::C}, {3, Dim::K}, {3, Dim::P});
  const CostResult r = evaluate(prepare(c.layer, c.arch), m);
  EXPECT_EQ(r.folds, 6);
  EXPECT_EQ(r.compute_cycles, 18);
  EXPECT_EQ(r.fill_drain_cycles, 30);
  EXPECT_EQ(r.cycles, 48);
}

// Input stationary: the reduction on the rows (3 folds), the 3 pixels on the columns (1
// fold), the 4 filters in time: 3 folds of 2 + 3 - 2 + 2 + 4 = 9 cycles, 27.
TEST(Timing, SystolicInputStationaryByHand) {
  const SystolicCase c = gemm_on_2x3();
  const Mapping m = systolic_mapping({{3, Dim::C}}, {2, Dim::C}, {3, Dim::P}, {4, Dim::K});
  const CostResult r = evaluate(prepare(c.layer, c.arch), m);
  EXPECT_EQ(r.folds, 3);
  EXPECT_EQ(r.compute_cycles, 12);
  EXPECT_EQ(r.fill_drain_cycles, 15);
  EXPECT_EQ(r.cycles, 27);
}

// PEs that cannot keep outputs (their register holds only weights) are weight-stationary
// whatever the mapping: a fold without per-PE loops still loads its weights first. The OS
// mapping of the first test with the reduction moved above the array: 4 x 5 folds of one
// step, each 1 + 2 + 3 - 2 + 2 = 6 cycles (4 without the preload).
TEST(Timing, PesWithoutOutputsPreloadEveryFold) {
  SystolicCase c = gemm_on_2x3();
  Mapping m = systolic_mapping({{2, Dim::K}, {2, Dim::P}, {5, Dim::C}}, {2, Dim::P}, {3, Dim::K}, {1, Dim::C});
  m.levels[1].temporal.clear();
  const CostResult keeps = evaluate(prepare(c.layer, c.arch), m);
  EXPECT_EQ(keeps.folds, 20);
  EXPECT_EQ(keeps.cycles, 20 * 4);
  c.arch.levels[1].holds = PerTensor<bool>::filled(false);
  c.arch.levels[1].holds[TensorId::Weights] = true;
  const CostResult weights_only = evaluate(prepare(c.layer, c.arch), m);
  EXPECT_EQ(weights_only.cycles, 20 * 6);
  EXPECT_EQ(min_fill_drain_per_fold(c.arch), 2 + 3 - 2 + 2);
}

// The same mapping on an ideal array: no fill or drain, the counts unchanged.
TEST(Timing, AnIdealArrayHasNoFillOrDrain) {
  SystolicCase c = gemm_on_2x3();
  const Mapping m = systolic_mapping({{2, Dim::K}, {2, Dim::P}}, {2, Dim::P}, {3, Dim::K}, {5, Dim::C});
  const CostResult systolic = evaluate(prepare(c.layer, c.arch), m);
  c.arch.array.timing = ArrayTiming::Ideal;
  const CostResult ideal = evaluate(prepare(c.layer, c.arch), m);
  EXPECT_EQ(ideal.folds, 4);
  EXPECT_EQ(ideal.fill_drain_cycles, 0);
  EXPECT_EQ(ideal.cycles, 20);
  EXPECT_DOUBLE_EQ(ideal.energy_pj, systolic.energy_pj);
}

}  // namespace
}  // namespace dnnspace
