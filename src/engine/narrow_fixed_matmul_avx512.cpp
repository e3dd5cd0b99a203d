// The narrow fixed-point kernel with AVX-512BW (512-bit) registers: the traits the generic kernel
// (narrow_fixed_matmul_simd.hpp) is instantiated with. The file is compiled for the baseline
// ISA like every other; only what lies between push_options and pop_options uses AVX-512F and AVX-512BW, and
// fixed_matmul calls it only after __builtin_cpu_supports("avx512bw"), so the binary runs on any
// x86-64.
#include "narrow_fixed_matmul.hpp"

#if defined(__x86_64__) || defined(__i386__)

// GCC 12's avx512fintrin.h seeds many intrinsics with _mm*_undefined_*() (a self-initialised
// variable), which -Wmaybe-uninitialized reports once they are inlined (GCC bug 105593, fixed
// in GCC 13). The warning points into that header, so it is silenced around it, for this file.
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

// clang (the fuzz build) has no push_options/target pragmas; its attribute pragma does the same.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw")
#endif

#include "narrow_fixed_matmul_simd.hpp"

namespace dnnspace::engine::detail {
namespace {

struct Avx512 {
  using Reg = __m512i;
  static constexpr int kLanes16 = 32;
  static constexpr int kLanes32 = 16;
  static constexpr bool kMaskedTail = true;
  static Reg zero() { return _mm512_setzero_si512(); }
  static Reg load16(const std::int16_t* p) { return _mm512_loadu_si512(p); }
  static Reg load16to32(const std::int16_t* p) {
    return _mm512_cvtepi16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  // The first `count` (< lanes) values, the other lanes zero; the masked-off elements are not
  // read (no fault past the end of the row).
  static Reg load16_first(const std::int16_t* p, int count) {
    return _mm512_maskz_loadu_epi16((__mmask32{1} << count) - 1, p);
  }
  static Reg load16to32_first(const std::int16_t* p, int count) {
    return _mm512_cvtepi16_epi32(_mm512_castsi512_si256(_mm512_maskz_loadu_epi16((__mmask32{1} << count) - 1, p)));
  }
  static Reg set16(short v) { return _mm512_set1_epi16(v); }
  static Reg set32(std::int32_t v) { return _mm512_set1_epi32(v); }
  static Reg and_(Reg a, Reg b) { return _mm512_and_si512(a, b); }
  static Reg add16(Reg a, Reg b) { return _mm512_add_epi16(a, b); }
  static Reg add32(Reg a, Reg b) { return _mm512_add_epi32(a, b); }
  static Reg add64(Reg a, Reg b) { return _mm512_add_epi64(a, b); }
  static Reg mullo16(Reg a, Reg b) { return _mm512_mullo_epi16(a, b); }
  static Reg mullo32(Reg a, Reg b) { return _mm512_mullo_epi32(a, b); }
  static Reg sra16(Reg a, __m128i s) { return _mm512_sra_epi16(a, s); }
  static Reg sra32(Reg a, __m128i s) { return _mm512_sra_epi32(a, s); }
  static Reg max16(Reg a, Reg b) { return _mm512_max_epi16(a, b); }
  static Reg min16(Reg a, Reg b) { return _mm512_min_epi16(a, b); }
  static Reg max32(Reg a, Reg b) { return _mm512_max_epi32(a, b); }
  static Reg min32(Reg a, Reg b) { return _mm512_min_epi32(a, b); }
  static Reg madd16(Reg a, Reg b) { return _mm512_madd_epi16(a, b); }
  // The int32 lanes of one half, sign- or zero-extended to int64 lanes.
  static Reg widen_lo(Reg v) { return _mm512_cvtepi32_epi64(_mm512_castsi512_si256(v)); }
  static Reg widen_hi(Reg v) { return _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(v, 1)); }
  static Reg widen_lo_unsigned(Reg v) { return _mm512_cvtepu32_epi64(_mm512_castsi512_si256(v)); }
  static Reg widen_hi_unsigned(Reg v) { return _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(v, 1)); }
  static std::int64_t sum64(Reg v) { return _mm512_reduce_add_epi64(v); }
};

}  // namespace

void narrow_matmul_avx512(const NarrowMatmul& m) noexcept { simd::narrow_matmul<Avx512>(m); }

}  // namespace dnnspace::engine::detail

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#pragma GCC diagnostic pop
#endif

#else  // not x86: cpu_has_avx512bw() is false, so this is never called.

namespace dnnspace::engine::detail {
void narrow_matmul_avx512(const NarrowMatmul& m) noexcept { narrow_matmul_portable(m); }
}  // namespace dnnspace::engine::detail

#endif
