// Overflow-checked 64-bit arithmetic for counts that users can make arbitrarily large.
#pragma once

#include <cstdint>
#include <optional>

namespace dnnspace {

/// a * b, or nothing when the product does not fit in a signed 64-bit integer.
constexpr std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

/// a + b, or nothing when the sum does not fit in a signed 64-bit integer.
constexpr std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

/// a * b and a + b for non-negative totals that may saturate (a sum of costs shown to a
/// user): INT64_MAX instead of a wrapped value.
constexpr std::int64_t saturating_mul(std::int64_t a, std::int64_t b) noexcept {
  const auto out = checked_mul(a, b);
  return out ? *out : INT64_MAX;
}
constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) noexcept {
  const auto out = checked_add(a, b);
  return out ? *out : INT64_MAX;
}

/// ceil(a / b) for a >= 0, b > 0, without the overflow of (a + b - 1) / b.
constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) noexcept { return a / b + (a % b != 0 ? 1 : 0); }

}  // namespace dnnspace
