#include "dnnspace/engine/window.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dnnspace::engine {
namespace {

using V = std::vector<std::int64_t>;

TEST(Window, ExplicitPadsFloorDivision) {
  // in 7, k 3, s 2, pads 1 + 1: (7 + 2 - 3) / 2 + 1 = 4.
  auto g = resolve_window("op", V{7}, {.kernel = {3}, .strides = {2}, .pads = {1, 1}});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->output, V{4});
  EXPECT_EQ(g->pad_begin, V{1});
  EXPECT_EQ(g->pad_end, V{1});
}

TEST(Window, DilationWidensTheWindow) {
  // k 3 with dilation 2 spans (3-1)*2 + 1 = 5 inputs: (7 - 5) / 1 + 1 = 3.
  auto g = resolve_window("op", V{7}, {.kernel = {3}, .dilations = {2}});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->output, V{3});
}

TEST(Window, CeilModeRoundsUpButNeverStartsInTheEndPad) {
  // in 4, k 3, s 2: (4 - 3) / 2 = 0.5 -> floor 1 output, ceil 2 outputs.
  auto floor_g = resolve_window("op", V{4}, {.kernel = {3}, .strides = {2}});
  auto ceil_g = resolve_window("op", V{4}, {.kernel = {3}, .strides = {2}, .ceil_mode = true});
  ASSERT_TRUE(floor_g && ceil_g);
  EXPECT_EQ(floor_g->output, V{1});
  EXPECT_EQ(ceil_g->output, V{2});
  // in 5, k 2, s 2, pads 1 + 1: ceil((5 + 2 - 2) / 2) + 1 = 4, but window 3 would start at
  // 3*2 - 1 = 5, which is the end pad: it is dropped, leaving 3.
  auto g = resolve_window("op", V{5},
                          {.kernel = {2}, .strides = {2}, .pads = {1, 1}, .ceil_mode = true});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->output, V{3});
}

TEST(Window, SameUpperAndLowerPutTheOddPadAtOppositeEnds) {
  // in 5, k 4, s 2: out = ceil(5/2) = 3, total pad = (3-1)*2 + 4 - 5 = 3.
  auto upper = resolve_window("op", V{5},
                              {.kernel = {4}, .strides = {2}, .auto_pad = AutoPad::SameUpper});
  auto lower = resolve_window("op", V{5},
                              {.kernel = {4}, .strides = {2}, .auto_pad = AutoPad::SameLower});
  ASSERT_TRUE(upper && lower);
  EXPECT_EQ(upper->output, V{3});
  EXPECT_EQ(upper->pad_begin, V{1});
  EXPECT_EQ(upper->pad_end, V{2});
  EXPECT_EQ(lower->output, V{3});
  EXPECT_EQ(lower->pad_begin, V{2});
  EXPECT_EQ(lower->pad_end, V{1});
}

TEST(Window, ValidIgnoresExplicitPads) {
  // (6 - 3) / 2 + 1 = 2 with no padding, even though pads were given.
  auto g = resolve_window(
      "op", V{6}, {.kernel = {3}, .strides = {2}, .pads = {5, 5}, .auto_pad = AutoPad::Valid});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->output, V{2});
  EXPECT_EQ(g->pad_begin, V{0});
}

TEST(Window, TwoAxesAreIndependent) {
  auto g = resolve_window("op", V{5, 6},
                          {.kernel = {3, 2}, .strides = {1, 2}, .pads = {1, 0, 1, 0}});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->output, (V{5, 3}));  // (5+2-3)/1+1 = 5 ; (6-2)/2+1 = 3
}

TEST(WindowErrors, BadParametersAreReported) {
  auto wrong_kernel_rank = resolve_window("pool", V{4, 4}, {.kernel = {2}});
  ASSERT_FALSE(wrong_kernel_rank);
  EXPECT_EQ(wrong_kernel_rank.error().message,
            "pool: kernel has 1 extents, expected one per spatial axis (2)");
  auto zero_stride = resolve_window("pool", V{4}, {.kernel = {2}, .strides = {0}});
  ASSERT_FALSE(zero_stride);
  EXPECT_NE(zero_stride.error().message.find("must be >= 1"), std::string::npos);
  auto short_pads = resolve_window("pool", V{4}, {.kernel = {2}, .pads = {1}});
  ASSERT_FALSE(short_pads);
  EXPECT_EQ(short_pads.error().message,
            "pool: pads has 1 values, expected 2 for 1 spatial axes");
  auto negative_pad = resolve_window("pool", V{4}, {.kernel = {2}, .pads = {-1, 0}});
  ASSERT_FALSE(negative_pad);
  auto too_big = resolve_window("conv", V{3}, {.kernel = {4}});
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().message,
            "conv: window of extent 4 does not fit the padded input of extent 3 on spatial axis 0");
}

}  // namespace
}  // namespace dnnspace::engine
