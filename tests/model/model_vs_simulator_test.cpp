// The model's definition of correctness (SYSTEM.md, validation rung 1): on random small
// problems the analytical access counts equal the tile-walking simulator's exactly.
#include <gtest/gtest.h>

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
void check_random_problems(std::uint64_t seed, int cases, std::optional<Pass> override_pass) {
  std::mt19937_64 rng(seed);
  int failures = 0;
  for (int i = 0; i < cases && failures < 5; ++i) {
    testing::RandomProblem p = testing::random_problem(rng);
    if (override_pass) p.layer.pass = *override_pass;
    const CostResult model = evaluate(prepare(p.layer, p.arch), p.mapping);
    const SimulatedCounts sim = simulate(p.layer, p.arch, p.mapping);
    bool ok = model.macs == sim.macs && model.compute_cycles == sim.compute_cycles;
    for (int l = 0; l < model.num_levels; ++l) {
      for (TensorId t : kAllTensors) ok = ok && model.levels[l].accesses[t] == sim.accesses[l][t];
    }
    for (TensorId t : kAllTensors) ok = ok && model.array_transfers[t] == sim.array_transfers[t];
    if (!ok) {
      ++failures;
      std::string detail;
      for (int l = 0; l < model.num_levels; ++l) {
        for (TensorId t : kAllTensors) {
          const auto& m = model.levels[l].accesses[t];
          const auto& s = sim.accesses[l][t];
          detail += " L" + std::to_string(l) + "." + std::string(tensor_name(t)) + " model r/w " +
                    std::to_string(m.reads) + "/" + std::to_string(m.writes) + " sim " +
                    std::to_string(s.reads) + "/" + std::to_string(s.writes) + ";";
        }
      }
      for (TensorId t : kAllTensors) {
        detail += " array." + std::string(tensor_name(t)) + " " + std::to_string(model.array_transfers[t]) +
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
