// activation: element-wise fp32 reference nonlinearities (ONNX Relu, Sigmoid, Tanh).
#pragma once

#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// max(x, 0) per element; same shape as the input. Cannot fail.
[[nodiscard]] Tensor relu(const Tensor& input);

/// 1 / (1 + exp(-x)) per element, evaluated so that large |x| neither overflows nor loses
/// the small tail; same shape as the input. Cannot fail.
[[nodiscard]] Tensor sigmoid(const Tensor& input);

/// tanh(x) per element; same shape as the input. Cannot fail.
[[nodiscard]] Tensor tanh(const Tensor& input);

/// Scalar forms, shared with kernels that apply an activation inside a loop (LSTM gates).
[[nodiscard]] float relu(float x) noexcept;
[[nodiscard]] float sigmoid(float x) noexcept;
[[nodiscard]] float tanh(float x) noexcept;

}  // namespace dnnspace::engine
