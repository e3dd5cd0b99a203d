// Integer matrix products of the hardware datapaths: fixed-point Q^W x Q^X -> Q^P with
// per-product rounding (Minerva, 001 Ch. 4) and int8 x int8 -> int32.
#pragma once

#include <cstdint>

#include "dnnspace/engine/fixed_point.hpp"

namespace dnnspace::engine {

/// Which fixed-point kernel to run. Both give identical results; Auto picks the narrow one
/// (int16 operands, int32 arithmetic, vectorisable) when it cannot overflow: Q^W and Q^X of at
/// most 16 bits, products not widened (n_P <= n_W + n_X), and (depth + 1) Q^P values summing
/// below 2^31. Wide always uses int64 (fixed_dot's arithmetic).
enum class FixedKernel { Auto, Wide };

/// True when FixedKernel::Auto would use the narrow int32 kernel for these formats and depth.
[[nodiscard]] bool narrow_kernel_applies(const MacFormats& formats, std::int64_t depth) noexcept;

/// out[r * cols + j] = fixed_dot(row r of a, row j of w, bias[j]) for a [rows, depth] raw Q^X
/// values, w [cols, depth] raw Q^W values, bias [cols] raw Q^P (null: 0); out is raw Q^P.
/// depth <= 2^30 (assert).
void fixed_matmul(const std::int32_t* a, const std::int32_t* w, const std::int64_t* bias, std::int64_t rows,
                  std::int64_t cols, std::int64_t depth, const MacFormats& formats, std::int64_t* out,
                  FixedKernel kernel = FixedKernel::Auto);

/// out[r * cols + j] = sum over k of a[r][k] * w[j][k], exactly, for int8 a [rows, depth] and
/// w [cols, depth]; depth <= 2^17 so the int32 sum cannot overflow (assert).
void int8_matmul(const std::int8_t* a, const std::int8_t* w, std::int64_t rows, std::int64_t cols,
                 std::int64_t depth, std::int32_t* out);

}  // namespace dnnspace::engine
