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

std::int64_t to_fixed(double x, FixedFormat format, Rounding rounding) noexcept {
  if (std::isnan(x)) return 0;
  const double scaled = std::ldexp(x, format.fraction_bits);  // exact: a power-of-two scale
  const double rounded =
      rounding == Rounding::Truncate ? std::floor(scaled) : std::nearbyint(scaled);  // FE_TONEAREST
  if (rounded >= static_cast<double>(max_raw(format))) return max_raw(format);
  if (rounded <= static_cast<double>(min_raw(format))) return min_raw(format);
  return static_cast<std::int64_t>(rounded);
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
