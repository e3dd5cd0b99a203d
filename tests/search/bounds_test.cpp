// The search's floors are below the model on any mapping: on random layers, workloads,
// hierarchies (with bypass, leakage, refill stalls and systolic timing) and mappings, each tensor's energy
// floor is at most what the model charges it, and the objective's lower bound at most
// the objective (docs/search.md, "Bounding").
#include <gtest/gtest.h>

#include <random>

#include "../../src/search/order_bound.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/search/mapper.hpp"
#include "support/random_problem.hpp"

namespace dnnspace {
namespace {

void expect_floors_below_the_model(const Layer& layer, const Architecture& arch, const Mapping& mapping,
                                   const std::string& what) {
  const CostResult cost = evaluate(prepare(layer, arch), mapping);
  const PerTensor<double> floors = detail::tensor_energy_floor_pj(layer, arch);
  for (TensorId t : layer_tensors(layer)) {
    const double charged = tensor_energy_pj(arch, cost, t);
    EXPECT_LE(floors[t], charged * (1 + 1e-12)) << what << " tensor " << tensor_name(t);
  }
  // The cycles floor the search uses: compute cycles and each fold's least fill and drain.
  const std::int64_t least_cycles = cycles_floor(min_fill_drain_per_fold(arch), cost.compute_cycles, cost.folds);
  EXPECT_LE(least_cycles, cost.cycles) << what;
  for (Objective o : {Objective::Energy, Objective::Cycles, Objective::EnergyDelay}) {
    const double bound = detail::order_lower_bound(o, floors, cost.mac_energy_pj, static_cast<double>(least_cycles));
    EXPECT_LE(bound, objective_value(o, cost)) << what << " objective " << static_cast<int>(o);
  }
}

TEST(Bounds, FloorsAreBelowTheModelOnRandomProblems) {
  std::mt19937_64 rng(2026120301);
  for (int i = 0; i < 2000; ++i) {
    testing::RandomProblem p = testing::random_problem(rng);
    if (i % 2 == 1) p.layer = testing::random_workload(rng, 5, 2000, false, 4);
    // Some levels leak and stall on their refills.
    for (std::size_t l = 1; l < p.arch.levels.size(); ++l) {
      StorageLevel& level = p.arch.levels[l];
      level.leakage_mw = static_cast<double>(testing::uniform(rng, 0, 3));
      level.capacity_bytes = 1 << 20;
      level.write_bandwidth_words_per_cycle = static_cast<double>(testing::uniform(rng, 0, 4));
    }
    if (i % 3 == 2) p.arch.array.timing = ArrayTiming::Systolic;  // fill and drain per fold
    p.mapping = testing::random_mapping(rng, p.layer, p.arch, 3);
    expect_floors_below_the_model(p.layer, p.arch, p.mapping, testing::describe(p));
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace dnnspace
