// matmul: numpy-semantics matrix product (ONNX MatMul), batched over broadcast leading axes.
#pragma once

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// A @ B as numpy.matmul defines it: the last two axes are matrices ([.., M, K] @ [.., K, N]),
/// leading axes broadcast; a rank-1 A is a [1, K] row and a rank-1 B a [K, 1] column, and the
/// added axis is dropped from the result. An Error when an operand is rank 0, the K extents
/// differ, or the leading axes do not broadcast.
[[nodiscard]] Expected<Tensor> matmul(const Tensor& a, const Tensor& b);

}  // namespace dnnspace::engine
