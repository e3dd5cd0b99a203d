#include "dnnspace/workload/layer.hpp"

#include <algorithm>

#include <initializer_list>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "dnnspace/core/checked.hpp"

namespace dnnspace {

std::string_view layer_kind_name(LayerKind kind) noexcept {
  switch (kind) {
    case LayerKind::Conv: return "conv";
    case LayerKind::FullyConnected: return "fc";
    case LayerKind::Matmul: return "matmul";
    case LayerKind::Lstm: return "lstm";
    case LayerKind::Workload: return "workload";
  }
  return "?";
}

namespace {

// Product of the bounds of some dimensions, or nothing on overflow.
std::optional<std::int64_t> bound_product(const Layer& layer, std::initializer_list<Dim> dims) {
  std::optional<std::int64_t> product = 1;
  for (Dim d : dims) {
    if (product) product = checked_mul(*product, layer.bounds[d]);
  }
  return product;
}

// (out - 1) * stride + (filter - 1) * dilation + 1, or nothing on overflow.
std::optional<std::int64_t> padded_extent(std::int64_t out, std::int64_t stride, std::int64_t filter,
                                          std::int64_t dilation) {
  const auto a = checked_mul(out - 1, stride);
  const auto b = checked_mul(filter - 1, dilation);
  if (!a || !b) return std::nullopt;
  const auto ab = checked_add(*a, *b);
  return ab ? checked_add(*ab, 1) : std::nullopt;
}

}  // namespace

Expected<void> check_layer_size(const Layer& layer) {
  const std::string where = "layer '" + layer.name + "': ";
  for (Dim d : layer.dims) {
    if (layer.bounds[d] < 1) {
      return Error{where + std::string(1, dim_letter(d)) + " must be >= 1, got " + std::to_string(layer.bounds[d])};
    }
  }
  const auto too_large = [&](const std::string& what) {
    return Error{where + what + " exceed 2^63 - 1 (batch " + std::to_string(batch_size(layer)) +
                 "); use a smaller batch or layer"};
  };
  std::optional<std::int64_t> all = 1;
  for (Dim d : layer.dims) if (all) all = checked_mul(*all, layer.bounds[d]);
  if (!all) return too_large("its MACs");
  if (layer.custom) {
    for (TensorId t : layer_tensors(layer)) {
      std::optional<std::int64_t> size = 1;
      for (const IndexAxis& a : layer.custom->forward[t].axes) {
        const auto first = checked_mul(layer.bounds[a.first.dim] - 1, a.first.coef);
        const auto second = checked_mul(layer.bounds[a.second.dim] - 1, a.second.coef);
        const auto sum = first && second ? checked_add(*first, *second) : std::nullopt;
        const auto extent = sum ? checked_add(*sum, 1) : std::nullopt;
        size = size && extent ? checked_mul(*size, *extent) : std::nullopt;
      }
      if (!size) return too_large("the words of its tensor '" + layer.custom->names[t] + "'");
    }
    return {};
  }
  for (const auto& [value, field] : {std::tuple{layer.stride_h, "stride_h"}, std::tuple{layer.stride_w, "stride_w"},
                                     std::tuple{layer.dilation_h, "dilation_h"},
                                     std::tuple{layer.dilation_w, "dilation_w"}}) {
    if (value < 1) return Error{where + field + " must be >= 1, got " + std::to_string(value)};
  }
  for (const auto& [value, field] : {std::tuple{layer.pad_h, "pad_h"}, std::tuple{layer.pad_w, "pad_w"}}) {
    if (value < 0) return Error{where + field + " must be >= 0, got " + std::to_string(value)};
  }
  if (!bound_product(layer, {Dim::G, Dim::K, Dim::C, Dim::R, Dim::S})) return too_large("its weights");
  if (!bound_product(layer, {Dim::G, Dim::N, Dim::K, Dim::P, Dim::Q})) return too_large("its outputs");
  const auto h = padded_extent(layer.bounds[Dim::P], layer.stride_h, layer.bounds[Dim::R], layer.dilation_h);
  const auto w = padded_extent(layer.bounds[Dim::Q], layer.stride_w, layer.bounds[Dim::S], layer.dilation_w);
  const auto plane = h && w ? checked_mul(*h, *w) : std::nullopt;
  const auto gnc = bound_product(layer, {Dim::G, Dim::N, Dim::C});
  if (!plane || !gnc || !checked_mul(*plane, *gnc)) return too_large("its inputs (on the padded plane)");
  return {};
}

Expected<void> set_batch(Layer& layer, std::int64_t batch) {
  if (batch < 1) return Error{"batch must be >= 1 (the N of every layer), got " + std::to_string(batch)};
  if (layer.custom) {
    if (layer.custom->batch_dim) {
      layer.bounds[*layer.custom->batch_dim] = batch;
    } else if (batch != 1) {
      return Error{"layer '" + layer.name + "': its workload has no batch dimension, so it cannot take batch " +
                   std::to_string(batch) + " (name one with 'batch: DIM')"};
    }
  } else if (layer.groups_per_sample > 0) {
    const auto groups = checked_mul(layer.groups_per_sample, batch);
    if (!groups) {
      return Error{"layer '" + layer.name + "': its groups (" + std::to_string(layer.groups_per_sample) +
                   " per sample x batch " + std::to_string(batch) + ") exceed 2^63 - 1; use a smaller batch"};
    }
    layer.bounds[Dim::G] = *groups;
  } else {
    layer.bounds[Dim::N] = batch;
  }
  return check_layer_size(layer);
}

std::int64_t batch_size(const Layer& layer) noexcept {
  if (layer.custom) return layer.custom->batch_dim ? layer.bounds[*layer.custom->batch_dim] : 1;
  return layer.groups_per_sample > 0 ? layer.bounds[Dim::G] / layer.groups_per_sample : layer.bounds[Dim::N];
}

std::int64_t macs(const Layer& layer) noexcept {
  std::int64_t total = 1;
  for (Dim d : layer.dims) total *= layer.bounds[d];
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

Projection conv_projection(const Layer& layer) noexcept {
  const auto axis = [](Dim d) { return IndexAxis{{1, d}}; };
  Projection p;
  for (Dim d : {Dim::G, Dim::N, Dim::C}) p[TensorId::Inputs].add(axis(d));
  p[TensorId::Inputs].add({{layer.stride_h, Dim::P}, {layer.dilation_h, Dim::R}});
  p[TensorId::Inputs].add({{layer.stride_w, Dim::Q}, {layer.dilation_w, Dim::S}});
  for (Dim d : {Dim::G, Dim::K, Dim::C, Dim::R, Dim::S}) p[TensorId::Weights].add(axis(d));
  for (Dim d : {Dim::G, Dim::N, Dim::K, Dim::P, Dim::Q}) p[TensorId::Outputs].add(axis(d));
  return p;
}

Projection projection_of(const Layer& layer) noexcept {
  Projection p = layer.custom ? layer.custom->forward : conv_projection(layer);
  if (layer.pass == Pass::DataGradient) std::swap(p[TensorId::Inputs], p[TensorId::Outputs]);
  if (layer.pass == Pass::WeightGradient) std::swap(p[TensorId::Weights], p[TensorId::Outputs]);
  return p;
}

std::int64_t unpadded_input_height(const Layer& layer) noexcept {
  return input_height(layer) - 2 * layer.pad_h;
}

std::int64_t unpadded_input_width(const Layer& layer) noexcept {
  return input_width(layer) - 2 * layer.pad_w;
}

std::int64_t unpadded_input_size(const Layer& layer) noexcept {
  const auto& b = layer.bounds;
  return b[Dim::N] * b[Dim::G] * b[Dim::C] * std::max<std::int64_t>(1, unpadded_input_height(layer)) *
         std::max<std::int64_t>(1, unpadded_input_width(layer));
}

std::int64_t tensor_size(const Layer& layer, TensorId t) noexcept {
  return projected_size(projection_of(layer)[t], layer.bounds);
}

std::int64_t weight_count(const Layer& layer) noexcept {
  if (layer.custom) {
    std::int64_t words = 0;
    for (TensorId t : layer_tensors(layer)) {
      if (layer.custom->parameters[t]) words += projected_size(layer.custom->forward[t], layer.bounds);
    }
    return words;
  }
  if (layer.groups_per_sample > 0) return 0;
  const auto& b = layer.bounds;
  return b[Dim::G] * b[Dim::K] * b[Dim::C] * b[Dim::R] * b[Dim::S];
}

std::string_view pass_name(Pass pass) noexcept {
  switch (pass) {
    case Pass::Forward: return "forward";
    case Pass::DataGradient: return "dgrad";
    case Pass::WeightGradient: return "wgrad";
  }
  return "?";
}

Expected<Pass> parse_pass(std::string_view name) {
  for (Pass p : {Pass::Forward, Pass::DataGradient, Pass::WeightGradient}) {
    if (pass_name(p) == name) return p;
  }
  return Error{"unknown pass '" + std::string(name) + "' (allowed: forward, dgrad, wgrad)"};
}

std::string tensor_name(const Layer& layer, TensorId t) {
  // The slot whose forward tensor sits in slot t in this pass (the swap is its own inverse).
  TensorId forward = t;
  const TensorId gradient = layer.pass == Pass::DataGradient ? TensorId::Inputs : TensorId::Weights;
  if (layer.pass != Pass::Forward && (t == TensorId::Outputs || t == gradient)) {
    forward = t == TensorId::Outputs ? gradient : TensorId::Outputs;
  }
  // The output's gradient and the accumulated operand gradient; the other operands (the
  // second one, and a workload's further ones) are read as in the forward pass.
  const bool is_gradient = layer.pass != Pass::Forward && (t == TensorId::Outputs || t == gradient);
  if (layer.custom) return layer.custom->names[forward] + (is_gradient ? "_grad" : "");
  if (!is_gradient) return std::string(tensor_name(forward));
  switch (forward) {
    case TensorId::Inputs: return "input_grad";
    case TensorId::Weights: return "weight_grad";
    case TensorId::Outputs: return "output_grad";
  }
  return "?";
}

Layer with_pass(Layer layer, Pass pass) noexcept {
  layer.pass = pass;
  return layer;
}

}  // namespace dnnspace
