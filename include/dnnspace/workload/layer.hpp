// A layer: the loop nest it computes, its tensors and their index projections.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dnnspace/core/dims.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/core/tensor_id.hpp"

namespace dnnspace {

/// What the layer is, for reporting; the arithmetic is always the grouped-conv nest.
enum class LayerKind : std::uint8_t {
  Conv,            ///< convolution (grouped and depthwise via the G dimension)
  FullyConnected,  ///< P = Q = R = S = 1
  Matmul,          ///< GEMM: N rows x C reduction x K columns
  Lstm,            ///< one LSTM time step: the four gate GEMMs fused, see zoo docs
};

std::string_view layer_kind_name(LayerKind kind) noexcept;

/// One layer as a loop nest over N, K, C, P, Q, R, S, G (see core/dims.hpp).
/// Per group g: O[n][g][k][p][q] += I[n][g][c][p*stride+r*dil][q*stride+s*dil] * W[g][k][c][r][s].
/// K and C are per group; a depthwise layer has G = channels and K = C = 1.
/// Input coordinates are on the padded plane: padding is counted as data.
struct Layer {
  std::string name;
  LayerKind kind = LayerKind::Conv;
  PerDim<std::int64_t> bounds{{1, 1, 1, 1, 1, 1, 1, 1}};
  std::int64_t stride_h = 1;
  std::int64_t stride_w = 1;
  std::int64_t pad_h = 0;
  std::int64_t pad_w = 0;
  std::int64_t dilation_h = 1;
  std::int64_t dilation_w = 1;

  friend bool operator==(const Layer&, const Layer&) = default;
};

/// Whether a tensor's index depends on a dimension (004 Sec. III: the projections).
constexpr bool is_relevant(TensorId t, Dim d) noexcept {
  switch (t) {
    case TensorId::Inputs: return d != Dim::K;
    case TensorId::Weights: return d == Dim::K || d == Dim::C || d == Dim::R || d == Dim::S ||
                                   d == Dim::G;
    case TensorId::Outputs: return d == Dim::N || d == Dim::K || d == Dim::P || d == Dim::Q ||
                                   d == Dim::G;
  }
  return false;
}

/// Checks the limits every later count relies on: every bound, stride and dilation
/// >= 1, pads >= 0, and the MACs and each tensor's size (inputs on the padded plane)
/// fit in a signed 64-bit integer. The error names the layer and the quantity.
/// Every way a layer enters dnnspace (zoo, YAML, --batch) passes through it.
Expected<void> check_layer_size(const Layer& layer);

/// Sets N (the batch) and checks the layer's size again (check_layer_size).
Expected<void> set_batch(Layer& layer, std::int64_t batch);

/// Multiply-accumulates of the layer (all groups, the whole batch). Exact for a layer
/// that passed check_layer_size.
std::int64_t macs(const Layer& layer) noexcept;

/// Rows of the (padded) input plane: (P-1)*stride_h + (R-1)*dilation_h + 1.
std::int64_t input_height(const Layer& layer) noexcept;
/// Columns of the (padded) input plane: (Q-1)*stride_w + (S-1)*dilation_w + 1.
std::int64_t input_width(const Layer& layer) noexcept;

/// Number of elements (words) of a tensor; inputs counted on the padded plane.
std::int64_t tensor_size(const Layer& layer, TensorId t) noexcept;

/// Weights without padding effects: G*K*C*R*S (the parameter count, biases excluded).
inline std::int64_t weight_count(const Layer& layer) noexcept {
  return tensor_size(layer, TensorId::Weights);
}

}  // namespace dnnspace
