#include "dnnspace/engine/pooling.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dnnspace::engine {
namespace {

Tensor make(Shape shape, std::vector<float> data) {
  return Tensor::from_data(std::move(shape), std::move(data)).value();
}

// 4x4 plane with rows [1..4], [5..8], [9..12], [13..16].
Tensor sixteen() {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[static_cast<std::size_t>(i)] = static_cast<float>(i + 1);
  return make({1, 1, 4, 4}, v);
}

PoolParams window(std::vector<std::int64_t> kernel, std::vector<std::int64_t> strides,
                  std::vector<std::int64_t> pads = {}) {
  PoolParams p;
  p.window.kernel = std::move(kernel);
  p.window.strides = std::move(strides);
  p.window.pads = std::move(pads);
  return p;
}

TEST(Pooling, TwoByTwoStrideTwo) {
  // Max of each 2x2 block: 6, 8, 14, 16. Mean: (1+2+5+6)/4 = 3.5, (3+4+7+8)/4 = 5.5, 11.5, 13.5.
  auto mx = max_pool(sixteen(), window({2, 2}, {2, 2}));
  auto av = average_pool(sixteen(), window({2, 2}, {2, 2}));
  ASSERT_TRUE(mx && av);
  EXPECT_EQ(*mx, make({1, 1, 2, 2}, {6, 8, 14, 16}));
  EXPECT_EQ(*av, make({1, 1, 2, 2}, {3.5F, 5.5F, 11.5F, 13.5F}));
}

TEST(Pooling, AverageWithPaddingExcludesOrIncludesPad) {
  // 3x3 kernel, stride 2, pads 1: output (4 + 2 - 3) / 2 + 1 = 2 per axis.
  // (0,0): rows 0..1, cols 0..1 -> 1+2+5+6 = 14 over 4 real taps = 3.5, over 9 = 14/9.
  // (0,1): rows 0..1, cols 1..3 -> 2+3+4+6+7+8 = 30 over 6 = 5, over 9 = 30/9.
  // (1,0): rows 1..3, cols 0..1 -> 5+6+9+10+13+14 = 57 over 6 = 9.5, over 9 = 57/9.
  // (1,1): rows 1..3, cols 1..3 -> 99 over 9 = 11 either way.
  PoolParams p = window({3, 3}, {2, 2}, {1, 1, 1, 1});
  auto excl = average_pool(sixteen(), p);
  p.count_include_pad = true;
  auto incl = average_pool(sixteen(), p);
  ASSERT_TRUE(excl && incl);
  EXPECT_EQ(*excl, make({1, 1, 2, 2}, {3.5F, 5.0F, 9.5F, 11.0F}));
  EXPECT_EQ(incl->shape(), (Shape{1, 1, 2, 2}));
  EXPECT_FLOAT_EQ(incl->at({0, 0, 0, 0}), 14.0F / 9.0F);
  EXPECT_FLOAT_EQ(incl->at({0, 0, 0, 1}), 30.0F / 9.0F);
  EXPECT_FLOAT_EQ(incl->at({0, 0, 1, 0}), 57.0F / 9.0F);
  EXPECT_FLOAT_EQ(incl->at({0, 0, 1, 1}), 11.0F);
  auto mx = max_pool(sixteen(), window({3, 3}, {2, 2}, {1, 1, 1, 1}));
  ASSERT_TRUE(mx);
  EXPECT_EQ(*mx, make({1, 1, 2, 2}, {6, 8, 14, 16}));
}

TEST(Pooling, PaddingNeverWinsAMax) {
  // A lone -3 padded by one on each side in W: the max is -3, not the pad's 0.
  auto y = max_pool(make({1, 1, 1, 1}, {-3}), window({1, 3}, {1, 1}, {0, 1, 0, 1}));
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({1, 1, 1, 1}, {-3}));
}

TEST(Pooling, CeilModeAddsPartialWindows) {
  // 3x3 kernel, stride 2, ceil: 2x2 outputs whose last row/column windows are cut off.
  // Max: rows 0..2 cols 0..2 -> 11; rows 0..2 cols 2..3 -> 12; rows 2..3 cols 0..2 -> 15; 16.
  // Average (0,1): 3+4+7+8+11+12 = 45 over 6 taps = 7.5.
  PoolParams p = window({3, 3}, {2, 2});
  p.window.ceil_mode = true;
  auto mx = max_pool(sixteen(), p);
  auto av = average_pool(sixteen(), p);
  ASSERT_TRUE(mx && av);
  EXPECT_EQ(*mx, make({1, 1, 2, 2}, {11, 12, 15, 16}));
  EXPECT_FLOAT_EQ(av->at({0, 0, 0, 1}), 7.5F);
}

TEST(Pooling, CeilModeDropsAWindowStartingInTheEndPad) {
  // 1-D [1, 2, 3, 4, 5], kernel 2, stride 2, pads 1 + 1, ceil: windows start at -1, 1, 3
  // (max 1, 3, 5); a fourth would start at 5, inside the end pad, and is not produced.
  PoolParams p = window({2}, {2}, {1, 1});
  p.window.ceil_mode = true;
  auto y = max_pool(make({1, 1, 5}, {1, 2, 3, 4, 5}), p);
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({1, 1, 3}, {1, 3, 5}));
}

TEST(Pooling, DilationAnd3d) {
  // [1, 5, 2, 4, 3], kernel 2, dilation 2: taps (0,2) (1,3) (2,4) -> max 2, 5, 3.
  PoolParams p = window({2}, {1});
  p.window.dilations = {2};
  auto y = max_pool(make({1, 1, 5}, {1, 5, 2, 4, 3}), p);
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({1, 1, 3}, {2, 5, 3}));
  // A 2x2x2 cube 1..8 pooled whole: max 8, mean 36 / 8 = 4.5.
  const Tensor cube = make({1, 1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  auto mx = max_pool(cube, window({2, 2, 2}, {}));
  auto av = average_pool(cube, window({2, 2, 2}, {}));
  ASSERT_TRUE(mx && av);
  EXPECT_EQ(*mx, make({1, 1, 1, 1, 1}, {8}));
  EXPECT_EQ(*av, make({1, 1, 1, 1, 1}, {4.5F}));
}

TEST(Pooling, IndicesAreFlatInputPositions) {
  // Row-major: 6 at (1,1) -> 5, 8 at (1,3) -> 7, 14 at (3,1) -> 13, 16 at (3,3) -> 15.
  auto row = max_pool_with_indices(sixteen(), window({2, 2}, {2, 2}));
  ASSERT_TRUE(row);
  EXPECT_EQ(row->indices, (std::vector<std::int64_t>{5, 7, 13, 15}));
  // Column-major (storage_order 1): (r, c) -> c*4 + r: 5, 13, 7, 15.
  auto col = max_pool_with_indices(sixteen(), window({2, 2}, {2, 2}), true);
  ASSERT_TRUE(col);
  EXPECT_EQ(col->indices, (std::vector<std::int64_t>{5, 13, 7, 15}));
  // Channel 1 starts at flat index 4: its max 8 sits at 4 + 0. Ties pick the first tap (2).
  auto two = max_pool_with_indices(make({1, 2, 2, 2}, {1, 2, 3, 4, 8, 7, 6, 5}),
                                   window({2, 2}, {}));
  auto ties = max_pool_with_indices(make({1, 1, 1, 3}, {0, 1, 1}), window({1, 3}, {}));
  ASSERT_TRUE(two && ties);
  EXPECT_EQ(two->indices, (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(ties->indices, (std::vector<std::int64_t>{1}));
}

TEST(PoolingErrors, BadInputsAreErrors) {
  auto rank = max_pool(Tensor(Shape{4, 4}), window({2, 2}, {}));
  ASSERT_FALSE(rank);
  EXPECT_EQ(rank.error().message,
            "max_pool: input must be [N, C, spatial...] with rank >= 3, got [4, 4]");
  auto kernel = average_pool(sixteen(), window({2}, {}));
  ASSERT_FALSE(kernel);
  EXPECT_EQ(kernel.error().message,
            "average_pool: kernel has 1 extents, expected one per spatial axis (2)");
  EXPECT_FALSE(max_pool(sixteen(), window({5, 5}, {})));
  EXPECT_FALSE(max_pool(sixteen(), window({2, 2}, {0, 1})));
  EXPECT_FALSE(max_pool(sixteen(), window({2, 2}, {}, {1, 1})));
}

}  // namespace
}  // namespace dnnspace::engine
