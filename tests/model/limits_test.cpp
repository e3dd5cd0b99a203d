// The model's documented limits (docs/model.md, "Limits"), each at its maximum and one
// past it, and extreme inputs checked against the tile-walking simulator: 16 storage
// levels, bounds above 2^31, 2^57 mapped iterations (57 loops on one dimension), window
// tiles far larger than a fixed table, huge strides, primes and bounds of 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string>

#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/model/simulator.hpp"
#include "support/random_problem.hpp"

namespace dnnspace {
namespace {

// Every access count, the array transfers, MACs and compute cycles of model and simulator
// agree; the message lists the first difference.
::testing::AssertionResult counts_match(const Layer& layer, const Architecture& arch, const Mapping& mapping) {
  const CostResult model = evaluate(prepare(layer, arch), mapping);
  const SimulatedCounts sim = simulate(layer, arch, mapping);
  if (model.macs != sim.macs || model.compute_cycles != sim.compute_cycles) {
    return ::testing::AssertionFailure() << "macs/cycles " << model.macs << "/" << model.compute_cycles << " vs "
                                         << sim.macs << "/" << sim.compute_cycles;
  }
  for (int l = 0; l < model.num_levels; ++l) {
    for (TensorId t : kAllTensors) {
      const TensorAccesses& m = model.levels[l].accesses[t];
      const TensorAccesses& s = sim.accesses[l][t];
      if (!(m == s)) {
        return ::testing::AssertionFailure() << "L" << l << "." << tensor_name(t) << " model r/w " << m.reads << "/"
                                             << m.writes << " sim " << s.reads << "/" << s.writes;
      }
    }
  }
  for (TensorId t : kAllTensors) {
    if (model.array_transfers[t] != sim.array_transfers[t]) {
      return ::testing::AssertionFailure() << "array." << tensor_name(t) << " " << model.array_transfers[t] << " vs "
                                           << sim.array_transfers[t];
    }
  }
  return ::testing::AssertionSuccess();
}

Architecture flat_levels(int n, int array_parent) {
  Architecture a;
  a.name = "levels";
  for (int i = 0; i < n; ++i) {
    StorageLevel s;
    s.name = "L" + std::to_string(i);
    s.access_energy_pj = 1.0;
    a.levels.push_back(s);
  }
  a.array.parent_level = array_parent;
  a.array.rows = 8;
  a.array.cols = 8;
  return a;
}

// 16 levels (the maximum) with random bypass, array position and loops on every level:
// the model's per-level tables hold all of them and agree with the simulator.
TEST(ModelLimits, SixteenLevelsMatchTheSimulator) {
  std::mt19937_64 rng(20261203);
  int failures = 0;
  for (int i = 0; i < 150 && failures < 3; ++i) {
    Layer l;
    l.name = "deep";
    for (Dim d : conv_dims()) l.bounds[d] = testing::uniform(rng, 1, 3);
    l.stride_h = testing::uniform(rng, 1, 2);
    l.dilation_w = testing::uniform(rng, 1, 2);
    const Architecture a = testing::random_arch(rng, static_cast<int>(kMaxLevels));
    const Mapping m = testing::random_mapping(rng, l, a, 6);
    ASSERT_TRUE(check_mapping_structure(l, a, m));
    const auto ok = counts_match(l, a, m);
    if (!ok) {
      ++failures;
      ADD_FAILURE() << "case " << i << ": " << testing::describe({l, a, m}) << "\n" << ok.message();
    }
  }
  EXPECT_EQ(failures, 0);
}

// A bound of 2^31 + 1 in one loop (it used to be cut to 32 bits). Every count of this
// mapping is affine in N (one N loop, at DRAM), so the simulator's counts at N = 5 and
// N = 9 give the exact counts at any N; the model must equal that extrapolation.
TEST(ModelLimits, BoundAboveTwoToTheThirtyOne) {
  const std::int64_t big = (std::int64_t{1} << 31) + 1;
  Layer layer;
  layer.name = "fc";
  layer.kind = LayerKind::FullyConnected;
  layer.bounds[Dim::C] = 6;
  layer.bounds[Dim::K] = 4;
  Architecture arch = flat_levels(2, 0);
  auto mapping_for = [](std::int64_t n) {
    Mapping m;
    m.levels.resize(2);
    m.levels[0].temporal.push_back({n, Dim::N});
    m.levels[0].cols.push_back({4, Dim::K});
    m.levels[1].temporal.push_back({6, Dim::C});
    return m;
  };
  auto counts_at = [&](std::int64_t n) {
    Layer l = layer;
    l.bounds[Dim::N] = n;
    return simulate(l, arch, mapping_for(n));
  };
  const SimulatedCounts at5 = counts_at(5), at9 = counts_at(9);
  auto extrapolate = [&](std::int64_t v5, std::int64_t v9) {
    const std::int64_t slope = (v9 - v5) / 4;
    EXPECT_EQ(slope * 4, v9 - v5);
    return v5 + slope * (big - 5);
  };
  layer.bounds[Dim::N] = big;
  const Mapping m = mapping_for(big);
  ASSERT_TRUE(check_mapping(layer, arch, m));
  const CostResult r = evaluate(prepare(layer, arch), m);
  // By hand: 24 MACs per image; each image's 6 inputs are read from DRAM once.
  EXPECT_EQ(r.macs, 24 * big);
  EXPECT_EQ(r.levels[0].accesses[TensorId::Inputs].reads, 6 * big);
  EXPECT_EQ(r.compute_cycles, 6 * big);
  EXPECT_EQ(r.macs, extrapolate(at5.macs, at9.macs));
  for (int l = 0; l < 2; ++l) {
    for (TensorId t : kAllTensors) {
      const auto& a5 = at5.accesses[l][t];
      const auto& a9 = at9.accesses[l][t];
      EXPECT_EQ(r.levels[l].accesses[t].reads, extrapolate(a5.reads, a9.reads)) << l << tensor_name(t);
      EXPECT_EQ(r.levels[l].accesses[t].writes, extrapolate(a5.writes, a9.writes)) << l << tensor_name(t);
    }
  }
  for (TensorId t : kAllTensors) {
    EXPECT_EQ(r.array_transfers[t], extrapolate(at5.array_transfers[t], at9.array_transfers[t]));
  }
}

// N = 2^k split into k loops of 2 over five levels (16 temporal loops each at most).
// Only N varies, so by hand: every input and output word moves once between each pair
// of levels; the one weight word is fetched once into each level and read once per MAC
// at the innermost; no output is ever read back (no reduction).
Mapping n_split(int k, int levels) {
  Mapping m;
  m.levels.resize(static_cast<std::size_t>(levels));
  for (int i = 0; i < k; ++i) m.levels[static_cast<std::size_t>(i % levels)].temporal.push_back({2, Dim::N});
  return m;
}

void expect_hand_counts(const CostResult& r, std::int64_t n, int levels) {
  EXPECT_EQ(r.macs, n);
  EXPECT_EQ(r.compute_cycles, n);
  for (int l = 0; l < levels; ++l) {
    const bool inner = l == levels - 1;
    EXPECT_EQ(r.levels[l].accesses[TensorId::Inputs].reads, n) << l;
    EXPECT_EQ(r.levels[l].accesses[TensorId::Inputs].writes, l == 0 ? 0 : n) << l;
    EXPECT_EQ(r.levels[l].accesses[TensorId::Weights].reads, inner ? n : 1) << l;
    EXPECT_EQ(r.levels[l].accesses[TensorId::Weights].writes, l == 0 ? 0 : 1) << l;
    EXPECT_EQ(r.levels[l].accesses[TensorId::Outputs].writes, n) << l;
    EXPECT_EQ(r.levels[l].accesses[TensorId::Outputs].reads, l == 0 ? 0 : n) << l;  // drains
  }
}

TEST(ModelLimits, HandCountsHoldOnTheSimulatorAtSmallScale) {
  const Architecture arch = flat_levels(5, 0);
  Layer layer;
  layer.name = "n";
  layer.bounds[Dim::N] = 1 << 10;
  const Mapping m = n_split(10, 5);
  ASSERT_TRUE(counts_match(layer, arch, m));
  expect_hand_counts(evaluate(prepare(layer, arch), m), 1 << 10, 5);
}

// The maximum: 2^57 iterations as 57 loops of one dimension (the most loops with a
// factor > 1 any dimension can have). One more loop is rejected with the limit.
TEST(ModelLimits, TwoToTheFiftySevenIterationsAtMaxAndPast) {
  const Architecture arch = flat_levels(5, 0);
  Layer layer;
  layer.name = "n";
  layer.bounds[Dim::N] = kMaxMappedIterations;
  const Mapping max = n_split(static_cast<int>(kMaxLoopsPerDim), 5);
  ASSERT_TRUE(check_mapping(layer, arch, max));
  expect_hand_counts(evaluate(prepare(layer, arch), max), kMaxMappedIterations, 5);

  layer.bounds[Dim::N] = 2 * kMaxMappedIterations;
  const Expected<void> past = check_mapping_structure(layer, arch, n_split(static_cast<int>(kMaxLoopsPerDim) + 1, 5));
  ASSERT_FALSE(past);
  EXPECT_NE(past.error().message.find("is 288230376151711744; the model counts at most 2^57"), std::string::npos)
      << past.error().message;
  // Padding counts too: N = 2^57 + 1 needs a factor past the limit.
  layer.bounds[Dim::N] = kMaxMappedIterations + 1;
  Mapping padded;
  padded.levels.resize(5);
  padded.levels[0].temporal.push_back({kMaxMappedIterations + 1, Dim::N});
  EXPECT_FALSE(check_mapping_structure(layer, arch, padded));
  // Products past 2^63 are reported, not wrapped.
  padded.levels[1].temporal.push_back({std::int64_t{1} << 40, Dim::K});
  padded.levels[2].temporal.push_back({std::int64_t{1} << 40, Dim::C});
  const Expected<void> wrapped = check_mapping_structure(layer, arch, padded);
  ASSERT_FALSE(wrapped);
  EXPECT_NE(wrapped.error().message.find("is above 2^63"), std::string::npos) << wrapped.error().message;
}

// A window axis whose tiles are not arithmetic progressions (a bypassed per-PE level
// between the input tile's loops) is counted by enumeration. Its tile here spans 4,800
// output rows and input rows beyond 65,536 (stride 8): both once overflowed fixed tables.
TEST(ModelLimits, LargeNonArithmeticWindowTile) {
  Layer layer;
  layer.name = "tall";
  layer.bounds[Dim::P] = 2 * 8 * 2 * 600;
  layer.bounds[Dim::R] = 3;
  layer.stride_h = 8;
  Architecture arch = flat_levels(4, 1);
  arch.levels[2].holds[TensorId::Inputs] = false;  // inputs bypass the middle per-PE level
  Mapping m;
  m.levels.resize(4);
  m.levels[0].temporal.push_back({2, Dim::P});
  m.levels[1].rows.push_back({8, Dim::P});
  m.levels[2].temporal.push_back({2, Dim::P});
  m.levels[3].temporal.push_back({600, Dim::P});
  m.levels[3].temporal.push_back({3, Dim::R});
  ASSERT_TRUE(check_mapping(layer, arch, m));
  EXPECT_TRUE(counts_match(layer, arch, m));
}

// Extremes on random problems: bounds of 1 and primes, strides and dilations up to
// 2^32, against the simulator (kept small enough in MACs for it to walk).
TEST(ModelLimits, ExtremeBoundsAndStridesMatchTheSimulator) {
  std::mt19937_64 rng(7);
  constexpr std::array<std::int64_t, 6> kBounds = {1, 1, 2, 3, 7, 13};
  constexpr std::array<std::int64_t, 6> kSteps = {1, 2, 7, 1 << 20, std::int64_t{1} << 32, 3};
  int failures = 0, cases = 0;
  while (cases < 300 && failures < 3) {
    Layer l;
    l.name = "extreme";
    for (Dim d : conv_dims()) l.bounds[d] = kBounds[static_cast<std::size_t>(testing::uniform(rng, 0, 5))];
    l.stride_h = kSteps[static_cast<std::size_t>(testing::uniform(rng, 0, 5))];
    l.dilation_h = kSteps[static_cast<std::size_t>(testing::uniform(rng, 0, 5))];
    l.stride_w = kSteps[static_cast<std::size_t>(testing::uniform(rng, 0, 2))];
    l.dilation_w = kSteps[static_cast<std::size_t>(testing::uniform(rng, 0, 3))];
    if (macs(l) > 4000 || !check_layer_size(l)) continue;
    ++cases;
    const Architecture a = testing::random_arch(rng, static_cast<int>(testing::uniform(rng, 1, 5)));
    const Mapping m = testing::random_mapping(rng, l, a, 3);
    const auto ok = counts_match(l, a, m);
    if (!ok) {
      ++failures;
      ADD_FAILURE() << testing::describe({l, a, m}) << "\n" << ok.message();
    }
  }
  EXPECT_EQ(failures, 0);
}

// A bandwidth of 1e-300 words per cycle is a valid number, but the cycles it asks for
// (words / 1e-300) are past any 64-bit count: they saturate at kMaxModelCycles instead of
// converting an out-of-range double (undefined behaviour). 2^-30 stays exact: words moved
// per instance x 2^30.
TEST(ModelLimits, TinyBandwidthSaturatesCycles) {
  Layer layer;
  layer.name = "fc";
  layer.kind = LayerKind::FullyConnected;
  layer.bounds[Dim::K] = 4;
  layer.bounds[Dim::C] = 8;
  Architecture arch = flat_levels(2, 0);
  Mapping mapping;
  mapping.levels.resize(2);
  mapping.levels[1].temporal.push_back({4, Dim::K});
  mapping.levels[1].temporal.push_back({8, Dim::C});
  arch.levels[0].bandwidth_words_per_cycle = 1e-300;
  const CostResult tiny = evaluate(prepare(layer, arch), mapping);
  EXPECT_EQ(tiny.levels[0].cycles, kMaxModelCycles);
  EXPECT_EQ(tiny.cycles, kMaxModelCycles);
  arch.levels[0].bandwidth_words_per_cycle = 1.0 / static_cast<double>(std::int64_t{1} << 30);
  const CostResult slow = evaluate(prepare(layer, arch), mapping);
  // Level 0 moves every input (8), weight (32) and output (4) word once: 44 words.
  EXPECT_EQ(slow.levels[0].accesses[TensorId::Inputs].reads + slow.levels[0].accesses[TensorId::Weights].reads +
                slow.levels[0].accesses[TensorId::Outputs].writes,
            44);
  EXPECT_EQ(slow.levels[0].cycles, std::int64_t{44} << 30);
  // DRAM's bandwidth sets the cycles: 32 MACs on 64 PEs over 44 x 2^30 cycles achieve
  // 32 / (44 x 2^30 x 64) of the array, against 32 / (32 x 64) spatially.
  EXPECT_EQ(slow.bound_level, 0);
  EXPECT_DOUBLE_EQ(slow.utilization, 32.0 / (32.0 * 64.0));
  EXPECT_DOUBLE_EQ(slow.achieved_utilization, 32.0 / (44.0 * 1073741824.0 * 64.0));
  // Separate ports: 40 words read at 4 per cycle (10 cycles), 4 written at 1/8 (32
  // cycles): the write port sets 32 cycles, the compute 32 too (no stall: compute wins
  // ties); at 1/16 the writes need 64.
  arch.levels[0].bandwidth_words_per_cycle = 0.0;
  arch.levels[0].read_bandwidth_words_per_cycle = 4.0;
  arch.levels[0].write_bandwidth_words_per_cycle = 0.125;
  const CostResult ports = evaluate(prepare(layer, arch), mapping);
  EXPECT_EQ(ports.levels[0].cycles, 32);
  EXPECT_EQ(ports.bound_level, -1);
  arch.levels[0].write_bandwidth_words_per_cycle = 0.0625;
  const CostResult slow_writes = evaluate(prepare(layer, arch), mapping);
  EXPECT_EQ(slow_writes.levels[0].cycles, 64);
  EXPECT_EQ(slow_writes.bound_level, 0);
  arch.levels[0].read_bandwidth_words_per_cycle = 0.0;
  arch.levels[0].write_bandwidth_words_per_cycle = 0.0;  // unlimited: compute sets the cycles
  const CostResult free = evaluate(prepare(layer, arch), mapping);
  EXPECT_EQ(free.bound_level, -1);
  EXPECT_EQ(free.achieved_utilization, free.utilization);
}

}  // namespace
}  // namespace dnnspace
