// Fixed-point Q(m.n) arithmetic as an accelerator datapath does it: integer values on int64,
// rounding (nearest-even or truncation) and saturation, bit-exact (001 Ch. 4, Minerva Stage 3).
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace dnnspace::engine {

/// How dropped low-order bits are handled. NearestEven rounds to the nearest representable
/// value, ties to the even one (IEEE's default, unbiased); Truncate drops the bits, which in
/// two's complement is rounding toward minus infinity (what a plain wire cut does).
enum class Rounding { NearestEven, Truncate };

/// The fixed-point type Q(m.n) of 001 Ch. 4: m integer bits including the sign bit and n
/// fraction bits, m + n bits in all. A raw value r stands for r * 2^-n and lies in
/// [-2^(m+n-1), 2^(m+n-1) - 1]. Valid formats have 1 <= m, 0 <= n and m + n <= 32, so that a
/// product of two raw values and a sum of up to 2^30 such products fit in int64.
struct FixedFormat {
  int integer_bits = 1;   ///< m, including the sign bit
  int fraction_bits = 0;  ///< n

  friend bool operator==(const FixedFormat&, const FixedFormat&) = default;
};

/// The largest total width m + n a FixedFormat may have.
inline constexpr int kMaxFixedBits = 32;

/// True when 1 <= m, 0 <= n and m + n <= kMaxFixedBits.
[[nodiscard]] bool is_valid(FixedFormat format) noexcept;
/// m + n.
[[nodiscard]] int total_bits(FixedFormat format) noexcept;
/// Largest raw value, 2^(m+n-1) - 1.
[[nodiscard]] std::int64_t max_raw(FixedFormat format) noexcept;
/// Smallest raw value, -2^(m+n-1).
[[nodiscard]] std::int64_t min_raw(FixedFormat format) noexcept;
/// "Q2.6", for messages and reports.
[[nodiscard]] std::string to_string(FixedFormat format);

/// Clamps a raw value to the format's range (saturation, not wrap-around).
[[nodiscard]] std::int64_t saturate(std::int64_t raw, FixedFormat format) noexcept;

/// value / 2^shift rounded as `rounding` says, for shift in [0, 62]; exact integer arithmetic.
/// shift 0 returns value unchanged. |value| must be below 2^62 (assert).
[[nodiscard]] std::int64_t shift_right_rounded(std::int64_t value, int shift,
                                               Rounding rounding) noexcept;

/// Re-expresses a raw value with `from_fraction_bits` fraction bits in `to`: rounds away the
/// extra fraction bits (or appends zero bits) and saturates to `to`'s range.
[[nodiscard]] std::int64_t requantize(std::int64_t raw, int from_fraction_bits, FixedFormat to,
                                      Rounding rounding) noexcept;

/// The raw value of x in `format`: x * 2^n rounded as `rounding` says (the scaling by 2^n is
/// exact), then saturated. NaN maps to 0.
[[nodiscard]] std::int64_t to_fixed(double x, FixedFormat format, Rounding rounding) noexcept;

/// to_fixed of every x[i] into out[i] (same sizes, assert), for converting a layer's inputs.
void to_fixed(std::span<const float> x, FixedFormat format, Rounding rounding, std::span<std::int32_t> out) noexcept;
/// The same into int16, for formats of at most 16 bits (assert).
void to_fixed(std::span<const float> x, FixedFormat format, Rounding rounding, std::span<std::int16_t> out) noexcept;

/// The real value a raw value stands for, raw * 2^-n (exact in double for m + n <= 53).
[[nodiscard]] double to_real(std::int64_t raw, FixedFormat format) noexcept;

/// The formats of one multiply-accumulate datapath, Minerva's Q^W, Q^X and Q^P (001 Ch. 4,
/// Fig. 4.5): weights, activations (the inputs of the layer) and products. Products are
/// rounded to Q^P and saturated to its range, then summed exactly in a wide accumulator with
/// Q^P's fraction bits (an accumulator with guard bits), and the sum is saturated to Q^P once
/// at the end.
struct MacFormats {
  FixedFormat weights{};
  FixedFormat activations{};
  FixedFormat products{};
  Rounding rounding = Rounding::NearestEven;

  friend bool operator==(const MacFormats&, const MacFormats&) = default;
};

/// One product w * x (raw values in Q^W and Q^X) as a raw Q^P value: the exact product has
/// n_W + n_X fraction bits; it is rounded to n_P bits and saturated.
[[nodiscard]] std::int64_t fixed_product(std::int64_t w, std::int64_t x,
                                         const MacFormats& formats) noexcept;

/// sum over i of fixed_product(w[i], x[i]) plus `bias` (raw Q^P), saturated to Q^P at the
/// end. w and x must have the same length (assert) of at most 2^30 elements.
[[nodiscard]] std::int64_t fixed_dot(std::span<const std::int64_t> w,
                                     std::span<const std::int64_t> x, std::int64_t bias,
                                     const MacFormats& formats) noexcept;

}  // namespace dnnspace::engine
