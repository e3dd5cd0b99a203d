// Minerva's Iso-Training Noise (001 Sec. 4.2, Fig. 4.1): the same network trained from
// many random initial states converges to errors that vary; their standard deviation is
// the noise below which an optimization's accuracy loss cannot be told from training's.
#pragma once

#include <cstdint>
#include <span>

namespace dnnspace::engine {

struct TrainingNoise {
  std::int64_t runs = 0;
  double mean_error = 0.0;  ///< mean test error over the runs
  double sigma = 0.0;       ///< sample standard deviation (n - 1); 0 with fewer than 2 runs
  double min_error = 0.0;
  double max_error = 0.0;
  /// ITN k: the bound an optimization must keep its error within, mean + k * sigma.
  double bound(double k = 1.0) const noexcept { return mean_error + k * sigma; }
};

/// The statistics of the test errors of `errors` (one per training run).
TrainingNoise training_noise(std::span<const double> errors) noexcept;

}  // namespace dnnspace::engine
