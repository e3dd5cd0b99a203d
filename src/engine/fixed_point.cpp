#include "dnnspace/engine/fixed_point.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace dnnspace::engine {

bool is_valid(FixedFormat format) noexcept {
  return format.integer_bits >= 1 && format.fraction_bits >= 0 &&
         format.integer_bits + format.fraction_bits <= kMaxFixedBits;
}

int total_bits(FixedFormat format) noexcept { return format.integer_bits + format.fraction_bits; }

std::int64_t max_raw(FixedFormat format) noexcept {
  return (std::int64_t{1} << (total_bits(format) - 1)) - 1;
}

std::int64_t min_raw(FixedFormat format) noexcept {
  return -(std::int64_t{1} << (total_bits(format) - 1));
}

std::string to_string(FixedFormat format) {
  return "Q" + std::to_string(format.integer_bits) + "." + std::to_string(format.fraction_bits);
}

std::int64_t saturate(std::int64_t raw, FixedFormat format) noexcept {
  return std::clamp(raw, min_raw(format), max_raw(format));
}

std::int64_t shift_right_rounded(std::int64_t value, int shift, Rounding rounding) noexcept {
  assert(shift >= 0 && shift <= 62 && "shift_right_rounded: shift out of range");
  assert(value < (std::int64_t{1} << 62) && value > -(std::int64_t{1} << 62));
  if (shift == 0) return value;
  // >> on a negative int64 is an arithmetic shift (floor division) since C++20.
  if (rounding == Rounding::Truncate) return value >> shift;
  // Nearest-even: value = q*2^s + r with 0 <= r < 2^s. Adding half - 1 + (q & 1) before the
  // floor division rounds r > half up, r < half down, and r == half up only when q is odd.
  const std::int64_t half = std::int64_t{1} << (shift - 1);
  const std::int64_t q_odd = (value >> shift) & 1;
  return (value + half - 1 + q_odd) >> shift;
}

std::int64_t requantize(std::int64_t raw, int from_fraction_bits, FixedFormat to,
                        Rounding rounding) noexcept {
  const int shift = from_fraction_bits - to.fraction_bits;
  if (shift >= 0) return saturate(shift_right_rounded(raw, shift, rounding), to);
  // More fraction bits: a left shift, saturating before it could overflow.
  const std::int64_t limit = std::int64_t{1} << (62 + shift);
  if (raw >= limit) return max_raw(to);
  if (raw <= -limit) return min_raw(to);
  return saturate(raw * (std::int64_t{1} << -shift), to);
}

namespace {

// to_fixed's arithmetic, inlined into the block conversions. Inference converts every
// activation, so this avoids libm (ldexp, nearbyint and floor are calls on the SSE2 baseline)
// while computing the same value: the scale by 2^n (n <= 31) is exact, clamping to one step
// beyond the range first changes no result (rounding is monotone), and within +-2^33 the
// rounding below is exact.
inline std::int64_t to_fixed_inline(double x, double scale, double min, double max, Rounding rounding) noexcept {
  if (std::isnan(x)) return 0;
  const double scaled = std::clamp(x * scale, min - 1.0, max + 1.0);
  double rounded = 0.0;
  if (rounding == Rounding::Truncate) {
    rounded = static_cast<double>(static_cast<std::int64_t>(scaled));  // toward zero
    if (rounded > scaled) rounded -= 1.0;                               // floor
  } else {
    // Adding and subtracting 1.5 * 2^52 rounds to an integer in the current rounding mode
    // (FE_TONEAREST: ties to even), like nearbyint, for |scaled| < 2^51 (the project builds
    // without -ffast-math, so the compiler keeps both operations).
    constexpr double kRoundingShift = 0x1.8p52;
    rounded = (scaled + kRoundingShift) - kRoundingShift;
  }
  rounded = std::clamp(rounded, min, max);
  return static_cast<std::int64_t>(rounded);
}

template <typename Raw>
void to_fixed_block(std::span<const float> x, FixedFormat format, Rounding rounding, std::span<Raw> out) noexcept {
  assert(x.size() == out.size() && "to_fixed: sizes differ");
  const auto scale = static_cast<double>(std::int64_t{1} << format.fraction_bits);
  const auto min = static_cast<double>(min_raw(format));
  const auto max = static_cast<double>(max_raw(format));
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = static_cast<Raw>(to_fixed_inline(x[i], scale, min, max, rounding));
}

}  // namespace

std::int64_t to_fixed(double x, FixedFormat format, Rounding rounding) noexcept {
  return to_fixed_inline(x, static_cast<double>(std::int64_t{1} << format.fraction_bits),
                         static_cast<double>(min_raw(format)), static_cast<double>(max_raw(format)), rounding);
}

void to_fixed(std::span<const float> x, FixedFormat format, Rounding rounding, std::span<std::int32_t> out) noexcept {
  to_fixed_block(x, format, rounding, out);
}

void to_fixed(std::span<const float> x, FixedFormat format, Rounding rounding, std::span<std::int16_t> out) noexcept {
  assert(total_bits(format) <= 16 && "to_fixed: the format does not fit int16");
  to_fixed_block(x, format, rounding, out);
}

double to_real(std::int64_t raw, FixedFormat format) noexcept {
  return std::ldexp(static_cast<double>(raw), -format.fraction_bits);
}

std::int64_t fixed_product(std::int64_t w, std::int64_t x, const MacFormats& formats) noexcept {
  // |w|, |x| <= 2^31, so the exact product fits in 62 bits plus sign.
  return requantize(w * x, formats.weights.fraction_bits + formats.activations.fraction_bits,
                    formats.products, formats.rounding);
}

std::int64_t fixed_dot(std::span<const std::int64_t> w, std::span<const std::int64_t> x,
                       std::int64_t bias, const MacFormats& formats) noexcept {
  assert(w.size() == x.size() && "fixed_dot: length mismatch");
  // Each term is within Q^P (<= 2^31 in magnitude), so 2^30 terms cannot overflow int64.
  std::int64_t sum = bias;
  for (std::size_t i = 0; i < w.size(); ++i) sum += fixed_product(w[i], x[i], formats);
  return saturate(sum, formats.products);
}

}  // namespace dnnspace::engine
