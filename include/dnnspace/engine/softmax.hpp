// softmax: fp32 reference softmax along one axis (ONNX Softmax, opset 13 semantics).
#pragma once

#include <cstdint>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// Y = exp(X - max) / sum(exp(X - max)), the max and the sum taken along `axis` only (opset 13;
/// opsets 1-12 flattened every axis from `axis` on, which callers get by reshaping first).
/// `axis` may be negative (counted from the end). Subtracting the max keeps large inputs
/// finite. An Error when the axis is outside [-rank, rank).
[[nodiscard]] Expected<Tensor> softmax(const Tensor& input, std::int64_t axis = -1);

}  // namespace dnnspace::engine
