// The model's definition of correctness (SYSTEM.md, validation rung 1): on random small
// problems the analytical access counts equal the tile-walking simulator's exactly.
#include <gtest/gtest.h>

#include <random>

#include "dnnspace/model/cost.hpp"
#include "dnnspace/model/simulator.hpp"
#include "support/random_problem.hpp"

namespace dnnspace {
namespace {

constexpr int kCases = 1500;

TEST(ModelVsSimulator, AccessCountsMatchOnRandomProblems) {
  std::mt19937_64 rng(20261122);
  int failures = 0;
  for (int i = 0; i < kCases && failures < 5; ++i) {
    const testing::RandomProblem p = testing::random_problem(rng);
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

}  // namespace
}  // namespace dnnspace
