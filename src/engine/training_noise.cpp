#include "dnnspace/engine/training_noise.hpp"

#include <algorithm>
#include <cmath>

namespace dnnspace::engine {

TrainingNoise training_noise(std::span<const double> errors) noexcept {
  TrainingNoise t;
  t.runs = static_cast<std::int64_t>(errors.size());
  if (errors.empty()) return t;
  double sum = 0.0;
  for (double e : errors) sum += e;
  t.mean_error = sum / static_cast<double>(errors.size());
  // Two passes: the squares of the deviations, not sum(x^2) - n mean^2 (cancellation).
  double squares = 0.0;
  for (double e : errors) squares += (e - t.mean_error) * (e - t.mean_error);
  t.sigma = errors.size() > 1 ? std::sqrt(squares / static_cast<double>(errors.size() - 1)) : 0.0;
  const auto [lo, hi] = std::minmax_element(errors.begin(), errors.end());
  t.min_error = *lo;
  t.max_error = *hi;
  return t;
}

}  // namespace dnnspace::engine
