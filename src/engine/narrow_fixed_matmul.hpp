// Internal to the engine: the narrow fixed-point matmul kernel (int16 operands), shared by the
// portable C++ version (integer_matmul.cpp) and the SIMD ones (narrow_fixed_matmul_simd.hpp,
// instantiated for AVX2 and AVX-512BW).
#pragma once

#include <cstdint>

#include "dnnspace/engine/fixed_point.hpp"

namespace dnnspace::engine::detail {

/// How a product's dropped bits go: none dropped (shift 0), or as Rounding says.
enum class ProductRounding { Exact, NearestEven, Truncate };

/// One problem for the narrow kernel, set up by fixed_matmul once narrow_kernel_applies:
/// |a|, |w| <= 2^15, so a product and its rounding increment stay below 2^31 in magnitude
/// (below 2^15 when products16).
struct NarrowMatmul {
  const std::int16_t* a = nullptr;     // [rows, depth] raw Q^X
  const std::int16_t* w = nullptr;     // [cols, depth] raw Q^W
  const std::int64_t* bias = nullptr;  // [cols] raw Q^P, or null
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t depth = 0;
  int shift = 0;  // n_W + n_X - n_P >= 0
  ProductRounding rounding = ProductRounding::Exact;
  std::int32_t lo = 0;  // Q^P's range, each product is clamped to it
  std::int32_t hi = 0;
  bool products16 = false;  // bits_W + bits_X <= 16: |w * x| <= 2^14, int16 lanes suffice
  bool sums32 = false;      // depth * max(|lo|, hi) < 2^31: int32 sums cannot overflow
  bool unclamped = false;   // shift 0 and Q^P holds every product: the sum is a plain dot product
  FixedFormat products{};   // the sum plus the bias is saturated to it
  std::int64_t* out = nullptr;  // [rows, cols] raw Q^P
};

/// One product rounded and clamped, exactly as both kernels do it lane by lane. Callers
/// guarantee the intermediate values fit in int32 (see NarrowMatmul).
inline std::int32_t narrow_product(std::int32_t a, std::int32_t w, const NarrowMatmul& m) noexcept {
  std::int32_t p = a * w;
  if (m.rounding == ProductRounding::NearestEven) {
    p = (p + ((std::int32_t{1} << (m.shift - 1)) - 1) + ((p >> m.shift) & 1)) >> m.shift;
  } else if (m.rounding == ProductRounding::Truncate) {
    p = p >> m.shift;
  }
  return p < m.lo ? m.lo : (p > m.hi ? m.hi : p);
}

/// Plain C++ (the compiler vectorises it for the build's baseline ISA).
void narrow_matmul_portable(const NarrowMatmul& m) noexcept;

/// AVX2 intrinsics; call only when cpu_has_avx2().
void narrow_matmul_avx2(const NarrowMatmul& m) noexcept;

/// The same with AVX-512F/BW intrinsics (512-bit registers); call only when cpu_has_avx512bw().
void narrow_matmul_avx512(const NarrowMatmul& m) noexcept;

/// __builtin_cpu_supports("avx2"), asked once.
bool cpu_has_avx2() noexcept;

/// __builtin_cpu_supports("avx512f") and ("avx512bw"), asked once.
bool cpu_has_avx512bw() noexcept;

}  // namespace dnnspace::engine::detail
