// What one training step of a network computes (docs/model.md Sec. 10): per layer, which
// gradient passes run, the parameters the optimizer updates and the forward operands that
// backpropagation reads back.
#pragma once

#include <cstdint>
#include <string_view>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/workload/layer.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace {

/// The update rule of a training step, per parameter w with gradient g.
enum class Optimizer : std::uint8_t {
  Sgd,       ///< w -= lr g
  Momentum,  ///< v = mu v + g; w -= lr v (PyTorch's SGD with momentum)
  Adam,      ///< m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= lr_t m / (sqrt(v) + eps)
};

/// "sgd", "momentum", "adam" (the CLI's --optimizer values).
std::string_view optimizer_name(Optimizer optimizer) noexcept;
/// Parses an optimizer_name(); the error lists the allowed names.
Expected<Optimizer> parse_optimizer(std::string_view name);

/// Words of optimizer state per parameter: 0 (sgd), 1 (momentum: v), 2 (adam: m, v).
int optimizer_state_words(Optimizer optimizer) noexcept;

/// Arithmetic operations per parameter of the update, each a multiply, add or
/// multiply-add, with a square root and a division counting one each: sgd 1; momentum 2;
/// adam 9 (m: 2, v: 3, sqrt(v) + eps: 2, the division: 1, the step: 1; the bias
/// corrections fold into one step size per step, lr_t).
int optimizer_ops_per_parameter(Optimizer optimizer) noexcept;

/// What a training step computes for one layer. The gradient of an operand is a pass of
/// the same nest (Pass): dgrad accumulates the gradient of slot Inputs, wgrad that of slot
/// Weights. An operand needs its gradient when it is a parameter, or an activation of any
/// layer but the first (the first layer's activations are the network's input data).
struct LayerTraining {
  bool dgrad = false;
  bool wgrad = false;
  /// Words the optimizer updates: weight_count(layer) (biases are not modelled).
  std::int64_t parameters = 0;
  /// The slot holding them (its width prices them): Weights, or Inputs for a workload
  /// given as data whose only parameter is its first operand.
  TensorId parameter_slot = TensorId::Weights;
  /// Per forward operand slot (Inputs, Weights): the words kept from the forward pass for a
  /// gradient pass that reads it as an activation (the first operand for wgrad, the second
  /// for dgrad; parameters are kept anyway), 0 if not kept. An input is kept on the
  /// unpadded plane (the padding is not data).
  PerTensor<std::int64_t> stored_words{};

  std::int64_t stored_total() const noexcept {
    return stored_words[TensorId::Inputs] + stored_words[TensorId::Weights];
  }
};

/// The training needs of a forward layer; `first`: it is the network's first layer.
LayerTraining layer_training(const Layer& layer, bool first) noexcept;

/// Whether every layer can be trained by the passes: the built-in kinds, and workloads
/// given as data with two operands (the passes derive no gradient for a third), and the
/// step's MACs (training_macs) fit in 64 bits, and some layer computes a gradient. The
/// error names the layer or the network.
Expected<void> check_trainable(const Network& network);

/// MACs of one training step of the network: forward + dgrad + wgrad of every layer as
/// layer_training says (each pass has the forward pass's MACs). Exact for a network that
/// passed check_trainable.
std::int64_t training_macs(const Network& network) noexcept;

}  // namespace dnnspace
