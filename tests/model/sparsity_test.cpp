// Sparsity in the model (docs/model.md Sec. 11) against the tile walk with real zeros and
// against hand-computed counts.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>

#include "dnnspace/model/cost.hpp"
#include "dnnspace/model/simulator.hpp"
#include "dnnspace/model/sparsity.hpp"
#include "support/fc_on_one_pe.hpp"
#include "support/random_problem.hpp"

namespace dnnspace {
namespace {

// A fully connected layer N x C -> N x K whose inputs are zero on the channels in `zero`
// for every sample: the fraction of nonzeros is exact per channel, so the model's expected
// counts are the walk's exact ones whenever every channel is visited alike.
struct ChannelSparse {
  Layer layer;
  ZeroMask mask;
};

ChannelSparse channel_sparse(std::int64_t n, std::int64_t c, std::int64_t k, const std::vector<std::int64_t>& zero) {
  ChannelSparse out;
  out.layer.name = "fc";
  out.layer.kind = LayerKind::FullyConnected;
  out.layer.bounds[Dim::N] = n;
  out.layer.bounds[Dim::C] = c;
  out.layer.bounds[Dim::K] = k;
  std::vector<bool>& z = out.mask.zero[TensorId::Inputs];
  z.assign(static_cast<std::size_t>(n * c), false);
  PerDim<std::int64_t> x = PerDim<std::int64_t>::filled(0);
  for (std::int64_t s = 0; s < n; ++s) {
    for (std::int64_t ch : zero) {
      x[Dim::N] = s;
      x[Dim::C] = ch;
      z[static_cast<std::size_t>(element_id(out.layer, TensorId::Inputs, x))] = true;
    }
  }
  out.layer.density[TensorId::Inputs] = static_cast<double>(c - static_cast<std::int64_t>(zero.size())) / static_cast<double>(c);
  return out;
}

// By hand (docs/model.md Sec. 11): FC K = 4, C = 8 on one PE, DRAM [K:4] / Buffer [C:8],
// 1 pJ per access, 2 pJ per MAC; half the inputs are zero, the array gates on them, DRAM
// keeps inputs run-length coded with 4-bit runs.
TEST(Sparsity, HandWorkedGateAndCompression) {
  testing::OnePeCase c = testing::fc_on_one_pe();
  c.arch.mac_energy_pj = 2.0;
  c.arch.array.zeros = ZeroHandling::Gate;
  c.arch.levels[0].compression[TensorId::Inputs] = Compression::RunLength;
  c.arch.levels[0].run_bits = 4;
  // At density 1 the run-length fields cost DRAM 8 x 1.25 = 10 input words; without
  // compression, dense: DRAM 8 + 32 + 4, buffer (32 + 8) + (32 + 32) + (28 + 4 + 32), MACs 64.
  EXPECT_DOUBLE_EQ(evaluate(prepare(c.layer, c.arch), c.mapping).energy_pj, 278.0);
  c.arch.levels[0].compression[TensorId::Inputs] = Compression::None;
  EXPECT_DOUBLE_EQ(evaluate(prepare(c.layer, c.arch), c.mapping).energy_pj, 276.0);
  c.arch.levels[0].compression[TensorId::Inputs] = Compression::RunLength;
  c.layer.density[TensorId::Inputs] = 0.5;
  const CostResult r = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_EQ(r.macs, 32);
  EXPECT_EQ(r.performed_macs, 16);  // 32 x 0.5
  const auto& dram = r.levels[0].accesses;
  const auto& buffer = r.levels[1].accesses;
  // Inputs are checked, so read in full; DRAM moves 8 x 0.5 x (1 + 4/16) = 5 words.
  EXPECT_EQ(dram[TensorId::Inputs], (TensorAccesses{5, 0}));
  EXPECT_EQ(buffer[TensorId::Inputs], (TensorAccesses{32, 8}));
  // Weights still arrive in full; the MACs read half of them.
  EXPECT_EQ(dram[TensorId::Weights], (TensorAccesses{32, 0}));
  EXPECT_EQ(buffer[TensorId::Weights], (TensorAccesses{16, 32}));
  // 16 updates; each of the 4 psum residencies (8 updates each) starts from zero unless
  // all 8 are gated: 4 x (1 - 0.5^8) = 3.98, 4 starts, 12 reads; plus 4 drains.
  EXPECT_EQ(buffer[TensorId::Outputs], (TensorAccesses{16, 16}));
  EXPECT_EQ(dram[TensorId::Outputs], (TensorAccesses{0, 4}));
  // DRAM 5 + 32 + 4 = 41, buffer 40 + 48 + 32 = 120, MACs 16 x 2 = 32.
  EXPECT_DOUBLE_EQ(r.energy_pj, 193.0);
  EXPECT_EQ(r.compute_cycles, 32);  // gating saves energy, not cycles
  EXPECT_DOUBLE_EQ(r.utilization, 1.0);
  EXPECT_DOUBLE_EQ(r.achieved_utilization, 0.5);

  c.arch.array.zeros = ZeroHandling::Skip;
  const CostResult skip = evaluate(prepare(c.layer, c.arch), c.mapping);
  EXPECT_EQ(skip.compute_cycles, 16);  // the skipped MACs' cycles are saved too
  EXPECT_DOUBLE_EQ(skip.energy_pj, 193.0);
  EXPECT_DOUBLE_EQ(skip.achieved_utilization, 1.0);
}

// At density 1 a bitmask costs its metadata: 1 + 1/16 of the words, and the footprint.
TEST(Sparsity, DenseCompressedTensorPaysItsMetadata) {
  testing::OnePeCase c = testing::fc_on_one_pe();
  const CostResult dense = evaluate(prepare(c.layer, c.arch), c.mapping);
  c.arch.levels[1].compression[TensorId::Weights] = Compression::Bitmask;
  const PreparedProblem p = prepare(c.layer, c.arch);
  EXPECT_TRUE(p.sparse);
  const CostResult r = evaluate(p, c.mapping);
  // 32 weight words read by the MACs and written from DRAM: 34 each (32 x 17/16).
  EXPECT_EQ(r.levels[1].accesses[TensorId::Weights], (TensorAccesses{34, 34}));
  // The buffer's weight tile, 8 words, takes ceil(8.5) = 9 words of 2 bytes.
  EXPECT_EQ(r.levels[1].footprint_bytes, dense.levels[1].footprint_bytes + 2);
  EXPECT_FALSE(sparsity_applies(with_pass(c.layer, Pass::DataGradient), c.arch));
}

TEST(Sparsity, GatedCountsMatchTheWalkWithRealZeros) {
  std::mt19937_64 rng(20261204);
  int failures = 0, checked = 0;
  for (int i = 0; i < 400 && failures < 5; ++i) {
    const std::int64_t c = 2 * testing::uniform(rng, 1, 4);
    std::vector<std::int64_t> zero;
    for (std::int64_t ch = 0; ch < c; ++ch) if (testing::uniform(rng, 0, 1) == 0) zero.push_back(ch);
    ChannelSparse p = channel_sparse(testing::uniform(rng, 1, 2), c, testing::uniform(rng, 1, 4), zero);
    Architecture arch = testing::random_arch(rng, static_cast<int>(testing::uniform(rng, 1, 3)));
    arch.array.zeros = testing::uniform(rng, 0, 1) ? ZeroHandling::Gate : ZeroHandling::Skip;
    // No PE shares a word with another: the expected counts are exact for any zeros.
    Mapping mapping = testing::random_mapping(rng, p.layer, arch, 3);
    for (LevelLoops& level : mapping.levels) {
      for (auto* axis : {&level.rows, &level.cols}) {
        for (const Loop& loop : *axis) if (!level.temporal.full()) level.temporal.push_back(loop);
        axis->clear();
      }
    }
    const CostResult model = evaluate(prepare(p.layer, arch), mapping);
    const SimulatedCounts sim = simulate(p.layer, arch, mapping, p.mask);
    ++checked;
    // Every count but the psum reads where the MACs update them: those depend on which
    // residencies keep no update at all, which the model takes from independent zeros
    // (the statistical test below); a channel's zeros are not independent.
    int innermost_outputs = 0;
    for (int l = 0; l < model.num_levels; ++l) if (arch.levels[l].holds[TensorId::Outputs]) innermost_outputs = l;
    bool ok = model.performed_macs == sim.macs;
    for (int l = 0; l < model.num_levels; ++l) {
      for (TensorId t : kAllTensors) {
        const TensorAccesses& m = model.levels[l].accesses[t];
        const TensorAccesses& w = sim.accesses[l][t];
        ok = ok && m.writes == w.writes && (m.reads == w.reads || (t == TensorId::Outputs && l == innermost_outputs));
      }
    }
    if (!ok) {
      ++failures;
      std::string detail = "macs " + std::to_string(model.performed_macs) + " vs " + std::to_string(sim.macs) + ";";
      for (int l = 0; l < model.num_levels; ++l) {
        for (TensorId t : kAllTensors) {
          const auto& m = model.levels[l].accesses[t];
          const auto& s = sim.accesses[l][t];
          detail += " L" + std::to_string(l) + "." + std::string(tensor_name(t)) + " " + std::to_string(m.reads) + "/" +
                    std::to_string(m.writes) + " vs " + std::to_string(s.reads) + "/" + std::to_string(s.writes) + ";";
        }
      }
      ADD_FAILURE() << "case " << i << ": " << testing::describe({p.layer, arch, mapping}) << "\n" << detail;
    }
  }
  EXPECT_EQ(failures, 0);
  EXPECT_GT(checked, 100);
}

// Independent zeros: each input element is zero with probability 1/2, and PEs share words
// (multicast reads, spatially reduced updates). In a fully connected layer the MACs that
// share a weight, or update one output, read distinct inputs, so the model's expected
// counts are the mean of the walk over many random masks.
TEST(Sparsity, ExpectedCountsAreTheMeanOverRandomZeros) {
  std::mt19937_64 rng(20261205);
  constexpr int kMasks = 400;
  int cases = 0, shared = 0;
  for (int i = 0; i < 40; ++i) {
    ChannelSparse p = channel_sparse(testing::uniform(rng, 1, 4), testing::uniform(rng, 2, 8), testing::uniform(rng, 1, 6), {});
    p.layer.density[TensorId::Inputs] = 0.5;
    Architecture arch = testing::random_arch(rng, static_cast<int>(testing::uniform(rng, 1, 3)));
    arch.array.zeros = ZeroHandling::Gate;
    // The innermost level above the array: its words are shared by the PEs.
    arch.array.parent_level = static_cast<int>(arch.levels.size()) - 1;
    const Mapping mapping = testing::random_mapping(rng, p.layer, arch, 2);
    const CostResult model = evaluate(prepare(p.layer, arch), mapping);
    std::array<PerTensor<TensorAccesses>, kMaxLevels> sum{};
    double macs = 0.0;
    std::vector<bool>& zero = p.mask.zero[TensorId::Inputs];
    for (int k = 0; k < kMasks; ++k) {
      for (std::size_t e = 0; e < zero.size(); ++e) zero[e] = testing::uniform(rng, 0, 1) == 0;
      const SimulatedCounts sim = simulate(p.layer, arch, mapping, p.mask);
      macs += static_cast<double>(sim.macs);
      for (int l = 0; l < model.num_levels; ++l) {
        for (TensorId t : kAllTensors) {
          sum[l][t].reads += sim.accesses[l][t].reads;
          sum[l][t].writes += sim.accesses[l][t].writes;
        }
      }
    }
    // Within 8% and one word of the mean: 400 masks of a few dozen MACs leave a few
    // percent of noise, and the model rounds to whole words.
    const auto near = [](double model_value, double mean) {
      return std::abs(model_value - mean) <= 0.08 * mean + 1.0;
    };
    EXPECT_TRUE(near(static_cast<double>(model.performed_macs), macs / kMasks)) << testing::describe({p.layer, arch, mapping});
    for (int l = 0; l < model.num_levels; ++l) {
      for (TensorId t : kAllTensors) {
        const TensorAccesses& m = model.levels[l].accesses[t];
        EXPECT_TRUE(near(static_cast<double>(m.reads), static_cast<double>(sum[l][t].reads) / kMasks))
            << "L" << l << "." << tensor_name(t) << " reads " << m.reads << " vs mean "
            << static_cast<double>(sum[l][t].reads) / kMasks << "\n" << testing::describe({p.layer, arch, mapping});
        EXPECT_TRUE(near(static_cast<double>(m.writes), static_cast<double>(sum[l][t].writes) / kMasks))
            << "L" << l << "." << tensor_name(t) << " writes " << m.writes << " vs mean "
            << static_cast<double>(sum[l][t].writes) / kMasks << "\n" << testing::describe({p.layer, arch, mapping});
      }
    }
    ++cases;
    // PEs share a weight across samples (N on the array), an update across channels (C).
    const LevelLoops& array_level = mapping.levels[static_cast<std::size_t>(arch.array.parent_level)];
    bool shares = false;
    for (const auto* axis : {&array_level.rows, &array_level.cols}) {
      for (const Loop& loop : *axis) shares = shares || (loop.factor > 1 && (loop.dim == Dim::N || loop.dim == Dim::C));
    }
    shared += shares;
  }
  EXPECT_EQ(cases, 40);
  EXPECT_GE(shared, 10);  // the sharing the formula is for is exercised
}

}  // namespace
}  // namespace dnnspace
