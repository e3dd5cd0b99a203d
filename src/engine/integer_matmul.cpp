#include "dnnspace/engine/integer_matmul.hpp"

#include <algorithm>
#include <cassert>
#include <vector>

#include "narrow_fixed_matmul.hpp"

namespace dnnspace::engine {
namespace {

int shift_of(const MacFormats& f) {
  return f.weights.fraction_bits + f.activations.fraction_bits - f.products.fraction_bits;
}

// The portable narrow kernel's inner loop: products in int32 lanes (|p| < 2^31, see
// NarrowMatmul), rounded by `shift` bits as `mode` says, clamped to Q^P, summed in Sum.
// Branch-free with the mode a template argument so that GCC vectorises it.
template <typename Sum, detail::ProductRounding mode>
std::int64_t portable_dot(const std::int16_t* a, const std::int16_t* w, std::int64_t depth, int shift,
                          std::int32_t lo, std::int32_t hi) {
  const std::int32_t half_minus_one =
      mode == detail::ProductRounding::NearestEven ? (std::int32_t{1} << (shift - 1)) - 1 : 0;
  Sum sum = 0;
  for (std::int64_t k = 0; k < depth; ++k) {
    std::int32_t p = static_cast<std::int32_t>(a[k]) * static_cast<std::int32_t>(w[k]);
    if constexpr (mode == detail::ProductRounding::NearestEven) p = (p + half_minus_one + ((p >> shift) & 1)) >> shift;
    if constexpr (mode == detail::ProductRounding::Truncate) p = p >> shift;
    p = p < lo ? lo : p;
    p = p > hi ? hi : p;
    sum += p;
  }
  return sum;
}

template <typename Sum, detail::ProductRounding mode>
void portable_matmul(const detail::NarrowMatmul& m) {
  for (std::int64_t r = 0; r < m.rows; ++r) {
    for (std::int64_t j = 0; j < m.cols; ++j) {
      const std::int64_t sum = portable_dot<Sum, mode>(m.a + r * m.depth, m.w + j * m.depth, m.depth, m.shift, m.lo, m.hi);
      m.out[r * m.cols + j] = saturate(sum + (m.bias != nullptr ? m.bias[j] : 0), m.products);
    }
  }
}

template <typename Sum>
void portable_matmul(const detail::NarrowMatmul& m) {
  switch (m.rounding) {
    case detail::ProductRounding::Exact: return portable_matmul<Sum, detail::ProductRounding::Exact>(m);
    case detail::ProductRounding::NearestEven: return portable_matmul<Sum, detail::ProductRounding::NearestEven>(m);
    case detail::ProductRounding::Truncate: return portable_matmul<Sum, detail::ProductRounding::Truncate>(m);
  }
}

detail::NarrowMatmul narrow_problem(const std::int16_t* a, const std::int16_t* w, const std::int64_t* bias,
                                    std::int64_t rows, std::int64_t cols, std::int64_t depth, const MacFormats& f,
                                    std::int64_t* out) {
  detail::NarrowMatmul m;
  m.a = a;
  m.w = w;
  m.bias = bias;
  m.rows = rows;
  m.cols = cols;
  m.depth = depth;
  m.shift = shift_of(f);
  m.rounding = m.shift == 0                         ? detail::ProductRounding::Exact
               : f.rounding == Rounding::Truncate ? detail::ProductRounding::Truncate
                                                  : detail::ProductRounding::NearestEven;
  // Q^P may be wider than 32 bits' worth of products; clamping to a range wider than the
  // values can reach is a no-op, so the bounds may be cut to int32.
  m.lo = static_cast<std::int32_t>(std::max<std::int64_t>(min_raw(f.products), INT32_MIN));
  m.hi = static_cast<std::int32_t>(std::min<std::int64_t>(max_raw(f.products), INT32_MAX));
  m.products16 = total_bits(f.weights) + total_bits(f.activations) <= 16;
  const std::int64_t term = m.products16 ? std::min<std::int64_t>(-std::int64_t{m.lo}, 1 << 15) : -std::int64_t{m.lo};
  m.sums32 = depth < (std::int64_t{1} << 31) / term;  // depth * term < 2^31
  // |a| <= 2^(bits_X - 1) and |w| <= 2^(bits_W - 1), so |a * w| <= 2^(bits_W + bits_X - 2).
  const std::int64_t largest_product = std::int64_t{1} << (total_bits(f.weights) + total_bits(f.activations) - 2);
  m.unclamped = m.shift == 0 && m.lo <= -largest_product && m.hi >= largest_product;
  m.products = f.products;
  m.out = out;
  return m;
}

}  // namespace

namespace detail {

void narrow_matmul_portable(const NarrowMatmul& m) noexcept {
  if (m.sums32) return portable_matmul<std::int32_t>(m);
  portable_matmul<std::int64_t>(m);
}

bool cpu_has_avx2() noexcept {
  static const bool has = [] {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
#else
    return false;
#endif
  }();
  return has;
}

bool cpu_has_avx512bw() noexcept {
  static const bool has = [] {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0;
#else
    return false;
#endif
  }();
  return has;
}

}  // namespace detail

bool narrow_kernel_applies(const MacFormats& f, std::int64_t depth) noexcept {
  return total_bits(f.weights) <= 16 && total_bits(f.activations) <= 16 && shift_of(f) >= 0 &&
         depth <= (std::int64_t{1} << 30);
}

bool fixed_matmul_uses_avx2() noexcept { return detail::cpu_has_avx2(); }

bool fixed_matmul_uses_avx512() noexcept { return detail::cpu_has_avx512bw(); }

void fixed_matmul(const std::int16_t* a, const std::int16_t* w, const std::int64_t* bias, std::int64_t rows,
                  std::int64_t cols, std::int64_t depth, const MacFormats& formats, std::int64_t* out,
                  FixedKernel kernel) {
  assert(narrow_kernel_applies(formats, depth) && "fixed_matmul: int16 operands need the narrow kernel");
  const detail::NarrowMatmul m = narrow_problem(a, w, bias, rows, cols, depth, formats, out);
  if (kernel == FixedKernel::Auto && detail::cpu_has_avx512bw()) return detail::narrow_matmul_avx512(m);
  if ((kernel == FixedKernel::Auto || kernel == FixedKernel::Avx2) && detail::cpu_has_avx2()) {
    return detail::narrow_matmul_avx2(m);
  }
  detail::narrow_matmul_portable(m);
}

void fixed_matmul(const std::int32_t* a, const std::int32_t* w, const std::int64_t* bias, std::int64_t rows,
                  std::int64_t cols, std::int64_t depth, const MacFormats& formats, std::int64_t* out,
                  FixedKernel kernel) {
  assert(depth <= (std::int64_t{1} << 30) && "fixed_matmul: depth above 2^30");
  if (kernel != FixedKernel::Wide && narrow_kernel_applies(formats, depth)) {
    // Raw values of at most 16 bits: the narrowing keeps them.
    std::vector<std::int16_t> a16(a, a + rows * depth);
    std::vector<std::int16_t> w16(w, w + cols * depth);
    return fixed_matmul(a16.data(), w16.data(), bias, rows, cols, depth, formats, out, kernel);
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
