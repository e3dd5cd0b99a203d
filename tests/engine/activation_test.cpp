#include "dnnspace/engine/activation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace dnnspace::engine {
namespace {

Tensor make(Shape shape, std::vector<float> data) {
  return Tensor::from_data(std::move(shape), std::move(data)).value();
}

TEST(Activation, ReluClampsNegatives) {
  EXPECT_EQ(relu(make({2, 2}, {-2, 0, 3, -0.5F})), make({2, 2}, {0, 0, 3, 0}));
}

TEST(Activation, SigmoidAtKnownPoints) {
  // sigmoid(0) = 1/2; sigmoid(ln 3) = 1 / (1 + 1/3) = 3/4; sigmoid(-ln 3) = 1 / (1 + 3) = 1/4.
  const float ln3 = std::log(3.0F);
  const Tensor y = sigmoid(make({3}, {0, ln3, -ln3}));
  EXPECT_FLOAT_EQ(y.data()[0], 0.5F);
  EXPECT_FLOAT_EQ(y.data()[1], 0.75F);
  EXPECT_FLOAT_EQ(y.data()[2], 0.25F);
}

TEST(Activation, SigmoidSaturatesWithoutOverflow) {
  // exp(100) overflows float; the result must still be 1 and, for -100, e^-100 ~ 3.7e-44
  // (a float denormal), positive and not NaN.
  const Tensor y = sigmoid(make({2}, {100, -100}));
  EXPECT_EQ(y.data()[0], 1.0F);
  EXPECT_GT(y.data()[1], 0.0F);
  EXPECT_LT(y.data()[1], 1e-40F);
}

TEST(Activation, TanhAtKnownPoints) {
  // tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6; tanh is odd.
  const float ln2 = std::log(2.0F);
  const Tensor y = tanh(make({3}, {0, ln2, -ln2}));
  EXPECT_FLOAT_EQ(y.data()[0], 0.0F);
  EXPECT_FLOAT_EQ(y.data()[1], 0.6F);
  EXPECT_FLOAT_EQ(y.data()[2], -0.6F);
  EXPECT_EQ(y.shape(), Shape{3});
}

}  // namespace
}  // namespace dnnspace::engine
