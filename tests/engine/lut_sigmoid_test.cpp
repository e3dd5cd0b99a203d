// LUT sigmoid: error bound against the std::exp sigmoid, saturation and bad parameters.
#include "dnnspace/engine/lut_sigmoid.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace dnnspace::engine {
namespace {

double reference(double x) { return 1.0 / (1.0 + std::exp(-x)); }

TEST(LutSigmoid, ErrorWithinBoundForSeveralSizes) {
  for (const std::int64_t entries : {16, 64, 256, 1024, 4096}) {
    const LutSigmoidSpec spec{entries, -8.0, 8.0};
    const LutSigmoid lut = LutSigmoid::create(spec).value();
    // step = 16 / (entries - 1); in-range error <= step / 8; saturation error sigmoid(-8) = 3.35e-4.
    const double step = 16.0 / static_cast<double>(entries - 1);
    const double expected_bound = std::max(step / 8.0, reference(-8.0)) + std::ldexp(1.0, -23);
    EXPECT_NEAR(lut.error_bound(), expected_bound, 1e-12);
    double worst = 0.0;
    for (int i = -200000; i <= 200000; ++i) {
      const double x = i * 1e-4;  // [-20, 20]
      worst = std::max(worst, std::fabs(static_cast<double>(lut(static_cast<float>(x))) - reference(static_cast<float>(x))));
    }
    EXPECT_LE(worst, expected_bound) << entries << " entries";
    EXPECT_GE(worst, expected_bound / 3) << "the bound should be reasonably tight, " << entries << " entries";
  }
}

TEST(LutSigmoid, SaturatesAndHitsEntries) {
  const LutSigmoid lut = LutSigmoid::create({5, -2.0, 2.0}).value();  // x_k = -2, -1, 0, 1, 2
  EXPECT_FLOAT_EQ(lut(0.0F), 0.5F);
  EXPECT_FLOAT_EQ(lut(0.4F), 0.5F);                                   // nearest entry x = 0
  EXPECT_FLOAT_EQ(lut(0.6F), static_cast<float>(reference(1.0)));
  EXPECT_FLOAT_EQ(lut(-100.0F), static_cast<float>(reference(-2.0)));  // saturates
  EXPECT_FLOAT_EQ(lut(100.0F), static_cast<float>(reference(2.0)));
  EXPECT_FLOAT_EQ(lut(std::nanf("")), 0.5F);
}

TEST(LutSigmoidErrors, BadParameters) {
  const Expected<LutSigmoid> one = LutSigmoid::create({1, -8.0, 8.0});
  ASSERT_FALSE(one);
  EXPECT_NE(one.error().message.find("entries 1 out of range"), std::string::npos);
  const Expected<LutSigmoid> flipped = LutSigmoid::create({16, 8.0, -8.0});
  ASSERT_FALSE(flipped);
  EXPECT_NE(flipped.error().message.find("min < max"), std::string::npos);
}

}  // namespace
}  // namespace dnnspace::engine
