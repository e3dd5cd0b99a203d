// int8 symmetric quantization against hand-computed scales and values.
#include "dnnspace/engine/quantize.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dnnspace::engine {
namespace {

TEST(Quantize, PerTensor) {
  // max |x| = 2.54 -> scale 0.02; 1.0 / 0.02 = 50; -2.54 -> -127; 0.01 / 0.02 = 0.5 -> 0 (even).
  const std::vector<float> x{1.0F, -2.54F, 0.01F, 0.03F};
  const Int8Tensor q = quantize_int8(x, 1);
  ASSERT_EQ(q.scales.size(), 1U);
  EXPECT_FLOAT_EQ(q.scales[0], 0.02F);
  EXPECT_EQ(q.values[0], 50);
  EXPECT_EQ(q.values[1], -127);
  EXPECT_EQ(q.values[3], 2);  // 1.5 -> 2 (even)
  EXPECT_EQ(q.channel_size, 4);
}

TEST(Quantize, PerChannelAndZeroRow) {
  // Row 0: max 1.27 -> scale 0.01, 0.5 -> 50. Row 1: all zero -> scale 1, values 0.
  const std::vector<float> x{1.27F, 0.5F, 0.0F, 0.0F};
  const Int8Tensor q = quantize_int8(x, 2);
  ASSERT_EQ(q.scales.size(), 2U);
  EXPECT_FLOAT_EQ(q.scales[0], 0.01F);
  EXPECT_FLOAT_EQ(q.scales[1], 1.0F);
  EXPECT_EQ(q.values[0], 127);
  EXPECT_EQ(q.values[1], 50);
  EXPECT_EQ(q.values[2], 0);
}

TEST(Quantize, ClampsOutsideScale) {
  EXPECT_EQ(quantize_int8_value(10.0F, 0.01F), 127);
  EXPECT_EQ(quantize_int8_value(-10.0F, 0.01F), -127);
}

}  // namespace
}  // namespace dnnspace::engine
