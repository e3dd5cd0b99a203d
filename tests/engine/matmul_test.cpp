#include "dnnspace/engine/matmul.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dnnspace::engine {
namespace {

Tensor make(Shape shape, std::vector<float> data) {
  return Tensor::from_data(std::move(shape), std::move(data)).value();
}

TEST(Matmul, TwoByTwo) {
  // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]].
  auto y = matmul(make({2, 2}, {1, 2, 3, 4}), make({2, 2}, {5, 6, 7, 8}));
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 2}, {19, 22, 43, 50}));
}

TEST(Matmul, VectorsArePromotedAndTheAxisDropped) {
  // [1, 2] @ [[1, 2, 3], [4, 5, 6]] = [1+8, 2+10, 3+12] = [9, 12, 15], shape [3].
  auto vm = matmul(make({2}, {1, 2}), make({2, 3}, {1, 2, 3, 4, 5, 6}));
  ASSERT_TRUE(vm);
  EXPECT_EQ(*vm, make({3}, {9, 12, 15}));
  // [[1, 2], [3, 4]] @ [1, 1] = [3, 7], shape [2].
  auto mv = matmul(make({2, 2}, {1, 2, 3, 4}), make({2}, {1, 1}));
  ASSERT_TRUE(mv);
  EXPECT_EQ(*mv, make({2}, {3, 7}));
  // [1, 2, 3] . [4, 5, 6] = 4 + 10 + 18 = 32, a scalar.
  auto vv = matmul(make({3}, {1, 2, 3}), make({3}, {4, 5, 6}));
  ASSERT_TRUE(vv);
  EXPECT_EQ(*vv, make({}, {32}));
}

TEST(Matmul, BatchedWithBroadcastMatrix) {
  // A [2, 1, 2] holds rows [1, 2] and [3, 4]; B [2, 1] = [10, 100]^T is shared by both:
  // 1*10 + 2*100 = 210 and 3*10 + 4*100 = 430.
  auto y = matmul(make({2, 1, 2}, {1, 2, 3, 4}), make({2, 1}, {10, 100}));
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 1, 1}, {210, 430}));
}

TEST(Matmul, BatchAxesBroadcastBothWays) {
  // A [2, 1, 1, 2]: rows [1, 2], [3, 4]; B [3, 2, 1]: columns [1, 1], [1, 0], [0, 1].
  // Out [2, 3, 1, 1]: row 0 -> [3, 1, 2], row 1 -> [7, 3, 4].
  auto y = matmul(make({2, 1, 1, 2}, {1, 2, 3, 4}), make({3, 2, 1}, {1, 1, 1, 0, 0, 1}));
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 3, 1, 1}, {3, 1, 2, 7, 3, 4}));
}

TEST(MatmulErrors, ShapeMismatchesAreErrors) {
  auto inner = matmul(Tensor(Shape{2, 3}), Tensor(Shape{2, 3}));
  ASSERT_FALSE(inner);
  EXPECT_EQ(inner.error().message, "matmul: [2, 3] @ [2, 3]: inner extents 3 and 2 differ");
  auto batch = matmul(Tensor(Shape{2, 1, 2}), Tensor(Shape{3, 2, 1}));
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().message,
            "matmul: shapes [2] and [3] do not broadcast (extents must be equal or 1)");
  EXPECT_FALSE(matmul(Tensor(Shape{}), Tensor(Shape{2})));
}

}  // namespace
}  // namespace dnnspace::engine
