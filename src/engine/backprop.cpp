#include "dnnspace/engine/backprop.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

#include "dnnspace/engine/activation.hpp"
#include "dnnspace/engine/conv2d.hpp"
#include "dnnspace/engine/patches.hpp"
#include "dnnspace/engine/pooling.hpp"
#include "dnnspace/engine/sgemm.hpp"

namespace dnnspace::engine {
namespace {

void ensure(std::vector<float>& buffer, std::int64_t size) {
  if (static_cast<std::int64_t>(buffer.size()) < size) buffer.resize(static_cast<std::size_t>(size));
}

// A tensor copy of `rows` samples of shape `sample` (conv2d and max_pool take Tensors).
Tensor block_tensor(const float* data, std::int64_t rows, const Shape& sample) {
  Shape shape{rows};
  shape.insert(shape.end(), sample.begin(), sample.end());
  const std::int64_t count = element_count(shape);
  return std::move(Tensor::from_data(std::move(shape), std::vector<float>(data, data + count)).value());
}

PatchGeometry geometry_of(const ConvLayer& conv, const Shape& in, const Shape& out) {
  return PatchGeometry{conv.in_channels, in[1], in[2], conv.kernel, conv.stride, conv.padding, out[1], out[2]};
}

}  // namespace

void forward_layer(const Sequential& net, std::size_t l, const float* x, std::int64_t rows, Workspace& ws) {
  {
    float* y = ws.outputs[l].data();
    const std::int64_t out_count = rows * net.features(l + 1);
    if (const auto* dense = std::get_if<DenseLayer>(&net.layers[l])) {
      const auto& w = net.parameters[static_cast<std::size_t>(net.weight_index[l])].value;
      const auto& b = net.parameters[static_cast<std::size_t>(net.weight_index[l]) + 1].value;
      sgemm(false, true, rows, dense->outputs, dense->inputs, 1.0F, x, w.data().data(), 0.0F, y);
      const float* bias = b.data().data();
      for (std::int64_t r = 0; r < rows; ++r) {
        float* row = y + r * dense->outputs;
        for (std::int64_t j = 0; j < dense->outputs; ++j) row[j] += bias[j];
      }
    } else if (const auto* conv = std::get_if<ConvLayer>(&net.layers[l])) {
      const auto& w = net.parameters[static_cast<std::size_t>(net.weight_index[l])].value;
      const auto& b = net.parameters[static_cast<std::size_t>(net.weight_index[l]) + 1].value;
      Conv2dParams params;
      params.window.strides = {conv->stride, conv->stride};
      params.window.pads = {conv->padding, conv->padding, conv->padding, conv->padding};
      Expected<Tensor> result = conv2d(block_tensor(x, rows, net.shapes[l]), w, &b, params);
      assert(result && "forward: conv2d rejected a shape make_sequential accepted");
      std::copy(result->data().begin(), result->data().end(), y);
    } else if (const auto* pool = std::get_if<MaxPoolLayer>(&net.layers[l])) {
      PoolParams params;
      params.window.kernel = {pool->size, pool->size};
      params.window.strides = {pool->size, pool->size};
      Expected<MaxPoolResult> result = max_pool_with_indices(block_tensor(x, rows, net.shapes[l]), params);
      assert(result && "forward: max_pool rejected a shape make_sequential accepted");
      std::copy(result->values.data().begin(), result->values.data().end(), y);
      ws.pool_indices[l] = std::move(result->indices);
    } else {
      const auto kind = std::get<ActivationLayer>(net.layers[l]).kind;
      switch (kind) {
        case ActivationKind::Sigmoid:
          if (ws.sigmoid_lut != nullptr) {
            for (std::int64_t i = 0; i < out_count; ++i) y[i] = (*ws.sigmoid_lut)(x[i]);
          } else {
            for (std::int64_t i = 0; i < out_count; ++i) y[i] = sigmoid(x[i]);
          }
          break;
        case ActivationKind::Relu:
          for (std::int64_t i = 0; i < out_count; ++i) y[i] = x[i] > 0.0F ? x[i] : 0.0F;
          break;
        case ActivationKind::Tanh:
          for (std::int64_t i = 0; i < out_count; ++i) y[i] = tanh(x[i]);
          break;
      }
    }
  }
}

void prepare_workspace(const Sequential& net, std::int64_t rows, Workspace& ws) {
  const std::size_t layers = net.layers.size();
  ws.outputs.resize(layers);
  ws.output_grads.resize(layers);
  ws.pool_indices.resize(layers);
  for (std::size_t l = 0; l < layers; ++l) ensure(ws.outputs[l], rows * net.features(l + 1));
}

std::span<const float> forward(const Sequential& net, const float* input, std::int64_t rows, Workspace& ws) {
  prepare_workspace(net, rows, ws);
  const float* x = input;
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    forward_layer(net, l, x, rows, ws);
    x = ws.outputs[l].data();
  }
  return {ws.outputs.back().data(), static_cast<std::size_t>(rows * net.classes())};
}

LossResult softmax_cross_entropy(std::span<const float> logits, const std::int32_t* labels, std::int64_t rows,
                                 std::int64_t classes, float grad_scale, std::span<float> logit_grads) {
  LossResult result;
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* z = logits.data() + r * classes;
    float* dz = logit_grads.data() + r * classes;
    const std::int32_t label = labels[r];
    assert(label >= 0 && label < classes && "softmax_cross_entropy: label out of range");
    std::int64_t best = 0;
    for (std::int64_t j = 1; j < classes; ++j) best = z[j] > z[best] ? j : best;
    if (best == label) ++result.correct;
    // log-sum-exp around the maximum, in double so the loss sum is accurate.
    double sum = 0.0;
    for (std::int64_t j = 0; j < classes; ++j) sum += std::exp(static_cast<double>(z[j] - z[best]));
    const double log_sum = static_cast<double>(z[best]) + std::log(sum);
    result.loss_sum += log_sum - static_cast<double>(z[label]);
    for (std::int64_t j = 0; j < classes; ++j) {
      const double p = std::exp(static_cast<double>(z[j]) - log_sum);
      dz[j] = static_cast<float>((p - (j == label ? 1.0 : 0.0)) * grad_scale);
    }
  }
  return result;
}

LossResult backward(const Sequential& net, const float* input, const std::int32_t* labels, std::int64_t rows,
                    float grad_scale, Workspace& ws) {
  const std::size_t layers = net.layers.size();
  for (std::size_t l = 0; l < layers; ++l) ensure(ws.output_grads[l], rows * net.features(l + 1));
  ws.parameter_grads.resize(net.parameters.size());
  for (std::size_t p = 0; p < net.parameters.size(); ++p) ensure(ws.parameter_grads[p], net.parameters[p].value.size());
  const std::int64_t classes = net.classes();
  const LossResult result = softmax_cross_entropy(
      {ws.outputs.back().data(), static_cast<std::size_t>(rows * classes)}, labels, rows, classes, grad_scale,
      {ws.output_grads.back().data(), static_cast<std::size_t>(rows * classes)});

  for (std::size_t l = layers; l-- > 0;) {
    const float* x = l == 0 ? input : ws.outputs[l - 1].data();
    const float* dy = ws.output_grads[l].data();
    float* dx = l == 0 ? nullptr : ws.output_grads[l - 1].data();  // the input needs no gradient
    const std::int64_t in_count = rows * net.features(l);
    if (const auto* dense = std::get_if<DenseLayer>(&net.layers[l])) {
      const auto wi = static_cast<std::size_t>(net.weight_index[l]);
      const float* w = net.parameters[wi].value.data().data();
      float* dw = ws.parameter_grads[wi].data();
      float* db = ws.parameter_grads[wi + 1].data();
      // dW = dY^T X, db = column sums of dY, dX = dY W.
      sgemm(true, false, dense->outputs, dense->inputs, rows, 1.0F, dy, x, 0.0F, dw);
      std::fill(db, db + dense->outputs, 0.0F);
      for (std::int64_t r = 0; r < rows; ++r) {
        for (std::int64_t j = 0; j < dense->outputs; ++j) db[j] += dy[r * dense->outputs + j];
      }
      if (dx != nullptr) sgemm(false, false, rows, dense->inputs, dense->outputs, 1.0F, dy, w, 0.0F, dx);
    } else if (const auto* conv = std::get_if<ConvLayer>(&net.layers[l])) {
      const auto wi = static_cast<std::size_t>(net.weight_index[l]);
      const float* w = net.parameters[wi].value.data().data();
      float* dw = ws.parameter_grads[wi].data();
      float* db = ws.parameter_grads[wi + 1].data();
      const PatchGeometry g = geometry_of(*conv, net.shapes[l], net.shapes[l + 1]);
      const std::int64_t m = conv->out_channels;
      const std::int64_t positions = g.positions();
      const std::int64_t patch_size = g.patch_size();
      ensure(ws.patches, positions * patch_size);
      ensure(ws.patch_grads, positions * patch_size);
      std::fill(db, db + m, 0.0F);
      if (dx != nullptr) std::fill(dx, dx + in_count, 0.0F);
      for (std::int64_t n = 0; n < rows; ++n) {
        const float* dy_n = dy + n * m * positions;
        extract_patches(x + n * net.features(l), g, ws.patches.data());
        // dW [M, CKK] (+)= dY_n [M, P] * patches [P, CKK]
        sgemm(false, false, m, patch_size, positions, 1.0F, dy_n, ws.patches.data(), n == 0 ? 0.0F : 1.0F, dw);
        for (std::int64_t c = 0; c < m; ++c) {
          for (std::int64_t p = 0; p < positions; ++p) db[c] += dy_n[c * positions + p];
        }
        if (dx != nullptr) {
          // dpatches [P, CKK] = dY_n^T [P, M] * W [M, CKK], then scattered back to the image.
          sgemm(true, false, positions, patch_size, m, 1.0F, dy_n, w, 0.0F, ws.patch_grads.data());
          accumulate_patches(ws.patch_grads.data(), g, dx + n * net.features(l));
        }
      }
    } else if (std::holds_alternative<MaxPoolLayer>(net.layers[l])) {
      if (dx == nullptr) continue;
      std::fill(dx, dx + in_count, 0.0F);
      const auto& indices = ws.pool_indices[l];
      for (std::size_t o = 0; o < indices.size(); ++o) dx[indices[o]] += dy[o];
    } else {
      if (dx == nullptr) continue;
      const float* y = ws.outputs[l].data();
      switch (std::get<ActivationLayer>(net.layers[l]).kind) {
        case ActivationKind::Sigmoid:
          for (std::int64_t i = 0; i < in_count; ++i) dx[i] = dy[i] * y[i] * (1.0F - y[i]);
          break;
        case ActivationKind::Relu:
          for (std::int64_t i = 0; i < in_count; ++i) dx[i] = y[i] > 0.0F ? dy[i] : 0.0F;
          break;
        case ActivationKind::Tanh:
          for (std::int64_t i = 0; i < in_count; ++i) dx[i] = dy[i] * (1.0F - y[i] * y[i]);
          break;
      }
    }
  }
  return result;
}

}  // namespace dnnspace::engine
