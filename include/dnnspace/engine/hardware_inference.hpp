// Inference under a NumericsSpec: the forward pass with each layer's multiply-accumulates in
// fp32, fixed point Q^W/Q^X/Q^P (001 Ch. 4) or int8, and the sigmoid from a LUT (002).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/backprop.hpp"
#include "dnnspace/engine/dataset.hpp"
#include "dnnspace/engine/lut_sigmoid.hpp"
#include "dnnspace/engine/numerics.hpp"
#include "dnnspace/engine/quantize.hpp"
#include "dnnspace/engine/sequential.hpp"
#include "dnnspace/engine/sram_faults.hpp"

namespace dnnspace::engine {

/// Scratch buffers for HardwareNetwork::logits, reused across calls (one per thread).
struct InferenceWorkspace {
  Workspace fp32;
  std::vector<float> patches;
  std::vector<std::int32_t> fixed_inputs;
  std::vector<std::int16_t> fixed_inputs16;
  std::vector<std::int64_t> fixed_outputs;
  std::vector<std::int8_t> int8_inputs;
  std::vector<std::int32_t> int8_outputs;
  std::vector<float> pruned_inputs;
  /// Multiply-accumulates of the dense and conv layers run, and of those the ones a
  /// prune threshold skipped, summed over every call with this workspace.
  std::int64_t macs = 0;
  std::int64_t pruned_macs = 0;
  /// The same per dense or conv layer, in network order (sized on first use).
  std::vector<std::int64_t> layer_macs;
  std::vector<std::int64_t> layer_pruned_macs;
};

/// A network with its weights converted once for a numerics spec. Per dense or convolution
/// layer L with numerics N = spec.for_layer(L.name):
///  - Fp32: the training forward pass (forward_layer).
///  - Fixed: the layer input is rounded and saturated to N.fixed.activations (Q^X), weights to
///    Q^W, biases to Q^P; every product is rounded to Q^P and saturated, the products and the
///    bias are summed exactly and the sum saturated to Q^P (fixed_dot); the output is that
///    Q^P value. Bit-exact and independent of batching.
///  - Int8: weights quantized symmetrically per tensor or per output channel, each sample's
///    input (per image for a convolution) with its own scale; exact int32 sums, rescaled to
///    fp32, plus the fp32 bias.
/// An activation layer takes the numerics of the layer before it: a sigmoid with
/// N.lut_sigmoid set is read from that LUT. Max pooling is exact in every arithmetic (it picks
/// one of its inputs) and runs in fp32. A dense layer with N.prune_threshold set takes its
/// inputs of magnitude at most the threshold as zero and counts the MACs skipped.
class HardwareNetwork {
 public:
  /// Prepares `net`, which must outlive the result. An Error if the spec names a layer the
  /// network does not have, or a LUT or fixed format is invalid.
  [[nodiscard]] static Expected<HardwareNetwork> prepare(const Sequential& net, const NumericsSpec& spec);

  /// The logits of `rows` samples at `input` (rows * features(0) floats), rows x classes,
  /// valid in `ws` until its next use.
  std::span<const float> logits(const float* input, std::int64_t rows, InferenceWorkspace& ws) const;

  const Sequential& network() const noexcept { return *net_; }

  /// This network with its stored weights read from a low-voltage SRAM (001 Sec. 4.4.3):
  /// every bit of every fixed-point weight word faults with probability `bit_fault_rate`,
  /// mitigated as `mitigation` says (inject_sram_faults, one SplitMix64 from `seed` over the
  /// layers in order). Biases are not faulted (they are few and may sit in registers).
  /// `counts` (if given) receives the sums over the layers. An Error when a layer with
  /// weights is not in fixed point: only fixed-point words have bits to fault.
  [[nodiscard]] Expected<HardwareNetwork> with_weight_faults(double bit_fault_rate, FaultMitigation mitigation,
                                                             std::uint64_t seed, FaultCounts* counts = nullptr) const;

 private:
  struct PreparedLayer {
    LayerNumerics numerics;
    std::vector<std::int32_t> fixed_weights;    // raw Q^W, same layout as the fp32 weights
    std::vector<std::int16_t> fixed_weights16;  // the same values when the narrow kernel applies
    std::vector<std::int64_t> fixed_bias;     // raw Q^P
    Int8Tensor int8_weights;
    std::optional<LutSigmoid> lut;
  };

  HardwareNetwork(const Sequential* net, std::vector<PreparedLayer> layers) : net_(net), layers_(std::move(layers)) {}
  void run_dense(std::size_t l, const float* x, std::int64_t rows, InferenceWorkspace& ws) const;
  void run_conv(std::size_t l, const float* x, std::int64_t rows, InferenceWorkspace& ws) const;

  const Sequential* net_;
  std::vector<PreparedLayer> layers_;
};

/// Correct predictions (largest logit equals the label, first maximum wins) over a dataset.
struct AccuracyResult {
  std::int64_t correct = 0;
  std::int64_t total = 0;
  std::int64_t macs = 0;         ///< multiply-accumulates of the dense and conv layers over the dataset
  std::int64_t pruned_macs = 0;  ///< of those, skipped by prune thresholds
  /// The same per dense or conv layer, in network order.
  std::vector<std::int64_t> layer_macs;
  std::vector<std::int64_t> layer_pruned_macs;
  double pruned_fraction() const noexcept {
    return macs == 0 ? 0.0 : static_cast<double>(pruned_macs) / static_cast<double>(macs);
  }
  /// The fraction of dense or conv layer i's MACs that ran (1 - pruned): the density of its
  /// inputs as the cost model sees them (docs/model.md Sec. 11).
  double layer_density(std::size_t i) const noexcept {
    return i >= layer_macs.size() || layer_macs[i] == 0
               ? 1.0
               : 1.0 - static_cast<double>(layer_pruned_macs[i]) / static_cast<double>(layer_macs[i]);
  }
  double accuracy() const noexcept { return total == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(total); }
};

/// Classifies every sample of `data` in blocks of `batch` samples; each block is split into
/// chunks of at most 128 samples run on up to `threads` threads (TBB). The counts do not
/// depend on `threads`.
[[nodiscard]] AccuracyResult evaluate_accuracy(const HardwareNetwork& network, const Dataset& data,
                                               std::int64_t batch, int threads);

}  // namespace dnnspace::engine
