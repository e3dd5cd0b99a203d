// Internal to the engine: the narrow fixed-point kernel written once over a vector width. V is
// a small traits struct (V::Reg and a few static integer operations on it) that each SIMD
// file defines: narrow_fixed_matmul_avx2.cpp with 256-bit registers, ..._avx512.cpp with
// 512-bit ones. Those files include this header between `#pragma GCC push_options` /
// `target(...)` / `pop_options`, so the templates here are compiled for that file's ISA
// (GCC applies the pragma's target attribute to every function defined inside it) and
// nothing here runs unless fixed_matmul has checked the CPU. Each lane does exactly what
// narrow_product does, in integers, so every width gives the portable kernel's results bit
// for bit (fixed_point_test compares them).
//
// The last depth % lanes elements go through narrow_product one by one, or, when
// V::kMaskedTail, through one more vector step whose loads zero the lanes past the end: a
// zero operand gives a zero product, which rounds to 0 and lies inside every Q^P, so those
// lanes add nothing (in the pairs kernel, exactly the offset, which is taken off).
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "narrow_fixed_matmul.hpp"

namespace dnnspace::engine::detail::simd {

// Columns of w processed together, sharing each load of a's row.
constexpr int kColumns = 4;

// int16 lanes: V::kLanes16 products per instruction; |p| <= 2^14 and the rounding increment
// below 2^14, so nothing leaves int16. Pairs of clamped products are summed into int32 lanes
// by pmaddwd with ones (|pair| <= 2^16); a lane gains at most 2^16 per step, so the int32
// lanes are emptied into int64 every kFlushSteps steps (whatever the width).
constexpr std::int64_t kFlushSteps = std::int64_t{1} << 14;

// The broadcast constants of one problem, for int16 or int32 lanes.
template <class V>
struct Lanes {
  typename V::Reg lo, hi, half_minus_one, one;
  __m128i shift;
};

template <class V>
inline std::int64_t sum_epi32(typename V::Reg v) {
  return V::sum64(V::add64(V::widen_lo(v), V::widen_hi(v)));
}

template <class V, ProductRounding mode>
inline typename V::Reg products16(typename V::Reg a, typename V::Reg w, const Lanes<V>& c) {
  typename V::Reg p = V::mullo16(a, w);
  if constexpr (mode == ProductRounding::NearestEven) {
    const typename V::Reg odd = V::and_(V::sra16(p, c.shift), c.one);
    p = V::sra16(V::add16(V::add16(p, c.half_minus_one), odd), c.shift);
  }
  if constexpr (mode == ProductRounding::Truncate) p = V::sra16(p, c.shift);
  p = V::min16(V::max16(p, c.lo), c.hi);
  return V::madd16(p, c.one);  // int32 lanes, each the sum of two products
}

// sums[c] = the exact sum of the clamped products of a and w_c (n columns, n <= kColumns).
template <class V, ProductRounding mode, int n>
void dots16(const std::int16_t* a, const std::int16_t* const* w, const NarrowMatmul& m, const Lanes<V>& c,
            std::int64_t* sums) {
  constexpr std::int64_t step = V::kLanes16;
  const std::int64_t vector_end = m.depth / step * step;
  for (int i = 0; i < n; ++i) sums[i] = 0;
  for (std::int64_t block = 0; block < vector_end; block += step * kFlushSteps) {
    const std::int64_t end = std::min(vector_end, block + step * kFlushSteps);
    typename V::Reg acc[n];
    for (int i = 0; i < n; ++i) acc[i] = V::zero();
    for (std::int64_t k = block; k < end; k += step) {
      const typename V::Reg av = V::load16(a + k);
      for (int i = 0; i < n; ++i) acc[i] = V::add32(acc[i], products16<V, mode>(av, V::load16(w[i] + k), c));
    }
    for (int i = 0; i < n; ++i) sums[i] += sum_epi32<V>(acc[i]);
  }
  if constexpr (V::kMaskedTail) {
    if (const int rest = static_cast<int>(m.depth - vector_end); rest > 0) {
      const typename V::Reg av = V::load16_first(a + vector_end, rest);
      for (int i = 0; i < n; ++i) {
        sums[i] += sum_epi32<V>(products16<V, mode>(av, V::load16_first(w[i] + vector_end, rest), c));
      }
    }
    return;
  }
  for (std::int64_t k = vector_end; k < m.depth; ++k) {
    for (int i = 0; i < n; ++i) sums[i] += narrow_product(a[k], w[i][k], m);
  }
}

// int32 lanes for wider operands: V::kLanes32 products per instruction, |p| <= 2^30 and the
// rounding increment below 2^30. Summed in int32 lanes when m.sums32 (the whole sum cannot
// overflow), else widened to int64 lanes.
template <class V, ProductRounding mode>
inline typename V::Reg products32(typename V::Reg a, typename V::Reg w, const Lanes<V>& c) {
  typename V::Reg p = V::mullo32(a, w);
  if constexpr (mode == ProductRounding::NearestEven) {
    const typename V::Reg odd = V::and_(V::sra32(p, c.shift), c.one);
    p = V::sra32(V::add32(V::add32(p, c.half_minus_one), odd), c.shift);
  }
  if constexpr (mode == ProductRounding::Truncate) p = V::sra32(p, c.shift);
  return V::min32(V::max32(p, c.lo), c.hi);
}

template <class V, ProductRounding mode, bool sums32, int n>
void dots32(const std::int16_t* a, const std::int16_t* const* w, const NarrowMatmul& m, const Lanes<V>& c,
            std::int64_t* sums) {
  constexpr std::int64_t step = V::kLanes32;
  const std::int64_t vector_end = m.depth / step * step;
  typename V::Reg acc[n];
  typename V::Reg acc_high[n];  // int64 lanes of the upper half of the products (sums64 only)
  for (int i = 0; i < n; ++i) acc[i] = acc_high[i] = V::zero();
  for (std::int64_t k = 0; k < vector_end; k += step) {
    const typename V::Reg av = V::load16to32(a + k);
    for (int i = 0; i < n; ++i) {
      const typename V::Reg p = products32<V, mode>(av, V::load16to32(w[i] + k), c);
      if constexpr (sums32) {
        acc[i] = V::add32(acc[i], p);
      } else {
        acc[i] = V::add64(acc[i], V::widen_lo(p));
        acc_high[i] = V::add64(acc_high[i], V::widen_hi(p));
      }
    }
  }
  for (int i = 0; i < n; ++i) {
    sums[i] = sums32 ? sum_epi32<V>(acc[i]) : V::sum64(V::add64(acc[i], acc_high[i]));
  }
  if constexpr (V::kMaskedTail) {
    if (const int rest = static_cast<int>(m.depth - vector_end); rest > 0) {
      const typename V::Reg av = V::load16to32_first(a + vector_end, rest);
      for (int i = 0; i < n; ++i) sums[i] += sum_epi32<V>(products32<V, mode>(av, V::load16to32_first(w[i] + vector_end, rest), c));
    }
    return;
  }
  for (std::int64_t k = vector_end; k < m.depth; ++k) {
    for (int i = 0; i < n; ++i) sums[i] += narrow_product(a[k], w[i][k], m);
  }
}

// Exact products that Q^P always holds (m.unclamped, e.g. Q6.10 x Q6.10 -> Q12.20) need no
// per-product work: pmaddwd sums pairs of int16 products into int32. A pair lies in
// [-2^31 + 2^16, 2^31]; only 2^31 itself (both pairs -2^15 * -2^15) wraps, so adding
// 2^31 - 2^16 maps every pair into [0, 2^32 - 2^16], exact as uint32. Those are summed
// zero-extended in int64 lanes and the offsets taken off at the end.
constexpr std::int64_t kPairOffset = (std::int64_t{1} << 31) - (std::int64_t{1} << 16);

template <class V, int n>
void dots_pairs(const std::int16_t* a, const std::int16_t* const* w, const NarrowMatmul& m, std::int64_t* sums) {
  constexpr std::int64_t step = V::kLanes16;
  const std::int64_t vector_end = m.depth / step * step;
  const typename V::Reg offset = V::set32(static_cast<std::int32_t>(kPairOffset));
  typename V::Reg acc[n];
  typename V::Reg acc_high[n];
  for (int i = 0; i < n; ++i) acc[i] = acc_high[i] = V::zero();
  for (std::int64_t k = 0; k < vector_end; k += step) {
    const typename V::Reg av = V::load16(a + k);
    for (int i = 0; i < n; ++i) {
      const typename V::Reg pairs = V::add32(V::madd16(av, V::load16(w[i] + k)), offset);
      acc[i] = V::add64(acc[i], V::widen_lo_unsigned(pairs));
      acc_high[i] = V::add64(acc_high[i], V::widen_hi_unsigned(pairs));
    }
  }
  for (int i = 0; i < n; ++i) sums[i] = V::sum64(V::add64(acc[i], acc_high[i])) - vector_end / 2 * kPairOffset;
  if constexpr (V::kMaskedTail) {  // zero lanes make zero pairs, each worth kPairOffset here
    if (const int rest = static_cast<int>(m.depth - vector_end); rest > 0) {
      const typename V::Reg av = V::load16_first(a + vector_end, rest);
      for (int i = 0; i < n; ++i) {
        const typename V::Reg pairs = V::add32(V::madd16(av, V::load16_first(w[i] + vector_end, rest)), offset);
        sums[i] += V::sum64(V::add64(V::widen_lo_unsigned(pairs), V::widen_hi_unsigned(pairs))) - step / 2 * kPairOffset;
      }
    }
    return;
  }
  for (std::int64_t k = vector_end; k < m.depth; ++k) {
    for (int i = 0; i < n; ++i) sums[i] += narrow_product(a[k], w[i][k], m);
  }
}

// The lane kinds: int16 products; int32 products summed in int32 or in int64; exact pairs.
enum class Kind { Products16, Products32Sums32, Products32Sums64, UnclampedPairs };

template <class V, ProductRounding mode, Kind kind, int n>
inline void dots(const std::int16_t* a, const std::int16_t* const* w, const NarrowMatmul& m, const Lanes<V>& c16,
                 const Lanes<V>& c32, std::int64_t* sums) {
  if constexpr (kind == Kind::Products16) {
    dots16<V, mode, n>(a, w, m, c16, sums);
  } else if constexpr (kind == Kind::UnclampedPairs) {
    dots_pairs<V, n>(a, w, m, sums);
  } else {
    dots32<V, mode, kind == Kind::Products32Sums32, n>(a, w, m, c32, sums);
  }
}

template <class V, ProductRounding mode, Kind kind>
void run(const NarrowMatmul& m) {
  const int half_minus_one = mode == ProductRounding::NearestEven ? (1 << (m.shift - 1)) - 1 : 0;
  // For int16 lanes the Q^P bounds are cut to int16: products never leave int16 there, so
  // this changes nothing.
  const auto lo16 = static_cast<short>(std::max<std::int32_t>(m.lo, -32768));
  const auto hi16 = static_cast<short>(std::min<std::int32_t>(m.hi, 32767));
  const __m128i shift = _mm_cvtsi32_si128(m.shift);
  const Lanes<V> c16{V::set16(lo16), V::set16(hi16), V::set16(static_cast<short>(half_minus_one)), V::set16(1), shift};
  const Lanes<V> c32{V::set32(m.lo), V::set32(m.hi), V::set32(half_minus_one), V::set32(1), shift};
  std::int64_t sums[kColumns];
  const std::int16_t* w[kColumns];
  for (std::int64_t r = 0; r < m.rows; ++r) {
    const std::int16_t* a = m.a + r * m.depth;
    std::int64_t* out = m.out + r * m.cols;
    std::int64_t j = 0;
    for (; j + kColumns <= m.cols; j += kColumns) {
      for (std::int64_t i = 0; i < kColumns; ++i) w[i] = m.w + (j + i) * m.depth;
      dots<V, mode, kind, kColumns>(a, w, m, c16, c32, sums);
      for (std::int64_t i = 0; i < kColumns; ++i) {
        out[j + i] = saturate(sums[i] + (m.bias != nullptr ? m.bias[j + i] : 0), m.products);
      }
    }
    for (; j < m.cols; ++j) {
      w[0] = m.w + j * m.depth;
      dots<V, mode, kind, 1>(a, w, m, c16, c32, sums);
      out[j] = saturate(sums[0] + (m.bias != nullptr ? m.bias[j] : 0), m.products);
    }
  }
}

template <class V, ProductRounding mode>
void run_mode(const NarrowMatmul& m) {
  if (m.products16) return run<V, mode, Kind::Products16>(m);
  if (mode == ProductRounding::Exact && m.unclamped) return run<V, mode, Kind::UnclampedPairs>(m);
  if (m.sums32) return run<V, mode, Kind::Products32Sums32>(m);
  run<V, mode, Kind::Products32Sums64>(m);
}

/// The whole kernel at width V; the SIMD file's exported function calls it.
template <class V>
void narrow_matmul(const NarrowMatmul& m) {
  switch (m.rounding) {
    case ProductRounding::Exact: return run_mode<V, ProductRounding::Exact>(m);
    case ProductRounding::NearestEven: return run_mode<V, ProductRounding::NearestEven>(m);
    case ProductRounding::Truncate: return run_mode<V, ProductRounding::Truncate>(m);
  }
}

}  // namespace dnnspace::engine::detail::simd
