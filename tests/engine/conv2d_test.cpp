#include "dnnspace/engine/conv2d.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace dnnspace::engine {
namespace {

Tensor make(Shape shape, std::vector<float> data) {
  return Tensor::from_data(std::move(shape), std::move(data)).value();
}

// X = [[1, 2, 3], [4, 5, 6], [7, 8, 9]] as [1, 1, 3, 3].
Tensor nine() { return make({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}); }

TEST(Conv2d, UnpaddedSumOfWindows) {
  // 2x2 ones kernel: 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28.
  auto y = conv2d(nine(), make({1, 1, 2, 2}, {1, 1, 1, 1}), nullptr, {});
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({1, 1, 2, 2}, {12, 16, 24, 28}));
}

TEST(Conv2d, PaddingStrideAndBias) {
  // pads 1 all round, stride 2, 2x2 ones, bias 0.5; output (3 + 2 - 2) / 2 + 1 = 2 per axis.
  // (0,0) rows -1..0, cols -1..0 -> only x(0,0) = 1;  (0,1) rows -1..0, cols 1..2 -> 2 + 3 = 5;
  // (1,0) rows 1..2, cols -1..0 -> 4 + 7 = 11;        (1,1) rows 1..2, cols 1..2 -> 28.
  const Tensor bias = make({1}, {0.5F});
  Conv2dParams params;
  params.window.pads = {1, 1, 1, 1};
  params.window.strides = {2, 2};
  auto y = conv2d(nine(), make({1, 1, 2, 2}, {1, 1, 1, 1}), &bias, params);
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({1, 1, 2, 2}, {1.5F, 5.5F, 11.5F, 28.5F}));
}

TEST(Conv2d, AsymmetricPads) {
  // pads top 0, left 1, bottom 0, right 0 with a 1x2 kernel [1, 10] on row [1, 2, 3]:
  // windows [pad, 1] -> 10, [1, 2] -> 1 + 20 = 21, [2, 3] -> 2 + 30 = 32.
  Conv2dParams params;
  params.window.pads = {0, 1, 0, 0};
  auto y = conv2d(make({1, 1, 1, 3}, {1, 2, 3}), make({1, 1, 1, 2}, {1, 10}), nullptr, params);
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({1, 1, 1, 3}, {10, 21, 32}));
}

TEST(Conv2d, Dilation) {
  // 2x2 kernel [1, 10, 100, 1000] with dilation 2 touches the four corners:
  // 1*1 + 3*10 + 7*100 + 9*1000 = 9731.
  Conv2dParams params;
  params.window.dilations = {2, 2};
  auto y = conv2d(nine(), make({1, 1, 2, 2}, {1, 10, 100, 1000}), nullptr, params);
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({1, 1, 1, 1}, {9731}));
}

TEST(Conv2d, SameUpperAndSameLower) {
  // Row [1, 2, 3], kernel [1, 10]: total pad 1. Upper pads the end: [1,2] 21, [2,3] 32, [3,pad] 3.
  // Lower pads the start: [pad,1] 10, [1,2] 21, [2,3] 32.
  const Tensor x = make({1, 1, 1, 3}, {1, 2, 3});
  const Tensor w = make({1, 1, 1, 2}, {1, 10});
  Conv2dParams upper, lower;
  upper.window.auto_pad = AutoPad::SameUpper;
  lower.window.auto_pad = AutoPad::SameLower;
  auto yu = conv2d(x, w, nullptr, upper);
  auto yl = conv2d(x, w, nullptr, lower);
  ASSERT_TRUE(yu && yl);
  EXPECT_EQ(*yu, make({1, 1, 1, 3}, {21, 32, 3}));
  EXPECT_EQ(*yl, make({1, 1, 1, 3}, {10, 21, 32}));
}

TEST(Conv2d, GroupsKeepChannelsApart) {
  // Two 1x1 channels [3, 5]. groups 2, W = [2], [7]: outputs 3*2 = 6 and 5*7 = 35.
  const Tensor x = make({1, 2, 1, 1}, {3, 5});
  Conv2dParams grouped;
  grouped.groups = 2;
  auto yg = conv2d(x, make({2, 1, 1, 1}, {2, 7}), nullptr, grouped);
  ASSERT_TRUE(yg);
  EXPECT_EQ(*yg, make({1, 2, 1, 1}, {6, 35}));
  // groups 1, W = [[2, 7], [1, 1]]: 3*2 + 5*7 = 41 and 3 + 5 = 8.
  auto y = conv2d(x, make({2, 2, 1, 1}, {2, 7, 1, 1}), nullptr, {});
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({1, 2, 1, 1}, {41, 8}));
}

TEST(Conv2d, BatchAndMultiChannel3x3) {
  // Batch 2 of 2-channel 2x2 images, one 3x3 filter per channel, pads 1, so each output pixel
  // sums the whole image weighted by the filter tap that lands on it.
  // Filter channel 0 is all 1, channel 1 is 0 except the centre 1 (picks the pixel itself).
  // Image 0: ch0 [1, 2, 3, 4] (sum 10), ch1 [10, 20, 30, 40]: out = 10 + ch1 = [20, 30, 40, 50].
  // Image 1: ch0 all 0, ch1 [1, 1, 1, 1]: out = [1, 1, 1, 1].
  const Tensor x = make({2, 2, 2, 2}, {1, 2, 3, 4, 10, 20, 30, 40, 0, 0, 0, 0, 1, 1, 1, 1});
  const Tensor w = make({1, 2, 3, 3}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0});
  Conv2dParams params;
  params.window.pads = {1, 1, 1, 1};
  auto y = conv2d(x, w, nullptr, params);
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 1, 2, 2}, {20, 30, 40, 50, 1, 1, 1, 1}));
}

TEST(Conv2d, PointwiseFastPath) {
  // 1x1 kernel, stride 1, no pads: out = x_c0 - x_c1 per pixel and per image.
  const Tensor x = make({2, 2, 1, 2}, {5, 6, 1, 2, 0, 1, 3, 3});
  auto y = conv2d(x, make({1, 2, 1, 1}, {1, -1}), nullptr, {});
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 1, 1, 2}, {4, 4, -3, -2}));
}

// The 7-deep loop nest of SYSTEM.md written out directly, independent of im2col and sgemm.
Tensor direct_conv(const Tensor& x, const Tensor& w, const Tensor& b, std::int64_t groups,
                   std::int64_t stride, std::int64_t pad, std::int64_t dilation) {
  const std::int64_t n_n = x.dim(0), h = x.dim(2), wd = x.dim(3);
  const std::int64_t m_n = w.dim(0), cg = w.dim(1), r_n = w.dim(2), s_n = w.dim(3);
  const std::int64_t p_n = (h + 2 * pad - (r_n - 1) * dilation - 1) / stride + 1;
  const std::int64_t q_n = (wd + 2 * pad - (s_n - 1) * dilation - 1) / stride + 1;
  const std::int64_t mg = m_n / groups;
  Tensor y(Shape{n_n, m_n, p_n, q_n});
  for (std::int64_t n = 0; n < n_n; ++n)
    for (std::int64_t m = 0; m < m_n; ++m)
      for (std::int64_t p = 0; p < p_n; ++p)
        for (std::int64_t q = 0; q < q_n; ++q) {
          double acc = b.at({m});
          for (std::int64_t c = 0; c < cg; ++c)
            for (std::int64_t r = 0; r < r_n; ++r)
              for (std::int64_t s = 0; s < s_n; ++s) {
                const std::int64_t ih = p * stride - pad + r * dilation;
                const std::int64_t iw = q * stride - pad + s * dilation;
                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                acc += static_cast<double>(x.at({n, (m / mg) * cg + c, ih, iw})) *
                       w.at({m, c, r, s});
              }
          y.at({n, m, p, q}) = static_cast<float>(acc);
        }
  return y;
}

TEST(Conv2d, MatchesTheDirectLoopNestOnRandomLayers) {
  std::mt19937 rng(12345);  // fixed seed: the same 60 layers every run
  const auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  std::uniform_real_distribution<float> value(-1.0F, 1.0F);
  for (int trial = 0; trial < 60; ++trial) {
    const std::int64_t groups = pick(1, 3), cg = pick(1, 4), mg = pick(1, 4);
    const std::int64_t k = pick(1, 3), stride = pick(1, 2), pad = pick(0, 2), dil = pick(1, 2);
    const std::int64_t extent = (k - 1) * dil + 1;
    const std::int64_t h = pick(std::max<std::int64_t>(1, extent - 2 * pad), 9);
    const std::int64_t wd = pick(std::max<std::int64_t>(1, extent - 2 * pad), 9);
    Tensor x(Shape{pick(1, 2), groups * cg, h, wd}), w(Shape{groups * mg, cg, k, k});
    Tensor b(Shape{groups * mg});
    for (Tensor* t : {&x, &w, &b})
      for (float& v : t->data()) v = value(rng);
    Conv2dParams params;
    params.groups = groups;
    params.window.strides = {stride, stride};
    params.window.pads = {pad, pad, pad, pad};
    params.window.dilations = {dil, dil};
    auto y = conv2d(x, w, &b, params);
    ASSERT_TRUE(y) << y.error().message;
    const Tensor want = direct_conv(x, w, b, groups, stride, pad, dil);
    ASSERT_EQ(y->shape(), want.shape()) << "trial " << trial;
    for (std::size_t i = 0; i < want.data().size(); ++i) {
      // fp32 sums of at most 4*3*3 = 36 products of magnitude <= 1: error well below 1e-4.
      ASSERT_NEAR(y->data()[i], want.data()[i], 1e-4F) << "trial " << trial << " element " << i;
    }
  }
}

TEST(Conv2dErrors, ShapeMismatchesAreErrors) {
  const Tensor x = nine();
  auto channels = conv2d(x, Tensor(Shape{1, 2, 2, 2}), nullptr, {});
  ASSERT_FALSE(channels);
  EXPECT_EQ(channels.error().message,
            "conv2d: weights [1, 2, 2, 2] need dim 1 = C/groups = 1 for input [1, 1, 3, 3]");
  const Tensor bias(Shape{2});
  auto bad_bias = conv2d(x, Tensor(Shape{1, 1, 2, 2}), &bias, {});
  ASSERT_FALSE(bad_bias);
  EXPECT_EQ(bad_bias.error().message, "conv2d: bias must be [M] = [1], got [2]");
  Conv2dParams groups;
  groups.groups = 2;
  auto bad_groups = conv2d(x, Tensor(Shape{1, 1, 2, 2}), nullptr, groups);
  ASSERT_FALSE(bad_groups);
  EXPECT_NE(bad_groups.error().message.find("groups = 2"), std::string::npos);
  auto rank = conv2d(Tensor(Shape{1, 3, 3}), Tensor(Shape{1, 1, 2, 2}), nullptr, {});
  ASSERT_FALSE(rank);
  EXPECT_EQ(rank.error().message, "conv2d: input must be rank 4 [N, C, H, W], got [1, 3, 3]");
  auto too_big = conv2d(x, Tensor(Shape{1, 1, 4, 4}), nullptr, {});
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().message.find("does not fit"), std::string::npos);
  Conv2dParams kernel;
  kernel.window.kernel = {3, 3};
  auto bad_kernel = conv2d(x, Tensor(Shape{1, 1, 2, 2}), nullptr, kernel);
  ASSERT_FALSE(bad_kernel);
}

}  // namespace
}  // namespace dnnspace::engine
