// Google Benchmarks of the analytical cost model: ns per evaluate() of one mapping.
//
// One mapping of a 7-dimension conv (AlexNet CONV3) on a 4-level hierarchy
// (BM_evaluate_4level), on the 3-level eyeriss preset, with partial tiles, and with
// prepare() on top. Each is timed by value (evaluate(), which returns a zeroed 5 kB
// CostResult) and, as the mapper calls the model, into one reused result (evaluate_into).
// The cases are the same as in tests/model/no_allocation_test.cpp, which checks that
// evaluate() allocates nothing on them; keep the two in step.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <utility>

#include "dnnspace/arch/level_energy.hpp"
#include "dnnspace/arch/presets.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

// A benchmark input: everything evaluate() needs, built once outside the timed loop.
struct Case {
  Layer layer;
  Architecture arch;
  Mapping mapping;
};

// Setup errors are programming errors in this file: stop loudly rather than time garbage.
template <typename T>
T must(Expected<T> value, const char* what) {
  if (!value) {
    std::fprintf(stderr, "model_bench: %s: %s\n", what, value.error().message.c_str());
    std::abort();
  }
  return std::move(*value);
}

void must(Expected<void> done, const char* what) {
  if (!done) {
    std::fprintf(stderr, "model_bench: %s: %s\n", what, done.error().message.c_str());
    std::abort();
  }
}

LevelLoops level(std::initializer_list<Loop> temporal, std::initializer_list<Loop> rows = {},
                 std::initializer_list<Loop> cols = {}) {
  LevelLoops out;
  for (const Loop& l : temporal) out.temporal.push_back(l);
  for (const Loop& l : rows) out.rows.push_back(l);
  for (const Loop& l : cols) out.cols.push_back(l);
  return out;
}

// Eyeriss (004 Fig. 7) with a second, 2 MiB double-buffered global buffer between DRAM
// and the 128 KB one, so every level can hold a loop of the mapping; tpu-like has 4
// levels too, but its 8 B register file cannot hold any loop. The new level's energy
// comes from the same table as the preset's others.
Architecture eyeriss_with_l2() {
  Architecture arch = must(arch_preset("eyeriss"), "arch_preset(eyeriss)");
  constexpr std::int64_t kL2Bytes = 2 * 1024 * 1024;
  StorageLevel l2;
  l2.name = "GlobalBuffer2";
  l2.capacity_bytes = kL2Bytes;
  l2.double_buffered = true;
  must(derive_level_energy(l2, EnergyDerivation{"interstellar-28nm", MemoryKind::Sram}, arch.word_bits),
       "derive_level_energy(2 MiB SRAM)");
  arch.name = "eyeriss-l2";
  arch.levels.insert(arch.levels.begin() + 1, l2);
  arch.array.parent_level = 2;  // the array still hangs below the 128 KB buffer
  return arch;
}

// (a) AlexNet CONV3, N = 16, on DRAM / GlobalBuffer2 / GlobalBuffer / RegFile:
//   DRAM [N:8 K:4 C:2] / GB2 [N:2 K:3 C:4] / GB [P:13 Q:13] rows [C:16] cols [K:16] /
//   RegFile [K:2 C:2 R:3 S:3]. Covers N 16, K 384, C 256, P 13, Q 13, R 3, S 3 exactly.
Case case_4level() {
  Case c{must(zoo_layer("alexnet/conv3", 16), "zoo_layer"), eyeriss_with_l2(), {}};
  c.mapping.levels.push_back(level({{8, Dim::N}, {4, Dim::K}, {2, Dim::C}}));
  c.mapping.levels.push_back(level({{2, Dim::N}, {3, Dim::K}, {4, Dim::C}}));
  c.mapping.levels.push_back(level({{13, Dim::P}, {13, Dim::Q}}, {{16, Dim::C}}, {{16, Dim::K}}));
  c.mapping.levels.push_back(level({{2, Dim::K}, {2, Dim::C}, {3, Dim::R}, {3, Dim::S}}));
  return c;
}

// (b) The mapping on eyeriss: DRAM [N:16 K:12 C:8] / GB [P:13 Q:13] rows [C:16]
//   cols [K:16] / RegFile [K:2 C:2 R:3 S:3].
Case case_eyeriss() {
  Case c{must(zoo_layer("alexnet/conv3", 16), "zoo_layer"), must(arch_preset("eyeriss"), "arch_preset"), {}};
  c.mapping.levels.push_back(level({{16, Dim::N}, {12, Dim::K}, {8, Dim::C}}));
  c.mapping.levels.push_back(level({{13, Dim::P}, {13, Dim::Q}}, {{16, Dim::C}}, {{16, Dim::K}}));
  c.mapping.levels.push_back(level({{2, Dim::K}, {2, Dim::C}, {3, Dim::R}, {3, Dim::S}}));
  return c;
}

// (c) As (b) but P and Q split 4 x 4 = 16 for 13: the last tiles are partial, so the
//   model enumerates outer indices instead of taking the all-full-tiles shortcut.
//   DRAM [N:16 K:12 C:8 P:4 Q:4] / GB [P:4 Q:4] rows [C:16] cols [K:16] / RegFile as (b).
Case case_partial() {
  Case c{must(zoo_layer("alexnet/conv3", 16), "zoo_layer"), must(arch_preset("eyeriss"), "arch_preset"), {}};
  c.mapping.levels.push_back(
      level({{16, Dim::N}, {12, Dim::K}, {8, Dim::C}, {4, Dim::P}, {4, Dim::Q}}));
  c.mapping.levels.push_back(level({{4, Dim::P}, {4, Dim::Q}}, {{16, Dim::C}}, {{16, Dim::K}}));
  c.mapping.levels.push_back(level({{2, Dim::K}, {2, Dim::C}, {3, Dim::R}, {3, Dim::S}}));
  return c;
}

// A case must be legal and fit, or the timing describes an early exit, not the model.
Case checked(Case c) {
  if (Expected<void> ok = check_mapping(c.layer, c.arch, c.mapping); !ok) {
    std::fprintf(stderr, "model_bench: illegal mapping on %s: %s\n", c.arch.name.c_str(),
                 ok.error().message.c_str());
    std::abort();
  }
  return c;
}

void run_evaluate(benchmark::State& state, const Case& c) {
  const PreparedProblem problem = prepare(c.layer, c.arch);
  if (!evaluate(problem, c.mapping).feasible()) {
    state.SkipWithError("mapping infeasible");
    return;
  }
  for (auto _ : state) {
    CostResult r = evaluate(problem, c.mapping);
    benchmark::DoNotOptimize(r);
  }
}

// As the mapper calls the model: into one CostResult reused across calls.
void run_evaluate_into(benchmark::State& state, const Case& c) {
  const PreparedProblem problem = prepare(c.layer, c.arch);
  CostResult r;
  for (auto _ : state) {
    evaluate_into(problem, c.mapping, r);
    benchmark::DoNotOptimize(r);
  }
}

void BM_evaluate_into_4level(benchmark::State& state) {
  static const Case c = checked(case_4level());
  run_evaluate_into(state, c);
}

void BM_evaluate_4level(benchmark::State& state) {
  static const Case c = checked(case_4level());
  run_evaluate(state, c);
}

void BM_evaluate_eyeriss(benchmark::State& state) {
  static const Case c = checked(case_eyeriss());
  run_evaluate(state, c);
}

void BM_evaluate_into_eyeriss(benchmark::State& state) {
  static const Case c = checked(case_eyeriss());
  run_evaluate_into(state, c);
}

void BM_evaluate_partial_tiles(benchmark::State& state) {
  static const Case c = checked(case_partial());
  run_evaluate(state, c);
}

void BM_evaluate_into_partial_tiles(benchmark::State& state) {
  static const Case c = checked(case_partial());
  run_evaluate_into(state, c);
}

// What a caller pays when it does not reuse the prepared problem: prepare() copies the
// layer and the architecture (strings, the level vector), so it allocates.
void BM_prepare_and_evaluate_4level(benchmark::State& state) {
  static const Case c = checked(case_4level());
  for (auto _ : state) {
    CostResult r = evaluate(prepare(c.layer, c.arch), c.mapping);
    benchmark::DoNotOptimize(r);
  }
}

BENCHMARK(BM_evaluate_4level)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_evaluate_into_4level)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_evaluate_eyeriss)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_evaluate_into_eyeriss)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_evaluate_partial_tiles)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_evaluate_into_partial_tiles)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_prepare_and_evaluate_4level)->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace dnnspace

BENCHMARK_MAIN();
