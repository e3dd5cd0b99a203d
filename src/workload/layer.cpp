#include "dnnspace/workload/layer.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <tuple>

#include "dnnspace/core/checked.hpp"

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
  for (Dim d : kAllDims) {
    if (layer.bounds[d] < 1) {
      return Error{where + std::string(1, dim_letter(d)) + " must be >= 1, got " + std::to_string(layer.bounds[d])};
    }
  }
  for (const auto& [value, field] : {std::tuple{layer.stride_h, "stride_h"}, std::tuple{layer.stride_w, "stride_w"},
                                     std::tuple{layer.dilation_h, "dilation_h"},
                                     std::tuple{layer.dilation_w, "dilation_w"}}) {
    if (value < 1) return Error{where + field + " must be >= 1, got " + std::to_string(value)};
  }
  for (const auto& [value, field] : {std::tuple{layer.pad_h, "pad_h"}, std::tuple{layer.pad_w, "pad_w"}}) {
    if (value < 0) return Error{where + field + " must be >= 0, got " + std::to_string(value)};
  }
  const auto too_large = [&](const std::string& what) {
    return Error{where + what + " exceed 2^63 - 1 (N=" + std::to_string(layer.bounds[Dim::N]) +
                 "); use a smaller batch or layer"};
  };
  if (!bound_product(layer, {Dim::N, Dim::K, Dim::C, Dim::P, Dim::Q, Dim::R, Dim::S, Dim::G})) {
    return too_large("its MACs");
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
  if (layer.groups_per_sample > 0) {
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
  return layer.groups_per_sample > 0 ? layer.bounds[Dim::G] / layer.groups_per_sample : layer.bounds[Dim::N];
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

std::int64_t shape_size(const Layer& layer, TensorShape shape) noexcept {
  const auto& b = layer.bounds;
  switch (shape) {
    case TensorShape::Activations:
      return b[Dim::G] * b[Dim::N] * b[Dim::C] * input_height(layer) * input_width(layer);
    case TensorShape::Filters:
      return b[Dim::G] * b[Dim::K] * b[Dim::C] * b[Dim::R] * b[Dim::S];
    case TensorShape::Results:
      return b[Dim::G] * b[Dim::N] * b[Dim::K] * b[Dim::P] * b[Dim::Q];
  }
  return 0;
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

std::string_view tensor_name(const Layer& layer, TensorId t) noexcept {
  if (layer.pass == Pass::Forward) return tensor_name(t);
  switch (tensor_shape(layer.pass, t)) {
    case TensorShape::Activations: return layer.pass == Pass::DataGradient ? "input_grad" : "inputs";
    case TensorShape::Filters: return layer.pass == Pass::WeightGradient ? "weight_grad" : "weights";
    case TensorShape::Results: return "output_grad";
  }
  return "?";
}

Layer with_pass(Layer layer, Pass pass) noexcept {
  layer.pass = pass;
  return layer;
}

}  // namespace dnnspace
