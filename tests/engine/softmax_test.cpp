#include "dnnspace/engine/softmax.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace dnnspace::engine {
namespace {

Tensor make(Shape shape, std::vector<float> data) {
  return Tensor::from_data(std::move(shape), std::move(data)).value();
}

TEST(Softmax, LastAxisByDefault) {
  // exp(0), exp(ln 2), exp(ln 5) = 1, 2, 5; sum 8 -> 1/8, 2/8, 5/8.
  auto y = softmax(make({1, 3}, {0, std::log(2.0F), std::log(5.0F)}));
  ASSERT_TRUE(y);
  EXPECT_FLOAT_EQ(y->at({0, 0}), 0.125F);
  EXPECT_FLOAT_EQ(y->at({0, 1}), 0.25F);
  EXPECT_FLOAT_EQ(y->at({0, 2}), 0.625F);
}

TEST(Softmax, OtherAxisNormalisesColumns) {
  // [[0, 0], [ln 3, 0]] along axis 0: column 0 -> 1/4, 3/4; column 1 -> 1/2, 1/2.
  auto y = softmax(make({2, 2}, {0, 0, std::log(3.0F), 0}), 0);
  auto negative = softmax(make({2, 2}, {0, 0, std::log(3.0F), 0}), -2);
  ASSERT_TRUE(y && negative);
  EXPECT_FLOAT_EQ(y->at({0, 0}), 0.25F);
  EXPECT_FLOAT_EQ(y->at({1, 0}), 0.75F);
  EXPECT_FLOAT_EQ(y->at({0, 1}), 0.5F);
  EXPECT_FLOAT_EQ(y->at({1, 1}), 0.5F);
  EXPECT_EQ(*y, *negative);
}

TEST(Softmax, MiddleAxisOfRank3) {
  // Shape [1, 2, 2]: pairs along axis 1 are (x[0][0][j], x[0][1][j]) = (0, ln 3) and (ln 3, 0).
  auto y = softmax(make({1, 2, 2}, {0, std::log(3.0F), std::log(3.0F), 0}), 1);
  ASSERT_TRUE(y);
  EXPECT_FLOAT_EQ(y->at({0, 0, 0}), 0.25F);
  EXPECT_FLOAT_EQ(y->at({0, 1, 0}), 0.75F);
  EXPECT_FLOAT_EQ(y->at({0, 0, 1}), 0.75F);
  EXPECT_FLOAT_EQ(y->at({0, 1, 1}), 0.25F);
}

TEST(Softmax, LargeInputsStayFinite) {
  // exp(1000) overflows; shifting by the max gives exp(0), exp(ln 3) -> 1/4, 3/4.
  auto y = softmax(make({2}, {1000.0F, 1000.0F + std::log(3.0F)}));
  ASSERT_TRUE(y);
  EXPECT_NEAR(y->data()[0], 0.25F, 1e-4F);  // 1000 + ln 3 rounds in float (ulp 6e-5)
  EXPECT_NEAR(y->data()[1], 0.75F, 1e-4F);
}

TEST(SoftmaxErrors, AxisOutOfRange) {
  auto y = softmax(Tensor(Shape{2, 2}), 2);
  ASSERT_FALSE(y);
  EXPECT_EQ(y.error().message, "softmax: axis 2 is outside [-2, 2) for input [2, 2]");
  EXPECT_FALSE(softmax(Tensor(Shape{2, 2}), -3));
}

}  // namespace
}  // namespace dnnspace::engine
