#include "dnnspace/engine/hardware_inference.hpp"

#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "dnnspace/engine/integer_matmul.hpp"
#include "dnnspace/engine/patches.hpp"

namespace dnnspace::engine {
namespace {

template <typename T>
void ensure(std::vector<T>& buffer, std::int64_t size) {
  if (static_cast<std::int64_t>(buffer.size()) < size) buffer.resize(static_cast<std::size_t>(size));
}

float max_abs(const float* x, std::int64_t n) {
  float m = 0.0F;
  for (std::int64_t i = 0; i < n; ++i) m = std::max(m, std::fabs(x[i]));
  return m;
}

constexpr std::int64_t kChunkRows = 128;

// x -> raw Q^X, into int16 when the layer's weights are kept narrow, else int32.
template <typename Raw>
void to_fixed_block(const float* x, std::int64_t count, const MacFormats& f, std::vector<Raw>& out) {
  ensure(out, count);
  to_fixed({x, static_cast<std::size_t>(count)}, f.activations, f.rounding, {out.data(), static_cast<std::size_t>(count)});
}

// out = fixed_matmul of the layer's inputs `x` [rows, depth] and its prepared weights.
void fixed_layer(const float* x, const std::vector<std::int32_t>& w32, const std::vector<std::int16_t>& w16,
                 const std::vector<std::int64_t>& bias, std::int64_t rows, std::int64_t cols, std::int64_t depth,
                 const MacFormats& f, InferenceWorkspace& ws) {
  ensure(ws.fixed_outputs, rows * cols);
  if (!w16.empty()) {
    to_fixed_block(x, rows * depth, f, ws.fixed_inputs16);
    fixed_matmul(ws.fixed_inputs16.data(), w16.data(), bias.data(), rows, cols, depth, f, ws.fixed_outputs.data());
  } else {
    to_fixed_block(x, rows * depth, f, ws.fixed_inputs);
    fixed_matmul(ws.fixed_inputs.data(), w32.data(), bias.data(), rows, cols, depth, f, ws.fixed_outputs.data());
  }
}

}  // namespace

Expected<HardwareNetwork> HardwareNetwork::prepare(const Sequential& net, const NumericsSpec& spec) {
  for (const auto& [name, unused] : spec.layers) {
    bool found = false;
    for (const Layer& layer : net.layers) {
      if (const auto* d = std::get_if<DenseLayer>(&layer)) found = found || d->name == name;
      if (const auto* c = std::get_if<ConvLayer>(&layer)) found = found || c->name == name;
    }
    if (!found) return Error{"numerics: layer '" + name + "' is not a dense or conv layer of " + net.name};
  }
  std::vector<PreparedLayer> layers(net.layers.size());
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    PreparedLayer& p = layers[l];
    p.numerics = spec.for_layer(owning_layer_name(net, l));
    if (const auto* act = std::get_if<ActivationLayer>(&net.layers[l])) {
      if (act->kind == ActivationKind::Sigmoid && p.numerics.lut_sigmoid) {
        Expected<LutSigmoid> lut = LutSigmoid::create(*p.numerics.lut_sigmoid);
        if (!lut) return lut.error();
        p.lut = std::move(*lut);
      }
      continue;
    }
    if (net.weight_index[l] < 0) continue;
    if (p.numerics.prune_threshold) {
      if (!std::holds_alternative<DenseLayer>(net.layers[l])) {
        // The default's threshold is for the dense layers; a conv layer named with one is an error.
        bool named = false;
        for (const auto& [name, numerics] : spec.layers) {
          named = named || (name == owning_layer_name(net, l) && numerics.prune_threshold &&
                            (numerics.prune_threshold_given || numerics.prune_threshold != spec.defaults.prune_threshold));
        }
        if (named) {
          return Error{"numerics: layer '" + std::string(owning_layer_name(net, l)) +
                       "': a prune threshold applies to dense layers only (001 prunes fully connected layers)"};
        }
        p.numerics.prune_threshold.reset();
      } else if (!(*p.numerics.prune_threshold >= 0.0) || !std::isfinite(*p.numerics.prune_threshold)) {
        return Error{"numerics: layer '" + std::string(owning_layer_name(net, l)) + "': prune threshold " +
                     std::to_string(*p.numerics.prune_threshold) + " (allowed: a finite number >= 0)"};
      }
    }
    const auto wi = static_cast<std::size_t>(net.weight_index[l]);
    const Tensor& w = net.parameters[wi].value;
    const Tensor& b = net.parameters[wi + 1].value;
    const MacFormats& f = p.numerics.fixed;
    switch (p.numerics.arithmetic) {
      case Arithmetic::Fp32:
        break;
      case Arithmetic::Fixed:
        for (const FixedFormat format : {f.weights, f.activations, f.products}) {
          if (!is_valid(format)) return Error{"numerics: invalid fixed-point type " + to_string(format)};
        }
        for (const float v : w.data()) p.fixed_weights.push_back(static_cast<std::int32_t>(to_fixed(v, f.weights, f.rounding)));
        for (const float v : b.data()) p.fixed_bias.push_back(to_fixed(v, f.products, f.rounding));
        // Kept as int16 too when the narrow kernel reads them, so no call converts them again.
        if (narrow_kernel_applies(f, w.size() / w.dim(0))) {
          p.fixed_weights16.assign(p.fixed_weights.begin(), p.fixed_weights.end());
        }
        break;
      case Arithmetic::Int8:
        p.int8_weights = quantize_int8(w.data(), p.numerics.int8_granularity == Int8Granularity::PerChannel ? w.dim(0) : 1);
        break;
    }
  }
  return HardwareNetwork(&net, std::move(layers));
}

void HardwareNetwork::run_dense(std::size_t l, const float* x, std::int64_t rows, InferenceWorkspace& ws) const {
  const auto& dense = std::get<DenseLayer>(net_->layers[l]);
  const PreparedLayer& p = layers_[l];
  const auto wi = static_cast<std::size_t>(net_->weight_index[l]);
  float* y = ws.fp32.outputs[l].data();
  const std::int64_t n_in = dense.inputs;
  const std::int64_t n_out = dense.outputs;
  if (p.numerics.arithmetic == Arithmetic::Fixed) {
    const MacFormats& f = p.numerics.fixed;
    fixed_layer(x, p.fixed_weights, p.fixed_weights16, p.fixed_bias, rows, n_out, n_in, f, ws);
    for (std::int64_t i = 0; i < rows * n_out; ++i) {
      y[i] = static_cast<float>(to_real(ws.fixed_outputs[static_cast<std::size_t>(i)], f.products));
    }
    return;
  }
  // Int8: one activation scale per sample, so a sample's result does not depend on its batch.
  const float* bias = net_->parameters[wi + 1].value.data().data();
  ensure(ws.int8_inputs, rows * n_in);
  ensure(ws.int8_outputs, rows * n_out);
  std::vector<float> scales(static_cast<std::size_t>(rows));
  for (std::int64_t r = 0; r < rows; ++r) {
    const float scale = int8_scale(max_abs(x + r * n_in, n_in));
    scales[static_cast<std::size_t>(r)] = scale;
    for (std::int64_t i = 0; i < n_in; ++i) ws.int8_inputs[static_cast<std::size_t>(r * n_in + i)] = quantize_int8_value(x[r * n_in + i], scale);
  }
  int8_matmul(ws.int8_inputs.data(), p.int8_weights.values.data(), rows, n_out, n_in, ws.int8_outputs.data());
  const bool per_channel = p.int8_weights.scales.size() > 1;
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t j = 0; j < n_out; ++j) {
      const float w_scale = p.int8_weights.scales[per_channel ? static_cast<std::size_t>(j) : 0];
      y[r * n_out + j] = static_cast<float>(ws.int8_outputs[static_cast<std::size_t>(r * n_out + j)]) *
                             (scales[static_cast<std::size_t>(r)] * w_scale) + bias[j];
    }
  }
}

void HardwareNetwork::run_conv(std::size_t l, const float* x, std::int64_t rows, InferenceWorkspace& ws) const {
  const auto& conv = std::get<ConvLayer>(net_->layers[l]);
  const PreparedLayer& p = layers_[l];
  const auto wi = static_cast<std::size_t>(net_->weight_index[l]);
  const Shape& in = net_->shapes[l];
  const Shape& out = net_->shapes[l + 1];
  const PatchGeometry g{conv.in_channels, in[1], in[2], conv.kernel, conv.stride, conv.padding, out[1], out[2]};
  const std::int64_t positions = g.positions();
  const std::int64_t depth = g.patch_size();
  const std::int64_t m = conv.out_channels;
  ensure(ws.patches, positions * depth);
  for (std::int64_t n = 0; n < rows; ++n) {
    const float* x_n = x + n * net_->features(l);
    float* y_n = ws.fp32.outputs[l].data() + n * net_->features(l + 1);
    extract_patches(x_n, g, ws.patches.data());
    if (p.numerics.arithmetic == Arithmetic::Fixed) {
      const MacFormats& f = p.numerics.fixed;
      fixed_layer(ws.patches.data(), p.fixed_weights, p.fixed_weights16, p.fixed_bias, positions, m, depth, f, ws);
      for (std::int64_t pos = 0; pos < positions; ++pos) {
        for (std::int64_t c = 0; c < m; ++c) {
          y_n[c * positions + pos] = static_cast<float>(to_real(ws.fixed_outputs[static_cast<std::size_t>(pos * m + c)], f.products));
        }
      }
    } else {
      const float* bias = net_->parameters[wi + 1].value.data().data();
      const float scale = int8_scale(max_abs(x_n, net_->features(l)));
      ensure(ws.int8_inputs, positions * depth);
      ensure(ws.int8_outputs, positions * m);
      for (std::int64_t i = 0; i < positions * depth; ++i) {
        ws.int8_inputs[static_cast<std::size_t>(i)] = quantize_int8_value(ws.patches[static_cast<std::size_t>(i)], scale);
      }
      int8_matmul(ws.int8_inputs.data(), p.int8_weights.values.data(), positions, m, depth, ws.int8_outputs.data());
      const bool per_channel = p.int8_weights.scales.size() > 1;
      for (std::int64_t pos = 0; pos < positions; ++pos) {
        for (std::int64_t c = 0; c < m; ++c) {
          const float w_scale = p.int8_weights.scales[per_channel ? static_cast<std::size_t>(c) : 0];
          y_n[c * positions + pos] =
              static_cast<float>(ws.int8_outputs[static_cast<std::size_t>(pos * m + c)]) * (scale * w_scale) + bias[c];
        }
      }
    }
  }
}

Expected<HardwareNetwork> HardwareNetwork::with_weight_faults(double bit_fault_rate, FaultMitigation mitigation,
                                                              std::uint64_t seed, FaultCounts* counts) const {
  if (!(bit_fault_rate >= 0.0 && bit_fault_rate <= 1.0)) {
    return Error{"weight faults: bit fault rate " + std::to_string(bit_fault_rate) + " (allowed: 0..1)"};
  }
  HardwareNetwork out = *this;
  SplitMix64 rng(seed);
  FaultCounts sum;
  for (std::size_t l = 0; l < out.layers_.size(); ++l) {
    if (net_->weight_index[l] < 0) continue;
    PreparedLayer& p = out.layers_[l];
    if (p.numerics.arithmetic != Arithmetic::Fixed) {
      return Error{"weight faults: layer '" + std::string(owning_layer_name(*net_, l)) +
                   "' does not run in fixed point: only fixed-point weight words have bits to fault"};
    }
    sum += inject_sram_faults(p.fixed_weights, p.numerics.fixed.weights, bit_fault_rate, mitigation, rng);
    if (!p.fixed_weights16.empty()) p.fixed_weights16.assign(p.fixed_weights.begin(), p.fixed_weights.end());
  }
  if (counts) *counts = sum;
  return out;
}

std::span<const float> HardwareNetwork::logits(const float* input, std::int64_t rows, InferenceWorkspace& ws) const {
  const Sequential& net = *net_;
  prepare_workspace(net, rows, ws.fp32);
  const float* x = input;
  std::size_t weighted = 0;  // dense and conv layers seen so far
  for (std::size_t l = 0; l < net.layers.size(); ++l) if (net.weight_index[l] >= 0) ++weighted;
  ws.layer_macs.resize(weighted, 0);
  ws.layer_pruned_macs.resize(weighted, 0);
  weighted = 0;
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const PreparedLayer& p = layers_[l];
    if (net.weight_index[l] >= 0) {
      const std::int64_t macs_before = ws.macs, pruned_before = ws.pruned_macs;
      if (const auto* dense = std::get_if<DenseLayer>(&net.layers[l])) {
        ws.macs += rows * dense->inputs * dense->outputs;
        if (p.numerics.prune_threshold) {
          // F1 compares each activation with the threshold; F2 skips the weight read and the MAC.
          const std::int64_t count = rows * dense->inputs;
          ensure(ws.pruned_inputs, count);
          const auto threshold = static_cast<float>(*p.numerics.prune_threshold);
          std::int64_t pruned = 0;
          for (std::int64_t i = 0; i < count; ++i) {
            const bool skip = std::fabs(x[i]) <= threshold;
            pruned += skip ? 1 : 0;
            ws.pruned_inputs[static_cast<std::size_t>(i)] = skip ? 0.0F : x[i];
          }
          ws.pruned_macs += pruned * dense->outputs;
          x = ws.pruned_inputs.data();
        }
      } else if (const auto* conv = std::get_if<ConvLayer>(&net.layers[l])) {
        // Each output value is a dot product of in_channels x kernel^2 terms.
        ws.macs += rows * net.features(l + 1) * conv->in_channels * conv->kernel * conv->kernel;
      }
      ws.layer_macs[weighted] += ws.macs - macs_before;
      ws.layer_pruned_macs[weighted] += ws.pruned_macs - pruned_before;
      ++weighted;
    }
    const bool quantized = net.weight_index[l] >= 0 && p.numerics.arithmetic != Arithmetic::Fp32;
    if (quantized && std::holds_alternative<DenseLayer>(net.layers[l])) {
      run_dense(l, x, rows, ws);
    } else if (quantized) {
      run_conv(l, x, rows, ws);
    } else if (p.lut) {
      float* y = ws.fp32.outputs[l].data();
      const std::int64_t count = rows * net.features(l + 1);
      for (std::int64_t i = 0; i < count; ++i) y[i] = (*p.lut)(x[i]);
    } else {
      forward_layer(net, l, x, rows, ws.fp32);
    }
    x = ws.fp32.outputs[l].data();
  }
  return {ws.fp32.outputs.back().data(), static_cast<std::size_t>(rows * net.classes())};
}

AccuracyResult evaluate_accuracy(const HardwareNetwork& network, const Dataset& data, std::int64_t batch, int threads) {
  const Sequential& net = network.network();
  const std::int64_t features = net.features(0);
  const std::int64_t classes = net.classes();
  const std::int64_t total = data.size();
  batch = std::max<std::int64_t>(batch, 1);
  const std::int64_t chunk_rows = std::min(batch, kChunkRows);
  const std::int64_t max_chunks = (batch + chunk_rows - 1) / chunk_rows;
  std::vector<InferenceWorkspace> workspaces(static_cast<std::size_t>(max_chunks));
  std::vector<std::int64_t> correct(static_cast<std::size_t>(max_chunks), 0);
  const float* pixels = data.images.data().data();
  tbb::task_arena arena(std::max(threads, 1));
  AccuracyResult result;
  result.total = total;
  for (std::int64_t start = 0; start < total; start += batch) {
    const std::int64_t rows = std::min(batch, total - start);
    const std::int64_t chunks = (rows + chunk_rows - 1) / chunk_rows;
    auto run_chunk = [&](std::int64_t c) {
      const std::int64_t first = start + c * chunk_rows;
      const std::int64_t count = std::min(chunk_rows, start + rows - first);
      auto& ws = workspaces[static_cast<std::size_t>(c)];
      const std::span<const float> logits = network.logits(pixels + first * features, count, ws);
      std::int64_t hits = 0;
      for (std::int64_t r = 0; r < count; ++r) {
        const float* z = logits.data() + r * classes;
        std::int64_t best = 0;
        for (std::int64_t j = 1; j < classes; ++j) best = z[j] > z[best] ? j : best;
        hits += best == data.labels[static_cast<std::size_t>(first + r)] ? 1 : 0;
      }
      correct[static_cast<std::size_t>(c)] = hits;
    };
    if (chunks == 1 || threads <= 1) {
      for (std::int64_t c = 0; c < chunks; ++c) run_chunk(c);
    } else {
      arena.execute([&] {
        tbb::parallel_for(std::int64_t{0}, chunks, [&](std::int64_t c) { run_chunk(c); }, tbb::static_partitioner());
      });
    }
    for (std::int64_t c = 0; c < chunks; ++c) result.correct += correct[static_cast<std::size_t>(c)];
  }
  for (const InferenceWorkspace& ws : workspaces) {
    result.macs += ws.macs;
    result.pruned_macs += ws.pruned_macs;
    result.layer_macs.resize(std::max(result.layer_macs.size(), ws.layer_macs.size()), 0);
    result.layer_pruned_macs.resize(result.layer_macs.size(), 0);
    for (std::size_t i = 0; i < ws.layer_macs.size(); ++i) {
      result.layer_macs[i] += ws.layer_macs[i];
      result.layer_pruned_macs[i] += ws.layer_pruned_macs[i];
    }
  }
  return result;
}

}  // namespace dnnspace::engine
