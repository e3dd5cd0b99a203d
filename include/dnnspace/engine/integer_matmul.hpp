// Integer matrix products of the hardware datapaths: fixed-point Q^W x Q^X -> Q^P with
// per-product rounding (Minerva, 001 Ch. 4) and int8 x int8 -> int32.
#pragma once

#include <cstdint>

#include "dnnspace/engine/fixed_point.hpp"

namespace dnnspace::engine {

/// Which fixed-point kernel to run. All give identical results.
///  - Auto: the narrow kernel when it applies (narrow_kernel_applies), with the widest SIMD
///    instructions the CPU has (AVX-512BW, else AVX2, as __builtin_cpu_supports says), else Wide.
///  - Portable: the narrow kernel in plain C++ (what Auto runs on a CPU without AVX2; the
///    reference the SIMD paths are tested against), else Wide.
///  - Wide: int64 throughout (fixed_dot's arithmetic).
///  - Avx2: as Auto but at most AVX2, so that a CPU with AVX-512BW can test the AVX2 path.
enum class FixedKernel { Auto, Portable, Wide, Avx2 };

/// True when the narrow kernel applies: Q^W and Q^X of at most 16 bits (int16 operands) and
/// products not widened (n_P <= n_W + n_X). It picks its product lanes (int16 when
/// bits_W + bits_X <= 16, else int32) and its sum lanes (int32 when depth products cannot
/// overflow it, else int64) so that nothing can overflow; any depth up to 2^30 works.
[[nodiscard]] bool narrow_kernel_applies(const MacFormats& formats, std::int64_t depth) noexcept;

/// True when this CPU has AVX2 (checked once): Auto runs the AVX2 code unless it also has
/// AVX-512BW, Avx2 runs it.
[[nodiscard]] bool fixed_matmul_uses_avx2() noexcept;

/// True when Auto runs the AVX-512BW code on this CPU (checked once).
[[nodiscard]] bool fixed_matmul_uses_avx512() noexcept;

/// out[r * cols + j] = fixed_dot(row r of a, row j of w, bias[j]) for a [rows, depth] raw Q^X
/// values, w [cols, depth] raw Q^W values, bias [cols] raw Q^P (null: 0); out is raw Q^P.
/// depth <= 2^30 (assert).
void fixed_matmul(const std::int32_t* a, const std::int32_t* w, const std::int64_t* bias, std::int64_t rows,
                  std::int64_t cols, std::int64_t depth, const MacFormats& formats, std::int64_t* out,
                  FixedKernel kernel = FixedKernel::Auto);

/// The same product with the operands already narrowed to int16 (raw values unchanged), for
/// callers that keep their weights that way; requires narrow_kernel_applies (assert).
/// `kernel` Wide is treated as Portable.
void fixed_matmul(const std::int16_t* a, const std::int16_t* w, const std::int64_t* bias, std::int64_t rows,
                  std::int64_t cols, std::int64_t depth, const MacFormats& formats, std::int64_t* out,
                  FixedKernel kernel = FixedKernel::Auto);

/// out[r * cols + j] = sum over k of a[r][k] * w[j][k], exactly, for int8 a [rows, depth] and
/// w [cols, depth]; depth <= 2^17 so the int32 sum cannot overflow (assert).
void int8_matmul(const std::int8_t* a, const std::int8_t* w, std::int64_t rows, std::int64_t cols,
                 std::int64_t depth, std::int32_t* out);

}  // namespace dnnspace::engine
