#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

std::string_view layer_kind_name(LayerKind kind) noexcept {
  switch (kind) {
    case LayerKind::Conv: return "conv";
    case LayerKind::FullyConnected: return "fc";
    case LayerKind::Matmul: return "matmul";
    case LayerKind::Lstm: return "lstm";
  }
  return "?";
}

std::int64_t macs(const Layer& layer) noexcept {
  std::int64_t total = 1;
  for (Dim d : kAllDims) total *= layer.bounds[d];
  return total;
}

std::int64_t input_height(const Layer& layer) noexcept {
  return (layer.bounds[Dim::P] - 1) * layer.stride_h +
         (layer.bounds[Dim::R] - 1) * layer.dilation_h + 1;
}

std::int64_t input_width(const Layer& layer) noexcept {
  return (layer.bounds[Dim::Q] - 1) * layer.stride_w +
         (layer.bounds[Dim::S] - 1) * layer.dilation_w + 1;
}

std::int64_t tensor_size(const Layer& layer, TensorId t) noexcept {
  const auto& b = layer.bounds;
  switch (t) {
    case TensorId::Inputs:
      return b[Dim::G] * b[Dim::N] * b[Dim::C] * input_height(layer) * input_width(layer);
    case TensorId::Weights:
      return b[Dim::G] * b[Dim::K] * b[Dim::C] * b[Dim::R] * b[Dim::S];
    case TensorId::Outputs:
      return b[Dim::G] * b[Dim::N] * b[Dim::K] * b[Dim::P] * b[Dim::Q];
  }
  return 0;
}

}  // namespace dnnspace
