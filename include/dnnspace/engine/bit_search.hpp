// Minerva's stage 3 (001 Sec. 4.4.1): the fewest integer and fraction bits of each layer's
// weights (Q^W), activations (Q^X) and products (Q^P) that keep the test error within a
// bound (the Iso-Training Noise), found by search rather than picked from a list.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/dataset.hpp"
#include "dnnspace/engine/numerics.hpp"
#include "dnnspace/engine/sequential.hpp"

namespace dnnspace::engine {

struct BitSearchOptions {
  FixedFormat start{6, 10};  ///< every signal's format before the search (001 starts at Q6.10)
  Rounding rounding = Rounding::NearestEven;
  std::int64_t batch = 1000;  ///< as evaluate_accuracy's
  int threads = 1;
  const std::atomic<bool>* stop = nullptr;  ///< stops between evaluations; the formats so far are kept
  /// Called after each evaluation (progress displays): evaluations so far.
  std::function<void(std::int64_t)> progress;
};

/// One layer's formats after the search.
struct LayerBits {
  std::string layer;
  MacFormats formats;
};

struct BitSearchResult {
  std::vector<LayerBits> layers;       ///< every dense and conv layer, in network order
  double error = 0.0;                  ///< test error with `layers`' formats
  double start_error = 0.0;            ///< with `start` everywhere
  /// 001's datapath: one format per signal type, the largest integer and fraction bits any
  /// layer needs, and the test error with it.
  MacFormats datapath;
  double datapath_error = 0.0;         ///< not measured (0) when interrupted
  std::int64_t evaluations = 0;        ///< test-set passes
  bool interrupted = false;
};

/// NumericsSpec of per-layer formats (every layer named, fixed arithmetic).
NumericsSpec numerics_of(const std::vector<LayerBits>& layers);

/// Greedy, layer by layer in network order and within a layer W, then X, then P: the
/// fraction bits are lowered one at a time while the test error stays at most
/// `max_error`, then the integer bits the same way (down to 1, the sign); the formats of the
/// other signals are the ones found so far (later layers still at `start`). Each step is a
/// pass over `test`. Errors: the network has no dense or conv layer, or `start` everywhere
/// already exceeds `max_error`.
[[nodiscard]] Expected<BitSearchResult> search_fixed_point_bits(const Sequential& net, const Dataset& test,
                                                               double max_error, const BitSearchOptions& options = {});

}  // namespace dnnspace::engine
