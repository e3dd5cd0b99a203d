// The narrow fixed-point kernel with AVX2 intrinsics. The file is compiled for the baseline
// ISA like every other; only the functions marked target("avx2") use AVX2, and fixed_matmul
// calls them only after __builtin_cpu_supports("avx2"), so the binary runs on any x86-64.
// Each lane does exactly what narrow_product does, in integers, so the results are the
// portable kernel's bit for bit (fixed_point_test compares them).
#include "narrow_fixed_matmul.hpp"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <algorithm>

#define DNNSPACE_AVX2 __attribute__((target("avx2")))

namespace dnnspace::engine::detail {
namespace {

// Columns of w processed together, sharing each load of a's row.
constexpr int kColumns = 4;

// int16 lanes: 16 products per instruction; |p| <= 2^14 and the rounding increment below
// 2^14, so nothing leaves int16. Pairs of clamped products are summed into int32 lanes by
// pmaddwd with ones (|pair| <= 2^16); a lane gains at most 2^16 per step, so the int32 lanes
// are emptied into int64 every kFlushSteps steps.
constexpr std::int64_t kFlushSteps = std::int64_t{1} << 14;

struct Lanes16 {
  __m256i lo, hi, half_minus_one, one;
  __m128i shift;
};

template <ProductRounding mode>
DNNSPACE_AVX2 inline __m256i products16(__m256i a, __m256i w, const Lanes16& c) {
  __m256i p = _mm256_mullo_epi16(a, w);
  if constexpr (mode == ProductRounding::NearestEven) {
    const __m256i odd = _mm256_and_si256(_mm256_sra_epi16(p, c.shift), c.one);
    p = _mm256_sra_epi16(_mm256_add_epi16(_mm256_add_epi16(p, c.half_minus_one), odd), c.shift);
  }
  if constexpr (mode == ProductRounding::Truncate) p = _mm256_sra_epi16(p, c.shift);
  p = _mm256_max_epi16(p, c.lo);
  p = _mm256_min_epi16(p, c.hi);
  return _mm256_madd_epi16(p, c.one);  // 8 int32 lanes, each the sum of two products
}

DNNSPACE_AVX2 inline std::int64_t sum_epi32(__m256i v) {
  const __m256i wide = _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(v)),
                                        _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1)));
  alignas(32) std::int64_t parts[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(parts), wide);
  return parts[0] + parts[1] + parts[2] + parts[3];
}

DNNSPACE_AVX2 inline std::int64_t sum_epi64(__m256i v) {
  alignas(32) std::int64_t parts[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(parts), v);
  return parts[0] + parts[1] + parts[2] + parts[3];
}

DNNSPACE_AVX2 inline __m256i load16(const std::int16_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }

// sums[c] = the exact sum of the clamped products of a and w_c (n columns, n <= kColumns).
template <ProductRounding mode, int n>
DNNSPACE_AVX2 void dots16(const std::int16_t* a, const std::int16_t* const* w, const NarrowMatmul& m,
                          const Lanes16& c, std::int64_t* sums) {
  const std::int64_t vector_end = m.depth / 16 * 16;
  for (int i = 0; i < n; ++i) sums[i] = 0;
  for (std::int64_t block = 0; block < vector_end; block += 16 * kFlushSteps) {
    const std::int64_t end = std::min(vector_end, block + 16 * kFlushSteps);
    __m256i acc[n];
    for (int i = 0; i < n; ++i) acc[i] = _mm256_setzero_si256();
    for (std::int64_t k = block; k < end; k += 16) {
      const __m256i av = load16(a + k);
      for (int i = 0; i < n; ++i) acc[i] = _mm256_add_epi32(acc[i], products16<mode>(av, load16(w[i] + k), c));
    }
    for (int i = 0; i < n; ++i) sums[i] += sum_epi32(acc[i]);
  }
  for (std::int64_t k = vector_end; k < m.depth; ++k) {
    for (int i = 0; i < n; ++i) sums[i] += narrow_product(a[k], w[i][k], m);
  }
}

// int32 lanes for wider operands: 8 products per instruction, |p| <= 2^30 and the rounding
// increment below 2^30. Summed in int32 lanes when m.sums32 (the whole sum cannot overflow),
// else widened to int64 lanes.
struct Lanes32 {
  __m256i lo, hi, half_minus_one, one;
  __m128i shift;
};

template <ProductRounding mode>
DNNSPACE_AVX2 inline __m256i products32(__m256i a, __m256i w, const Lanes32& c) {
  __m256i p = _mm256_mullo_epi32(a, w);
  if constexpr (mode == ProductRounding::NearestEven) {
    const __m256i odd = _mm256_and_si256(_mm256_sra_epi32(p, c.shift), c.one);
    p = _mm256_sra_epi32(_mm256_add_epi32(_mm256_add_epi32(p, c.half_minus_one), odd), c.shift);
  }
  if constexpr (mode == ProductRounding::Truncate) p = _mm256_sra_epi32(p, c.shift);
  p = _mm256_max_epi32(p, c.lo);
  return _mm256_min_epi32(p, c.hi);
}

DNNSPACE_AVX2 inline __m256i load16to32(const std::int16_t* p) {
  return _mm256_cvtepi16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

template <ProductRounding mode, bool sums32, int n>
DNNSPACE_AVX2 void dots32(const std::int16_t* a, const std::int16_t* const* w, const NarrowMatmul& m,
                          const Lanes32& c, std::int64_t* sums) {
  const std::int64_t vector_end = m.depth / 8 * 8;
  __m256i acc[n];
  __m256i acc_high[n];  // int64 lanes of the upper four products (sums64 only)
  for (int i = 0; i < n; ++i) acc[i] = acc_high[i] = _mm256_setzero_si256();
  for (std::int64_t k = 0; k < vector_end; k += 8) {
    const __m256i av = load16to32(a + k);
    for (int i = 0; i < n; ++i) {
      const __m256i p = products32<mode>(av, load16to32(w[i] + k), c);
      if constexpr (sums32) {
        acc[i] = _mm256_add_epi32(acc[i], p);
      } else {
        acc[i] = _mm256_add_epi64(acc[i], _mm256_cvtepi32_epi64(_mm256_castsi256_si128(p)));
        acc_high[i] = _mm256_add_epi64(acc_high[i], _mm256_cvtepi32_epi64(_mm256_extracti128_si256(p, 1)));
      }
    }
  }
  for (int i = 0; i < n; ++i) sums[i] = sums32 ? sum_epi32(acc[i]) : sum_epi64(_mm256_add_epi64(acc[i], acc_high[i]));
  for (std::int64_t k = vector_end; k < m.depth; ++k) {
    for (int i = 0; i < n; ++i) sums[i] += narrow_product(a[k], w[i][k], m);
  }
}

// Exact products that Q^P always holds (m.unclamped, e.g. Q6.10 x Q6.10 -> Q12.20) need no
// per-product work: pmaddwd sums pairs of int16 products into int32, 16 products per
// instruction. A pair lies in [-2^31 + 2^16, 2^31]; only 2^31 itself (both pairs -2^15 * -2^15)
// wraps, so adding 2^31 - 2^16 maps every pair into [0, 2^32 - 2^16], exact as uint32. Those
// are summed zero-extended in int64 lanes and the offsets taken off at the end.
constexpr std::int64_t kPairOffset = (std::int64_t{1} << 31) - (std::int64_t{1} << 16);

template <int n>
DNNSPACE_AVX2 void dots_pairs(const std::int16_t* a, const std::int16_t* const* w, const NarrowMatmul& m,
                              std::int64_t* sums) {
  const std::int64_t vector_end = m.depth / 16 * 16;
  const __m256i offset = _mm256_set1_epi32(static_cast<std::int32_t>(kPairOffset));
  __m256i acc[n];
  __m256i acc_high[n];
  for (int i = 0; i < n; ++i) acc[i] = acc_high[i] = _mm256_setzero_si256();
  for (std::int64_t k = 0; k < vector_end; k += 16) {
    const __m256i av = load16(a + k);
    for (int i = 0; i < n; ++i) {
      const __m256i pairs = _mm256_add_epi32(_mm256_madd_epi16(av, load16(w[i] + k)), offset);
      acc[i] = _mm256_add_epi64(acc[i], _mm256_cvtepu32_epi64(_mm256_castsi256_si128(pairs)));
      acc_high[i] = _mm256_add_epi64(acc_high[i], _mm256_cvtepu32_epi64(_mm256_extracti128_si256(pairs, 1)));
    }
  }
  for (int i = 0; i < n; ++i) sums[i] = sum_epi64(_mm256_add_epi64(acc[i], acc_high[i])) - vector_end / 2 * kPairOffset;
  for (std::int64_t k = vector_end; k < m.depth; ++k) {
    for (int i = 0; i < n; ++i) sums[i] += narrow_product(a[k], w[i][k], m);
  }
}

// The lane kinds: int16 products; int32 products summed in int32 or in int64; exact pairs.
enum class Kind { Products16, Products32Sums32, Products32Sums64, UnclampedPairs };

template <ProductRounding mode, Kind kind, int n>
DNNSPACE_AVX2 inline void dots(const std::int16_t* a, const std::int16_t* const* w, const NarrowMatmul& m,
                               const Lanes16& c16, const Lanes32& c32, std::int64_t* sums) {
  if constexpr (kind == Kind::Products16) {
    dots16<mode, n>(a, w, m, c16, sums);
  } else if constexpr (kind == Kind::UnclampedPairs) {
    dots_pairs<n>(a, w, m, sums);
  } else {
    dots32<mode, kind == Kind::Products32Sums32, n>(a, w, m, c32, sums);
  }
}

template <ProductRounding mode, Kind kind>
DNNSPACE_AVX2 void run(const NarrowMatmul& m) {
  const int half_minus_one = mode == ProductRounding::NearestEven ? (1 << (m.shift - 1)) - 1 : 0;
  // For int16 lanes the Q^P bounds are cut to int16: products never leave int16 there, so
  // this changes nothing.
  const auto lo16 = static_cast<short>(std::max<std::int32_t>(m.lo, -32768));
  const auto hi16 = static_cast<short>(std::min<std::int32_t>(m.hi, 32767));
  const __m128i shift = _mm_cvtsi32_si128(m.shift);
  const Lanes16 c16{_mm256_set1_epi16(lo16), _mm256_set1_epi16(hi16),
                    _mm256_set1_epi16(static_cast<short>(half_minus_one)), _mm256_set1_epi16(1), shift};
  const Lanes32 c32{_mm256_set1_epi32(m.lo), _mm256_set1_epi32(m.hi), _mm256_set1_epi32(half_minus_one),
                    _mm256_set1_epi32(1), shift};
  std::int64_t sums[kColumns];
  const std::int16_t* w[kColumns];
  for (std::int64_t r = 0; r < m.rows; ++r) {
    const std::int16_t* a = m.a + r * m.depth;
    std::int64_t* out = m.out + r * m.cols;
    std::int64_t j = 0;
    for (; j + kColumns <= m.cols; j += kColumns) {
      for (std::int64_t i = 0; i < kColumns; ++i) w[i] = m.w + (j + i) * m.depth;
      dots<mode, kind, kColumns>(a, w, m, c16, c32, sums);
      for (std::int64_t i = 0; i < kColumns; ++i) {
        out[j + i] = saturate(sums[i] + (m.bias != nullptr ? m.bias[j + i] : 0), m.products);
      }
    }
    for (; j < m.cols; ++j) {
      w[0] = m.w + j * m.depth;
      dots<mode, kind, 1>(a, w, m, c16, c32, sums);
      out[j] = saturate(sums[0] + (m.bias != nullptr ? m.bias[j] : 0), m.products);
    }
  }
}

template <ProductRounding mode>
DNNSPACE_AVX2 void run_mode(const NarrowMatmul& m) {
  if (m.products16) return run<mode, Kind::Products16>(m);
  if (mode == ProductRounding::Exact && m.unclamped) return run<mode, Kind::UnclampedPairs>(m);
  if (m.sums32) return run<mode, Kind::Products32Sums32>(m);
  run<mode, Kind::Products32Sums64>(m);
}

}  // namespace

DNNSPACE_AVX2 void narrow_matmul_avx2(const NarrowMatmul& m) noexcept {
  switch (m.rounding) {
    case ProductRounding::Exact: return run_mode<ProductRounding::Exact>(m);
    case ProductRounding::NearestEven: return run_mode<ProductRounding::NearestEven>(m);
    case ProductRounding::Truncate: return run_mode<ProductRounding::Truncate>(m);
  }
}

}  // namespace dnnspace::engine::detail

#else  // not x86: cpu_has_avx2() is false, so this is never called.

namespace dnnspace::engine::detail {
void narrow_matmul_avx2(const NarrowMatmul& m) noexcept { narrow_matmul_portable(m); }
}  // namespace dnnspace::engine::detail

#endif
