#include "dnnspace/engine/lut_sigmoid.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace dnnspace::engine {

namespace {
double exact_sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
}  // namespace

LutSigmoid::LutSigmoid(LutSigmoidSpec spec, std::vector<float> table)
    : spec_(spec),
      table_(std::move(table)),
      inverse_step_(static_cast<double>(spec.entries - 1) / (spec.max_input - spec.min_input)) {}

Expected<LutSigmoid> LutSigmoid::create(const LutSigmoidSpec& spec) {
  if (spec.entries < 2 || spec.entries > (std::int64_t{1} << 24)) {
    return Error{"lut sigmoid: entries " + std::to_string(spec.entries) +
                 " out of range: allowed 2 .. 16777216"};
  }
  if (!std::isfinite(spec.min_input) || !std::isfinite(spec.max_input) ||
      spec.min_input >= spec.max_input) {
    return Error{"lut sigmoid: input range [" + std::to_string(spec.min_input) + ", " +
                 std::to_string(spec.max_input) + "] must be finite with min < max"};
  }
  std::vector<float> table(static_cast<std::size_t>(spec.entries));
  const double step = (spec.max_input - spec.min_input) / static_cast<double>(spec.entries - 1);
  for (std::int64_t k = 0; k < spec.entries; ++k) {
    table[static_cast<std::size_t>(k)] =
        static_cast<float>(exact_sigmoid(spec.min_input + static_cast<double>(k) * step));
  }
  return LutSigmoid(spec, std::move(table));
}

float LutSigmoid::operator()(float x) const noexcept {
  const auto last = static_cast<double>(spec_.entries - 1);
  double position = (static_cast<double>(x) - spec_.min_input) * inverse_step_;
  if (std::isnan(position)) position = last / 2.0;
  const double index = std::clamp(std::floor(position + 0.5), 0.0, last);
  return table_[static_cast<std::size_t>(index)];
}

double LutSigmoid::error_bound() const noexcept {
  const double step = (spec_.max_input - spec_.min_input) / static_cast<double>(spec_.entries - 1);
  const double saturation =
      std::max(exact_sigmoid(spec_.min_input), 1.0 - exact_sigmoid(spec_.max_input));
  return std::max(step / 8.0, saturation) + std::ldexp(1.0, -23);
}

}  // namespace dnnspace::engine
