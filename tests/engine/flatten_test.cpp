#include "dnnspace/engine/flatten.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dnnspace::engine {
namespace {

Tensor ramp() {  // [2, 3, 4] holding 0..23
  std::vector<float> v(24);
  for (int i = 0; i < 24; ++i) v[static_cast<std::size_t>(i)] = static_cast<float>(i);
  return Tensor::from_data({2, 3, 4}, v).value();
}

TEST(Flatten, ShapesAtEachAxis) {
  // Rows are the product of the axes before `axis`, columns the product of the rest.
  EXPECT_EQ(flatten(ramp(), 0)->shape(), (Shape{1, 24}));
  EXPECT_EQ(flatten(ramp())->shape(), (Shape{2, 12}));
  EXPECT_EQ(flatten(ramp(), 3)->shape(), (Shape{24, 1}));
  EXPECT_EQ(flatten(ramp(), -1)->shape(), (Shape{6, 4}));
}

TEST(Flatten, KeepsRowMajorOrder) {
  auto y = flatten(ramp(), 2);
  ASSERT_TRUE(y);
  EXPECT_EQ(y->at({5, 3}), 23.0F);  // row 5 = (1, 2), column 3: 1*12 + 2*4 + 3 = 23
  EXPECT_EQ(y->at({1, 0}), 4.0F);
}

TEST(FlattenErrors, AxisOutOfRange) {
  auto y = flatten(ramp(), 4);
  ASSERT_FALSE(y);
  EXPECT_EQ(y.error().message, "flatten: axis 4 is outside [-3, 3] for input [2, 3, 4]");
  EXPECT_FALSE(flatten(ramp(), -4));
}

}  // namespace
}  // namespace dnnspace::engine
