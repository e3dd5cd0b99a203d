// Zhang et al.'s tiled engine: the closed forms against a walk of the engine's own loop
// nest (every tile loaded and computed one by one), a case by hand, and BRAM sizing.
#include <gtest/gtest.h>

#include <array>
#include <random>

#include "dnnspace/model/tiled_conv.hpp"

namespace dnnspace {
namespace {

FpgaTarget fp32_target() {
  FpgaTarget t;
  t.name = "test";
  t.dsp_slices = 2800;
  t.bram_18k = 2060;
  t.clock_mhz = 100.0;
  t.dram_bandwidth_gbps = 4.5;
  t.word_bits = 32;
  t.dsp_per_mac = 5;
  return t;
}

// The engine's loop nest (000 Sec. V-C, Fig. 8) walked tile by tile: for each output tile
// (row, col) and each output-channel tile (to): for each input-channel tile (ti) load its
// inputs with the halo and its weights and compute tr x tc x Kh x Kw cycles; then store
// the outputs.
struct Walked {
  std::int64_t cycles = 0, input_words = 0, weight_words = 0, output_words = 0;
};

Walked walk(const ConvShape& s, const TiledConvDesign& d) {
  Walked w;
  for (std::int64_t rep = 0; rep < s.repeats; ++rep) {
    for (std::int64_t row = 0; row < s.r; row += d.tr) {
      const std::int64_t tr = std::min(d.tr, s.r - row);
      for (std::int64_t col = 0; col < s.c; col += d.tc) {
        const std::int64_t tc = std::min(d.tc, s.c - col);
        for (std::int64_t to = 0; to < s.m; to += d.tm) {
          const std::int64_t tm = std::min(d.tm, s.m - to);
          for (std::int64_t ti = 0; ti < s.n; ti += d.tn) {
            const std::int64_t tn = std::min(d.tn, s.n - ti);
            // Input rows a tile reads: from row*Sh to (row+tr-1)*Sh + (Kh-1)*Dh, counted one by one.
            std::int64_t rows = 0, cols = 0;
            for (std::int64_t y = row * s.stride_h; y <= (row + tr - 1) * s.stride_h + (s.kh - 1) * s.dilation_h; ++y) ++rows;
            for (std::int64_t x = col * s.stride_w; x <= (col + tc - 1) * s.stride_w + (s.kw - 1) * s.dilation_w; ++x) ++cols;
            w.input_words += tn * rows * cols;
            w.weight_words += tm * tn * s.kh * s.kw;
            w.cycles += tr * tc * s.kh * s.kw;  // Tm x Tn MACs per cycle, pipelined
          }
          w.output_words += tm * tr * tc;
        }
      }
    }
  }
  return w;
}

// M 4, N 3, 5 x 5 outputs, 3 x 3 kernel, on <2,2,2,3>, by hand: 2 x 2 channel tiles x 25
// outputs x 9 = 900 cycles; input rows per row tile (2, 2, 1 outputs) 4 + 4 + 3 = 11,
// columns (3, 2) 5 + 4 = 9: 2 output-channel tiles x 3 channels x 11 x 9 = 594 input
// words; 3 x 2 output tiles x 108 weights = 648; 100 outputs.
TEST(TiledConv, ByHand) {
  const ConvShape s{4, 3, 5, 5, 3, 3, 1, 1, 1, 1, 1};
  const FpgaTarget t = fp32_target();
  const TiledConvCost c = tiled_conv_cost(s, {2, 2, 2, 3}, t);
  EXPECT_EQ(c.cycles, 900);
  EXPECT_EQ(c.input_words, 594);
  EXPECT_EQ(c.weight_words, 648);
  EXPECT_EQ(c.output_words, 100);
  EXPECT_DOUBLE_EQ(c.ops, 5400.0);
  EXPECT_DOUBLE_EQ(c.traffic_bytes, (594 + 648 + 100) * 4.0);
  EXPECT_DOUBLE_EQ(c.compute_roof_ops_per_s, 5400.0 / 900e-8);  // 900 cycles at 100 MHz
  EXPECT_DOUBLE_EQ(c.ctc_ops_per_byte, 5400.0 / 5368.0);
  // The bandwidth roof, CTC x 4.5 GB/s = 4.53 GFLOP/s, is above the 0.6 GFLOP/s of compute.
  EXPECT_FALSE(c.bandwidth_bound);
  EXPECT_DOUBLE_EQ(c.attainable_ops_per_s, c.compute_roof_ops_per_s);
  EXPECT_DOUBLE_EQ(c.time_s, 900e-8);
}

TEST(TiledConv, ClosedFormsEqualTheWalkedEngine) {
  std::mt19937_64 rng(7);
  const auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  const FpgaTarget t = fp32_target();
  for (int i = 0; i < 300; ++i) {
    const ConvShape s{pick(1, 12), pick(1, 9), pick(1, 11), pick(1, 11), pick(1, 5), pick(1, 5),
                      pick(1, 4),  pick(1, 4), pick(1, 3),  pick(1, 2),  pick(1, 3)};
    const TiledConvDesign d{pick(1, 14), pick(1, 10), pick(1, 12), pick(1, 12)};
    const TiledConvCost c = tiled_conv_cost(s, d, t);
    const Walked w = walk(s, d);
    ASSERT_EQ(c.cycles, w.cycles) << i;
    ASSERT_EQ(c.input_words, w.input_words) << i;
    ASSERT_EQ(c.weight_words, w.weight_words) << i;
    ASSERT_EQ(c.output_words, w.output_words) << i;
  }
}

// The search's floor is below every design's time, with fast and slow DRAM alike.
TEST(TiledConv, TimeFloorBoundsEveryDesign) {
  std::mt19937_64 rng(11);
  const auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  FpgaTarget t = fp32_target();
  for (int i = 0; i < 2000; ++i) {
    t.dram_bandwidth_gbps = i % 2 ? 4.5 : 0.001;
    const ConvShape s{pick(1, 12), pick(1, 9), pick(1, 11), pick(1, 11), pick(1, 5), pick(1, 5),
                      pick(1, 4),  pick(1, 4), pick(1, 3),  pick(1, 2),  pick(1, 3)};
    const TiledConvDesign d{pick(1, 14), pick(1, 10), pick(1, 12), pick(1, 12)};
    ASSERT_LE(tiled_conv_time_floor(s, d.tm, d.tn, t), tiled_conv_cost(s, d, t).time_s * (1 + 1e-12)) << i;
  }
}

// A slow DRAM makes the engine bandwidth-bound: attainable = CTC x bandwidth.
TEST(TiledConv, BandwidthRoofBindsWhenDramIsSlow) {
  const ConvShape s{4, 3, 5, 5, 3, 3, 1, 1, 1, 1, 1};
  FpgaTarget t = fp32_target();
  t.dram_bandwidth_gbps = 1e-4;  // 100 KB/s
  const TiledConvCost c = tiled_conv_cost(s, {2, 2, 2, 3}, t);
  EXPECT_TRUE(c.bandwidth_bound);
  EXPECT_DOUBLE_EQ(c.attainable_ops_per_s, c.ctc_ops_per_byte * 1e5);
  EXPECT_DOUBLE_EQ(c.time_s, 5368.0 / 1e5);  // the traffic at 100 KB/s
}

TEST(TiledConv, BramWordsFollowTheBlockShapes) {
  EXPECT_DOUBLE_EQ(bram_words(32), 512.0);   // 512 x 36
  EXPECT_DOUBLE_EQ(bram_words(16), 1024.0);  // 1K x 18
  EXPECT_DOUBLE_EQ(bram_words(8), 2048.0);   // 2K x 9
  EXPECT_DOUBLE_EQ(bram_words(1), 16384.0);
  EXPECT_EQ(bram_for_words(512, 32), 1);
  EXPECT_EQ(bram_for_words(513, 32), 2);
  EXPECT_EQ(bram_for_words(0, 32), 0);
  EXPECT_EQ(bram_for_words(100, 64), 2);     // two blocks side by side, 512 deep
  EXPECT_EQ(bram_for_words(1000, 64), 4);
}

// Zhang et al.'s <64,7,13,13> serving AlexNet CONV1 (11 x 11, stride 4), fp32: 64 x 7 x 5 =
// 2,240 DSPs; input banks of 59 x 59 = 3,481 words = 7 BRAMs, 7 banks, double: 98; weight
// banks of 121 words = 1 BRAM, 448 banks, double: 896; output banks of 169 words = 1
// BRAM, 64 banks, double: 128. 1,122 in all.
TEST(TiledConv, ResourcesByHand) {
  const ConvShape conv1{96, 3, 55, 55, 11, 11, 4, 4, 1, 1, 1};
  const TiledConvResources r = tiled_conv_resources({64, 7, 13, 13}, std::span(&conv1, 1), fp32_target());
  EXPECT_EQ(r.dsp, 2240);
  EXPECT_EQ(r.input_bram, 98);
  EXPECT_EQ(r.weight_bram, 896);
  EXPECT_EQ(r.output_bram, 128);
  EXPECT_EQ(r.bram_18k, 1122);
  // Shared with a 3 x 3, stride-1 layer the banks keep CONV1's sizes; a 5 x 5 plane clips
  // the output tile to 25 words, still one BRAM.
  const std::array<ConvShape, 2> both = {conv1, ConvShape{8, 8, 5, 5, 3, 3, 1, 1, 1, 1, 1}};
  EXPECT_EQ(tiled_conv_resources({64, 7, 13, 13}, both, fp32_target()).bram_18k, 1122);
  // Alone, the small layer's input tile is 7 x 7 (5 outputs + the halo): 1 BRAM per bank;
  // its 9-word kernels 1 each: 14 + 896 + 128 = 1,038.
  EXPECT_EQ(tiled_conv_resources({64, 7, 13, 13}, std::span(&both[1], 1), fp32_target()).bram_18k, 1038);
}

}  // namespace
}  // namespace dnnspace
