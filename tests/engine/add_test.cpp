#include "dnnspace/engine/add.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dnnspace::engine {
namespace {

Tensor make(Shape shape, std::vector<float> data) {
  return Tensor::from_data(std::move(shape), std::move(data)).value();
}

TEST(Add, SameShape) {
  auto y = add(make({2}, {1, 2}), make({2}, {3, 4}));
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2}, {4, 6}));
}

TEST(Add, RowBroadcast) {
  // [[1, 2, 3], [4, 5, 6]] + [10, 20, 30] adds the row to each row.
  auto y = add(make({2, 3}, {1, 2, 3, 4, 5, 6}), make({3}, {10, 20, 30}));
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 3}, {11, 22, 33, 14, 25, 36}));
}

TEST(Add, BothOperandsBroadcast) {
  // [[1], [2]] + [[10, 20, 30]] = [[11, 21, 31], [12, 22, 32]] (an outer sum).
  auto y = add(make({2, 1}, {1, 2}), make({1, 3}, {10, 20, 30}));
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 3}, {11, 21, 31, 12, 22, 32}));
}

TEST(Add, ScalarAndMiddleAxisBroadcast) {
  auto s = add(make({}, {0.5F}), make({2}, {1, 2}));
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, make({2}, {1.5F, 2.5F}));
  // [2, 1, 2] + [3, 1]: out [2, 3, 2]; element (i, j, k) = a[i][0][k] + b[j][0].
  auto y = add(make({2, 1, 2}, {1, 2, 3, 4}), make({3, 1}, {0, 10, 100}));
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 3, 2}, {1, 2, 11, 12, 101, 102, 3, 4, 13, 14, 103, 104}));
}

TEST(AddErrors, IncompatibleShapes) {
  auto y = add(Tensor(Shape{2, 3}), Tensor(Shape{2}));
  ASSERT_FALSE(y);
  EXPECT_EQ(y.error().message,
            "add: shapes [2, 3] and [2] do not broadcast (extents must be equal or 1)");
}

}  // namespace
}  // namespace dnnspace::engine
