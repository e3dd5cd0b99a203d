#include "dnnspace/engine/integer_matmul.hpp"

#include <algorithm>
#include <cassert>
#include <vector>

namespace dnnspace::engine {
namespace {

int shift_of(const MacFormats& f) {
  return f.weights.fraction_bits + f.activations.fraction_bits - f.products.fraction_bits;
}

// The narrow kernel's inner loop: int16 x int16 products (|p| <= 2^30), rounded by `shift`
// bits as Mode says, clamped to Q^P, summed in int32. Written branch-free so GCC vectorises it.
enum class Mode { Exact, NearestEven, Truncate };

template <Mode mode>
std::int32_t narrow_dot(const std::int16_t* a, const std::int16_t* w, std::int64_t depth, int shift,
                        std::int32_t lo, std::int32_t hi) {
  const std::int32_t half_minus_one = mode == Mode::NearestEven ? (std::int32_t{1} << (shift - 1)) - 1 : 0;
  std::int32_t sum = 0;
  for (std::int64_t k = 0; k < depth; ++k) {
    std::int32_t p = static_cast<std::int32_t>(a[k]) * static_cast<std::int32_t>(w[k]);
    if constexpr (mode == Mode::NearestEven) p = (p + half_minus_one + ((p >> shift) & 1)) >> shift;
    if constexpr (mode == Mode::Truncate) p = p >> shift;
    p = p < lo ? lo : p;
    p = p > hi ? hi : p;
    sum += p;
  }
  return sum;
}

template <Mode mode>
void narrow_matmul(const std::int32_t* a, const std::int32_t* w, const std::int64_t* bias, std::int64_t rows,
                   std::int64_t cols, std::int64_t depth, const MacFormats& f, std::int64_t* out) {
  std::vector<std::int16_t> a16(a, a + rows * depth);
  std::vector<std::int16_t> w16(w, w + cols * depth);
  const auto lo = static_cast<std::int32_t>(min_raw(f.products));
  const auto hi = static_cast<std::int32_t>(max_raw(f.products));
  const int shift = shift_of(f);
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < cols; ++j) {
      const std::int64_t sum = narrow_dot<mode>(a16.data() + r * depth, w16.data() + j * depth, depth, shift, lo, hi);
      out[r * cols + j] = saturate(sum + (bias != nullptr ? bias[j] : 0), f.products);
    }
  }
}

}  // namespace

bool narrow_kernel_applies(const MacFormats& f, std::int64_t depth) noexcept {
  if (total_bits(f.weights) > 16 || total_bits(f.activations) > 16 || shift_of(f) < 0) return false;
  // (depth + 1) terms (products and the bias) of magnitude <= 2^(bits_P - 1).
  // (depth + 1) * 2^(bits_P - 1) < 2^31  <=>  depth + 1 < 2^(32 - bits_P).
  return depth + 1 < (std::int64_t{1} << (32 - total_bits(f.products)));
}

void fixed_matmul(const std::int32_t* a, const std::int32_t* w, const std::int64_t* bias, std::int64_t rows,
                  std::int64_t cols, std::int64_t depth, const MacFormats& formats, std::int64_t* out,
                  FixedKernel kernel) {
  assert(depth <= (std::int64_t{1} << 30) && "fixed_matmul: depth above 2^30");
  if (kernel == FixedKernel::Auto && narrow_kernel_applies(formats, depth)) {
    const int shift = shift_of(formats);
    if (shift == 0) return narrow_matmul<Mode::Exact>(a, w, bias, rows, cols, depth, formats, out);
    if (formats.rounding == Rounding::Truncate) {
      return narrow_matmul<Mode::Truncate>(a, w, bias, rows, cols, depth, formats, out);
    }
    return narrow_matmul<Mode::NearestEven>(a, w, bias, rows, cols, depth, formats, out);
  }
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < cols; ++j) {
      std::int64_t sum = bias != nullptr ? bias[j] : 0;
      const std::int32_t* ar = a + r * depth;
      const std::int32_t* wj = w + j * depth;
      for (std::int64_t k = 0; k < depth; ++k) sum += fixed_product(wj[k], ar[k], formats);
      out[r * cols + j] = saturate(sum, formats.products);
    }
  }
}

void int8_matmul(const std::int8_t* a, const std::int8_t* w, std::int64_t rows, std::int64_t cols, std::int64_t depth,
                 std::int32_t* out) {
  assert(depth <= (std::int64_t{1} << 17) && "int8_matmul: depth above 2^17");
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::int8_t* ar = a + r * depth;
    for (std::int64_t j = 0; j < cols; ++j) {
      const std::int8_t* wj = w + j * depth;
      std::int32_t sum = 0;
      for (std::int64_t k = 0; k < depth; ++k) sum += static_cast<std::int32_t>(ar[k]) * static_cast<std::int32_t>(wj[k]);
      out[r * cols + j] = sum;
    }
  }
}

}  // namespace dnnspace::engine
