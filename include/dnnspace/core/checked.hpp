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

}  // namespace dnnspace
