#include "dnnspace/engine/gemm.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dnnspace::engine {
namespace {

Tensor make(Shape shape, std::vector<float> data) {
  return Tensor::from_data(std::move(shape), std::move(data)).value();
}

// A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]]:
// AB = [[5+14, 6+16], [15+28, 18+32]] = [[19, 22], [43, 50]].
const Tensor kA = make({2, 2}, {1, 2, 3, 4});
const Tensor kB = make({2, 2}, {5, 6, 7, 8});

TEST(Gemm, NoBias) {
  auto y = gemm(kA, kB, nullptr, {});
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 2}, {19, 22, 43, 50}));
}

TEST(Gemm, AlphaBetaAndRowVectorBias) {
  // 2 * AB + 3 * [1, 10] per row = [[38+3, 44+30], [86+3, 100+30]].
  const Tensor c = make({2}, {1, 10});
  auto y = gemm(kA, kB, &c, {.alpha = 2.0F, .beta = 3.0F});
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 2}, {41, 74, 89, 130}));
}

TEST(Gemm, ColumnScalarAndMatrixBias) {
  const Tensor column = make({2, 1}, {1, 2});  // [[19+1, 22+1], [43+2, 50+2]]
  auto y = gemm(kA, kB, &column, {});
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 2}, {20, 23, 45, 52}));
  const Tensor scalar = make({}, {1});
  auto ys = gemm(kA, kB, &scalar, {});
  ASSERT_TRUE(ys);
  EXPECT_EQ(*ys, make({2, 2}, {20, 23, 44, 51}));
  const Tensor matrix = make({2, 2}, {1, 2, 3, 4});
  auto ym = gemm(kA, kB, &matrix, {.beta = -1.0F});
  ASSERT_TRUE(ym);
  EXPECT_EQ(*ym, make({2, 2}, {18, 20, 40, 46}));
}

TEST(Gemm, Transposes) {
  const Tensor at = make({2, 2}, {1, 3, 2, 4});  // A stored transposed
  const Tensor bt = make({2, 2}, {5, 7, 6, 8});  // B stored transposed
  auto y = gemm(at, bt, nullptr, {.trans_a = true, .trans_b = true});
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({2, 2}, {19, 22, 43, 50}));
}

TEST(Gemm, NonSquare) {
  // [1, 2, 3] x [[1, 0], [0, 1], [1, 1]] = [1 + 3, 2 + 3] = [4, 5].
  auto y = gemm(make({1, 3}, {1, 2, 3}), make({3, 2}, {1, 0, 0, 1, 1, 1}), nullptr, {});
  ASSERT_TRUE(y);
  EXPECT_EQ(*y, make({1, 2}, {4, 5}));
}

TEST(GemmErrors, ShapeMismatchesAreErrors) {
  auto inner = gemm(Tensor(Shape{2, 3}), Tensor(Shape{2, 2}), nullptr, {});
  ASSERT_FALSE(inner);
  EXPECT_EQ(inner.error().message,
            "gemm: op(A) is [2, 3] but op(B) is [2, 2]: inner extents must match");
  const Tensor c(Shape{3});
  auto bias = gemm(kA, kB, &c, {});
  ASSERT_FALSE(bias);
  EXPECT_EQ(bias.error().message, "gemm: C [3] does not broadcast to [M, N] = [2, 2]");
  const Tensor c3(Shape{2, 2, 1});  // would broadcast to [2, 2, 2], not to [M, N]
  EXPECT_FALSE(gemm(kA, kB, &c3, {}));
  auto rank = gemm(Tensor(Shape{2}), kB, nullptr, {});
  ASSERT_FALSE(rank);
  EXPECT_EQ(rank.error().message, "gemm: A and B must be rank 2, got [2] and [2, 2]");
}

}  // namespace
}  // namespace dnnspace::engine
