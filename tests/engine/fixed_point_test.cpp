// Fixed-point Q(m.n): rounding, saturation and dot products against hand-computed values and
// an independent exact computation.
#include "dnnspace/engine/fixed_point.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "dnnspace/engine/integer_matmul.hpp"

namespace dnnspace::engine {
namespace {

TEST(FixedPoint, FormatRange) {
  // Q2.6: 8 bits, raw in [-128, 127], values in [-2, 1.984375].
  const FixedFormat q{2, 6};
  EXPECT_EQ(total_bits(q), 8);
  EXPECT_EQ(max_raw(q), 127);
  EXPECT_EQ(min_raw(q), -128);
  EXPECT_EQ(to_string(q), "Q2.6");
  EXPECT_TRUE(is_valid(q));
  EXPECT_FALSE(is_valid({0, 4}));
  EXPECT_FALSE(is_valid({2, -1}));
  EXPECT_FALSE(is_valid({20, 13}));
  EXPECT_TRUE(is_valid({16, 16}));
}

TEST(FixedPoint, ShiftRightNearestEven) {
  // 2^2 = 4: 5/4 = 1.25 -> 1; 6/4 = 1.5 -> 2 (tie, 2 even); 10/4 = 2.5 -> 2 (tie, 2 even);
  // 14/4 = 3.5 -> 4; 7/4 = 1.75 -> 2; -6/4 = -1.5 -> -2; -10/4 = -2.5 -> -2; -5/4 = -1.25 -> -1;
  // -7/4 = -1.75 -> -2.
  const auto r = [](std::int64_t v) { return shift_right_rounded(v, 2, Rounding::NearestEven); };
  EXPECT_EQ(r(5), 1);
  EXPECT_EQ(r(6), 2);
  EXPECT_EQ(r(10), 2);
  EXPECT_EQ(r(14), 4);
  EXPECT_EQ(r(7), 2);
  EXPECT_EQ(r(-6), -2);
  EXPECT_EQ(r(-10), -2);
  EXPECT_EQ(r(-5), -1);
  EXPECT_EQ(r(-7), -2);
  EXPECT_EQ(r(-2), 0);   // -0.5 -> 0 (even)
  EXPECT_EQ(r(2), 0);    // 0.5 -> 0
  EXPECT_EQ(shift_right_rounded(1, 1, Rounding::NearestEven), 0);  // 0.5 -> 0
  EXPECT_EQ(shift_right_rounded(3, 1, Rounding::NearestEven), 2);  // 1.5 -> 2
  EXPECT_EQ(shift_right_rounded(9, 0, Rounding::NearestEven), 9);
}

TEST(FixedPoint, ShiftRightTruncateIsFloor) {
  // Dropping bits of a two's complement number rounds toward minus infinity.
  const auto t = [](std::int64_t v) { return shift_right_rounded(v, 2, Rounding::Truncate); };
  EXPECT_EQ(t(7), 1);     // 1.75 -> 1
  EXPECT_EQ(t(-5), -2);   // -1.25 -> -2
  EXPECT_EQ(t(-8), -2);   // exact
  EXPECT_EQ(t(3), 0);
}

TEST(FixedPoint, ToFixedRoundsAndSaturates) {
  const FixedFormat q{2, 4};  // step 1/16, range [-2, 1.9375]
  EXPECT_EQ(to_fixed(0.5, q, Rounding::NearestEven), 8);
  EXPECT_EQ(to_fixed(0.09375, q, Rounding::NearestEven), 2);   // 1.5 steps -> 2 (even)
  EXPECT_EQ(to_fixed(0.15625, q, Rounding::NearestEven), 2);   // 2.5 steps -> 2 (even)
  EXPECT_EQ(to_fixed(0.15625, q, Rounding::Truncate), 2);
  EXPECT_EQ(to_fixed(-0.15625, q, Rounding::Truncate), -3);    // floor(-2.5)
  EXPECT_EQ(to_fixed(-0.15625, q, Rounding::NearestEven), -2);
  EXPECT_EQ(to_fixed(5.0, q, Rounding::NearestEven), 31);      // saturates at 1.9375
  EXPECT_EQ(to_fixed(-5.0, q, Rounding::NearestEven), -32);    // saturates at -2
  EXPECT_EQ(to_fixed(1.96875, q, Rounding::NearestEven), 31);  // 31.5 rounds to 32, saturates
  EXPECT_EQ(to_fixed(std::nan(""), q, Rounding::NearestEven), 0);
  EXPECT_DOUBLE_EQ(to_real(-3, q), -0.1875);
}

TEST(FixedPoint, RequantizeAndProduct) {
  // Q^W = Q2.6, Q^X = Q2.4, Q^P = Q2.7 (the Minerva MNIST types, 001 Sec. 4.x).
  const MacFormats f{{2, 6}, {2, 4}, {2, 7}, Rounding::NearestEven};
  // w = 0.75 (raw 48), x = 0.5625 (raw 9): exact product 0.421875 = 432 / 2^10;
  // in Q2.7: 432 / 8 = 54 exactly.
  EXPECT_EQ(fixed_product(48, 9, f), 54);
  // w = 0.765625 (49), x = 0.5625 (9): 441 / 8 = 55.125 -> 55.
  EXPECT_EQ(fixed_product(49, 9, f), 55);
  // w = 1.984375 (127), x = 1.9375 (31): 3937 / 8 = 492.1 -> saturates to 255 (Q2.7 max).
  EXPECT_EQ(fixed_product(127, 31, f), 255);
  EXPECT_EQ(fixed_product(-128, 31, f), -256);
  // Widening: Q^P with more fraction bits than the product appends zeros.
  const MacFormats wide{{2, 2}, {2, 2}, {8, 8}, Rounding::Truncate};
  EXPECT_EQ(fixed_product(3, -5, wide), -15 * 16);
  EXPECT_EQ(requantize(1000, 4, {4, 2}, Rounding::NearestEven), 31);   // 62.5 -> saturates at 31
  EXPECT_EQ(requantize(-7, 1, {4, 2}, Rounding::NearestEven), -14);
}

// Independent reference: the exact rational sum of products, each product rounded with
// std::nearbyint / std::floor on exactly representable doubles.
std::int64_t reference_dot(const std::vector<std::int64_t>& w, const std::vector<std::int64_t>& x, std::int64_t bias,
                           const MacFormats& f) {
  const int s = f.weights.fraction_bits + f.activations.fraction_bits - f.products.fraction_bits;
  const double lo = -std::ldexp(1.0, f.products.integer_bits + f.products.fraction_bits - 1);
  const double hi = -lo - 1;
  double sum = static_cast<double>(bias);
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double exact = std::ldexp(static_cast<double>(w[i] * x[i]), -s);  // exact (< 2^53)
    double p = f.rounding == Rounding::Truncate ? std::floor(exact) : std::nearbyint(exact);
    p = std::min(std::max(p, lo), hi);
    sum += p;
  }
  return static_cast<std::int64_t>(std::min(std::max(sum, lo), hi));
}

TEST(FixedPoint, DotProductMatchesExactIntegerComputation) {
  std::mt19937_64 gen(7);
  const std::vector<MacFormats> cases{
      {{2, 6}, {2, 4}, {2, 7}, Rounding::NearestEven},  {{2, 6}, {2, 4}, {2, 7}, Rounding::Truncate},
      {{6, 10}, {6, 10}, {12, 20}, Rounding::NearestEven}, {{4, 4}, {4, 4}, {16, 8}, Rounding::Truncate},
      {{3, 13}, {1, 15}, {8, 10}, Rounding::NearestEven},  {{2, 2}, {2, 2}, {10, 6}, Rounding::NearestEven}};
  for (const MacFormats& f : cases) {
    for (int trial = 0; trial < 20; ++trial) {
      const std::size_t n = 1 + gen() % 300;
      std::vector<std::int64_t> w(n);
      std::vector<std::int64_t> x(n);
      std::uniform_int_distribution<std::int64_t> wd(min_raw(f.weights), max_raw(f.weights));
      std::uniform_int_distribution<std::int64_t> xd(min_raw(f.activations), max_raw(f.activations));
      for (std::size_t i = 0; i < n; ++i) {
        w[i] = wd(gen);
        x[i] = xd(gen);
      }
      const std::int64_t bias = std::uniform_int_distribution<std::int64_t>(-50, 50)(gen);
      EXPECT_EQ(fixed_dot(w, x, bias, f), reference_dot(w, x, bias, f)) << to_string(f.products) << " n=" << n;
    }
  }
}

TEST(FixedPoint, MatmulKernelsAgreeWithDot) {
  std::mt19937_64 gen(11);
  const std::vector<MacFormats> cases{{{2, 6}, {2, 4}, {2, 7}, Rounding::NearestEven},
                                      {{2, 6}, {2, 4}, {2, 7}, Rounding::Truncate},
                                      {{4, 8}, {4, 8}, {6, 16}, Rounding::NearestEven},
                                      {{8, 8}, {8, 8}, {16, 16}, Rounding::NearestEven}};  // wide only
  EXPECT_TRUE(narrow_kernel_applies(cases[0], 784));
  EXPECT_FALSE(narrow_kernel_applies(cases[3], 784));
  for (const MacFormats& f : cases) {
    const std::int64_t rows = 3, cols = 5, depth = 97;
    std::vector<std::int32_t> a(rows * depth), w(cols * depth);
    std::vector<std::int64_t> bias(cols);
    for (auto& v : a) v = static_cast<std::int32_t>(std::uniform_int_distribution<std::int64_t>(min_raw(f.activations), max_raw(f.activations))(gen));
    for (auto& v : w) v = static_cast<std::int32_t>(std::uniform_int_distribution<std::int64_t>(min_raw(f.weights), max_raw(f.weights))(gen));
    for (auto& v : bias) v = std::uniform_int_distribution<std::int64_t>(-9, 9)(gen);
    std::vector<std::int64_t> fast(rows * cols), wide(rows * cols);
    fixed_matmul(a.data(), w.data(), bias.data(), rows, cols, depth, f, fast.data(), FixedKernel::Auto);
    fixed_matmul(a.data(), w.data(), bias.data(), rows, cols, depth, f, wide.data(), FixedKernel::Wide);
    for (std::int64_t r = 0; r < rows; ++r) {
      for (std::int64_t j = 0; j < cols; ++j) {
        std::vector<std::int64_t> wr(w.begin() + j * depth, w.begin() + (j + 1) * depth);
        std::vector<std::int64_t> ar(a.begin() + r * depth, a.begin() + (r + 1) * depth);
        const std::int64_t expected = reference_dot(wr, ar, bias[j], f);
        EXPECT_EQ(fast[r * cols + j], expected);
        EXPECT_EQ(wide[r * cols + j], expected);
      }
    }
  }
}

TEST(FixedPoint, Int8Matmul) {
  // [1, -2, 3] . [4, 5, -6] = 4 - 10 - 18 = -24; [127, 127, 127] . [-127, -127, -127] = -48387.
  const std::vector<std::int8_t> a{1, -2, 3, 127, 127, 127};
  const std::vector<std::int8_t> w{4, 5, -6, -127, -127, -127};
  std::vector<std::int32_t> out(4);
  int8_matmul(a.data(), w.data(), 2, 2, 3, out.data());
  EXPECT_EQ(out[0], -24);
  EXPECT_EQ(out[1], -1 * 127 + 2 * 127 - 3 * 127);
  EXPECT_EQ(out[2], 127 * 4 + 127 * 5 - 127 * 6);
  EXPECT_EQ(out[3], -48387);
}

}  // namespace
}  // namespace dnnspace::engine
