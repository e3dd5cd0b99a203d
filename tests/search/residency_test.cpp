// The premise of every bound of the mapper (docs/search.md, "Bounding"): a tensor's access
// counts only fall when more of its loops are resident. Moving a loop irrelevant to a
// tensor to the innermost place of its level keeps every other loop's residency for that
// tensor and makes this one resident, so no count of the tensor at any level, nor its array
// transfers, may grow. The exception: with two or more per-PE levels holding the outputs,
// the psum fills of the inner ones can grow; there the bounds use BoundEnergy, which must
// not grow and must stay below the outputs' energy. Checked on random hierarchies of 1-4
// levels with bypass, any array position, spatial reductions and partial tiles.
#include <gtest/gtest.h>

#include <random>

#include "../../src/search/order_bound.hpp"
#include "dnnspace/model/cost.hpp"
#include "support/random_problem.hpp"

namespace dnnspace {
namespace {

// m with loop `i` of level `l` moved to the innermost place of that level.
Mapping with_loop_innermost(const Mapping& m, std::size_t l, std::size_t i) {
  Mapping out = m;
  auto& temporal = out.levels[l].temporal;
  const Loop moved = temporal[i];
  for (std::size_t j = i; j + 1 < temporal.size(); ++j) temporal[j] = temporal[j + 1];
  temporal[temporal.size() - 1] = moved;
  return out;
}

struct ResidencyStats {
  int moves = 0, changed = 0, relaxed_cases = 0, psum_growths = 0;
};

// Every move on `trials` random problems, each run as `pass`.
ResidencyStats check_moves(std::uint64_t seed, int trials, Pass pass) {
  std::mt19937_64 rng(seed);
  int moves = 0, changed = 0, relaxed_cases = 0, psum_growths = 0, failures = 0;
  for (int trial = 0; trial < trials && failures < 5; ++trial) {
    testing::RandomProblem p = testing::random_problem(rng);
    p.layer.pass = pass;
    const PreparedProblem problem = prepare(p.layer, p.arch);
    const detail::BoundEnergy bound_energy(p.layer, p.arch);
    const CostResult before = evaluate(problem, p.mapping);
    int per_pe_output_levels = 0;
    for (int l = p.arch.array.parent_level + 1; l < static_cast<int>(p.arch.levels.size()); ++l) {
      per_pe_output_levels += p.arch.levels[static_cast<std::size_t>(l)].holds[TensorId::Outputs] ? 1 : 0;
    }
    for (std::size_t l = 0; l < p.mapping.levels.size(); ++l) {
      const auto& temporal = p.mapping.levels[l].temporal;
      for (std::size_t i = 0; i + 1 < temporal.size(); ++i) {
        const CostResult after = evaluate(problem, with_loop_innermost(p.mapping, l, i));
        for (TensorId t : kAllTensors) {
          if (is_relevant(p.layer, t, temporal[i].dim)) continue;
          ++moves;
          std::string grew;
          bool fell = after.array_transfers[t] < before.array_transfers[t];
          if (after.array_transfers[t] > before.array_transfers[t] ||
              after.array_hops[t] > before.array_hops[t] * (1.0 + 1e-12)) {
            grew += " array";
          }
          for (int k = 0; k < before.num_levels; ++k) {
            const TensorAccesses& a = after.levels[static_cast<std::size_t>(k)].accesses[t];
            const TensorAccesses& b = before.levels[static_cast<std::size_t>(k)].accesses[t];
            if (a.reads > b.reads || a.writes > b.writes) grew += " L" + std::to_string(k);
            fell = fell || a.reads < b.reads || a.writes < b.writes;
          }
          if (fell) ++changed;
          const bool relaxed = t == TensorId::Outputs && per_pe_output_levels >= 2;
          if (relaxed) {
            ++relaxed_cases;
            if (!grew.empty()) ++psum_growths;
            const double b = bound_energy(before, t), a = bound_energy(after, t);
            EXPECT_LE(b, tensor_energy_pj(p.arch, before, t) * (1.0 + 1e-12));
            EXPECT_LE(a, tensor_energy_pj(p.arch, after, t) * (1.0 + 1e-12));
            if (a > b * (1.0 + 1e-12)) grew = " BoundEnergy";
            else grew.clear();
          }
          if (!grew.empty()) {
            ++failures;
            ADD_FAILURE() << pass_name(pass) << " tensor " << tensor_name(p.layer, t) << ": grew at" << grew << " when loop " << i << " of L" << l
                          << " was made innermost; " << testing::describe(p);
          }
        }
      }
    }
  }
  return {moves, changed, relaxed_cases, psum_growths};
}

TEST(Residency, NoCountOfATensorGrowsWhenOneOfItsIrrelevantLoopsBecomesResident) {
  const ResidencyStats s = check_moves(20261202, 20000, Pass::Forward);
  // The check must bite: many moves, many that lowered a count, many of the relaxed case,
  // and in some of those the raw psum counts did grow (or BoundEnergy would be needless).
  EXPECT_GT(s.moves, 20000);
  EXPECT_GT(s.changed, 3000);
  EXPECT_GT(s.relaxed_cases, 1000);
  EXPECT_GT(s.psum_growths, 0);
}

// The same premise for the backward passes, whose accumulated tensor slides (data
// gradient) or is weight-shaped (weight gradient): the mapper's bounds rely on it there too.
TEST(Residency, HoldsForTheBackwardPasses) {
  for (Pass pass : {Pass::DataGradient, Pass::WeightGradient}) {
    const ResidencyStats s = check_moves(20261203 + static_cast<int>(pass), 6000, pass);
    EXPECT_GT(s.moves, 6000) << pass_name(pass);
    EXPECT_GT(s.changed, 900) << pass_name(pass);
    EXPECT_GT(s.relaxed_cases, 300) << pass_name(pass);
  }
}

}  // namespace
}  // namespace dnnspace
