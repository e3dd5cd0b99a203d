#include "dnnspace/engine/batch_norm.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dnnspace::engine {
namespace {

Tensor make(Shape shape, std::vector<float> data) {
  return Tensor::from_data(std::move(shape), std::move(data)).value();
}

TEST(BatchNorm, PerChannelNormalisation) {
  // X [1, 2, 1, 2]: channel 0 = [1, 3], channel 1 = [2, 4]; epsilon 0.
  // ch0: mean 2, var 4 (sd 2), scale 2, bias 0: (1-2)/2*2 = -1, (3-2)/2*2 = 1.
  // ch1: mean 0, var 1, scale 1, bias 1: 2 + 1 = 3, 4 + 1 = 5.
  const Tensor x = make({1, 2, 1, 2}, {1, 3, 2, 4});
  const Tensor scale = make({2}, {2, 1}), bias = make({2}, {0, 1});
  const Tensor mean = make({2}, {2, 0}), var = make({2}, {4, 1});
  auto y = batch_norm(x, {.scale = scale, .bias = bias, .mean = mean, .var = var, .epsilon = 0});
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({1, 2, 1, 2}, {-1, 1, 3, 5}));
}

TEST(BatchNorm, EpsilonIsAddedToTheVariance) {
  // var 4 + epsilon 5 = 9 -> sd 3: (1 - 2) / 3 * 2 = -2/3 and (3 - 2) / 3 * 2 = 2/3.
  const Tensor x = make({2, 1}, {1, 3});  // rank 2: [N, C] with no spatial axes
  const Tensor scale = make({1}, {2}), bias = make({1}, {0});
  const Tensor mean = make({1}, {2}), var = make({1}, {4});
  auto y = batch_norm(x, {.scale = scale, .bias = bias, .mean = mean, .var = var, .epsilon = 5});
  ASSERT_TRUE(y);
  EXPECT_FLOAT_EQ(y->at({0, 0}), -2.0F / 3.0F);
  EXPECT_FLOAT_EQ(y->at({1, 0}), 2.0F / 3.0F);
}

TEST(BatchNormErrors, ParameterShapes) {
  const Tensor x(Shape{1, 2, 2, 2});
  const Tensor two(Shape{2}), three(Shape{3});
  auto y = batch_norm(x, {.scale = two, .bias = two, .mean = three, .var = two});
  ASSERT_FALSE(y);
  EXPECT_EQ(y.error().message, "batch_norm: mean must be [C] = [2], got [3]");
  auto rank = batch_norm(Tensor(Shape{2}), {.scale = two, .bias = two, .mean = two, .var = two});
  ASSERT_FALSE(rank);
  EXPECT_EQ(rank.error().message, "batch_norm: input must be [N, C, ...] with rank >= 2, got [2]");
}

}  // namespace
}  // namespace dnnspace::engine
