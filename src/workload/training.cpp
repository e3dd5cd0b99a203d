#include "dnnspace/workload/training.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "dnnspace/core/checked.hpp"

namespace dnnspace {

std::string_view optimizer_name(Optimizer optimizer) noexcept {
  switch (optimizer) {
    case Optimizer::Sgd: return "sgd";
    case Optimizer::Momentum: return "momentum";
    case Optimizer::Adam: return "adam";
  }
  return "?";
}

Expected<Optimizer> parse_optimizer(std::string_view name) {
  for (Optimizer o : {Optimizer::Sgd, Optimizer::Momentum, Optimizer::Adam}) {
    if (optimizer_name(o) == name) return o;
  }
  return Error{"unknown optimizer '" + std::string(name) + "' (allowed: sgd, momentum, adam)"};
}

int optimizer_state_words(Optimizer optimizer) noexcept {
  switch (optimizer) {
    case Optimizer::Sgd: return 0;
    case Optimizer::Momentum: return 1;
    case Optimizer::Adam: return 2;
  }
  return 0;
}

int optimizer_ops_per_parameter(Optimizer optimizer) noexcept {
  switch (optimizer) {
    case Optimizer::Sgd: return 1;
    case Optimizer::Momentum: return 2;
    case Optimizer::Adam: return 9;
  }
  return 0;
}

namespace {

bool is_parameter(const Layer& layer, TensorId t) noexcept {
  if (layer.custom) return layer.custom->parameters[t];
  return t == TensorId::Weights && layer.groups_per_sample == 0;
}

// Words of a forward operand kept for backprop: an input without its padding.
std::int64_t stored_size(const Layer& forward, TensorId t) noexcept {
  if (t != TensorId::Inputs || forward.custom) return tensor_size(forward, t);
  return unpadded_input_size(forward);
}

}  // namespace

LayerTraining layer_training(const Layer& layer, bool first) noexcept {
  const Layer forward = with_pass(layer, Pass::Forward);
  LayerTraining out;
  const auto needs_gradient = [&](TensorId t) { return is_parameter(forward, t) || !first; };
  out.dgrad = needs_gradient(TensorId::Inputs);
  out.wgrad = needs_gradient(TensorId::Weights);
  out.parameters = weight_count(forward);
  if (is_parameter(forward, TensorId::Inputs) && !is_parameter(forward, TensorId::Weights)) {
    out.parameter_slot = TensorId::Inputs;
  }
  // dgrad reads the second operand, wgrad the first.
  if (out.dgrad && !is_parameter(forward, TensorId::Weights)) {
    out.stored_words[TensorId::Weights] = stored_size(forward, TensorId::Weights);
  }
  if (out.wgrad && !is_parameter(forward, TensorId::Inputs)) {
    out.stored_words[TensorId::Inputs] = stored_size(forward, TensorId::Inputs);
  }
  return out;
}

namespace {

// Passes of the layer's nest in a step: the forward one and the gradients it needs.
std::int64_t passes(const LayerTraining& t) noexcept { return 1 + (t.dgrad ? 1 : 0) + (t.wgrad ? 1 : 0); }

}  // namespace

Expected<void> check_trainable(const Network& network) {
  bool trains = false;
  // Every pass has the forward MACs: the step's total must fit where the forward's did.
  std::optional<std::int64_t> total = 0;
  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    const Layer& l = network.layers[i];
    if (l.custom && l.custom->count > kNumTensors) {
      return Error{"layer '" + l.name + "': a workload with " + std::to_string(l.custom->count - 1) +
                   " operands cannot be trained: the gradient passes (dgrad, wgrad) cover two operands"};
    }
    const LayerTraining t = layer_training(l, i == 0);
    trains = trains || t.dgrad || t.wgrad;
    const auto pass_macs = total ? checked_mul(macs(l), passes(t)) : std::nullopt;
    total = pass_macs ? checked_add(*total, *pass_macs) : std::nullopt;
  }
  if (!trains) {
    return Error{"network '" + network.name +
                 "': nothing to train: no layer has parameters, and the first layer's operands are the input data"};
  }
  if (!total) return Error{"network '" + network.name + "': the MACs of a training step exceed 2^63 - 1"};
  return {};
}

std::int64_t training_macs(const Network& network) noexcept {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    total += macs(network.layers[i]) * passes(layer_training(network.layers[i], i == 0));
  }
  return total;
}

}  // namespace dnnspace
