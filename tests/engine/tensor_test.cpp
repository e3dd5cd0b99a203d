#include "dnnspace/engine/tensor.hpp"

#include <gtest/gtest.h>

#include <utility>

namespace dnnspace::engine {
namespace {

TEST(Tensor, ElementCountAndStrides) {
  EXPECT_EQ(element_count({2, 3, 4}), 24);
  EXPECT_EQ(element_count({}), 1);  // a scalar
  EXPECT_EQ(element_count({5, 0}), 0);
  EXPECT_EQ(row_major_strides({2, 3, 4}), (Shape{12, 4, 1}));
  EXPECT_EQ(to_string({2, 3}), "[2, 3]");
}

TEST(Tensor, FillConstructorAndRowMajorAt) {
  Tensor t(Shape{2, 3}, 1.5F);
  EXPECT_EQ(t.rank(), 2);
  EXPECT_EQ(t.size(), 6);
  EXPECT_EQ(t.at({1, 2}), 1.5F);
  t.at({1, 0}) = 7.0F;  // row 1, column 0 is flat index 1*3 + 0 = 3
  EXPECT_EQ(t.data()[3], 7.0F);
}

TEST(Tensor, DefaultIsEmpty) {
  const Tensor t;
  EXPECT_EQ(t.shape(), Shape{0});
  EXPECT_EQ(t.size(), 0);
}

TEST(Tensor, FromDataChecksCount) {
  auto ok = Tensor::from_data({2, 2}, {1, 2, 3, 4});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->at({1, 1}), 4.0F);
  auto bad = Tensor::from_data({2, 2}, {1, 2, 3});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "tensor: shape [2, 2] holds 4 elements but 3 values were given");
  auto negative = Tensor::from_data({-1, 2}, {});
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message.find("negative"), std::string::npos);
}

TEST(Tensor, ReshapeKeepsDataAndRejectsCountChange) {
  auto t = Tensor::from_data({2, 3}, {0, 1, 2, 3, 4, 5});
  ASSERT_TRUE(t);
  auto r = std::move(*t).reshaped({3, 2});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at({2, 1}), 5.0F);
  EXPECT_EQ(r->at({1, 0}), 2.0F);
  auto bad = std::move(*r).reshaped({4, 2});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "tensor: cannot reshape [3, 2] to [4, 2]: the element counts must match");
}

TEST(Tensor, MoveLeavesSourceValidAndCopyIsDeep) {
  Tensor a(Shape{2}, 1.0F);
  Tensor b = a;
  b.data()[0] = 2.0F;
  EXPECT_EQ(a.data()[0], 1.0F);
  EXPECT_NE(a, b);
  Tensor c = std::move(b);
  EXPECT_EQ(c.data()[0], 2.0F);
}

}  // namespace
}  // namespace dnnspace::engine
