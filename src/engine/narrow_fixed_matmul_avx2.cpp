// The narrow fixed-point kernel with AVX2 (256-bit) registers: the traits the generic kernel
// (narrow_fixed_matmul_simd.hpp) is instantiated with. The file is compiled for the baseline
// ISA like every other; only what lies between push_options and pop_options uses AVX2, and
// fixed_matmul calls it only after __builtin_cpu_supports("avx2"), so the binary runs on any
// x86-64.
#include "narrow_fixed_matmul.hpp"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <algorithm>
#include <cstdint>

// clang (the fuzz build) has no push_options/target pragmas; its attribute pragma does the same.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif

#include "narrow_fixed_matmul_simd.hpp"

namespace dnnspace::engine::detail {
namespace {

struct Avx2 {
  using Reg = __m256i;
  static constexpr int kLanes16 = 16;
  static constexpr int kLanes32 = 8;
  static constexpr bool kMaskedTail = false;  // AVX2 has no masked int16 loads
  static Reg zero() { return _mm256_setzero_si256(); }
  static Reg load16(const std::int16_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static Reg load16to32(const std::int16_t* p) {
    return _mm256_cvtepi16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static Reg set16(short v) { return _mm256_set1_epi16(v); }
  static Reg set32(std::int32_t v) { return _mm256_set1_epi32(v); }
  static Reg and_(Reg a, Reg b) { return _mm256_and_si256(a, b); }
  static Reg add16(Reg a, Reg b) { return _mm256_add_epi16(a, b); }
  static Reg add32(Reg a, Reg b) { return _mm256_add_epi32(a, b); }
  static Reg add64(Reg a, Reg b) { return _mm256_add_epi64(a, b); }
  static Reg mullo16(Reg a, Reg b) { return _mm256_mullo_epi16(a, b); }
  static Reg mullo32(Reg a, Reg b) { return _mm256_mullo_epi32(a, b); }
  static Reg sra16(Reg a, __m128i s) { return _mm256_sra_epi16(a, s); }
  static Reg sra32(Reg a, __m128i s) { return _mm256_sra_epi32(a, s); }
  static Reg max16(Reg a, Reg b) { return _mm256_max_epi16(a, b); }
  static Reg min16(Reg a, Reg b) { return _mm256_min_epi16(a, b); }
  static Reg max32(Reg a, Reg b) { return _mm256_max_epi32(a, b); }
  static Reg min32(Reg a, Reg b) { return _mm256_min_epi32(a, b); }
  static Reg madd16(Reg a, Reg b) { return _mm256_madd_epi16(a, b); }
  // The int32 lanes of one half, sign- or zero-extended to int64 lanes.
  static Reg widen_lo(Reg v) { return _mm256_cvtepi32_epi64(_mm256_castsi256_si128(v)); }
  static Reg widen_hi(Reg v) { return _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1)); }
  static Reg widen_lo_unsigned(Reg v) { return _mm256_cvtepu32_epi64(_mm256_castsi256_si128(v)); }
  static Reg widen_hi_unsigned(Reg v) { return _mm256_cvtepu32_epi64(_mm256_extracti128_si256(v, 1)); }
  static std::int64_t sum64(Reg v) {
    alignas(32) std::int64_t parts[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(parts), v);
    return parts[0] + parts[1] + parts[2] + parts[3];
  }
};

}  // namespace

void narrow_matmul_avx2(const NarrowMatmul& m) noexcept { simd::narrow_matmul<Avx2>(m); }

}  // namespace dnnspace::engine::detail

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else  // not x86: cpu_has_avx2() is false, so this is never called.

namespace dnnspace::engine::detail {
void narrow_matmul_avx2(const NarrowMatmul& m) noexcept { narrow_matmul_portable(m); }
}  // namespace dnnspace::engine::detail

#endif
