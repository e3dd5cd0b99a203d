// Mapped execution: outputs equal the reference kernels (bit for bit in integer and fixed
// point, within a reassociation bound in fp32) and the transfers performed equal the cost
// model's and the simulator's counts, on random (layer, arch, mapping) triples and by hand.
#include "dnnspace/engine/mapped_execution.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/engine/conv2d.hpp"
#include "dnnspace/engine/gemm.hpp"
#include "dnnspace/engine/integer_matmul.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/model/simulator.hpp"
#include "support/random_problem.hpp"

namespace dnnspace::engine {
namespace {

constexpr auto I = TensorId::Inputs, W = TensorId::Weights, O = TensorId::Outputs;
constexpr int kCases = 400;

std::int64_t bound(const Layer& l, Dim d) { return l.bounds[d]; }

// The point (g, n, k, c, p, q, r, s) as the projections take it.
PerDim<std::int64_t> point(std::int64_t g, std::int64_t n, std::int64_t k, std::int64_t c, std::int64_t p,
                           std::int64_t q, std::int64_t r, std::int64_t s) {
  PerDim<std::int64_t> x;
  x[Dim::G] = g, x[Dim::N] = n, x[Dim::K] = k, x[Dim::C] = c;
  x[Dim::P] = p, x[Dim::Q] = q, x[Dim::R] = r, x[Dim::S] = s;
  return x;
}

// The layer as an im2col GEMM per group: rows (n, p, q), depth (c, r, s), columns k.
// Calls f(g, row, depth index, k, output id, input id, weight id) for every MAC.
template <class F>
void for_each_mac(const Layer& l, F&& f) {
  for (std::int64_t g = 0; g < bound(l, Dim::G); ++g)
    for (std::int64_t n = 0; n < bound(l, Dim::N); ++n)
      for (std::int64_t p = 0; p < bound(l, Dim::P); ++p)
        for (std::int64_t q = 0; q < bound(l, Dim::Q); ++q)
          for (std::int64_t k = 0; k < bound(l, Dim::K); ++k)
            for (std::int64_t c = 0; c < bound(l, Dim::C); ++c)
              for (std::int64_t r = 0; r < bound(l, Dim::R); ++r)
                for (std::int64_t s = 0; s < bound(l, Dim::S); ++s) {
                  const auto x = point(g, n, k, c, p, q, r, s);
                  const std::int64_t row = (n * bound(l, Dim::P) + p) * bound(l, Dim::Q) + q;
                  const std::int64_t depth = (c * bound(l, Dim::R) + r) * bound(l, Dim::S) + s;
                  f(g, row, depth, k, element_id(l, O, x), element_id(l, I, x), element_id(l, W, x));
                }
}

std::int64_t depth_of(const Layer& l) { return bound(l, Dim::C) * bound(l, Dim::R) * bound(l, Dim::S); }
std::int64_t rows_of(const Layer& l) { return bound(l, Dim::N) * bound(l, Dim::P) * bound(l, Dim::Q); }

// Runs an engine matrix kernel (out[row * K + k] for one group's im2col rows and
// weights) on every group and scatters the results to output ids.
template <class In, class Out, class Kernel>
std::vector<Out> via_matmul(const Layer& l, const std::vector<In>& inputs, const std::vector<In>& weights,
                            Kernel&& kernel) {
  const std::int64_t rows = rows_of(l), depth = depth_of(l), cols = bound(l, Dim::K);
  std::vector<Out> outputs(static_cast<std::size_t>(tensor_size(l, O)));
  for (std::int64_t g = 0; g < bound(l, Dim::G); ++g) {
    std::vector<In> a(static_cast<std::size_t>(rows * depth)), w(static_cast<std::size_t>(cols * depth));
    std::vector<std::int64_t> out_id(static_cast<std::size_t>(rows * cols));
    for_each_mac(l, [&](std::int64_t gg, std::int64_t row, std::int64_t d, std::int64_t k, std::int64_t o,
                        std::int64_t i, std::int64_t wi) {
      if (gg != g) return;
      a[static_cast<std::size_t>(row * depth + d)] = inputs[static_cast<std::size_t>(i)];
      w[static_cast<std::size_t>(k * depth + d)] = weights[static_cast<std::size_t>(wi)];
      out_id[static_cast<std::size_t>(row * cols + k)] = o;
    });
    const std::vector<Out> out = kernel(a, w, rows, cols, depth);
    for (std::size_t j = 0; j < out.size(); ++j) outputs[static_cast<std::size_t>(out_id[j])] = out[j];
  }
  return outputs;
}

template <class T>
std::vector<T> random_values(std::mt19937_64& rng, std::int64_t count, std::int64_t lo, std::int64_t hi) {
  std::vector<T> v(static_cast<std::size_t>(count));
  for (T& x : v) x = static_cast<T>(testing::uniform(rng, lo, hi));
  return v;
}

FixedFormat random_format(std::mt19937_64& rng, int max_integer_bits, int max_fraction_bits) {
  return {static_cast<int>(testing::uniform(rng, 1, max_integer_bits)),
          static_cast<int>(testing::uniform(rng, 0, max_fraction_bits))};
}

// Counts performed by the execution vs the analytical model; "" when equal.
std::string count_mismatch(const TransferCounts& got, const CostResult& model) {
  std::string out;
  if (got.macs != model.macs) out += " macs " + std::to_string(got.macs) + " vs " + std::to_string(model.macs);
  if (got.compute_cycles != model.compute_cycles) out += " cycles";
  for (int l = 0; l < model.num_levels; ++l) {
    for (TensorId t : kAllTensors) {
      const auto& g = got.accesses[static_cast<std::size_t>(l)][t];
      const auto& m = model.levels[static_cast<std::size_t>(l)].accesses[t];
      if (g == m) continue;
      out += " L" + std::to_string(l) + "." + std::string(tensor_name(t)) + " r/w " + std::to_string(g.reads) +
             "/" + std::to_string(g.writes) + " model " + std::to_string(m.reads) + "/" + std::to_string(m.writes);
    }
  }
  for (TensorId t : kAllTensors) {
    if (got.array_transfers[t] == model.array_transfers[t]) continue;
    out += " array." + std::string(tensor_name(t)) + " " + std::to_string(got.array_transfers[t]) + " model " +
           std::to_string(model.array_transfers[t]);
  }
  return out;
}

// O[p] = sum over r of I[p + r] W[r] with P = 4, R = 3 (6 inputs): DRAM -> per-PE RegFile,
// a 1x2 array under DRAM. Nest: DRAM for p1 < 2, spatial (cols) p0 < 2 | RegFile for r < 3;
// p = 2 p1 + p0, 6 time steps.
TEST(MappedExecution, OneDimConvOnTwoLevelsByHand) {
  Layer l;
  l.name = "conv1d";
  l.bounds[Dim::P] = 4;
  l.bounds[Dim::R] = 3;
  Architecture a;
  a.name = "two-level";
  a.levels.resize(2);
  a.levels[0].name = "DRAM";
  a.levels[1].name = "RegFile";
  a.array.rows = 1;
  a.array.cols = 2;
  a.array.parent_level = 0;
  Mapping m;
  m.levels.resize(2);
  m.levels[0].temporal.push_back({2, Dim::P});
  m.levels[0].cols.push_back({2, Dim::P});
  m.levels[1].temporal.push_back({3, Dim::R});
  const std::vector<std::int32_t> x{1, 2, 3, 4, 5, 6}, w{1, 2, 3};
  const auto r = execute_mapped<Int64Datapath>(l, a, m, x, w);
  // 1+4+9 = 14, 2+6+12 = 20, 3+8+15 = 26, 4+10+18 = 32.
  EXPECT_EQ(r.outputs, (std::vector<std::int64_t>{14, 20, 26, 32}));
  const auto& acc = r.transfers.accesses;
  // Weights: no loop above the RegFile is relevant (only P runs there): one epoch. Each PE
  // loads the 3 weights (6 writes), DRAM reads each once (multicast), 3 deliveries cross
  // the array; each of the 2 x 6 MACs reads its PE's RegFile.
  EXPECT_EQ(acc[0][W], (TensorAccesses{3, 0}));
  EXPECT_EQ(acc[1][W], (TensorAccesses{12, 6}));
  EXPECT_EQ(r.transfers.array_transfers[W], 3);
  // Inputs: one epoch per p1. p1 = 0: PE0 (p = 0) needs rows 0..2, PE1 (p = 1) rows 1..3:
  // 6 writes, 4 distinct DRAM reads; p1 = 1: rows 2..4 and 3..5, again 6 and 4.
  EXPECT_EQ(acc[0][I], (TensorAccesses{8, 0}));
  EXPECT_EQ(acc[1][I], (TensorAccesses{12, 12}));
  EXPECT_EQ(r.transfers.array_transfers[I], 12 - 8);
  // Outputs: per PE and p1 epoch one psum updated 3 times, the first without a read, then
  // drained: RegFile reads 2 PEs x 2 epochs x (2 + 1) = 12, writes 12 updates; DRAM is
  // written 4 psums and never read (no psum comes back down).
  EXPECT_EQ(acc[0][O], (TensorAccesses{0, 4}));
  EXPECT_EQ(acc[1][O], (TensorAccesses{12, 12}));
  EXPECT_EQ(r.transfers.array_transfers[O], 0);
  EXPECT_EQ(r.transfers.macs, 12);
  EXPECT_EQ(r.transfers.compute_cycles, 6);
  EXPECT_EQ(r.peak_tile_words[1][I], 3);
  EXPECT_EQ(r.peak_tile_words[1][W], 3);
  EXPECT_EQ(r.peak_tile_words[1][O], 1);
}

// The worked example of docs/model.md Sec. 6 (K = 2, C = 2, P = 4, R = 3; DRAM -> Buffer ->
// per-PE RegFile, 1x2 array under Buffer; DRAM [C:2] / Buffer [P:2] cols [K:2] / RegFile
// [P:2, R:3]), executed: the counts are the table there, derived by hand, and the second C
// pass really adds onto the psums sent back down from the Buffer.
TEST(MappedExecution, WorkedExampleOfTheModelDocs) {
  Layer l;
  l.name = "example";
  l.bounds[Dim::K] = 2;
  l.bounds[Dim::C] = 2;
  l.bounds[Dim::P] = 4;
  l.bounds[Dim::R] = 3;
  Architecture a;
  a.name = "example";
  a.levels.resize(3);
  a.array = PeArray{1, 2, 1, ArrayCostStyle::PerHop, 0.1, 0.0};
  Mapping m;
  m.levels.resize(3);
  m.levels[0].temporal.push_back({2, Dim::C});
  m.levels[1].temporal.push_back({2, Dim::P});
  m.levels[1].cols.push_back({2, Dim::K});
  m.levels[2].temporal.push_back({2, Dim::P});
  m.levels[2].temporal.push_back({3, Dim::R});
  // I[c][h] = 10 c + h, W[k][c][r] = 1 + k + 2 c + r (small, distinct).
  std::vector<std::int32_t> x(12), w(12);
  for (int c = 0; c < 2; ++c)
    for (int h = 0; h < 6; ++h) x[static_cast<std::size_t>(c * 6 + h)] = 10 * c + h;
  for (int k = 0; k < 2; ++k)
    for (int c = 0; c < 2; ++c)
      for (int r = 0; r < 3; ++r) w[static_cast<std::size_t>((k * 2 + c) * 3 + r)] = 1 + k + 2 * c + r;
  // O[k][p] = sum over c, r of I[c][p + r] W[k][c][r].
  std::vector<std::int64_t> expected(8, 0);
  for (int k = 0; k < 2; ++k)
    for (int p = 0; p < 4; ++p)
      for (int c = 0; c < 2; ++c)
        for (int r = 0; r < 3; ++r)
          expected[static_cast<std::size_t>(k * 4 + p)] += (10 * c + p + r) * (1 + k + 2 * c + r);
  const auto e = execute_mapped<Int64Datapath>(l, a, m, x, w);
  EXPECT_EQ(e.outputs, expected);
  const auto& acc = e.transfers.accesses;
  EXPECT_EQ(acc[0][I], (TensorAccesses{12, 0}));
  EXPECT_EQ(acc[0][W], (TensorAccesses{12, 0}));
  EXPECT_EQ(acc[0][O], (TensorAccesses{0, 8}));
  EXPECT_EQ(acc[1][I], (TensorAccesses{16, 12}));
  EXPECT_EQ(acc[1][W], (TensorAccesses{12, 12}));
  EXPECT_EQ(acc[1][O], (TensorAccesses{16, 16}));
  EXPECT_EQ(acc[2][I], (TensorAccesses{48, 32}));
  EXPECT_EQ(acc[2][W], (TensorAccesses{48, 12}));
  EXPECT_EQ(acc[2][O], (TensorAccesses{56, 56}));
  EXPECT_EQ(e.transfers.array_transfers[I], 16);
  EXPECT_EQ(e.transfers.array_transfers[W], 0);
  EXPECT_EQ(e.transfers.array_transfers[O], 0);
  EXPECT_EQ(e.transfers.macs, 48);
  EXPECT_EQ(e.transfers.compute_cycles, 24);
  // RegFile per PE: 4 input rows, 3 weights, 2 psums; Buffer: everything (12, 12, 8).
  EXPECT_EQ(e.peak_tile_words[2][I], 4);
  EXPECT_EQ(e.peak_tile_words[2][W], 3);
  EXPECT_EQ(e.peak_tile_words[2][O], 2);
  EXPECT_EQ(e.peak_tile_words[1][O], 8);
}

// FC layers (P = Q = R = S = G = 1) under the random mappings, whose factors for those
// dimensions now only add idle points: against gemm, the FC layer's reference kernel,
// within the fp32 bound of the conv test below (D = C).
TEST(MappedExecution, FullyConnectedMatchesGemm) {
  std::mt19937_64 rng(20261202);
  std::uniform_real_distribution<float> real(-1.0F, 1.0F);
  for (int i = 0; i < 100; ++i) {
    testing::RandomProblem pr = testing::random_problem(rng);
    Layer& l = pr.layer;
    l.kind = LayerKind::FullyConnected;
    for (Dim d : {Dim::P, Dim::Q, Dim::R, Dim::S, Dim::G}) l.bounds[d] = 1;
    l.stride_h = l.stride_w = l.dilation_h = l.dilation_w = 1;
    SCOPED_TRACE("case " + std::to_string(i) + ": " + testing::describe(pr));
    const std::int64_t N = bound(l, Dim::N), C = bound(l, Dim::C), K = bound(l, Dim::K);
    // Element ids of an FC layer: inputs n C + c, weights k C + c, outputs n K + k.
    Tensor a({N, C}), b({K, C});
    for (float& v : a.data()) v = real(rng);
    for (float& v : b.data()) v = real(rng);
    GemmParams params;
    params.trans_b = true;
    const auto y = gemm(a, b, nullptr, params);
    ASSERT_TRUE(y) << y.error().message;
    const auto fp = execute_mapped<Fp32Datapath>(l, pr.arch, pr.mapping, a.data(), b.data());
    const double u = std::ldexp(1.0, -24), gamma = static_cast<double>(C) * u / (1 - static_cast<double>(C) * u);
    for (std::int64_t n = 0; n < N; ++n) {
      for (std::int64_t k = 0; k < K; ++k) {
        double magnitude = 0;
        for (std::int64_t c = 0; c < C; ++c) magnitude += std::fabs(double{a.at({n, c})} * b.at({k, c}));
        EXPECT_LE(std::fabs(double{fp.outputs[static_cast<std::size_t>(n * K + k)]} - y->at({n, k})),
                  2 * gamma * magnitude)
            << "n " << n << " k " << k;
      }
    }
    EXPECT_EQ(count_mismatch(fp.transfers, evaluate(prepare(l, pr.arch), pr.mapping)), "");
    if (HasFailure()) break;
  }
}

// The presets with the default blocking of each Eyeriss dataflow (capacity-legal mappings
// as the tool proposes them, not random ones) on a small strided conv: fixed point equal
// to fixed_matmul, counts equal to evaluate().
TEST(MappedExecution, PresetsWithDefaultMappings) {
  Layer l;
  l.name = "small-conv";
  l.bounds[Dim::K] = 4;
  l.bounds[Dim::C] = 3;
  l.bounds[Dim::P] = 5;
  l.bounds[Dim::Q] = 4;
  l.bounds[Dim::R] = 3;
  l.bounds[Dim::S] = 3;
  l.stride_h = 2;
  FixedDatapath fixed;
  fixed.formats = {FixedFormat{2, 6}, FixedFormat{2, 6}, FixedFormat{4, 8}, Rounding::NearestEven};
  std::mt19937_64 rng(5);
  const auto x = random_values<std::int64_t>(rng, tensor_size(l, I), min_raw(fixed.formats.activations),
                                             max_raw(fixed.formats.activations));
  const auto w = random_values<std::int64_t>(rng, tensor_size(l, W), min_raw(fixed.formats.weights),
                                             max_raw(fixed.formats.weights));
  const std::vector<std::int32_t> x32(x.begin(), x.end()), w32(w.begin(), w.end());
  const auto expected = via_matmul<std::int32_t, std::int64_t>(
      l, x32, w32, [&](const auto& a, const auto& b, auto rows, auto cols, auto depth) {
        std::vector<std::int64_t> out(static_cast<std::size_t>(rows * cols));
        fixed_matmul(a.data(), b.data(), nullptr, rows, cols, depth, fixed.formats, out.data());
        return out;
      });
  int executed = 0;
  for (std::string_view preset : arch_preset_names()) {
    const Architecture arch = arch_preset(preset).value();
    for (std::string_view name : {"WS", "OS", "RS", "NLR"}) {
      const auto mapping = default_mapping(l, arch, parse_dataflow(name).value());
      if (!mapping) continue;  // the dataflow's smallest tiles do not fit this preset
      SCOPED_TRACE(std::string(preset) + " " + std::string(name));
      ASSERT_TRUE(check_mapping(l, arch, *mapping));
      const auto e = execute_mapped(l, arch, *mapping, x, w, fixed);
      EXPECT_EQ(e.outputs, expected);
      EXPECT_EQ(count_mismatch(e.transfers, evaluate(prepare(l, arch), *mapping)), "");
      ++executed;
    }
  }
  // 5 presets x 4 dataflows: tiles of a layer this small fit every preset's buffers.
  EXPECT_EQ(executed, 20);
}

TEST(MappedExecution, RandomProblemsMatchReferencesAndModel) {
  std::mt19937_64 rng(20261201);
  for (int i = 0; i < kCases; ++i) {
    const testing::RandomProblem pr = testing::random_problem(rng);
    const Layer& l = pr.layer;
    SCOPED_TRACE("case " + std::to_string(i) + ": " + testing::describe(pr));
    const std::int64_t n_in = tensor_size(l, I), n_w = tensor_size(l, W), n_out = tensor_size(l, O);

    // int32 operands, int64 sums: against a direct loop nest.
    const auto xi = random_values<std::int32_t>(rng, n_in, -(1 << 15), 1 << 15);
    const auto wi = random_values<std::int32_t>(rng, n_w, -(1 << 15), 1 << 15);
    std::vector<std::int64_t> direct(static_cast<std::size_t>(n_out), 0);
    for_each_mac(l, [&](auto, auto, auto, auto, std::int64_t o, std::int64_t in, std::int64_t w) {
      direct[static_cast<std::size_t>(o)] +=
          std::int64_t{xi[static_cast<std::size_t>(in)]} * wi[static_cast<std::size_t>(w)];
    });
    const auto ints = execute_mapped<Int64Datapath>(l, pr.arch, pr.mapping, xi, wi);
    EXPECT_EQ(ints.outputs, direct);

    // The counts it performed: the model's and the simulator's.
    const CostResult model = evaluate(prepare(l, pr.arch), pr.mapping);
    EXPECT_EQ(count_mismatch(ints.transfers, model), "");
    EXPECT_EQ(ints.transfers, simulate(l, pr.arch, pr.mapping));
    // Every buffer below level 0 at some point holds a whole tile of the size the model
    // allocates for it, and never more.
    for (int lv = 1; lv < model.num_levels; ++lv) {
      for (TensorId t : kAllTensors) {
        EXPECT_EQ(ints.peak_tile_words[static_cast<std::size_t>(lv)][t],
                  model.levels[static_cast<std::size_t>(lv)].tile_words[t])
            << "L" << lv << " " << tensor_name(t);
      }
    }

    // int8 operands, int32 sums: against int8_matmul.
    const auto x8 = random_values<std::int8_t>(rng, n_in, -128, 127);
    const auto w8 = random_values<std::int8_t>(rng, n_w, -128, 127);
    const auto int8_ref = via_matmul<std::int8_t, std::int32_t>(
        l, x8, w8, [](const auto& a, const auto& w, auto rows, auto cols, auto depth) {
          std::vector<std::int32_t> out(static_cast<std::size_t>(rows * cols));
          int8_matmul(a.data(), w.data(), rows, cols, depth, out.data());
          return out;
        });
    const auto int8 = execute_mapped<Int8Datapath>(l, pr.arch, pr.mapping, x8, w8);
    EXPECT_EQ(int8.outputs, int8_ref);
    EXPECT_EQ(int8.transfers, ints.transfers);

    // Fixed point with random formats (narrow Q^P, so products and sums saturate):
    // against fixed_matmul, both its kernels.
    FixedDatapath fixed;
    fixed.formats.weights = random_format(rng, 4, 6);
    fixed.formats.activations = random_format(rng, 4, 6);
    fixed.formats.products = random_format(rng, 5, 8);
    fixed.formats.rounding = testing::uniform(rng, 0, 1) == 0 ? Rounding::NearestEven : Rounding::Truncate;
    const FixedFormat qx = fixed.formats.activations, qw = fixed.formats.weights;
    const auto xf = random_values<std::int64_t>(rng, n_in, min_raw(qx), max_raw(qx));
    const auto wf = random_values<std::int64_t>(rng, n_w, min_raw(qw), max_raw(qw));
    const std::vector<std::int32_t> xf32(xf.begin(), xf.end()), wf32(wf.begin(), wf.end());
    const auto fixed_out = execute_mapped(l, pr.arch, pr.mapping, xf, wf, fixed).outputs;
    for (FixedKernel kernel : {FixedKernel::Auto, FixedKernel::Wide}) {
      const auto fixed_ref = via_matmul<std::int32_t, std::int64_t>(
          l, xf32, wf32, [&](const auto& a, const auto& w, auto rows, auto cols, auto depth) {
            std::vector<std::int64_t> out(static_cast<std::size_t>(rows * cols));
            fixed_matmul(a.data(), w.data(), nullptr, rows, cols, depth, fixed.formats, out.data(), kernel);
            return out;
          });
      EXPECT_EQ(fixed_out, fixed_ref)
          << to_string(fixed.formats.weights) << " x " << to_string(fixed.formats.activations) << " -> "
          << to_string(fixed.formats.products);
    }

    // fp32: against conv2d (im2col + Eigen GEMM) and the exact sum, within the bound of
    // any summation order (docs/engine.md): |computed - exact| <= gamma_D * sum |w x|,
    // gamma_D = D u / (1 - D u), u = 2^-24, D = C R S products per output; two such
    // results differ by at most twice that.
    std::uniform_real_distribution<float> real(-1.0F, 1.0F);
    std::vector<float> xs(static_cast<std::size_t>(n_in)), ws(static_cast<std::size_t>(n_w));
    for (float& v : xs) v = real(rng);
    for (float& v : ws) v = real(rng);
    std::vector<double> exact(static_cast<std::size_t>(n_out), 0.0), magnitude(exact.size(), 0.0);
    for_each_mac(l, [&](auto, auto, auto, auto, std::int64_t o, std::int64_t in, std::int64_t w) {
      const double prod = double{xs[static_cast<std::size_t>(in)]} * ws[static_cast<std::size_t>(w)];  // exact
      exact[static_cast<std::size_t>(o)] += prod;
      magnitude[static_cast<std::size_t>(o)] += std::fabs(prod);
    });
    // conv2d wants [N][G*C][H][W] and gives [N][G*K][P][Q]; the padded plane is its input.
    const std::int64_t G = bound(l, Dim::G), N = bound(l, Dim::N), C = bound(l, Dim::C), K = bound(l, Dim::K);
    const std::int64_t H = input_height(l), Wd = input_width(l), P = bound(l, Dim::P), Q = bound(l, Dim::Q);
    Tensor x_nchw({N, G * C, H, Wd});
    for (std::int64_t g = 0; g < G; ++g)
      for (std::int64_t n = 0; n < N; ++n)
        for (std::int64_t c = 0; c < C; ++c)
          for (std::int64_t h = 0; h < H; ++h)
            for (std::int64_t w = 0; w < Wd; ++w)
              x_nchw.at({n, g * C + c, h, w}) = xs[static_cast<std::size_t>((((g * N + n) * C + c) * H + h) * Wd + w)];
    Tensor w_t({G * K, C, bound(l, Dim::R), bound(l, Dim::S)});
    std::copy(ws.begin(), ws.end(), w_t.data().begin());  // [G][K][C][R][S] is [G*K][C][R][S]
    Conv2dParams params;
    params.groups = G;
    params.window.strides = {l.stride_h, l.stride_w};
    params.window.dilations = {l.dilation_h, l.dilation_w};
    const auto conv = conv2d(x_nchw, w_t, nullptr, params);
    ASSERT_TRUE(conv) << conv.error().message;
    const auto fp = execute_mapped<Fp32Datapath>(l, pr.arch, pr.mapping, xs, ws);
    const double u = std::ldexp(1.0, -24), D = static_cast<double>(depth_of(l));
    const double gamma = D * u / (1 - D * u);
    for (std::int64_t g = 0; g < G; ++g)
      for (std::int64_t n = 0; n < N; ++n)
        for (std::int64_t k = 0; k < K; ++k)
          for (std::int64_t p = 0; p < P; ++p)
            for (std::int64_t q = 0; q < Q; ++q) {
              const auto o = static_cast<std::size_t>((((g * N + n) * K + k) * P + p) * Q + q);
              const double got = fp.outputs[o], ref = conv->at({n, g * K + k, p, q});
              // The double sum itself is exact to D * 2^-53 of the magnitude.
              const double slack = D * std::ldexp(1.0, -53) * magnitude[o];
              EXPECT_LE(std::fabs(got - exact[o]), gamma * magnitude[o] + slack) << "output " << o;
              EXPECT_LE(std::fabs(got - ref), 2 * gamma * magnitude[o] + 2 * slack) << "output " << o;
            }
    if (HasFailure()) break;  // one failing case is enough to read
  }
}

}  // namespace
}  // namespace dnnspace::engine
