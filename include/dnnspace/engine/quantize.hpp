// int8 symmetric quantization with one scale per tensor or per output channel, the 8-bit
// fixed-point inference of TPU-class accelerators (001 Sec. 4.x survey, 003 Sec. VII-A).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace dnnspace::engine {

/// One scale for the whole tensor, or one per output channel (the outermost axis).
enum class Int8Granularity { PerTensor, PerChannel };

/// A tensor quantized as value ~= q * scale with q in [-127, 127] (symmetric: -128 unused, so
/// negation never overflows). Channel c (elements [c*channel_size, (c+1)*channel_size)) uses
/// scales[c]; per-tensor quantization has a single channel.
struct Int8Tensor {
  std::vector<std::int8_t> values;
  std::vector<float> scales;
  std::int64_t channel_size = 0;
};

/// Quantizes `data`, viewed as `channels` equal rows, with scale_c = max|x| over the row / 127
/// (1 for an all-zero row) and q = round-to-nearest-even(x / scale_c) clamped to [-127, 127].
/// `channels` must divide data.size() (assert); granularity PerTensor uses one channel.
[[nodiscard]] Int8Tensor quantize_int8(std::span<const float> data, std::int64_t channels);

/// The symmetric int8 scale for values whose largest magnitude is `max_abs`.
[[nodiscard]] float int8_scale(float max_abs) noexcept;

/// round-to-nearest-even(x / scale) clamped to [-127, 127].
[[nodiscard]] std::int8_t quantize_int8_value(float x, float scale) noexcept;

}  // namespace dnnspace::engine
