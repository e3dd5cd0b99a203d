// A layer: the loop nest it computes, its tensors and their index projections.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "dnnspace/core/dims.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/core/fixed_vector.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/workload/projection.hpp"

namespace dnnspace {

/// What the layer is, for reporting; the arithmetic is its projection (projection_of).
enum class LayerKind : std::uint8_t {
  Conv,            ///< convolution (grouped and depthwise via the G dimension)
  FullyConnected,  ///< P = Q = R = S = 1
  Matmul,          ///< GEMM: N rows x C reduction x K columns
  Lstm,            ///< one LSTM time step: the four gate GEMMs fused, see zoo docs
  Workload,        ///< a workload given as data: its own dimensions and tensors
};

std::string_view layer_kind_name(LayerKind kind) noexcept;

/// Which computation of a layer runs on the nest. The three passes of training (002,
/// 000) share the nest, its bounds and its MAC count; they differ in which tensor is
/// accumulated: the gradient of an operand is accumulated from the output's gradient
/// and the other operand. For a convolution, with I the (padded) input activations, W
/// the weights, O the outputs and d the gradient of the loss:
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

/// The tensors of a workload given as data (docs/workloads.md), in its forward pass.
struct CustomTensors {
  PerTensor<std::string> names;  ///< as the user named them
  Projection forward;            ///< slot Outputs is the accumulated tensor
  PerTensor<bool> parameters{};  ///< operands that are parameters (counted as weights)
  /// Slots in use: 3 (two operands and the output), up to kMaxTensors with the
  /// further operands in slots 3, 4, ...
  std::size_t count = kNumTensors;
  /// The dimension --batch sets; absent when the workload has none.
  std::optional<Dim> batch_dim;
  friend bool operator==(const CustomTensors&, const CustomTensors&) = default;
};

/// The grouped convolution's dimensions, in their order.
constexpr FixedVector<Dim, kMaxWorkloadDims> conv_dims() noexcept {
  FixedVector<Dim, kMaxWorkloadDims> out;
  for (std::size_t i = 0; i < kNumConvDims; ++i) out.push_back(kAllDims[i]);
  return out;
}

/// One layer: a loop nest over its dimensions and the tensors it projects onto.
/// The built-in kinds are the grouped-conv nest over N, K, C, P, Q, R, S, G:
/// per group g, O[n][g][k][p][q] += I[n][g][c][p*stride+r*dil][q*stride+s*dil] * W[g][k][c][r][s].
/// K and C are per group; a depthwise layer has G = channels and K = C = 1.
/// Input coordinates are on the padded plane: padding is counted as data.
/// A workload given as data (kind Workload) has its own dimensions and `custom` tensors
/// instead; the conv fields (strides, pads, dilations) are unused then.
/// The tensor slots are roles: TensorId::Inputs and Weights hold the first two
/// operands, Outputs the accumulated tensor, slots 3.. a workload's further operands;
/// `pass` says which tensor plays which.
struct Layer {
  std::string name;
  LayerKind kind = LayerKind::Conv;
  /// The dimensions of the nest, in order; every other dimension has bound 1.
  FixedVector<Dim, kMaxWorkloadDims> dims = conv_dims();
  PerDim<std::int64_t> bounds = PerDim<std::int64_t>::filled(1);
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
  /// The tensors of a workload given as data; absent for the built-in kinds.
  std::optional<CustomTensors> custom;
  /// Per tensor slot: the fraction of its elements that are nonzero, in (0, 1] (1 =
  /// dense), measured by the engine or given in the workload. What the zeros save is the
  /// architecture's choice (docs/model.md Sec. 11).
  PerTensor<double> density = PerTensor<double>::filled(1.0);

  friend bool operator==(const Layer&, const Layer&) = default;
};

/// The layer's dimensions as a span (for parsers that check names against them).
inline std::span<const Dim> layer_dims(const Layer& layer) noexcept {
  return {layer.dims.begin(), layer.dims.size()};
}

/// The layer's tensor slots: the three named ones, and a workload's further operands.
inline std::span<const TensorId> layer_tensors(const Layer& layer) noexcept {
  return tensor_slots(layer.custom ? layer.custom->count : kNumTensors);
}

/// The layer's tensor slots in the order reports print them: the operands as given,
/// then the accumulated tensor (Inputs, Weights, Outputs for the built-in layers).
inline FixedVector<TensorId, kMaxTensors> display_tensors(const Layer& layer) noexcept {
  FixedVector<TensorId, kMaxTensors> out;
  for (TensorId t : layer_tensors(layer)) if (t != TensorId::Outputs) out.push_back(t);
  out.push_back(TensorId::Outputs);
  return out;
}

/// The projection of the built-in grouped convolution in its forward pass: inputs
/// [G][N][C][P*sh+R*dh][Q*sw+S*dw], weights [G][K][C][R][S], outputs [G][N][K][P][Q].
Projection conv_projection(const Layer& layer) noexcept;

/// What every tensor slot holds in the layer's pass: the forward projection (the conv
/// nest's, or the custom one), with the output's slot exchanged for the slot of the
/// operand whose gradient is accumulated (Inputs for dgrad, Weights for wgrad).
Projection projection_of(const Layer& layer) noexcept;

/// Whether the tensor in slot t of the layer's pass is indexed by d. Computes the
/// projection: hot paths keep projection_of() instead.
inline bool is_relevant(const Layer& layer, TensorId t, Dim d) noexcept {
  return is_relevant(projection_of(layer)[t], d);
}

/// The name of the tensor in slot t, as reports and JSON print it: forward "inputs",
/// "weights", "outputs"; the gradient passes name their gradient tensors "output_grad",
/// "input_grad" and "weight_grad". A custom workload's tensors keep their names, its
/// gradients get "_grad" appended.
std::string tensor_name(const Layer& layer, TensorId t);

/// The same layer running another pass (same nest, same MACs).
Layer with_pass(Layer layer, Pass pass) noexcept;

/// Checks the limits every later count relies on: every bound, stride and dilation
/// >= 1, pads >= 0, and the MACs and each tensor's size (inputs on the padded plane)
/// fit in a signed 64-bit integer. The error names the layer and the quantity.
/// Every way a layer enters dnnspace (zoo, YAML, --batch) passes through it.
Expected<void> check_layer_size(const Layer& layer);

/// Sets the batch (N, or G = groups_per_sample x batch, or a custom workload's batch
/// dimension) and checks the layer's size again (check_layer_size). A custom workload
/// without a batch dimension only takes a batch of 1.
Expected<void> set_batch(Layer& layer, std::int64_t batch);

/// The layer's batch: N, or G / groups_per_sample, or the custom batch dimension (1
/// without one).
std::int64_t batch_size(const Layer& layer) noexcept;

/// Multiply-accumulates of the layer (all groups, the whole batch). Exact for a layer
/// that passed check_layer_size.
std::int64_t macs(const Layer& layer) noexcept;

/// Rows of the (padded) input plane: (P-1)*stride_h + (R-1)*dilation_h + 1.
std::int64_t input_height(const Layer& layer) noexcept;
/// Columns of the (padded) input plane: (Q-1)*stride_w + (S-1)*dilation_w + 1.
std::int64_t input_width(const Layer& layer) noexcept;

/// Rows and columns of the input plane without its padding: input_height - 2 pad_h and
/// input_width - 2 pad_w (below 1 when the padding is wider than the data).
std::int64_t unpadded_input_height(const Layer& layer) noexcept;
std::int64_t unpadded_input_width(const Layer& layer) noexcept;
/// Elements of a built-in layer's input without its padding: N G C x the unpadded plane
/// (each side at least 1).
std::int64_t unpadded_input_size(const Layer& layer) noexcept;

/// Number of elements (words) of the tensor in a slot of the layer's pass; activations
/// on the padded plane.
std::int64_t tensor_size(const Layer& layer, TensorId t) noexcept;

/// The parameter count: G*K*C*R*S for the built-in kinds (biases excluded), whatever
/// the pass; 0 for a layer whose operands both differ per sample (groups_per_sample >
/// 0: attention has no parameters); the words of a custom workload's parameters.
std::int64_t weight_count(const Layer& layer) noexcept;

}  // namespace dnnspace
