#include "dnnspace/engine/batch_norm.hpp"

#include <cmath>
#include <string>

namespace dnnspace::engine {

Expected<Tensor> batch_norm(const Tensor& input, const BatchNormParams& params) {
  if (input.rank() < 2) {
    return Error{"batch_norm: input must be [N, C, ...] with rank >= 2, got " +
                 to_string(input.shape())};
  }
  const std::int64_t channels = input.dim(1);
  const std::pair<const char*, const Tensor*> named[] = {
      {"scale", &params.scale}, {"bias", &params.bias}, {"mean", &params.mean},
      {"var", &params.var}};
  for (const auto& [name, tensor] : named) {
    if (tensor->shape() != Shape{channels}) {
      return Error{std::string("batch_norm: ") + name + " must be [C] = [" +
                   std::to_string(channels) + "], got " + to_string(tensor->shape())};
    }
  }
  std::int64_t spatial = 1;
  for (std::int64_t i = 2; i < input.rank(); ++i) spatial *= input.dim(i);

  Tensor output = input;
  float* y = output.data().data();
  for (std::int64_t n = 0; n < input.dim(0); ++n) {
    for (std::int64_t c = 0; c < channels; ++c) {
      const auto at = [c](const Tensor& t) { return t.data()[static_cast<std::size_t>(c)]; };
      // Fold the four parameters into one multiply-add per element.
      const float gain = at(params.scale) / std::sqrt(at(params.var) + params.epsilon);
      const float shift = at(params.bias) - at(params.mean) * gain;
      float* plane = y + (n * channels + c) * spatial;
      for (std::int64_t i = 0; i < spatial; ++i) plane[i] = plane[i] * gain + shift;
    }
  }
  return output;
}

}  // namespace dnnspace::engine
