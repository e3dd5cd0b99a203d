// NumericsSpec: which arithmetic each layer of a network runs in (fp32, per-signal fixed point
// Q^W/Q^X/Q^P as in Minerva, 001 Ch. 4, or int8) and whether its sigmoid is a LUT (002).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dnnspace/engine/fixed_point.hpp"
#include "dnnspace/engine/lut_sigmoid.hpp"
#include "dnnspace/engine/quantize.hpp"

namespace dnnspace::engine {

/// The arithmetic of a layer's multiply-accumulates.
enum class Arithmetic { Fp32, Fixed, Int8 };

/// The numerics of one layer. `fixed` is used when arithmetic == Fixed, `int8_granularity`
/// (of the weights; activations always use one scale per sample) when arithmetic == Int8.
/// `lut_sigmoid`, when set, replaces the layer's sigmoid activation (if it has one) by a LUT.
struct LayerNumerics {
  Arithmetic arithmetic = Arithmetic::Fp32;
  MacFormats fixed{};
  Int8Granularity int8_granularity = Int8Granularity::PerTensor;
  std::optional<LutSigmoidSpec> lut_sigmoid{};
  /// Minerva's selective operation pruning (001 Sec. 4.4.2), for a dense layer: each input
  /// activation whose magnitude is at most this threshold is taken as zero, and the
  /// multiply-accumulates it feeds (and their weight reads) are skipped. 0 skips exactly
  /// the zero activations, which changes no result. Unset: nothing is pruned or counted.
  /// A threshold in the defaults applies to the dense layers only; one given for a conv
  /// layer by name is an error (HardwareNetwork::prepare).
  std::optional<double> prune_threshold{};
  /// This layer's own entry set prune_threshold (not inherited from the defaults): on a
  /// conv layer that is an error even when the value equals the default's.
  bool prune_threshold_given = false;

  friend bool operator==(const LayerNumerics&, const LayerNumerics&) = default;
};

/// Per-layer numerics: `layers` names the layers that differ from `defaults`. A default spec
/// is fp32 everywhere (the training arithmetic).
struct NumericsSpec {
  LayerNumerics defaults{};
  std::vector<std::pair<std::string, LayerNumerics>> layers{};

  /// The numerics of the layer called `name`: its own entry, else the defaults.
  [[nodiscard]] const LayerNumerics& for_layer(std::string_view name) const noexcept {
    for (const auto& [layer_name, numerics] : layers) {
      if (layer_name == name) return numerics;
    }
    return defaults;
  }

  friend bool operator==(const NumericsSpec&, const NumericsSpec&) = default;
};

}  // namespace dnnspace::engine
