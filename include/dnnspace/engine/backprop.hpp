// Forward and backward passes of a Sequential on a block of samples, with softmax
// cross-entropy loss: the fp32 training arithmetic (002 Sec. III: forward, backprop and
// weight-gradient passes).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dnnspace/engine/lut_sigmoid.hpp"
#include "dnnspace/engine/sequential.hpp"

namespace dnnspace::engine {

/// Buffers for running a Sequential on a block of samples, grown on first use and reused, so
/// that repeated passes of the same block size do not allocate (dense layers).
struct Workspace {
  std::vector<std::vector<float>> outputs;       ///< per layer: its output for the block
  std::vector<std::vector<float>> output_grads;  ///< per layer: dLoss/d(its output)
  std::vector<std::vector<std::int64_t>> pool_indices;
  std::vector<float> patches;
  std::vector<float> patch_grads;
  std::vector<std::vector<float>> parameter_grads;  ///< per parameter, same layout
  /// When set, sigmoid layers read this table in forward passes (002's hardware neuron);
  /// backward then takes the derivative y (1 - y) of the table's output, as 002's Eq. 2 does.
  const LutSigmoid* sigmoid_lut = nullptr;
};

/// Runs the network on `rows` samples stored contiguously at `input` (rows * features(0)
/// floats) and returns the logits, rows x classes, which stay valid in `ws` until the next
/// call. Dense layers use sgemm, convolution and max pooling the engine's conv2d and
/// max_pool_with_indices kernels.
std::span<const float> forward(const Sequential& net, const float* input, std::int64_t rows,
                               Workspace& ws);

/// Sizes ws for blocks of `rows` samples (outputs of every layer); forward() calls it.
void prepare_workspace(const Sequential& net, std::int64_t rows, Workspace& ws);

/// Runs layer l alone in fp32 on `rows` samples at x (its input) into ws.outputs[l], which
/// prepare_workspace must have sized. Max pooling also records ws.pool_indices[l].
void forward_layer(const Sequential& net, std::size_t l, const float* x, std::int64_t rows, Workspace& ws);

/// Loss sum and correct predictions over a block.
struct LossResult {
  double loss_sum = 0.0;       ///< sum over samples of -log softmax(logits)[label], nats
  std::int64_t correct = 0;    ///< samples whose largest logit is the label (first max wins)
};

/// Softmax cross-entropy of `logits` (rows x classes) against `labels`; writes
/// grad_scale * (softmax - onehot) to `logit_grads` (same size as logits).
LossResult softmax_cross_entropy(std::span<const float> logits, const std::int32_t* labels,
                                 std::int64_t rows, std::int64_t classes, float grad_scale,
                                 std::span<float> logit_grads);

/// After forward() on the same input: evaluates the loss and back-propagates
/// grad_scale * dLoss_sum/dlogits, overwriting ws.parameter_grads with d(grad_scale *
/// loss_sum)/d(parameter). Labels must be < classes (assert).
LossResult backward(const Sequential& net, const float* input, const std::int32_t* labels,
                    std::int64_t rows, float grad_scale, Workspace& ws);

}  // namespace dnnspace::engine
