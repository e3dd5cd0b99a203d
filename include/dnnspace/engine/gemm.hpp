// gemm: the fp32 reference general matrix product with bias (ONNX Gemm), the FC layer's kernel.
#pragma once

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// Gemm attributes (ONNX names and defaults).
struct GemmParams {
  float alpha = 1.0F;    ///< scales op(A) * op(B)
  float beta = 1.0F;     ///< scales C
  bool trans_a = false;  ///< A is stored [K, M]
  bool trans_b = false;  ///< B is stored [N, K]
};

/// Y[M, N] = alpha * op(A) * op(B) + beta * C, with op(A) [M, K] and op(B) [K, N]; C is null
/// (no bias) or broadcasts to [M, N] in numpy style ([N], [1], [M, 1], a scalar, ...). An Error
/// when A or B is not rank 2, the K extents differ, or C does not broadcast to [M, N].
[[nodiscard]] Expected<Tensor> gemm(const Tensor& a, const Tensor& b, const Tensor* c,
                                    const GemmParams& params);

}  // namespace dnnspace::engine
