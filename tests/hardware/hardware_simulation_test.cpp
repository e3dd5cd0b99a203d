// The generated accelerators simulated with Verilator on random small CONV and FC layers:
// outputs bit-exact against the engine's mapped execution (int8 operands, int32 sums), and
// every buffer's reads and writes per tensor, the PE-to-PE transfers, the MACs and the
// cycles equal to the cost model's (docs/hardware.md, "Simulation results").
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "dnnspace/engine/mapped_execution.hpp"
#include "dnnspace/hardware/generate.hpp"
#include "dnnspace/mapping/print.hpp"
#include "dnnspace/mapping/schedule.hpp"
#include "dnnspace/model/cost.hpp"
#include "support/hardware_sim.hpp"

namespace dnnspace {
namespace {

constexpr auto I = TensorId::Inputs, W = TensorId::Weights, O = TensorId::Outputs;
// Every bank of the simulated designs holds this many words, so that one verilated design
// per array shape runs all the layers of a family from their configuration registers.
constexpr std::int64_t kBankWords = 512;

std::int64_t uniform(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

// A random divisor of n that is at most limit.
std::int64_t divisor_at_most(std::mt19937_64& rng, std::int64_t n, std::int64_t limit) {
  std::vector<std::int64_t> ds;
  for (std::int64_t d = 1; d <= n && d <= limit; ++d) {
    if (n % d == 0) ds.push_back(d);
  }
  return ds[static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(ds.size()) - 1))];
}

// A spatial factor: the largest divisor that fits, two times in three (arrays mostly
// used), else any.
std::int64_t spatial_factor(std::mt19937_64& rng, std::int64_t n, std::int64_t limit) {
  if (uniform(rng, 0, 2) == 0) return divisor_at_most(rng, n, limit);
  std::int64_t best = 1;
  for (std::int64_t d = 1; d <= n && d <= limit; ++d) {
    if (n % d == 0) best = d;
  }
  return best;
}

Layer conv_layer(std::mt19937_64& rng, bool fc) {
  Layer l;
  l.name = fc ? "fc" : "conv";
  l.kind = fc ? LayerKind::FullyConnected : LayerKind::Conv;
  l.bounds[Dim::N] = uniform(rng, 1, fc ? 4 : 2);
  l.bounds[Dim::K] = uniform(rng, 1, fc ? 12 : 8);
  l.bounds[Dim::C] = uniform(rng, 1, fc ? 12 : 6);
  if (!fc) {
    l.bounds[Dim::P] = uniform(rng, 1, 4);
    l.bounds[Dim::Q] = uniform(rng, 1, 4);
    l.bounds[Dim::R] = uniform(rng, 1, 3);
    l.bounds[Dim::S] = uniform(rng, 1, 3);
    l.pad_h = l.pad_w = uniform(rng, 0, 1);
  }
  return l;
}

// DRAM -> global buffer (inputs, weights, 32-bit psums) -> a weight register per PE.
Architecture systolic_arch(const Layer& l, std::int64_t rows, std::int64_t cols) {
  Architecture a;
  a.name = "systolic";
  a.word_bits = 8;
  a.levels.resize(3);
  a.levels[0].name = "DRAM";
  a.levels[1].name = "GlobalBuffer";
  a.levels[2].name = "WeightReg";
  for (int i : {0, 1}) a.levels[static_cast<std::size_t>(i)].word_bits[O] = 32;
  a.levels[1].capacity_bytes = tensor_size(l, I) + tensor_size(l, W) + 4 * tensor_size(l, O);
  a.levels[2].holds = PerTensor<bool>::filled(false);
  a.levels[2].holds[W] = true;
  a.levels[2].capacity_bytes = 1;
  a.array.rows = rows;
  a.array.cols = cols;
  a.array.parent_level = 1;
  a.array.timing = ArrayTiming::Systolic;
  return a;
}

// Splits every dimension's bound between the given spatial factors, the global buffer's
// temporal loops and the per-PE loops (N, P, Q only), each level's loops in random order.
Mapping random_mapping(std::mt19937_64& rng, const Layer& l, const PerDim<std::int64_t>& spatial, const std::vector<Loop>& rows,
                       const std::vector<Loop>& cols, bool per_pe_level, bool per_pe_p = true) {
  Mapping m;
  m.levels.resize(per_pe_level ? 3 : 2);
  for (const Loop& x : rows) m.levels[1].rows.push_back(x);
  for (const Loop& x : cols) m.levels[1].cols.push_back(x);
  std::vector<Loop> gb, pe;
  for (Dim d : kConvDims) {
    std::int64_t rest = l.bounds[d] / spatial[d];
    const bool streams = d == Dim::N || d == Dim::Q || (d == Dim::P && per_pe_p);
    if (per_pe_level && streams) {
      const std::int64_t inner = divisor_at_most(rng, rest, rest);
      if (inner > 1) pe.push_back({inner, d});
      rest /= inner;
    }
    if (rest > 1) gb.push_back({rest, d});
  }
  std::shuffle(gb.begin(), gb.end(), rng);
  std::shuffle(pe.begin(), pe.end(), rng);
  for (const Loop& x : gb) m.levels[1].temporal.push_back(x);
  if (per_pe_level) {
    for (const Loop& x : pe) m.levels[2].temporal.push_back(x);
  }
  return m;
}

struct Problem {
  Layer layer;
  Architecture arch;
  Mapping mapping;
};

Problem ck_problem(std::mt19937_64& rng, std::int64_t rows, std::int64_t cols, bool fc) {
  Problem p;
  p.layer = conv_layer(rng, fc);
  p.arch = systolic_arch(p.layer, rows, cols);
  PerDim<std::int64_t> spatial = PerDim<std::int64_t>::filled(1);
  std::vector<Loop> row_loops, col_loops;
  // Reductions on the rows: C, and R or S when there is room left.
  std::int64_t room = rows;
  std::vector<Dim> reductions{Dim::C, Dim::R, Dim::S};
  std::shuffle(reductions.begin(), reductions.end(), rng);
  for (Dim d : reductions) {
    const std::int64_t f = spatial_factor(rng, p.layer.bounds[d], room);
    if (f > 1) row_loops.push_back({f, d});
    spatial[d] = f;
    room /= f;
  }
  spatial[Dim::K] = spatial_factor(rng, p.layer.bounds[Dim::K], cols);
  if (spatial[Dim::K] > 1) col_loops.push_back({spatial[Dim::K], Dim::K});
  p.mapping = random_mapping(rng, p.layer, spatial, row_loops, col_loops, true);
  return p;
}

// R|P (Eyeriss's row stationary, 004 Fig. 4b): filter rows on the array rows, output rows
// on the columns; the rest of R and P at the global buffer, N and Q per PE.
Problem rp_problem(std::mt19937_64& rng, std::int64_t rows, std::int64_t cols) {
  Problem p;
  p.layer = conv_layer(rng, false);
  // Bounds with a divisor from 2 to the axis (rows 2 or 3, columns 4): always R|P.
  p.layer.bounds[Dim::R] = uniform(rng, 2, 3);
  p.layer.bounds[Dim::P] = std::vector<std::int64_t>{2, 3, 4, 6, 8}[static_cast<std::size_t>(uniform(rng, 0, 4))];
  p.arch = systolic_arch(p.layer, rows, cols);
  PerDim<std::int64_t> spatial = PerDim<std::int64_t>::filled(1);
  spatial[Dim::R] = p.layer.bounds[Dim::R];
  spatial[Dim::P] = spatial_factor(rng, p.layer.bounds[Dim::P], cols);
  for (std::int64_t d = 2; d <= cols && spatial[Dim::P] == 1; ++d) {
    if (p.layer.bounds[Dim::P] % d == 0) spatial[Dim::P] = d;
  }
  const std::vector<Loop> row_loops{{spatial[Dim::R], Dim::R}}, col_loops{{spatial[Dim::P], Dim::P}};
  p.mapping = random_mapping(rng, p.layer, spatial, row_loops, col_loops, true, false);
  return p;
}

// The C reduction tree (004 Fig. 4a): C on a 1-D ideal array of `lanes`, every other loop
// temporal at the global buffer; DRAM -> global buffer only.
Problem tree_problem(std::mt19937_64& rng, std::int64_t lanes, bool fc) {
  Problem p;
  p.layer = conv_layer(rng, fc);
  p.arch = systolic_arch(p.layer, 1, lanes);
  p.arch.name = "tree";
  p.arch.levels.resize(2);
  p.arch.array.timing = ArrayTiming::Ideal;
  PerDim<std::int64_t> spatial = PerDim<std::int64_t>::filled(1);
  spatial[Dim::C] = spatial_factor(rng, p.layer.bounds[Dim::C], lanes);
  std::vector<Loop> col_loops;
  if (spatial[Dim::C] > 1) col_loops.push_back({spatial[Dim::C], Dim::C});
  p.mapping = random_mapping(rng, p.layer, spatial, {}, col_loops, false);
  return p;
}

std::string describe(const Problem& p) {
  std::string s = "layer N" + std::to_string(p.layer.bounds[Dim::N]) + " K" + std::to_string(p.layer.bounds[Dim::K]) + " C" +
                  std::to_string(p.layer.bounds[Dim::C]) + " P" + std::to_string(p.layer.bounds[Dim::P]) + " Q" +
                  std::to_string(p.layer.bounds[Dim::Q]) + " R" + std::to_string(p.layer.bounds[Dim::R]) + " S" +
                  std::to_string(p.layer.bounds[Dim::S]) + "; mapping:";
  for (std::size_t l = 0; l < p.mapping.levels.size(); ++l) {
    s += " L" + std::to_string(l) + "[";
    for (const Loop& x : p.mapping.levels[l].temporal) s += std::string(1, dim_letter(x.dim)) + std::to_string(x.factor) + " ";
    s += "| rows ";
    for (const Loop& x : p.mapping.levels[l].rows) s += std::string(1, dim_letter(x.dim)) + std::to_string(x.factor) + " ";
    s += "cols ";
    for (const Loop& x : p.mapping.levels[l].cols) s += std::string(1, dim_letter(x.dim)) + std::to_string(x.factor) + " ";
    s += "]";
  }
  return s;
}

std::vector<std::int8_t> random_operands(std::mt19937_64& rng, std::int64_t n) {
  std::vector<std::int8_t> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = static_cast<std::int8_t>(uniform(rng, -128, 127));
  return v;
}

// One row of docs/hardware.md's tables, printed for the record.
void print_row(const Problem& p, const CostResult& m, const SimulationResult& s) {
  std::printf("[hw] %s\n[hw]   model/RTL:", describe(p).c_str());
  for (int l = 0; l < m.num_levels; ++l) {
    for (TensorId t : {I, W, O}) {
      const auto& a = m.levels[static_cast<std::size_t>(l)].accesses[t];
      if (a.reads == 0 && a.writes == 0) continue;
      const auto& b = s.accesses[static_cast<std::size_t>(l)][t];
      std::printf(" L%d.%c %lld/%lld vs %lld/%lld;", l, tensor_name(t)[0], static_cast<long long>(a.reads),
                  static_cast<long long>(a.writes), static_cast<long long>(b.reads), static_cast<long long>(b.writes));
    }
  }
  std::printf(" xfer I %lld/%lld W %lld/%lld O %lld/%lld; macs %lld; cycles %lld vs compute %lld (total %lld)\n",
              static_cast<long long>(m.array_transfers[I]), static_cast<long long>(s.array_transfers[I]),
              static_cast<long long>(m.array_transfers[W]), static_cast<long long>(s.array_transfers[W]),
              static_cast<long long>(m.array_transfers[O]), static_cast<long long>(s.array_transfers[O]),
              static_cast<long long>(s.macs), static_cast<long long>(m.cycles), static_cast<long long>(s.compute_cycles),
              static_cast<long long>(s.total_cycles));
}

// Generates, simulates and compares one problem.
void check_problem(testing::VerilatedCache& cache, std::mt19937_64& rng, const Problem& p, HardwareFamily family) {
  SCOPED_TRACE(describe(p));
  HardwareOptions options;
  options.min_bank_words = kBankWords;
  const Expected<GeneratedDesign> design = generate_hardware(p.layer, p.arch, p.mapping, options);
  ASSERT_TRUE(design) << design.error().message;
  EXPECT_EQ(design->summary.family, family);
  const std::vector<std::int8_t> inputs = random_operands(rng, tensor_size(p.layer, I));
  const std::vector<std::int8_t> weights = random_operands(rng, tensor_size(p.layer, W));
  const auto engine = engine::execute_mapped<engine::Int8Datapath>(p.layer, p.arch, p.mapping, inputs, weights);
  const CostResult model = evaluate(prepare(p.layer, p.arch), p.mapping);
  ASSERT_TRUE(model.feasible());
  std::vector<std::int64_t> expected(engine.outputs.begin(), engine.outputs.end());
  const std::int64_t dram_words = model.levels[0].accesses[I].reads + model.levels[0].accesses[W].reads +
                                  model.levels[0].accesses[O].reads + model.levels[0].accesses[O].writes;
  const Expected<SimulationResult> sim =
      testing::simulate_design(cache, *design, inputs, weights, expected, tensor_size(p.layer, O), 4 * (model.cycles + dram_words) + 1000);
  ASSERT_TRUE(sim) << sim.error().message;
  EXPECT_EQ(sim->outputs, expected) << "outputs differ from the engine's";
  EXPECT_EQ(sim->mismatches, 0);
  for (int l = 0; l < model.num_levels; ++l) {
    for (TensorId t : {I, W, O}) {
      const TensorAccesses& m = model.levels[static_cast<std::size_t>(l)].accesses[t];
      const CountedAccesses& s = sim->accesses[static_cast<std::size_t>(l)][t];
      EXPECT_EQ(s.reads, m.reads) << "level " << l << " " << tensor_name(t) << " reads";
      EXPECT_EQ(s.writes, m.writes) << "level " << l << " " << tensor_name(t) << " writes";
    }
  }
  for (TensorId t : {I, W, O}) EXPECT_EQ(sim->array_transfers[t], model.array_transfers[t]) << tensor_name(t) << " transfers";
  EXPECT_EQ(sim->macs, model.macs);
  // Cycles: the array's (folds with their loads, skew and steps) are the model's; the DMA
  // between DRAM and the global buffer moves one word a cycle before and after, not
  // overlapped (docs/hardware.md, "Cycles").
  EXPECT_EQ(model.refill_stall_cycles, 0);
  EXPECT_EQ(sim->compute_cycles, model.cycles);
  EXPECT_EQ(sim->compute_cycles, model.compute_cycles + model.fill_drain_cycles);
  EXPECT_EQ(sim->dma_cycles, dram_words);
  EXPECT_EQ(sim->total_cycles, model.cycles + dram_words);
  print_row(p, model, *sim);
}

// The verilated models are separate programs, built without the sanitizers, so the
// sanitizer build runs them too (its generator and engine code are what it checks). Set
// DNNSPACE_SKIP_SIMULATION in the environment to skip them (a machine without the time).
bool simulation_skipped() { return std::getenv("DNNSPACE_SKIP_SIMULATION") != nullptr; }
constexpr const char* kSkipReason = "DNNSPACE_SKIP_SIMULATION is set: the Verilator simulations are skipped";

TEST(HardwareSimulation, CkSystolicConvAndFcLayers) {
  if (simulation_skipped()) GTEST_SKIP() << kSkipReason;
  testing::VerilatedCache cache;
  std::mt19937_64 rng(20261204);
  for (int i = 0; i < 8; ++i) {
    const Problem p = ck_problem(rng, 4, 4, i % 3 == 2);
    check_problem(cache, rng, p, HardwareFamily::SystolicCK);
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::printf("[hw] C|K: %d verilator build(s) in %.1f s\n", cache.builds(), cache.build_seconds());
}

TEST(HardwareSimulation, CkSystolicOnAWideArray) {
  if (simulation_skipped()) GTEST_SKIP() << kSkipReason;
  testing::VerilatedCache cache;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 3; ++i) {
    const Problem p = ck_problem(rng, 2, 6, i == 2);
    check_problem(cache, rng, p, HardwareFamily::SystolicCK);
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::printf("[hw] C|K 2x6: %d verilator build(s) in %.1f s\n", cache.builds(), cache.build_seconds());
}

TEST(HardwareSimulation, ReductionTreeConvAndFcLayers) {
  if (simulation_skipped()) GTEST_SKIP() << kSkipReason;
  testing::VerilatedCache cache;
  std::mt19937_64 rng(4);
  for (int i = 0; i < 6; ++i) {
    const Problem p = tree_problem(rng, 8, i % 2 == 1);
    check_problem(cache, rng, p, HardwareFamily::ReductionTree);
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::printf("[hw] tree: %d verilator build(s) in %.1f s\n", cache.builds(), cache.build_seconds());
}

TEST(HardwareSimulation, RpSystolicConvLayers) {
  if (simulation_skipped()) GTEST_SKIP() << kSkipReason;
  testing::VerilatedCache cache;
  std::mt19937_64 rng(1204);
  for (int i = 0; i < 6; ++i) {
    const Problem p = rp_problem(rng, 3, 4);
    check_problem(cache, rng, p, HardwareFamily::SystolicRP);
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::printf("[hw] R|P: %d verilator build(s) in %.1f s\n", cache.builds(), cache.build_seconds());
}

// 004's flow end to end: a schedule in Halide's language, compiled onto the architecture it
// implies (its buffers sized to their tiles, the array as large as its unrolled loops),
// generated and simulated; one schedule per family (docs/schedules.md, docs/hardware.md).
Problem scheduled_problem(const Layer& layer, const Schedule& schedule) {
  const Expected<CompiledSchedule> compiled = compile_schedule(layer, schedule);
  EXPECT_TRUE(compiled) << compiled.error().message;
  if (!compiled) return {};
  return {layer, compiled->arch, compiled->mapping};
}

Layer fixed_conv(std::int64_t k, std::int64_t c, std::int64_t p, std::int64_t q, std::int64_t r, std::int64_t s, int pad) {
  Layer l;
  l.name = "conv";
  l.bounds[Dim::N] = 1, l.bounds[Dim::K] = k, l.bounds[Dim::C] = c;
  l.bounds[Dim::P] = p, l.bounds[Dim::Q] = q, l.bounds[Dim::R] = r, l.bounds[Dim::S] = s;
  l.pad_h = l.pad_w = pad;
  return l;
}

TEST(HardwareSimulation, SchedulesOnTheArchitecturesTheyImply) {
  if (simulation_skipped()) GTEST_SKIP() << kSkipReason;
  testing::VerilatedCache cache;
  std::mt19937_64 rng(18);
  {  // C|K (Fig. 4c): C3 on the rows, K4 on the columns, a weight register per PE.
    Schedule s;
    s.split("k", "kg", "ka", 4).split("c", "cg", "ca", 3).reorder({"q", "p", "ca", "ka", "s", "r", "cg", "kg", "n"});
    s.unroll("ca", Axis::Rows).unroll("ka", Axis::Cols).systolic().accelerate({"inputs", "weights"});
    for (const char* t : {"inputs", "weights", "outputs"}) s.buffer(t, "GlobalBuffer", "");
    s.buffer("weights", "WeightReg", "ca");
    const Problem p = scheduled_problem(fixed_conv(8, 6, 4, 4, 3, 3, 1), s);
    ASSERT_EQ(p.arch.array.rows, 3);
    ASSERT_EQ(p.arch.array.cols, 4);
    check_problem(cache, rng, p, HardwareFamily::SystolicCK);
  }
  {  // R|P (Fig. 4b, F_Y|Y): R3 on the rows, P4 on the columns, Q streamed per PE.
    Schedule s;
    s.reorder({"q", "r", "p", "s", "c", "k", "n"}).unroll("r", Axis::Rows).unroll("p", Axis::Cols).systolic();
    s.accelerate({"inputs", "weights"});
    for (const char* t : {"inputs", "weights", "outputs"}) s.buffer(t, "GlobalBuffer", "");
    s.buffer("weights", "WeightReg", "r");
    check_problem(cache, rng, scheduled_problem(fixed_conv(2, 2, 4, 5, 3, 2, 0), s), HardwareFamily::SystolicRP);
  }
  {  // C (Fig. 4a): four input channels summed by a reduction tree, no systolic().
    Layer fc = fixed_conv(4, 12, 1, 1, 1, 1, 0);
    fc.kind = LayerKind::FullyConnected;
    fc.bounds[Dim::N] = 2;
    Schedule s;
    s.split("c", "cg", "ca", 4).unroll("ca", Axis::Cols).accelerate({"inputs", "weights"});
    for (const char* t : {"inputs", "weights", "outputs"}) s.buffer(t, "GlobalBuffer", "");
    check_problem(cache, rng, scheduled_problem(fc, s), HardwareFamily::ReductionTree);
  }
  std::printf("[hw] schedules: %d verilator build(s) in %.1f s\n", cache.builds(), cache.build_seconds());
}

}  // namespace
}  // namespace dnnspace
