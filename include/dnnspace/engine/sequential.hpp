// Sequential: a trainable feed-forward network (dense, convolution, max-pool and activation
// layers in a chain) with its parameters; the model the trainer and hardware inference run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// Hidden-layer nonlinearities.
enum class ActivationKind { Sigmoid, Relu, Tanh };

/// "sigmoid", "relu", "tanh".
[[nodiscard]] std::string_view to_string(ActivationKind kind) noexcept;
/// The inverse of to_string; an Error listing the allowed names otherwise.
[[nodiscard]] Expected<ActivationKind> parse_activation(std::string_view text);

/// Fully connected: y = W x + b, W [outputs, inputs], b [outputs]. Flattens its input.
struct DenseLayer {
  std::string name;
  std::int64_t inputs = 0;
  std::int64_t outputs = 0;
};

/// 2-D convolution with square kernels, W [out_channels, in_channels, kernel, kernel], b
/// [out_channels]; stride and zero padding on every side.
struct ConvLayer {
  std::string name;
  std::int64_t in_channels = 0;
  std::int64_t out_channels = 0;
  std::int64_t kernel = 1;
  std::int64_t stride = 1;
  std::int64_t padding = 0;
};

/// Non-overlapping max pooling (kernel = stride = size) over the two spatial axes.
struct MaxPoolLayer {
  std::int64_t size = 2;
};

/// An element-wise nonlinearity.
struct ActivationLayer {
  ActivationKind kind = ActivationKind::Relu;
};

using Layer = std::variant<DenseLayer, ConvLayer, MaxPoolLayer, ActivationLayer>;

/// A named parameter tensor, "fc1.weight", "conv2.bias".
struct Parameter {
  std::string name;
  Tensor value;
};

/// A chain of layers and their parameters. Invariants (established by make_sequential):
/// shapes[l] is the per-sample shape entering layer l (shapes[0] = input, shapes.back() =
/// logits [classes]); weight_index[l] is the index in `parameters` of layer l's weight (its
/// bias follows it) or -1 for parameter-free layers.
struct Sequential {
  std::string name;            ///< e.g. "mlp-784-100-100-10", stored with saved weights
  ActivationKind activation{};  ///< the hidden activation it was built with
  std::vector<Layer> layers;
  std::vector<Parameter> parameters;
  std::vector<Shape> shapes;
  std::vector<std::int64_t> weight_index;

  /// Elements per sample entering layer l (l == layers.size(): the logits).
  [[nodiscard]] std::int64_t features(std::size_t l) const noexcept;
  /// The number of classes (logits per sample).
  [[nodiscard]] std::int64_t classes() const noexcept { return features(layers.size()); }
};

/// Builds a network for per-sample inputs of `input_shape` ([features] or [C, H, W]),
/// checking that every layer fits the shape before it, and initialises the parameters as
/// PyTorch's nn.Linear and nn.Conv2d do by default: weights and biases uniform in
/// [-1/sqrt(fan_in), 1/sqrt(fan_in)], drawn from SplitMix64(seed). An Error names the layer
/// that does not fit.
[[nodiscard]] Expected<Sequential> make_sequential(std::string name, ActivationKind activation,
                                                   Shape input_shape, std::vector<Layer> layers,
                                                   std::uint64_t seed);

/// The name of the dense or convolution layer at or before index l ("" if none): activation
/// layers take the numerics of the layer they follow.
[[nodiscard]] std::string_view owning_layer_name(const Sequential& net, std::size_t l) noexcept;

}  // namespace dnnspace::engine
