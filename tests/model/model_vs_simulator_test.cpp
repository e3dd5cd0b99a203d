// The model's definition of correctness (SYSTEM.md, validation rung 1): on random small
// problems the analytical access counts equal the tile-walking simulator's exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <random>

#include "dnnspace/model/cost.hpp"
#include "dnnspace/model/simulator.hpp"
#include "support/random_problem.hpp"

namespace dnnspace {
namespace {

constexpr int kCases = 1500;

// The forward pass (the random problems' own), or the pass `override_pass` names for
// every problem: the backward passes slide the accumulated tensor (data gradient) or
// accumulate a weight-shaped one (weight gradient) over the same random nests.
template <typename Make = testing::RandomProblem (*)(std::mt19937_64&)>
void check_random_problems(std::uint64_t seed, int cases, std::optional<Pass> override_pass,
                           Make make = testing::random_problem) {
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (int i = 0; i < cases && failures < 5; ++i) {
    testing::RandomProblem p = make(rng);
    if (override_pass) p.layer.pass = *override_pass;
    const CostResult model = evaluate(prepare(p.layer, p.arch), p.mapping);
    const SimulatedCounts sim = simulate(p.layer, p.arch, p.mapping);
    bool ok = model.macs == sim.macs && model.compute_cycles == sim.compute_cycles;
    for (int l = 0; l < model.num_levels; ++l) {
      for (TensorId t : layer_tensors(p.layer)) ok = ok && model.levels[l].accesses[t] == sim.accesses[l][t];
    }
    for (TensorId t : layer_tensors(p.layer)) ok = ok && model.array_transfers[t] == sim.array_transfers[t];
    if (!ok) {
      ++failures;
      std::string detail;
      for (int l = 0; l < model.num_levels; ++l) {
        for (TensorId t : layer_tensors(p.layer)) {
          const auto& m = model.levels[l].accesses[t];
          const auto& s = sim.accesses[l][t];
          detail += " L" + std::to_string(l) + "." + tensor_name(p.layer, t) + " model r/w " +
                    std::to_string(m.reads) + "/" + std::to_string(m.writes) + " sim " +
                    std::to_string(s.reads) + "/" + std::to_string(s.writes) + ";";
        }
      }
      for (TensorId t : layer_tensors(p.layer)) {
        detail += " array." + tensor_name(p.layer, t) + " " + std::to_string(model.array_transfers[t]) +
                  " vs " + std::to_string(sim.array_transfers[t]) + ";";
      }
      ADD_FAILURE() << "case " << i << ": " << testing::describe(p) << "\n" << detail;
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(ModelVsSimulator, AccessCountsMatchOnRandomProblems) { check_random_problems(20261122, kCases, std::nullopt); }

TEST(ModelVsSimulator, DataGradientMatches) { check_random_problems(20261203, 600, Pass::DataGradient); }

TEST(ModelVsSimulator, WeightGradientMatches) { check_random_problems(20261204, 600, Pass::WeightGradient); }

}  // namespace
}  // namespace dnnspace

namespace dnnspace {
namespace {

// Workloads given as data (docs/workloads.md): random dimension letters, any tensor
// sliding on any number of axes with coefficients up to 3, tensors of 1-6 axes, random
// passes, and up to 8 loops per dimension across the levels. The generator's coverage of
// each of those is checked too, so that the property cannot pass vacuously.
TEST(ModelVsSimulator, GeneralWorkloadsMatch) {
  int sliding_non_input = 0, sliding_output = 0, three_axis = 0, eight_loops = 0;
  const auto make = [&](std::mt19937_64& rng) {
    testing::RandomProblem p;
    p.layer = testing::random_workload(rng);
    const int n = static_cast<int>(testing::uniform(rng, 1, 4));
    p.arch = testing::random_arch(rng, n);
    const int dims = static_cast<int>(p.layer.dims.size());
    p.mapping = testing::random_mapping(rng, p.layer, p.arch, std::min(8, 12 * n / dims));
    // A long dimension (bound >= 256) is often split into 8 loops of factors > 1 instead:
    // seven 2s and the rest (a partial tile when 128 does not divide the bound), each on
    // a random level, appended to its temporal loops.
    for (Dim d : p.layer.dims) {
      if (p.layer.bounds[d] < 256 || n < 2 || testing::uniform(rng, 0, 1) == 0) continue;
      Mapping m = p.mapping;
      const auto drop = [d](auto& list) {
        auto kept = list;
        kept.clear();
        for (const Loop& l : list) if (l.dim != d) kept.push_back(l);
        list = kept;
      };
      for (LevelLoops& level : m.levels) {
        drop(level.temporal);
        drop(level.rows);
        drop(level.cols);
      }
      bool placed = true;
      for (int k = 0; k < 8 && placed; ++k) {
        const std::int64_t f = k < 7 ? 2 : (p.layer.bounds[d] + 127) / 128;
        auto& level = m.levels[static_cast<std::size_t>(testing::uniform(rng, 0, n - 1))];
        placed = !level.temporal.full();
        if (placed) level.temporal.push_back({f, d});
      }
      if (placed) p.mapping = m;
    }
    const Projection proj = projection_of(p.layer);
    sliding_non_input += slides(proj[TensorId::Weights]) ? 1 : 0;
    sliding_output += slides(proj[TensorId::Outputs]) ? 1 : 0;
    for (TensorId t : layer_tensors(p.layer)) three_axis += proj[t].axes.size() >= 3 ? 1 : 0;
    for (Dim d : p.layer.dims) {
      std::size_t loops = 0;
      for (const LevelLoops& level : p.mapping.levels) {
        for (const auto* list : {&level.temporal}) for (const Loop& l : *list) loops += l.dim == d && l.factor > 1;
        for (const Loop& l : level.rows) loops += l.dim == d && l.factor > 1;
        for (const Loop& l : level.cols) loops += l.dim == d && l.factor > 1;
      }
      eight_loops += loops >= 8 ? 1 : 0;
    }
    return p;
  };
  check_random_problems(20261205, 3000, std::nullopt, make);
  EXPECT_GT(sliding_non_input, 100);
  EXPECT_GT(sliding_output, 100);
  EXPECT_GT(three_axis, 100);
  EXPECT_GT(eight_loops, 10);
}

// Workloads with up to 7 operands (every tensor slot): the further operands are read like
// the first one, held where the architecture holds the inputs, and slide, repeat or skip
// dimensions as randomly as the first two.
TEST(ModelVsSimulator, ManyOperandWorkloadsMatch) {
  int four_or_more = 0, eight = 0, sliding_extra = 0;
  const auto make = [&](std::mt19937_64& rng) {
    testing::RandomProblem p;
    p.layer = testing::random_workload(rng, 5, 2000, false, 7);
    const int n = static_cast<int>(testing::uniform(rng, 1, 4));
    p.arch = testing::random_arch(rng, n);
    p.mapping = testing::random_mapping(rng, p.layer, p.arch, 6);
    const std::size_t tensors = layer_tensors(p.layer).size();
    four_or_more += tensors >= 4 ? 1 : 0;
    eight += tensors == kMaxTensors ? 1 : 0;
    const Projection proj = projection_of(p.layer);
    for (TensorId t : layer_tensors(p.layer)) sliding_extra += static_cast<std::size_t>(t) >= 3 && slides(proj[t]) ? 1 : 0;
    return p;
  };
  check_random_problems(20261206, 1500, std::nullopt, make);
  EXPECT_GT(four_or_more, 1000);
  EXPECT_GT(eight, 100);
  EXPECT_GT(sliding_extra, 100);
}

}  // namespace
}  // namespace dnnspace
