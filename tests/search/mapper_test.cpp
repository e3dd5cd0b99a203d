// The mapper is exact over its mapspace: on small problems it finds the same optimum
// as brute force over every factorization and every loop permutation; and it is
// deterministic for any thread count.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/mapping/print.hpp"
#include "dnnspace/search/mapper.hpp"
#include "support/random_problem.hpp"
#include "dnnspace/workload/custom_workload.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

using Factors = PerDim<std::int64_t>;

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Brute force: every spatial unrolling of the dataflow (2..min(room, bound) per loop),
// every ordered exact factorization of the rest over the levels, every permutation of
// every level's loops. Written independently of the mapper's enumerator.
double brute_force_best(const Layer& layer, const Architecture& arch, const Dataflow& df, double min_util,
                        std::int64_t* evaluated, Objective objective = Objective::Energy) {
  const int n = static_cast<int>(arch.levels.size());
  const PreparedProblem problem = prepare(layer, arch);
  double best = std::numeric_limits<double>::infinity();
  std::vector<Dim> sdims(df.rows.begin(), df.rows.end());
  sdims.insert(sdims.end(), df.cols.begin(), df.cols.end());
  for (Dim d : sdims) if (layer.bounds[d] < 2) return best;
  std::vector<std::int64_t> sf(sdims.size(), 2);
  while (true) {
    bool ok = true;
    for (std::size_t i = 0; i < sdims.size(); ++i) ok = ok && sf[i] <= layer.bounds[sdims[i]];
    Mapping base;
    base.levels.resize(static_cast<std::size_t>(n));
    Factors remaining = layer.bounds;
    for (std::size_t i = 0; i < sdims.size() && ok; ++i) {
      auto& axis = i < df.rows.size() ? base.levels[static_cast<std::size_t>(arch.array.parent_level)].rows
                                      : base.levels[static_cast<std::size_t>(arch.array.parent_level)].cols;
      axis.push_back({sf[i], sdims[i]});
      remaining[sdims[i]] = ceil_div(layer.bounds[sdims[i]], sf[i]);
    }
    if (ok) {
      // Per dimension, every ordered factorization of remaining[d] into n factors.
      std::vector<std::vector<std::vector<std::int64_t>>> per_dim(kNumDims);
      for (Dim d : kAllDims) {
        std::vector<std::int64_t> cur;
        auto rec = [&](auto&& self, std::int64_t left, int level) -> void {
          if (level == n - 1) { cur.push_back(left); per_dim[static_cast<std::size_t>(d)].push_back(cur); cur.pop_back(); return; }
          for (std::int64_t v = 1; v <= left; ++v) {
            if (left % v) continue;
            cur.push_back(v);
            self(self, left / v, level + 1);
            cur.pop_back();
          }
        };
        rec(rec, remaining[d], 0);
      }
      std::array<std::size_t, kNumDims> pick{};
      while (true) {
        // Assemble the loops of each level, then try every permutation per level.
        std::vector<std::vector<Loop>> loops(static_cast<std::size_t>(n));
        for (Dim d : kAllDims) {
          const auto& fac = per_dim[static_cast<std::size_t>(d)][pick[static_cast<std::size_t>(d)]];
          for (int l = 0; l < n; ++l) if (fac[static_cast<std::size_t>(l)] > 1) loops[static_cast<std::size_t>(l)].push_back({fac[static_cast<std::size_t>(l)], d});
        }
        for (auto& l : loops) std::sort(l.begin(), l.end(), [](Loop a, Loop b) { return a.dim < b.dim; });
        auto perm_rec = [&](auto&& self, int level, Mapping& m) -> void {
          if (level == n) {
            const CostResult c = evaluate(problem, m);
            ++*evaluated;
            if (c.feasible() && c.utilization + 1e-12 >= min_util) best = std::min(best, objective_value(objective, c));
            return;
          }
          auto order = loops[static_cast<std::size_t>(level)];
          do {
            m.levels[static_cast<std::size_t>(level)].temporal.clear();
            for (Loop lp : order) m.levels[static_cast<std::size_t>(level)].temporal.push_back(lp);
            self(self, level + 1, m);
          } while (std::next_permutation(order.begin(), order.end(), [](Loop a, Loop b) { return a.dim < b.dim; }));
        };
        Mapping m = base;
        perm_rec(perm_rec, 0, m);
        std::size_t k = 0;
        for (; k < kNumDims; ++k) {
          if (++pick[k] < per_dim[k].size()) break;
          pick[k] = 0;
        }
        if (k == kNumDims) break;
      }
    }
    std::size_t i = 0;
    for (; i < sf.size(); ++i) {
      if (++sf[i] <= 8) break;
      sf[i] = 2;
    }
    if (i == sf.size()) break;
  }
  return best;
}

struct SmallProblem {
  Layer layer;
  Architecture arch;
};

// A random small layer on a random 2-3 level hierarchy (random capacities, bypass,
// double buffering, array size and position).
SmallProblem random_problem(std::mt19937_64& rng) {
  auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  SmallProblem p;
  Layer& layer = p.layer;
  layer.name = "small";
  layer.bounds[Dim::N] = pick(1, 2);
  layer.bounds[Dim::K] = pick(1, 6);
  layer.bounds[Dim::C] = pick(1, 6);
  layer.bounds[Dim::P] = pick(1, 4);
  layer.bounds[Dim::Q] = pick(1, 2);
  layer.bounds[Dim::R] = pick(1, 3);
  layer.stride_h = pick(1, 2);
  Architecture& arch = p.arch;
  arch.name = "small";
  const int n = static_cast<int>(pick(2, 3));
  for (int l = 0; l < n; ++l) {
    StorageLevel s;
    s.name = "L" + std::to_string(l);
    s.capacity_bytes = l == 0 ? 0 : (n - l) * pick(8, 40) * 2;
    s.access_energy_pj = l == 0 ? 200.0 : 6.0 / l;
    for (TensorId t : kAllTensors) s.holds[t] = l == 0 || pick(0, 4) > 0;
    s.double_buffered = pick(0, 1) == 1;
    arch.levels.push_back(s);
  }
  arch.array = PeArray{pick(2, 4), pick(2, 4), static_cast<int>(pick(0, n - 2)), ArrayCostStyle::PerHop, 0.05, 0.0};
  arch.mac_energy_pj = 0.1;
  return p;
}

// A random dataflow of the layer's dimensions: two loops on two axes, or replication
// (three loops, two of them on one axis, 004 Sec. III-C). Empty if the layer has too few.
std::optional<Dataflow> random_dataflow(const Layer& layer, bool replication, std::mt19937_64& rng) {
  std::vector<Dim> dims;
  for (Dim d : layer.dims) if (layer.bounds[d] >= 2) dims.push_back(d);
  const std::size_t loops = replication ? 3 : 2;
  if (dims.size() < loops) return std::nullopt;
  std::shuffle(dims.begin(), dims.end(), rng);
  Dataflow df;
  const bool two_on_rows = std::uniform_int_distribution<int>(0, 1)(rng) == 1;
  for (std::size_t i = 0; i < loops; ++i) {
    const bool row = replication ? (two_on_rows ? i < 2 : i < 1) : i == 0;
    (row ? df.rows : df.cols).push_back(dims[i]);
  }
  return df;
}

void expect_equals_brute_force(int trials, bool replication, std::uint64_t seed, int min_solved,
                               double min_util = 0.25, Pass pass = Pass::Forward, bool general = false,
                               std::int64_t max_operands = 2) {
  std::mt19937_64 rng(seed);
  int compared = 0, with_solution = 0;
  for (int trial = 0; trial < trials; ++trial) {
    SmallProblem p = random_problem(rng);
    p.layer.pass = pass;
    // A workload given as data instead (random letters, any tensor sliding), its pass random.
    if (general) p.layer = testing::random_workload(rng, 4, 400, false, max_operands);
    const std::optional<Dataflow> df = random_dataflow(p.layer, replication, rng);
    if (!df) continue;
    MapperOptions options;
    options.dataflows = {*df};
    options.min_utilization = min_util;
    options.threads = 1;
    const MapperResult r = find_best_mapping(p.layer, p.arch, options);
    std::int64_t brute_evaluated = 0;
    const double brute = brute_force_best(p.layer, p.arch, *df, options.min_utilization, &brute_evaluated);
    ++compared;
    ASSERT_EQ(r.found, std::isfinite(brute)) << "trial " << trial << " dataflow " << dataflow_name(*df);
    if (!r.found) continue;
    ++with_solution;
    EXPECT_DOUBLE_EQ(r.objective_value, brute) << "trial " << trial << " dataflow " << dataflow_name(*df)
                                               << " mapper evaluated " << r.evaluated << " brute " << brute_evaluated;
    EXPECT_TRUE(check_mapping(p.layer, p.arch, r.mapping));
    EXPECT_EQ(dataflow_of(r.mapping, p.arch), *df);
  }
  EXPECT_GE(with_solution, min_solved) << "too few comparable cases: " << compared;
}

TEST(Mapper, EqualsBruteForceOnRandomSmallProblems) { expect_equals_brute_force(60, false, 7, 20); }

// The backward passes of the same random layers: dI slides and accumulates, dW accumulates
// a weight-shaped tensor; the mapper's order choices and bounds must stay exact.
TEST(Mapper, BackwardPassesEqualBruteForce) {
  expect_equals_brute_force(40, false, 71, 12, 0.25, Pass::DataGradient);
  expect_equals_brute_force(40, false, 72, 12, 0.25, Pass::WeightGradient);
}

// Workloads given as data: the mapspace, its order choices and bounds hold for any
// projection, not only the convolution's.
TEST(Mapper, GeneralWorkloadsEqualBruteForce) {
  expect_equals_brute_force(60, false, 73, 15, 0.25, Pass::Forward, true);
  expect_equals_brute_force(120, true, 74, 8, 0.0, Pass::Forward, true);
}

// Workloads of 3 to 7 operands: their further operands are held where the inputs are, and
// many loops are irrelevant to several tensors (the chains of loop_orders.hpp).
TEST(Mapper, ManyOperandWorkloadsEqualBruteForce) {
  expect_equals_brute_force(60, false, 75, 15, 0.25, Pass::Forward, true, 7);
  expect_equals_brute_force(200, true, 76, 10, 0.0, Pass::Forward, true, 7);
}

TEST(Mapper, EqualsBruteForceAtUtilizationFloorsZeroAndHigh) {
  // At floor 0 no spatial choice is dropped and the work-item bounds do all the cutting;
  // at 0.75 most choices are dropped by their utilization, which is exact per choice.
  expect_equals_brute_force(40, false, 31, 15, 0.0);
  expect_equals_brute_force(40, false, 37, 5, 0.75);
}

// Every level holds some tensor (random_problem may draw a level that holds none, which
// no architecture file can say).
bool every_level_holds_a_tensor(const Architecture& arch) {
  for (const StorageLevel& level : arch.levels) {
    if (!(level.holds[TensorId::Inputs] || level.holds[TensorId::Weights] || level.holds[TensorId::Outputs])) return false;
  }
  return true;
}

// The options of the brute-force comparisons: one dataflow, floor 0.25, one thread.
MapperOptions one_dataflow(const Dataflow& df) {
  MapperOptions options;
  options.dataflows = {df};
  options.min_utilization = 0.25;
  options.threads = 1;
  return options;
}

// Bypass and buffering left to the mapper (docs/search.md, "Bypass and buffering"): its
// optimum equals brute force over every keep-set and buffering of the searched levels,
// each brute-forced over the whole mapspace; the storage it reports is the one whose
// evaluation gives its objective.
TEST(Mapper, BypassAndBufferingSearchEqualsBruteForce) {
  std::mt19937_64 rng(91);
  int with_solution = 0, bypassing = 0;
  for (int trial = 0; trial < 40; ++trial) {
    SmallProblem p = random_problem(rng);
    const int n = static_cast<int>(p.arch.levels.size());
    if (!every_level_holds_a_tensor(p.arch)) continue;
    const int searched = std::uniform_int_distribution<int>(1, n - 1)(rng);  // bypass here
    p.arch.levels[static_cast<std::size_t>(searched)].bypass_searched = true;
    const int buffered = std::uniform_int_distribution<int>(1, n - 1)(rng);  // buffering here
    p.arch.levels[static_cast<std::size_t>(buffered)].buffering_searched = true;
    const std::optional<Dataflow> df = random_dataflow(p.layer, false, rng);
    if (!df) continue;
    const MapperOptions options = one_dataflow(*df);
    const MapperResult r = find_best_mapping(p.layer, p.arch, options);

    // Brute force, enumerated here: every non-empty subset of what the searched level may
    // hold, times single and double buffering of the other searched level.
    double brute = std::numeric_limits<double>::infinity();
    const StorageLevel& open = p.arch.levels[static_cast<std::size_t>(searched)];
    for (unsigned mask = 1; mask < 8; ++mask) {
      Architecture a = p.arch;
      StorageLevel& level = a.levels[static_cast<std::size_t>(searched)];
      bool subset = true;
      for (TensorId t : kAllTensors) {
        const bool keep = (mask >> static_cast<unsigned>(t)) & 1u;
        subset = subset && (!keep || open.holds[t]);
        level.holds[t] = keep;
      }
      if (!subset) continue;
      for (bool double_buffered : {false, true}) {
        a.levels[static_cast<std::size_t>(buffered)].double_buffered = double_buffered;
        for (StorageLevel& l : a.levels) l.bypass_searched = l.buffering_searched = false;
        std::int64_t evaluated = 0;
        brute = std::min(brute, brute_force_best(p.layer, a, *df, options.min_utilization, &evaluated));
      }
    }
    ASSERT_EQ(r.found, std::isfinite(brute)) << "trial " << trial;
    if (!r.found) continue;
    ++with_solution;
    EXPECT_DOUBLE_EQ(r.objective_value, brute) << "trial " << trial << " dataflow " << dataflow_name(*df);
    const Architecture costed = with_storage(p.arch, r.storage);
    EXPECT_FALSE(leaves_storage_open(costed));
    EXPECT_TRUE(check_mapping(p.layer, costed, r.mapping));
    EXPECT_DOUBLE_EQ(evaluate(prepare(p.layer, costed), r.mapping).energy_pj, r.objective_value) << "trial " << trial;
    for (TensorId t : kAllTensors) bypassing += open.holds[t] && !r.storage.levels[static_cast<std::size_t>(searched)].holds[t];
  }
  EXPECT_GE(with_solution, 15);
  EXPECT_GE(bypassing, 3) << "no trial chose to bypass a tensor it could hold: the search was not exercised";
}

// With cycles or EDP as the objective, or leaking levels, double buffering is not
// dominated: it hides a level's refills (docs/model.md Sec. 5) at half the room. With bandwidths on the levels
// below the outermost, the search over both bufferings of every such level equals brute
// force, and some trials choose each.
TEST(Mapper, BufferingSearchForCyclesAndEdpEqualsBruteForce) {
  std::mt19937_64 rng(92);
  int with_solution = 0, single = 0, twice = 0;
  for (int trial = 0; trial < 40; ++trial) {
    SmallProblem p = random_problem(rng);
    const int n = static_cast<int>(p.arch.levels.size());
    const bool valid = every_level_holds_a_tensor(p.arch);
    for (int l = 1; l < n; ++l) {
      StorageLevel& level = p.arch.levels[static_cast<std::size_t>(l)];
      level.write_bandwidth_words_per_cycle = std::uniform_int_distribution<int>(1, 8)(rng) / 4.0;
      level.buffering_searched = true;
    }
    if (!valid) continue;
    const std::optional<Dataflow> df = random_dataflow(p.layer, false, rng);
    if (!df) continue;
    MapperOptions options = one_dataflow(*df);
    // Energy too when the levels leak: refill stalls then cost energy, and double
    // buffering no longer dominates.
    options.objective = trial % 3 == 0 ? Objective::Cycles : trial % 3 == 1 ? Objective::EnergyDelay : Objective::Energy;
    if (options.objective == Objective::Energy) {
      for (int l = 1; l < n; ++l) p.arch.levels[static_cast<std::size_t>(l)].leakage_mw = 40.0 / l;
    }
    const MapperResult r = find_best_mapping(p.layer, p.arch, options);
    double brute = std::numeric_limits<double>::infinity();
    for (unsigned mask = 0; mask < (1u << (n - 1)); ++mask) {  // bit l-1: level l double-buffered
      Architecture a = p.arch;
      for (int l = 1; l < n; ++l) {
        a.levels[static_cast<std::size_t>(l)].double_buffered = (mask >> (l - 1)) & 1u;
        a.levels[static_cast<std::size_t>(l)].buffering_searched = false;
      }
      std::int64_t evaluated = 0;
      brute = std::min(brute, brute_force_best(p.layer, a, *df, options.min_utilization, &evaluated, options.objective));
    }
    ASSERT_EQ(r.found, std::isfinite(brute)) << "trial " << trial;
    if (!r.found) continue;
    ++with_solution;
    EXPECT_DOUBLE_EQ(r.objective_value, brute) << "trial " << trial << " dataflow " << dataflow_name(*df);
    const CostResult again = evaluate(prepare(p.layer, with_storage(p.arch, r.storage)), r.mapping);
    EXPECT_DOUBLE_EQ(objective_value(options.objective, again), r.objective_value) << "trial " << trial;
    for (int l = 1; l < n; ++l) (r.storage.levels[static_cast<std::size_t>(l)].double_buffered ? twice : single) += 1;
  }
  EXPECT_GE(with_solution, 15);
  EXPECT_GE(single, 3);
  EXPECT_GE(twice, 3);
}

// A systolic array charges every fold its fill and drain (docs/model.md Sec. 5), so the
// cycles depend on how the temporal loops split between the levels above the array and
// the PEs. With every objective the mapper equals brute force.
TEST(Mapper, SystolicTimingEqualsBruteForceForEveryObjective) {
  std::mt19937_64 rng(93);
  int with_solution = 0, fill_drain = 0;
  for (int trial = 0; trial < 45; ++trial) {
    SmallProblem p = random_problem(rng);
    p.arch.array.timing = ArrayTiming::Systolic;
    const std::optional<Dataflow> df = random_dataflow(p.layer, false, rng);
    if (!df) continue;
    MapperOptions options = one_dataflow(*df);
    options.objective = trial % 3 == 0 ? Objective::Cycles : trial % 3 == 1 ? Objective::EnergyDelay : Objective::Energy;
    const MapperResult r = find_best_mapping(p.layer, p.arch, options);
    std::int64_t evaluated = 0;
    const double brute = brute_force_best(p.layer, p.arch, *df, options.min_utilization, &evaluated, options.objective);
    ASSERT_EQ(r.found, std::isfinite(brute)) << "trial " << trial;
    if (!r.found) continue;
    ++with_solution;
    EXPECT_DOUBLE_EQ(r.objective_value, brute) << "trial " << trial << " dataflow " << dataflow_name(*df);
    if (r.cost.fill_drain_cycles > 0) ++fill_drain;
  }
  EXPECT_GE(with_solution, 15);
  EXPECT_GE(fill_drain, 10);
}

TEST(Mapper, ReplicationDataflowsEqualBruteForce) {
  // Several loops on one axis (e.g. "CK|P"): every spatial factor of each loop whose
  // product fits the axis.
  expect_equals_brute_force(80, true, 11, 15);
}

// The bounds of docs/search.md only skip mappings strictly worse than one evaluated:
// the search with them returns the very mapping the search without them returns, for
// every objective, on random problems and on the presets' hierarchies.
// Returns the work items, blockings and sub-trees the bounds skipped, summed over the
// objectives (so that callers can check that the bound was exercised).
std::int64_t expect_pruning_changes_nothing(const Layer& layer, const Architecture& arch, const MapperOptions& base,
                                            const std::string& what, bool must_find = false) {
  std::int64_t skipped = 0;
  for (Objective objective : {Objective::Energy, Objective::EnergyDelay, Objective::Cycles}) {
    MapperOptions options = base;
    options.objective = objective;
    options.prune = false;
    const MapperResult full = find_best_mapping(layer, arch, options);
    options.prune = true;
    const MapperResult pruned = find_best_mapping(layer, arch, options);
    EXPECT_EQ(full.skipped_items + full.skipped_blockings + full.skipped_subtrees, 0) << what;
    skipped += pruned.skipped_items + pruned.skipped_blockings + pruned.skipped_subtrees;
    EXPECT_EQ(full.found, pruned.found) << what;
    if (must_find) {
      EXPECT_TRUE(full.found) << what;
    }
    if (!full.found || !pruned.found) continue;
    EXPECT_EQ(full.mapping, pruned.mapping) << what << " objective " << static_cast<int>(objective);
    EXPECT_EQ(full.objective_value, pruned.objective_value) << what;  // bit for bit
    EXPECT_LE(pruned.evaluated, full.evaluated) << what;
  }
  return skipped;
}

TEST(Mapper, PruningReturnsTheSameMappingOnRandomProblems) {
  std::mt19937_64 rng(23);
  for (int trial = 0; trial < 100; ++trial) {
    SmallProblem p = random_problem(rng);
    // Larger bounds than the brute-force problems: more blockings for the bounds to cut.
    p.layer.bounds[Dim::K] *= 2;
    p.layer.bounds[Dim::C] *= 2;
    p.layer.bounds[Dim::P] += 2;
    MapperOptions options;
    options.min_utilization = 0.25;
    options.threads = 1;
    for (bool replication : {false, true}) {
      if (auto df = random_dataflow(p.layer, replication, rng)) options.dataflows.push_back(*df);
    }
    expect_pruning_changes_nothing(p.layer, p.arch, options, "trial " + std::to_string(trial));
  }
}

// The bounds against prune = false on `trials` random problems, grown for more blockings to
// cut, at the floors 0 (where the work-item bounds do all the cutting) and 0.75; `shape(p,
// trial)` adapts each one. Returns what the bounds skipped.
template <typename Shape>
std::int64_t bounds_on_random_problems(std::uint64_t seed, int trials, Shape&& shape) {
  std::mt19937_64 rng(seed);
  std::int64_t skipped = 0;
  for (int trial = 0; trial < trials; ++trial) {
    SmallProblem p = random_problem(rng);
    p.layer.bounds[Dim::K] *= 2;
    p.layer.bounds[Dim::C] *= 2;
    p.layer.bounds[Dim::P] += 2;
    shape(p, trial);
    MapperOptions options;
    options.min_utilization = trial % 3 == 2 ? 0.75 : 0.0;
    options.threads = 1;
    if (auto df = random_dataflow(p.layer, trial % 4 == 3, rng)) options.dataflows.push_back(*df);
    skipped += expect_pruning_changes_nothing(p.layer, p.arch, options, "trial " + std::to_string(trial));
  }
  return skipped;
}

// Every array transfer costs the same, as in eyeriss-chip (003's normalized costs).
void use_flat_array_costs(Architecture& arch) {
  arch.array.cost_style = ArrayCostStyle::Flat;
  arch.array.flat_energy_pj = 2.0;
}

TEST(Mapper, WorkItemBoundsReturnTheSameMappingOnRandomProblems) {
  // Random hierarchies (bypass, double buffering, array position) with per-hop or flat
  // array costs. The bounds must skip something, or this test checks nothing.
  const std::int64_t skipped = bounds_on_random_problems(41, 60, [](SmallProblem& p, int trial) {
    if (trial % 2 == 1) use_flat_array_costs(p.arch);
  });
  EXPECT_GT(skipped, 100);
}

TEST(Mapper, BoundsReturnTheSameMappingForGeneralWorkloads) {
  std::mt19937_64 rng(79);
  const std::int64_t skipped = bounds_on_random_problems(59, 60, [&](SmallProblem& p, int) {
    p.layer = testing::random_workload(rng, 5, 2000, false);
  });
  EXPECT_GT(skipped, 50);
}

// Reads and writes priced apart (architecture files' read_energy_pj / write_energy_pj):
// each bound charges reads and writes what the model does, or the cheaper of the two.
TEST(Mapper, BoundsReturnTheSameMappingWithReadAndWriteEnergies) {
  std::mt19937_64 rng(81);
  const std::int64_t skipped = bounds_on_random_problems(62, 60, [&](SmallProblem& p, int trial) {
    for (StorageLevel& level : p.arch.levels) {
      const double e = level.access_energy_pj;
      std::uniform_real_distribution<double> scale(0.2, 3.0);
      if (trial % 3 != 0) level.read_energy_pj = e * scale(rng);
      if (trial % 3 != 1) level.write_energy_pj = e * scale(rng);
    }
    if (trial % 2 == 1) use_flat_array_costs(p.arch);
  });
  EXPECT_GT(skipped, 100);
}

// Per-tensor widths on every level, with energies that scale with them (a derived
// energy): the bounds charge each tensor its own energy per access.
TEST(Mapper, BoundsReturnTheSameMappingWithPerTensorWidths) {
  std::mt19937_64 rng(82);
  const std::int64_t skipped = bounds_on_random_problems(63, 60, [&](SmallProblem& p, int) {
    std::uniform_int_distribution<int> bits(1, 4);
    for (StorageLevel& level : p.arch.levels) {
      for (TensorId t : kAllTensors) level.word_bits[t] = 8 * bits(rng);
      level.energy_derivation = EnergyDerivation{"interstellar-28nm", MemoryKind::Sram};
    }
  });
  EXPECT_GT(skipped, 100);
}

TEST(Mapper, BoundsReturnTheSameMappingForManyOperandWorkloads) {
  std::mt19937_64 rng(80);
  const std::int64_t skipped = bounds_on_random_problems(61, 60, [&](SmallProblem& p, int) {
    p.layer = testing::random_workload(rng, 5, 2000, false, 7);
  });
  EXPECT_GT(skipped, 50);
}

TEST(Mapper, BoundsReturnTheSameMappingForTheBackwardPasses) {
  // Every bound (work items, blockings, two per-PE levels) on dgrad and wgrad problems.
  const std::int64_t skipped = bounds_on_random_problems(53, 60, [](SmallProblem& p, int trial) {
    p.layer.pass = trial % 2 == 0 ? Pass::DataGradient : Pass::WeightGradient;
    if (trial % 3 == 0) {  // a second per-PE level holding every tensor
      StorageLevel inner = p.arch.levels.back();
      inner.name = "L" + std::to_string(p.arch.levels.size());
      inner.capacity_bytes = std::max<std::int64_t>(8, inner.capacity_bytes / 2);
      inner.access_energy_pj = p.arch.levels.back().access_energy_pj / 3.0;
      inner.holds = PerTensor<bool>::filled(true);
      p.arch.levels.push_back(inner);
    }
    if (trial % 4 == 1) use_flat_array_costs(p.arch);
  });
  EXPECT_GT(skipped, 100);
}

TEST(Mapper, PerPeBoundsReturnTheSameMappingOnRandomProblemsWithTwoPerPeLevels) {
  // Two storage levels below the array (a second register file, 004 Fig. 13): each choice
  // of their factors is bounded as a whole, and with both holding outputs the bounds charge
  // the inner one's psum traffic only its floor (docs/search.md, "Two per-PE levels").
  int both_hold_outputs = 0;
  const std::int64_t skipped = bounds_on_random_problems(43, 60, [&](SmallProblem& p, int trial) {
    std::vector<StorageLevel>& levels = p.arch.levels;
    while (levels.size() < 4) {  // per-PE levels, each half the size of the one above
      StorageLevel inner = levels.back();
      inner.name = "L" + std::to_string(levels.size());
      inner.capacity_bytes = std::max<std::int64_t>(8, inner.capacity_bytes / 2);
      inner.access_energy_pj = levels.back().access_energy_pj / 3.0;
      levels.push_back(inner);
    }
    // Half below level 0 (as the random problems of 3 levels), half below level 1 (as
    // eyeriss with levels=+rf2: the blocking and level-1 bounds apply there).
    p.arch.array.parent_level = trial % 2;
    levels.resize(static_cast<std::size_t>(p.arch.array.parent_level) + 3);
    if (trial % 4 < 2) for (std::size_t l = 1; l < levels.size(); ++l) levels[l].holds[TensorId::Outputs] = true;
    const std::size_t pe = static_cast<std::size_t>(p.arch.array.parent_level) + 1;
    if (levels[pe].holds[TensorId::Outputs] && levels[pe + 1].holds[TensorId::Outputs]) ++both_hold_outputs;
    if (trial % 3 == 1) use_flat_array_costs(p.arch);
  });
  EXPECT_GE(both_hold_outputs, 30);
  EXPECT_GT(skipped, 100);
}

TEST(Mapper, LevelAboveTheArrayBoundsReturnTheSameMappingOnRandomFourLevelProblems) {
  // Two levels above the one feeding the array (tpu-like: DRAM, a large and a small
  // buffer, the array, a register file): each choice of the feeding level's factors is
  // bounded as a whole (docs/search.md, "Bounding a level above the array").
  const std::int64_t skipped = bounds_on_random_problems(47, 40, [](SmallProblem& p, int trial) {
    std::vector<StorageLevel>& levels = p.arch.levels;
    while (levels.size() < 3) {  // a level feeding the array, below level 0
      StorageLevel buffer = levels.back();
      buffer.name = "L" + std::to_string(levels.size());
      buffer.capacity_bytes = 96;
      buffer.access_energy_pj = 6.0;
      levels.push_back(buffer);
    }
    StorageLevel big = levels[1];  // a larger, costlier buffer between level 0 and it
    big.name = "Big";
    big.capacity_bytes = 4 * std::max<std::int64_t>(levels[1].capacity_bytes, 64);
    big.access_energy_pj = 12.0;
    levels.insert(levels.begin() + 1, big);
    levels.resize(4);
    p.arch.array.parent_level = 2;
    if (trial % 2 == 1) use_flat_array_costs(p.arch);
  });
  EXPECT_GT(skipped, 50);
}

// A small CONV layer (N 2, P 4, Q 2, R 3) with K and C as given, for the preset tests.
Layer small_conv(std::int64_t k, std::int64_t c) {
  Layer conv;
  conv.name = "small-conv";
  conv.bounds[Dim::N] = 2;
  conv.bounds[Dim::K] = k;
  conv.bounds[Dim::C] = c;
  conv.bounds[Dim::P] = 4;
  conv.bounds[Dim::Q] = 2;
  conv.bounds[Dim::R] = 3;
  return conv;
}

TEST(Mapper, WorkItemBoundsReturnTheSameMappingOnPresetsAtFloorZero) {
  // eyeriss (per-hop costs), eyeriss-chip (003's normalized costs, flat array, as the
  // eyeriss-256pe file) and eyeriss with a bypassed level each way (the register file
  // keeps no inputs; the buffer keeps no weights), at the floor 0.
  const Layer conv = small_conv(4, 4);
  struct Case {
    const char* preset;
    int bypass_level;
    TensorId bypassed;
    const char* dataflow;
  };
  for (const Case& c : {Case{"eyeriss", -1, TensorId::Inputs, "R|P"}, Case{"eyeriss-chip", -1, TensorId::Inputs, "R|P"},
                        Case{"eyeriss-chip", -1, TensorId::Inputs, "C|K"}, Case{"eyeriss", 2, TensorId::Inputs, "K|P"},
                        Case{"eyeriss-chip", 1, TensorId::Weights, "R|P"}}) {
    Architecture arch = *arch_preset(c.preset);
    arch.levels[1].capacity_bytes = 2 * 1024;  // a buffer the layer does not fit in
    arch.levels[2].capacity_bytes = 64;
    arch.array.rows = std::min<std::int64_t>(arch.array.rows, 5);
    arch.array.cols = std::min<std::int64_t>(arch.array.cols, 5);
    if (c.bypass_level >= 0) arch.levels[static_cast<std::size_t>(c.bypass_level)].holds[c.bypassed] = false;
    MapperOptions options;
    options.min_utilization = 0.0;
    options.threads = 1;
    options.dataflows = {*parse_dataflow(c.dataflow)};
    const std::string what = std::string(c.preset) + " " + c.dataflow + " bypass " + std::to_string(c.bypass_level);
    const std::int64_t skipped = expect_pruning_changes_nothing(conv, arch, options, what, /*must_find=*/true);
    EXPECT_GT(skipped, 0) << what;
  }
}

TEST(Mapper, PruningReturnsTheSameMappingOnPresets) {
  // eyeriss (3 levels) and tpu-like (4 levels: up to 27 order choices per blocking), on
  // a layer small enough to search without the bounds in a test.
  const Layer conv = small_conv(16, 12);
  for (const char* name : {"eyeriss", "tpu-like"}) {
    Architecture arch = *arch_preset(name);
    if (arch.levels.size() == 4) {
      // Smaller buffers keep the unbounded search of the 4-level nest short.
      arch.levels[1].capacity_bytes = 8 * 1024;
      arch.levels[2].capacity_bytes = 1024;
      arch.array.rows = arch.array.cols = 8;
    }
    MapperOptions options;
    options.min_utilization = 0.5;
    options.dataflows = {*parse_dataflow("C|K")};
    expect_pruning_changes_nothing(conv, arch, options, name, /*must_find=*/true);
  }
}

// One thread, one fixed dataflow, no replication fallback.
MapperOptions fixed_dataflow(const char* dataflow, double min_utilization) {
  MapperOptions options;
  options.min_utilization = min_utilization;
  options.threads = 1;
  options.dataflows = {*parse_dataflow(dataflow)};
  return options;
}

TEST(Mapper, PerPeBoundsReturnTheSameMappingOnEyerissWithASecondRegisterFile) {
  // eyeriss with a 64 B register file between the buffer and its 16 B one, every tensor
  // in both (the dse's levels=+rf2), and once with the outputs kept out of the second.
  struct Case {
    const char* dataflow;
    double floor;
    bool outputs_in_rf2;
  };
  for (const Case& c : {Case{"C|K", 0.0, true}, Case{"R|P", 0.0, true}, Case{"C|K", 0.5, true},
                        Case{"K|P", 0.0, false}}) {
    Architecture arch = *arch_preset("eyeriss");
    arch.levels[1].capacity_bytes = 2 * 1024;
    arch.levels[2].capacity_bytes = 16;
    StorageLevel rf2 = arch.levels[2];
    rf2.name = "RegFile2";
    rf2.capacity_bytes = 64;
    rf2.access_energy_pj = 2.0 * arch.levels[2].access_energy_pj;
    rf2.holds[TensorId::Outputs] = c.outputs_in_rf2;
    arch.levels.insert(arch.levels.begin() + 2, rf2);
    arch.array.rows = std::min<std::int64_t>(arch.array.rows, 5);
    arch.array.cols = std::min<std::int64_t>(arch.array.cols, 5);
    const std::string what = std::string("eyeriss+rf2 ") + c.dataflow + " floor " + std::to_string(c.floor);
    const std::int64_t skipped =
        expect_pruning_changes_nothing(small_conv(4, 4), arch, fixed_dataflow(c.dataflow, c.floor), what, true);
    EXPECT_GT(skipped, 0) << what;
  }
}

TEST(Mapper, ReplicatesAFixedDataflowThatCannotMapALayer) {
  // LeNet-5 conv1 (C = 1) has no C|K mapping at all; with replicate_if_unmapped the
  // mapper takes the best of C|K's replicated extensions, which is the best of searching
  // each of them on its own (first one wins ties, as in the enumeration order).
  const Layer layer = *zoo_layer("lenet5/conv1", 2);
  const Architecture arch = *arch_preset("eyeriss");
  MapperOptions options = fixed_dataflow("C|K", 0.5);
  const MapperResult strict = find_best_mapping(layer, arch, options);
  EXPECT_FALSE(strict.found);
  options.replicate_if_unmapped = true;
  const MapperResult replicated = find_best_mapping(layer, arch, options);
  ASSERT_TRUE(replicated.found);
  EXPECT_TRUE(replicated.replicated);
  EXPECT_GE(replicated.cost.utilization, 0.5);

  std::optional<MapperResult> best;
  std::string best_name;
  MapperOptions one = options;
  one.replicate_if_unmapped = false;
  for (const Dataflow& df : replicated_extensions(options.dataflows[0], layer, arch.array)) {
    one.dataflows = {df};
    const MapperResult r = find_best_mapping(layer, arch, one);
    if (r.found && (!best || r.objective_value < best->objective_value)) {
      best = r;
      best_name = dataflow_name(df);
    }
  }
  ASSERT_TRUE(best);
  EXPECT_EQ(replicated.objective_value, best->objective_value);
  EXPECT_EQ(replicated.mapping, best->mapping);
  EXPECT_EQ(dataflow_name(dataflow_of(replicated.mapping, arch)), best_name);
}

TEST(Mapper, ReplicationIsNotUsedWhenTheFixedDataflowMaps) {
  const Layer layer = *zoo_layer("lenet5/conv2", 2);
  const Architecture arch = *arch_preset("eyeriss");
  MapperOptions options = fixed_dataflow("C|K", 0.3);
  const MapperResult strict = find_best_mapping(layer, arch, options);
  ASSERT_TRUE(strict.found);
  options.replicate_if_unmapped = true;
  const MapperResult r = find_best_mapping(layer, arch, options);
  EXPECT_FALSE(r.replicated);
  EXPECT_EQ(r.mapping, strict.mapping);
  EXPECT_EQ(r.evaluated, strict.evaluated);
}

TEST(Mapper, SameResultWithOneOrTwoThreads) {
  // Every two-loop dataflow of LeNet-5 conv2 (batch 4) on eyeriss: small enough for
  // the sanitizer build, with many work items to spread over the threads.
  const Layer layer = *zoo_layer("lenet5/conv2", 4);
  const Architecture arch = *arch_preset("eyeriss");
  MapperOptions options;
  options.min_utilization = 0.5;
  options.threads = 1;
  const MapperResult one = find_best_mapping(layer, arch, options);
  options.threads = 2;
  const MapperResult two = find_best_mapping(layer, arch, options);
  ASSERT_TRUE(one.found);
  EXPECT_EQ(one.mapping, two.mapping);
  EXPECT_EQ(one.objective_value, two.objective_value);  // bit for bit
  EXPECT_EQ(one.evaluated, two.evaluated);
  EXPECT_GE(one.cost.utilization, options.min_utilization);
}


}  // namespace
}  // namespace dnnspace

namespace dnnspace {
namespace {

// 15 dimensions of 2, two of them unrolled: the outermost level takes the other 13 (once
// more than the 12 temporal loops a level held before, which silently dropped loops).
// Every mapping the mapper returns covers every dimension.
TEST(Mapper, ManyDimensionsAllCovered) {
  WorkloadDescription w;
  w.name = "wide";
  const std::string letters = "ABCDEFGHIJKLMNO";
  FixedVector<IndexAxis, kMaxWorkloadDims> x, y, z;
  for (std::size_t i = 0; i < letters.size(); ++i) {
    const Dim d = *dim_from_letter(letters[i]);
    w.dims.push_back({d, 2});
    if (i < 7) x.push_back({{1, d}});
    if (i >= 7) y.push_back({{1, d}});
    if (i >= 3 && i < 10) z.push_back({{1, d}});
  }
  w.tensors = {{"X", TensorRole::Operand, x}, {"Y", TensorRole::Operand, y}, {"Z", TensorRole::Output, z}};
  const Layer layer = *make_workload_layer(w);
  Architecture arch;
  arch.name = "two";
  arch.levels.resize(2);
  arch.levels[0].name = "DRAM";
  arch.levels[0].access_energy_pj = 100;
  arch.levels[1].name = "RF";
  arch.levels[1].capacity_bytes = 64;
  arch.levels[1].access_energy_pj = 1;
  arch.array = PeArray{4, 4, 0, ArrayCostStyle::PerHop, 0.1, 0.0};
  MapperOptions options;
  options.threads = 1;
  options.min_utilization = 0.01;
  options.dataflows = {*parse_dataflow("N|K", layer_dims(layer))};
  const MapperResult r = find_best_mapping(layer, arch, options);
  ASSERT_TRUE(r.found);
  EXPECT_TRUE(check_mapping(layer, arch, r.mapping));
  const CostResult c = evaluate(prepare(layer, arch), r.mapping);
  EXPECT_EQ(c.macs, std::int64_t{1} << 15);
  EXPECT_LE(c.utilization, 1.0);
  EXPECT_GE(c.compute_cycles, (std::int64_t{1} << 15) / 16);
}


}  // namespace
}  // namespace dnnspace

namespace dnnspace {
namespace {

// A nest with one dimension above 1 (or none) has no two-loop dataflow; the free search
// unrolls the lone dimension on the rows (or nothing) instead of finding no mapping.
TEST(Mapper, FewerThanTwoDimensionsStillMap) {
  const Architecture arch = *arch_preset("eyeriss");
  MapperOptions options;
  options.threads = 1;
  options.min_utilization = 0.0;
  Layer fc;  // N = K = C = 1 but for K
  fc.kind = LayerKind::FullyConnected;
  fc.bounds[Dim::K] = 7;
  const MapperResult r = find_best_mapping(fc, arch, options);
  ASSERT_TRUE(r.found);
  EXPECT_TRUE(check_mapping(fc, arch, r.mapping));
  const CostResult c = evaluate(prepare(fc, arch), r.mapping);
  EXPECT_EQ(c.macs, 7);
  EXPECT_LE(c.utilization, 1.0);
  EXPECT_EQ(dataflow_name(dataflow_of(r.mapping, arch)), "K|");
  const MapperResult none = find_best_mapping(Layer{}, arch, options);  // every bound 1
  ASSERT_TRUE(none.found);
  EXPECT_EQ(evaluate(prepare(Layer{}, arch), none.mapping).macs, 1);
}


// DRAM (200 pJ) over a 2x2 array of PEs, each with a buffer of `buffer_bytes` (1 pJ),
// holding everything; the dataflow rows|cols: the mapper's optimum equals brute force.
void expect_mapper_equals_brute_force_on_two_levels(const Layer& layer, std::int64_t buffer_bytes, Dim rows, Dim cols) {
  Architecture arch;
  arch.name = "two-level";
  for (int l = 0; l < 2; ++l) {
    StorageLevel s;
    s.name = "L" + std::to_string(l);
    s.access_energy_pj = l == 0 ? 200.0 : 1.0;
    s.capacity_bytes = l == 0 ? 0 : buffer_bytes;
    arch.levels.push_back(s);
  }
  arch.array = PeArray{2, 2, 0, ArrayCostStyle::PerHop, 0.05, 0.0};
  arch.mac_energy_pj = 0.1;
  Dataflow df;
  df.rows.push_back(rows);
  df.cols.push_back(cols);
  MapperOptions options;
  options.dataflows = {df};
  options.min_utilization = 0.0;
  options.threads = 1;
  const MapperResult r = find_best_mapping(layer, arch, options);
  std::int64_t brute_evaluated = 0;
  const double brute = brute_force_best(layer, arch, df, 0.0, &brute_evaluated);
  ASSERT_TRUE(r.found);
  EXPECT_DOUBLE_EQ(r.objective_value, brute) << format_loop_nest(layer, arch, r.mapping);
}

// A dimension irrelevant to two tensors: in O[V,W,X,Y,Z] += A[V,W,Z] * B[V,W,Y], X
// indexes only O, Y is irrelevant to A, Z to B. The order "Z, Y, X" (X innermost) keeps X
// resident for both A and B and Y for A; neither "A stationary" with its irrelevant loops
// in dimension order (Z, X, Y) nor any other one-tensor order does as well, so an order
// set of one order per tensor misses the optimum (docs/search.md, "Why those orders
// suffice").
TEST(Mapper, DimensionsIrrelevantToTwoTensorsEqualBruteForce) {
  WorkloadDescription w;
  w.name = "broadcast";
  w.dims = {{Dim::V, 2}, {Dim::W, 2}, {Dim::X, 4}, {Dim::Y, 4}, {Dim::Z, 4}};
  auto index = [](std::initializer_list<Dim> dims) {
    FixedVector<IndexAxis, kMaxWorkloadDims> out;
    for (Dim d : dims) out.push_back(IndexAxis{{1, d}});
    return out;
  };
  w.tensors = {{"A", TensorRole::Operand, index({Dim::V, Dim::W, Dim::Z})},
               {"B", TensorRole::Operand, index({Dim::V, Dim::W, Dim::Y})},
               {"O", TensorRole::Output, index({Dim::V, Dim::W, Dim::X, Dim::Y, Dim::Z})}};
  const Expected<Layer> layer = make_workload_layer(w);
  ASSERT_TRUE(layer) << layer.error().message;
  // Each PE's buffer holds one word of each tensor: X, Y and Z all stay on level 0.
  expect_mapper_equals_brute_force_on_two_levels(*layer, 6, Dim::V, Dim::W);
}

// The loop-order limit (check_searchable): a workload of more than 5 tensors whose
// dimensions fall into more than 5 irrelevance classes, one of them of two tensors, is
// refused with the reason; at 5 classes it maps, and exactly (brute force).
TEST(Mapper, LoopOrderLimitAtMaxAndPast) {
  const auto workload = [](int classes) {
    // Dimension i (A, B, ...) is irrelevant to tensor i, and A to tensor 1 as well.
    WorkloadDescription w;
    w.name = "six";
    const std::string letters = "ABCDEF";
    for (int i = 0; i < classes; ++i) w.dims.push_back({*dim_from_letter(letters[static_cast<std::size_t>(i)]), 2});
    for (int t = 0; t < 6; ++t) {
      TensorDescription desc;
      desc.name = "t" + std::to_string(t);
      desc.role = t == 5 ? TensorRole::Output : TensorRole::Operand;
      for (int i = 0; i < classes; ++i) {
        if (i == t || (i == 0 && t == 1)) continue;
        desc.index.push_back(IndexAxis{{1, *dim_from_letter(letters[static_cast<std::size_t>(i)])}});
      }
      w.tensors.push_back(desc);
    }
    const Expected<Layer> layer = make_workload_layer(w);
    EXPECT_TRUE(layer) << layer.error().message;
    return *layer;
  };
  const Layer past = workload(6);
  const Expected<void> refused = check_searchable(past);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "layer 'six': 6 tensors whose dimensions fall into 6 sets of tensors they do not index, some dimension "
            "into two or more; with more than 5 tensors the mapper handles at most 5 such sets (541 loop orders per "
            "level)");
  Network network;
  network.name = "net";
  network.layers = {past};
  EXPECT_FALSE(check_searchable(network));

  const Layer max = workload(5);
  ASSERT_TRUE(check_searchable(max));
  expect_mapper_equals_brute_force_on_two_levels(max, 16, Dim::A, Dim::B);
}

// A time budget stops the search and says so: the result is the best of what was
// searched (fewer work items than there are), marked timed_out, not interrupted. AlexNet
// CONV3 at floor 0 has over a million work items, far more than a millisecond's worth.
// Without a budget the same search of a small layer runs to the end.
TEST(Mapper, TimeLimitStopsTheSearchAndSaysSo) {
  const Architecture arch = *arch_preset("eyeriss");
  MapperOptions options;
  options.min_utilization = 0.0;
  options.threads = 1;
  options.time_limit_s = 0.001;
  const MapperResult r = find_best_mapping(*zoo_layer("alexnet/conv3", 16), arch, options);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.interrupted);
  EXPECT_LT(r.work_items_searched, r.work_items);
  options.time_limit_s = 0.0;
  options.min_utilization = 0.75;
  const MapperResult full = find_best_mapping(*zoo_layer("lenet5/conv1", 1), arch, options);
  EXPECT_FALSE(full.timed_out);
  EXPECT_EQ(full.work_items_searched, full.work_items);
  options.time_limit_s = 3600.0;  // a budget that is not reached changes nothing
  const MapperResult budgeted = find_best_mapping(*zoo_layer("lenet5/conv1", 1), arch, options);
  EXPECT_FALSE(budgeted.timed_out);
  EXPECT_EQ(budgeted.objective_value, full.objective_value);
  EXPECT_EQ(budgeted.evaluated, full.evaluated);
}

}  // namespace
}  // namespace dnnspace
