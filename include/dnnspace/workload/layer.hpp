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

/// Which computation of a layer runs on the nest. The three passes of training (002,
/// 000) share the nest, its bounds and its MAC count; they differ in which tensor is
/// accumulated and which one slides. With I the (padded) input activations, W the
/// weights, O the outputs and d the gradient of the loss:
enum class Pass : std::uint8_t {
  Forward,         ///< O[n,g,k,p,q] += I[n,g,c,p*sh+r*dh,q*sw+s*dw] * W[g,k,c,r,s]
  DataGradient,    ///< dI[n,g,c,p*sh+r*dh,q*sw+s*dw] += dO[n,g,k,p,q] * W[g,k,c,r,s]
                   ///< (a transposed convolution over dO; the padded plane's gradient)
  WeightGradient,  ///< dW[g,k,c,r,s] += I[n,g,c,p*sh+r*dh,q*sw+s*dw] * dO[n,g,k,p,q]
};

/// "forward", "dgrad", "wgrad" (the CLI's --pass values).
std::string_view pass_name(Pass pass) noexcept;
/// Parses a pass_name(); the error lists the allowed names.
Expected<Pass> parse_pass(std::string_view name);

/// The three index shapes a tensor of the nest can have.
enum class TensorShape : std::uint8_t {
  Activations,  ///< [G][N][C][H][W] on the padded plane: slides, H = P*sh + R*dh (likewise W)
  Filters,      ///< [G][K][C][R][S]
  Results,      ///< [G][N][K][P][Q]
};

/// One layer as a loop nest over N, K, C, P, Q, R, S, G (see core/dims.hpp).
/// Per group g: O[n][g][k][p][q] += I[n][g][c][p*stride+r*dil][q*stride+s*dil] * W[g][k][c][r][s].
/// K and C are per group; a depthwise layer has G = channels and K = C = 1.
/// Input coordinates are on the padded plane: padding is counted as data.
/// The three tensor slots are roles: TensorId::Inputs and Weights hold the two
/// operands, Outputs the accumulated tensor; `pass` says which tensor plays which.
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
  Pass pass = Pass::Forward;
  /// 0: the batch is N. > 0: a batched matmul whose two operands both differ per sample
  /// (attention's Q K^T and A V): each (sample, head) pair is a group, G = this x batch,
  /// and N is free for another role (the query positions). set_batch follows it.
  std::int64_t groups_per_sample = 0;

  friend bool operator==(const Layer&, const Layer&) = default;
};

/// The shape of the tensor in a slot: forward I, W, O; data gradient dO, W, dI;
/// weight gradient I, dO, dW.
constexpr TensorShape tensor_shape(Pass pass, TensorId t) noexcept {
  constexpr TensorShape A = TensorShape::Activations, F = TensorShape::Filters, R = TensorShape::Results;
  constexpr TensorShape kShapes[3][3] = {{A, F, R}, {R, F, A}, {A, R, F}};
  return kShapes[static_cast<std::size_t>(pass)][static_cast<std::size_t>(t)];
}

/// Whether a tensor of this shape is indexed by a dimension (004 Sec. III: projections).
constexpr bool is_relevant(TensorShape shape, Dim d) noexcept {
  switch (shape) {
    case TensorShape::Activations: return d != Dim::K;
    case TensorShape::Filters: return d == Dim::K || d == Dim::C || d == Dim::R || d == Dim::S || d == Dim::G;
    case TensorShape::Results: return d == Dim::N || d == Dim::K || d == Dim::P || d == Dim::Q || d == Dim::G;
  }
  return false;
}

/// Whether the tensor in slot t of the layer's pass is indexed by d.
constexpr bool is_relevant(const Layer& layer, TensorId t, Dim d) noexcept {
  return is_relevant(tensor_shape(layer.pass, t), d);
}

/// Whether the tensor in slot t slides (its rows are P*sh + R*dh, its columns likewise).
constexpr bool slides(const Layer& layer, TensorId t) noexcept {
  return tensor_shape(layer.pass, t) == TensorShape::Activations;
}

/// The name of the tensor in slot t, as reports and JSON print it: forward "inputs",
/// "weights", "outputs"; the gradient passes name their gradient tensors "output_grad",
/// "input_grad" and "weight_grad".
std::string_view tensor_name(const Layer& layer, TensorId t) noexcept;

/// The same layer running another pass (same nest, same MACs).
Layer with_pass(Layer layer, Pass pass) noexcept;

/// Checks the limits every later count relies on: every bound, stride and dilation
/// >= 1, pads >= 0, and the MACs and each tensor's size (inputs on the padded plane)
/// fit in a signed 64-bit integer. The error names the layer and the quantity.
/// Every way a layer enters dnnspace (zoo, YAML, --batch) passes through it.
Expected<void> check_layer_size(const Layer& layer);

/// Sets the batch (N, or G = groups_per_sample x batch) and checks the layer's size again
/// (check_layer_size).
Expected<void> set_batch(Layer& layer, std::int64_t batch);

/// The layer's batch: N, or G / groups_per_sample.
std::int64_t batch_size(const Layer& layer) noexcept;

/// Multiply-accumulates of the layer (all groups, the whole batch). Exact for a layer
/// that passed check_layer_size.
std::int64_t macs(const Layer& layer) noexcept;

/// Rows of the (padded) input plane: (P-1)*stride_h + (R-1)*dilation_h + 1.
std::int64_t input_height(const Layer& layer) noexcept;
/// Columns of the (padded) input plane: (Q-1)*stride_w + (S-1)*dilation_w + 1.
std::int64_t input_width(const Layer& layer) noexcept;

/// Number of elements (words) of a tensor shape; activations on the padded plane.
std::int64_t shape_size(const Layer& layer, TensorShape shape) noexcept;

/// Number of elements (words) of the tensor in a slot of the layer's pass.
inline std::int64_t tensor_size(const Layer& layer, TensorId t) noexcept {
  return shape_size(layer, tensor_shape(layer.pass, t));
}

/// Weights without padding effects: G*K*C*R*S (the parameter count, biases excluded),
/// whatever the pass; 0 for a layer whose operands both differ per sample
/// (groups_per_sample > 0: attention has no parameters).
inline std::int64_t weight_count(const Layer& layer) noexcept {
  return layer.groups_per_sample > 0 ? 0 : shape_size(layer, TensorShape::Filters);
}

}  // namespace dnnspace
