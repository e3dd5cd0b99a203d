// add: element-wise sum of two tensors with numpy broadcasting (ONNX Add, opset 7 and later).
#pragma once

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// C = A + B, both read as broadcast to broadcast_shapes(A, B) (see broadcast.hpp).
/// An Error naming both shapes when they do not broadcast.
[[nodiscard]] Expected<Tensor> add(const Tensor& a, const Tensor& b);

}  // namespace dnnspace::engine
