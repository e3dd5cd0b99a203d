// LutSigmoid: the sigmoid as a hardware look-up table with a chosen number of entries over a
// chosen input range, saturating outside it (002 Sec. IV-A: the LUT neuron is ~3.5x faster
// than an ALU-computed sigmoid).
#pragma once

#include <cstdint>
#include <vector>

#include "dnnspace/core/expected.hpp"

namespace dnnspace::engine {

/// The parameters of a sigmoid LUT: `entries` samples of the sigmoid at evenly spaced inputs
/// from `min_input` to `max_input` (both ends included).
struct LutSigmoidSpec {
  std::int64_t entries = 256;
  double min_input = -8.0;
  double max_input = 8.0;

  friend bool operator==(const LutSigmoidSpec&, const LutSigmoidSpec&) = default;
};

/// A built table. Entry k holds sigmoid(x_k) with x_k = min + k * step, step = (max - min) /
/// (entries - 1). A lookup returns the entry nearest to x (ties to the higher entry); inputs
/// below min or above max read the first or last entry (saturation).
class LutSigmoid {
 public:
  /// Builds the table. An Error if entries < 2 or > 2^24, or min >= max, or a bound is not
  /// finite.
  [[nodiscard]] static Expected<LutSigmoid> create(const LutSigmoidSpec& spec);

  /// The table's output for x. NaN reads the middle entry.
  [[nodiscard]] float operator()(float x) const noexcept;

  /// An upper bound on |lut(x) - sigmoid(x)| over all real x: step/8 from the nearest-entry
  /// rounding inside the range (|sigmoid'| <= 1/4, |x - x_k| <= step/2), the saturation error
  /// sigmoid(min) and 1 - sigmoid(max) outside it, plus 2^-23 for the float rounding of the
  /// entries and the index computation.
  [[nodiscard]] double error_bound() const noexcept;

  const LutSigmoidSpec& spec() const noexcept { return spec_; }
  const std::vector<float>& table() const noexcept { return table_; }

 private:
  LutSigmoid(LutSigmoidSpec spec, std::vector<float> table);

  LutSigmoidSpec spec_;
  std::vector<float> table_;
  double inverse_step_ = 0.0;
};

}  // namespace dnnspace::engine
