#include "dnnspace/engine/sequential.hpp"

#include <cmath>
#include <utility>

#include "dnnspace/engine/rng.hpp"

namespace dnnspace::engine {

std::string_view to_string(ActivationKind kind) noexcept {
  switch (kind) {
    case ActivationKind::Sigmoid: return "sigmoid";
    case ActivationKind::Relu: return "relu";
    case ActivationKind::Tanh: return "tanh";
  }
  return "?";
}

Expected<ActivationKind> parse_activation(std::string_view text) {
  for (ActivationKind kind : {ActivationKind::Sigmoid, ActivationKind::Relu, ActivationKind::Tanh}) {
    if (text == to_string(kind)) return kind;
  }
  return Error{"activation '" + std::string(text) + "' is not known (allowed: sigmoid, relu, tanh)"};
}

std::int64_t Sequential::features(std::size_t l) const noexcept { return element_count(shapes[l]); }

std::string_view owning_layer_name(const Sequential& net, std::size_t l) noexcept {
  for (std::size_t i = l + 1; i-- > 0;) {
    if (const auto* dense = std::get_if<DenseLayer>(&net.layers[i])) return dense->name;
    if (const auto* conv = std::get_if<ConvLayer>(&net.layers[i])) return conv->name;
  }
  return "";
}

namespace {

Tensor uniform_tensor(Shape shape, double bound, SplitMix64& rng) {
  Tensor t(std::move(shape));
  for (float& v : t.data()) v = static_cast<float>((2.0 * rng.uniform() - 1.0) * bound);
  return t;
}

}  // namespace

Expected<Sequential> make_sequential(std::string name, ActivationKind activation, Shape input_shape,
                                     std::vector<Layer> layers, std::uint64_t seed) {
  Sequential net;
  net.name = std::move(name);
  net.activation = activation;
  net.layers = std::move(layers);
  net.shapes.push_back(std::move(input_shape));
  SplitMix64 rng(seed);
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const Shape& in = net.shapes.back();
    const std::int64_t in_count = element_count(in);
    if (const auto* dense = std::get_if<DenseLayer>(&net.layers[l])) {
      if (dense->inputs != in_count || dense->outputs < 1) {
        return Error{net.name + ": layer '" + dense->name + "' takes " + std::to_string(dense->inputs) +
                     " inputs but receives " + to_string(in)};
      }
      const double bound = 1.0 / std::sqrt(static_cast<double>(dense->inputs));
      net.weight_index.push_back(static_cast<std::int64_t>(net.parameters.size()));
      net.parameters.push_back({dense->name + ".weight", uniform_tensor({dense->outputs, dense->inputs}, bound, rng)});
      net.parameters.push_back({dense->name + ".bias", uniform_tensor({dense->outputs}, bound, rng)});
      net.shapes.push_back({dense->outputs});
    } else if (const auto* conv = std::get_if<ConvLayer>(&net.layers[l])) {
      const std::int64_t span = conv->kernel - 1;
      if (in.size() != 3 || in[0] != conv->in_channels || conv->kernel < 1 || conv->stride < 1 ||
          conv->padding < 0 || in[1] + 2 * conv->padding <= span || in[2] + 2 * conv->padding <= span) {
        return Error{net.name + ": layer '" + conv->name + "' (" + std::to_string(conv->in_channels) +
                     " channels, kernel " + std::to_string(conv->kernel) + ") does not fit input " + to_string(in)};
      }
      const std::int64_t fan_in = conv->in_channels * conv->kernel * conv->kernel;
      const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
      net.weight_index.push_back(static_cast<std::int64_t>(net.parameters.size()));
      net.parameters.push_back({conv->name + ".weight",
                                uniform_tensor({conv->out_channels, conv->in_channels, conv->kernel, conv->kernel}, bound, rng)});
      net.parameters.push_back({conv->name + ".bias", uniform_tensor({conv->out_channels}, bound, rng)});
      net.shapes.push_back({conv->out_channels, (in[1] + 2 * conv->padding - conv->kernel) / conv->stride + 1,
                            (in[2] + 2 * conv->padding - conv->kernel) / conv->stride + 1});
    } else if (const auto* pool = std::get_if<MaxPoolLayer>(&net.layers[l])) {
      if (in.size() != 3 || pool->size < 1 || in[1] < pool->size || in[2] < pool->size) {
        return Error{net.name + ": max-pool layer " + std::to_string(l) + " does not fit input " + to_string(in)};
      }
      net.weight_index.push_back(-1);
      net.shapes.push_back({in[0], in[1] / pool->size, in[2] / pool->size});
    } else {
      net.weight_index.push_back(-1);
      net.shapes.push_back(in);
    }
  }
  return net;
}

}  // namespace dnnspace::engine
