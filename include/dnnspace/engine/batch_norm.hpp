// batch_norm: fp32 reference batch normalization in inference mode (ONNX BatchNormalization
// with training_mode = 0), using the stored running statistics.
#pragma once

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// Per-channel parameters, each of shape [C].
struct BatchNormParams {
  const Tensor& scale;  ///< gamma
  const Tensor& bias;   ///< beta
  const Tensor& mean;   ///< running mean
  const Tensor& var;    ///< running variance
  float epsilon = 1e-5F;
};

/// Y[n][c][...] = (X[n][c][...] - mean[c]) / sqrt(var[c] + epsilon) * scale[c] + bias[c] for
/// X of shape [N, C, ...] (rank >= 2). An Error when X has rank < 2 or a parameter is not [C].
[[nodiscard]] Expected<Tensor> batch_norm(const Tensor& input, const BatchNormParams& params);

}  // namespace dnnspace::engine
