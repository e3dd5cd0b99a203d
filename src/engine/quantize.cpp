#include "dnnspace/engine/quantize.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace dnnspace::engine {

float int8_scale(float max_abs) noexcept { return max_abs > 0.0F ? max_abs / 127.0F : 1.0F; }

std::int8_t quantize_int8_value(float x, float scale) noexcept {
  const float q = std::nearbyint(x / scale);  // default FE_TONEAREST: ties to even
  return static_cast<std::int8_t>(std::clamp(q, -127.0F, 127.0F));
}

Int8Tensor quantize_int8(std::span<const float> data, std::int64_t channels) {
  assert(channels >= 1 && static_cast<std::int64_t>(data.size()) % channels == 0);
  Int8Tensor out;
  out.channel_size = static_cast<std::int64_t>(data.size()) / channels;
  out.values.resize(data.size());
  out.scales.resize(static_cast<std::size_t>(channels));
  for (std::int64_t c = 0; c < channels; ++c) {
    const auto row = data.subspan(static_cast<std::size_t>(c * out.channel_size),
                                  static_cast<std::size_t>(out.channel_size));
    float max_abs = 0.0F;
    for (const float x : row) max_abs = std::max(max_abs, std::fabs(x));
    const float scale = int8_scale(max_abs);
    out.scales[static_cast<std::size_t>(c)] = scale;
    for (std::size_t i = 0; i < row.size(); ++i) {
      out.values[static_cast<std::size_t>(c * out.channel_size) + i] =
          quantize_int8_value(row[i], scale);
    }
  }
  return out;
}

}  // namespace dnnspace::engine
