#include "dnnspace/engine/concat.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dnnspace::engine {
namespace {

Tensor make(Shape shape, std::vector<float> data) {
  return Tensor::from_data(std::move(shape), std::move(data)).value();
}

TEST(Concat, AlongRows) {
  const std::vector<Tensor> in = {make({1, 2}, {1, 2}), make({2, 2}, {3, 4, 5, 6})};
  auto y = concat(in, 0);
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({3, 2}, {1, 2, 3, 4, 5, 6}));
}

TEST(Concat, AlongColumnsInterleavesRows) {
  // [[1], [2]] beside [[3, 4], [5, 6]] -> [[1, 3, 4], [2, 5, 6]]; -1 names the same axis.
  const std::vector<Tensor> in = {make({2, 1}, {1, 2}), make({2, 2}, {3, 4, 5, 6})};
  auto y = concat(in, 1);
  auto negative = concat(in, -1);
  ASSERT_TRUE(y && negative);
  EXPECT_EQ(*y, make({2, 3}, {1, 3, 4, 2, 5, 6}));
  EXPECT_EQ(*y, *negative);
}

TEST(ConcatErrors, BadInputs) {
  EXPECT_EQ(concat({}, 0).error().message, "concat: needs at least one input");
  const std::vector<Tensor> mismatch = {Tensor(Shape{2, 2}), Tensor(Shape{3, 2})};
  auto y = concat(mismatch, 1);
  ASSERT_FALSE(y);
  EXPECT_EQ(y.error().message,
            "concat: input 1 [3, 2] must match input 0 [2, 2] except on axis 1");
  const std::vector<Tensor> ranks = {Tensor(Shape{2, 2}), Tensor(Shape{2})};
  EXPECT_FALSE(concat(ranks, 0));
  auto axis = concat(mismatch, 2);
  ASSERT_FALSE(axis);
  EXPECT_EQ(axis.error().message, "concat: axis 2 is outside [-2, 2) for input 0 [2, 2]");
}

}  // namespace
}  // namespace dnnspace::engine
