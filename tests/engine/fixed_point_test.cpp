// Fixed-point Q(m.n): rounding, saturation and dot products against hand-computed values and
// an independent exact computation.
#include "dnnspace/engine/fixed_point.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
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

// Raw values of `format`, uniform, except that one in four is an end of the range, so that
// products (e.g. -2^15 * -2^15 = 2^30) and sums reach their extremes and saturate.
std::vector<std::int32_t> random_raw(std::int64_t count, FixedFormat format, std::mt19937_64& gen) {
  std::uniform_int_distribution<std::int64_t> values(min_raw(format), max_raw(format));
  std::vector<std::int32_t> out(static_cast<std::size_t>(count));
  for (auto& v : out) {
    const std::uint64_t pick = gen() % 8;
    v = static_cast<std::int32_t>(pick == 0 ? min_raw(format) : pick == 1 ? max_raw(format) : values(gen));
  }
  return out;
}

// Every kernel (Auto: AVX-512BW or AVX2 where the CPU has it; Avx2; Portable; Wide) against
// reference_dot.
void expect_kernels_match_reference(const MacFormats& f, std::int64_t rows, std::int64_t cols, std::int64_t depth,
                                    const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& w,
                                    const std::vector<std::int64_t>& bias) {
  std::vector<std::int64_t> expected(static_cast<std::size_t>(rows * cols));
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::vector<std::int64_t> ar(a.begin() + r * depth, a.begin() + (r + 1) * depth);
    for (std::int64_t j = 0; j < cols; ++j) {
      const std::vector<std::int64_t> wr(w.begin() + j * depth, w.begin() + (j + 1) * depth);
      expected[static_cast<std::size_t>(r * cols + j)] = reference_dot(wr, ar, bias[static_cast<std::size_t>(j)], f);
    }
  }
  for (const FixedKernel kernel : {FixedKernel::Auto, FixedKernel::Avx2, FixedKernel::Portable, FixedKernel::Wide}) {
    std::vector<std::int64_t> out(static_cast<std::size_t>(rows * cols), -1);
    fixed_matmul(a.data(), w.data(), bias.data(), rows, cols, depth, f, out.data(), kernel);
    EXPECT_EQ(out, expected) << "kernel " << static_cast<int>(kernel) << ", " << to_string(f.weights) << " x "
                             << to_string(f.activations) << " -> " << to_string(f.products) << ", depth " << depth;
  }
  if (narrow_kernel_applies(f, depth)) {  // the int16 entry point, as HardwareNetwork calls it
    const std::vector<std::int16_t> a16(a.begin(), a.end());
    const std::vector<std::int16_t> w16(w.begin(), w.end());
    for (const FixedKernel kernel : {FixedKernel::Auto, FixedKernel::Avx2, FixedKernel::Portable}) {
      std::vector<std::int64_t> out(static_cast<std::size_t>(rows * cols), -1);
      fixed_matmul(a16.data(), w16.data(), bias.data(), rows, cols, depth, f, out.data(), kernel);
      EXPECT_EQ(out, expected) << "int16 operands, kernel " << static_cast<int>(kernel) << ", "
                               << to_string(f.products) << ", depth " << depth;
    }
  }
}

TEST(FixedPoint, MatmulKernelsAgreeWithDot) {
  std::mt19937_64 gen(11);
  const std::vector<MacFormats> cases{
      {{2, 6}, {2, 4}, {2, 7}, Rounding::NearestEven},     // Minerva's types: int16 product lanes
      {{2, 6}, {2, 4}, {2, 7}, Rounding::Truncate},
      {{2, 6}, {2, 4}, {8, 10}, Rounding::NearestEven},    // shift 0: exact products
      {{1, 7}, {2, 6}, {1, 3}, Rounding::NearestEven},     // Q^P narrower than most products
      {{4, 8}, {4, 8}, {6, 16}, Rounding::NearestEven},    // int32 product lanes, int32 sums
      {{4, 8}, {4, 8}, {6, 16}, Rounding::Truncate},
      {{6, 10}, {6, 10}, {12, 20}, Rounding::NearestEven}, // exact, never clamped: pmaddwd pairs
      {{4, 8}, {2, 8}, {10, 16}, Rounding::Truncate},      // the same with narrower types
      {{6, 10}, {6, 10}, {12, 19}, Rounding::NearestEven}, // int32 products, int64 sums
      {{8, 8}, {1, 15}, {16, 13}, Rounding::Truncate},     // -2^15 * -2^15 = 2^30, int64 sums
      {{4, 16}, {2, 6}, {8, 16}, Rounding::NearestEven},   // 20-bit weights: wide only
      {{2, 2}, {2, 2}, {8, 8}, Rounding::NearestEven}};    // widened products: wide only
  EXPECT_TRUE(narrow_kernel_applies(cases[0], 784));
  EXPECT_TRUE(narrow_kernel_applies(cases[6], 784));
  EXPECT_FALSE(narrow_kernel_applies(cases[10], 784));
  EXPECT_FALSE(narrow_kernel_applies(cases[11], 784));
  // Auto must pick the widest path this CPU has, so that the loop below tests it (the CPU is
  // asked here directly, not through the engine's own check).
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  EXPECT_EQ(fixed_matmul_uses_avx512(), __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0);
  EXPECT_EQ(fixed_matmul_uses_avx2(), __builtin_cpu_supports("avx2") != 0);
#endif
  // Depths and column counts around the SIMD kernels' lane steps (AVX2: 16 int16 and 8 int32
  // lanes; AVX-512: 32 and 16) and 4-column blocks.
  const std::vector<std::array<std::int64_t, 3>> shapes{{1, 1, 1},  {3, 5, 97},  {2, 9, 16},  {2, 4, 33},
                                                        {1, 7, 100}, {2, 5, 32}, {1, 6, 64}, {2, 4, 79}};
  for (const MacFormats& f : cases) {
    for (const auto& [rows, cols, depth] : shapes) {
      const std::vector<std::int32_t> a = random_raw(rows * depth, f.activations, gen);
      const std::vector<std::int32_t> w = random_raw(cols * depth, f.weights, gen);
      std::vector<std::int64_t> bias(static_cast<std::size_t>(cols));
      for (auto& v : bias) v = std::uniform_int_distribution<std::int64_t>(min_raw(f.products), max_raw(f.products))(gen) / 4;
      expect_kernels_match_reference(f, rows, cols, depth, a, w, bias);
    }
  }
}

TEST(FixedPoint, MatmulLongSumsSaturateWithoutOverflow) {
  // Every product at its largest, so a sum that wrapped in int32 anywhere would show:
  // (-128) * (-128) = 2^14 (exact, shift 0) in Q18.14; 2^20 + 19 of them exceed 2^31 - 1 and
  // saturate to it. The AVX2 kernel's int16 lanes gain up to 2^15 per 16 terms and are emptied
  // into int64 every 2^18 terms, before 2^20 terms could wrap them.
  const MacFormats f16{{1, 7}, {1, 7}, {18, 14}, Rounding::NearestEven};
  const std::int64_t depth16 = (std::int64_t{1} << 20) + 19;
  const std::vector<std::int32_t> a16(static_cast<std::size_t>(depth16), -128);
  std::vector<std::int32_t> w16(static_cast<std::size_t>(2 * depth16), -128);
  std::fill(w16.begin() + depth16, w16.end(), 127);  // second column: -2^14 + 2^7 each, saturates low
  expect_kernels_match_reference(f16, 1, 2, depth16, a16, w16, {0, 0});
  // 16-bit operands: -2^15 * -2^15 = 2^30 per product, so a pair of them is 2^31, the one
  // value pmaddwd wraps; in Q12.20 (never clamped) and Q12.19 (rounded, int32 product lanes)
  // 37 such products sum past 2^31 and saturate.
  for (const MacFormats& f32 : {MacFormats{{6, 10}, {6, 10}, {12, 20}, Rounding::NearestEven},
                                MacFormats{{6, 10}, {6, 10}, {12, 19}, Rounding::NearestEven}}) {
    const std::vector<std::int32_t> a32(37, -32768);
    std::vector<std::int32_t> w32(2 * 37, -32768);
    std::fill(w32.begin() + 37, w32.end(), 32767);  // second column: -2^30 + 2^15 each
    expect_kernels_match_reference(f32, 1, 2, 37, a32, w32, {-5, 5});
  }
}

TEST(FixedPoint, ToFixedMatchesLibmRounding) {
  // to_fixed avoids libm; compare with nearbyint / floor of the exact scaled value.
  std::mt19937_64 gen(5);
  std::uniform_real_distribution<double> values(-40.0, 40.0);
  for (const FixedFormat format : {FixedFormat{2, 4}, FixedFormat{6, 10}, FixedFormat{1, 31}, FixedFormat{32, 0}}) {
    for (int i = 0; i < 2000; ++i) {
      // Half the inputs on a grid of quarter steps, so that ties occur.
      const double x = i % 2 == 0 ? values(gen) : std::ldexp(std::round(values(gen) * 4.0), -format.fraction_bits - 2);
      const double scaled = std::ldexp(x, format.fraction_bits);
      for (const Rounding rounding : {Rounding::NearestEven, Rounding::Truncate}) {
        const double r = rounding == Rounding::Truncate ? std::floor(scaled) : std::nearbyint(scaled);
        const auto expected = static_cast<std::int64_t>(
            std::clamp(r, static_cast<double>(min_raw(format)), static_cast<double>(max_raw(format))));
        EXPECT_EQ(to_fixed(x, format, rounding), expected) << x << " in " << to_string(format);
      }
    }
    // The block conversions (a layer's inputs) equal the scalar one, NaN and infinities included.
    std::vector<float> xs{std::nanf(""), INFINITY, -INFINITY, 0.0F, -0.0F};
    for (int i = 0; i < 200; ++i) xs.push_back(static_cast<float>(values(gen)));
    for (const Rounding rounding : {Rounding::NearestEven, Rounding::Truncate}) {
      std::vector<std::int32_t> out32(xs.size());
      to_fixed(xs, format, rounding, out32);
      std::vector<std::int16_t> out16(xs.size());
      if (total_bits(format) <= 16) to_fixed(xs, format, rounding, out16);
      for (std::size_t i = 0; i < xs.size(); ++i) {
        EXPECT_EQ(out32[i], to_fixed(xs[i], format, rounding)) << xs[i];
        if (total_bits(format) <= 16) {
          EXPECT_EQ(out16[i], to_fixed(xs[i], format, rounding)) << xs[i];
        }
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
