#include "dnnspace/engine/sgemm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace dnnspace::engine {
namespace {

// A = [[1, 2, 3], [4, 5, 6]] (2x3), B = [[1, 0], [0, 1], [1, 1]] (3x2):
// A*B = [[1+0+3, 0+2+3], [4+0+6, 0+5+6]] = [[4, 5], [10, 11]].
const std::vector<float> kA = {1, 2, 3, 4, 5, 6};
const std::vector<float> kB = {1, 0, 0, 1, 1, 1};

TEST(Sgemm, PlainProduct) {
  std::vector<float> c(4);
  sgemm(false, false, 2, 2, 3, 1.0F, kA.data(), kB.data(), 0.0F, c.data());
  EXPECT_EQ(c, (std::vector<float>{4, 5, 10, 11}));
}

TEST(Sgemm, TransposedOperandsAreReadTransposed) {
  const std::vector<float> at = {1, 4, 2, 5, 3, 6};  // A stored 3x2
  const std::vector<float> bt = {1, 0, 1, 0, 1, 1};  // B stored 2x3
  std::vector<float> c(4);
  sgemm(true, true, 2, 2, 3, 1.0F, at.data(), bt.data(), 0.0F, c.data());
  EXPECT_EQ(c, (std::vector<float>{4, 5, 10, 11}));
}

TEST(Sgemm, AlphaAndBetaScale) {
  // 2 * A*B + 0.5 * [[2, 4], [6, 8]] = [[8+1, 10+2], [20+3, 22+4]].
  std::vector<float> c = {2, 4, 6, 8};
  sgemm(false, false, 2, 2, 3, 2.0F, kA.data(), kB.data(), 0.5F, c.data());
  EXPECT_EQ(c, (std::vector<float>{9, 12, 23, 26}));
}

TEST(Sgemm, BetaZeroDoesNotReadC) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> c = {nan, nan, nan, nan};
  sgemm(false, false, 2, 2, 3, 1.0F, kA.data(), kB.data(), 0.0F, c.data());
  EXPECT_EQ(c, (std::vector<float>{4, 5, 10, 11}));
}

TEST(Sgemm, EmptyReductionLeavesBetaTimesC) {
  std::vector<float> c = {1, 2};
  sgemm(false, false, 1, 2, 0, 1.0F, nullptr, nullptr, 3.0F, c.data());
  EXPECT_EQ(c, (std::vector<float>{3, 6}));
}

}  // namespace
}  // namespace dnnspace::engine
