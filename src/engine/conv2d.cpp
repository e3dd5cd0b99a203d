#include "dnnspace/engine/conv2d.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "dnnspace/engine/sgemm.hpp"

namespace dnnspace::engine {

namespace {
Expected<void> check_shapes(const Tensor& input, const Tensor& weights, const Tensor* bias,
                            const Conv2dParams& params) {
  if (input.rank() != 4) {
    return Error{"conv2d: input must be rank 4 [N, C, H, W], got " + to_string(input.shape())};
  }
  if (weights.rank() != 4) {
    return Error{"conv2d: weights must be rank 4 [M, C/groups, KH, KW], got " +
                 to_string(weights.shape())};
  }
  const std::int64_t groups = params.groups;
  const std::int64_t channels = input.dim(1);
  const std::int64_t maps = weights.dim(0);
  if (groups < 1 || channels % groups != 0 || maps % groups != 0) {
    return Error{"conv2d: groups = " + std::to_string(groups) + " must be >= 1 and divide C = " +
                 std::to_string(channels) + " and M = " + std::to_string(maps)};
  }
  if (weights.dim(1) != channels / groups) {
    return Error{"conv2d: weights " + to_string(weights.shape()) + " need dim 1 = C/groups = " +
                 std::to_string(channels / groups) + " for input " + to_string(input.shape())};
  }
  if (!params.window.kernel.empty() &&
      params.window.kernel != std::vector<std::int64_t>{weights.dim(2), weights.dim(3)}) {
    return Error{"conv2d: kernel_shape does not match the weights " + to_string(weights.shape())};
  }
  if (params.window.ceil_mode) return Error{"conv2d: ceil_mode is not a Conv attribute"};
  if (bias != nullptr && bias->shape() != Shape{maps}) {
    return Error{"conv2d: bias must be [M] = [" + std::to_string(maps) + "], got " +
                 to_string(bias->shape())};
  }
  return {};
}

// Unfolds one group of one image into columns: col[(c*KH + kh)*KW + kw][oh*OW + ow] is the
// input tap that output (oh, ow) multiplies with weight (c, kh, kw), or 0 in the padding.
// This turns the convolution into one GEMM per group (the classic Caffe im2col lowering).
void im2col(const float* image, std::int64_t channels, const WindowGeometry& g, float* col) {
  const std::int64_t h = g.input[0], w = g.input[1];
  const std::int64_t oh_n = g.output[0], ow_n = g.output[1];
  for (std::int64_t c = 0; c < channels; ++c) {
    for (std::int64_t kh = 0; kh < g.kernel[0]; ++kh) {
      for (std::int64_t kw = 0; kw < g.kernel[1]; ++kw) {
        float* row = col + ((c * g.kernel[0] + kh) * g.kernel[1] + kw) * oh_n * ow_n;
        for (std::int64_t oh = 0; oh < oh_n; ++oh) {
          const std::int64_t ih = oh * g.strides[0] - g.pad_begin[0] + kh * g.dilations[0];
          float* out = row + oh * ow_n;
          if (ih < 0 || ih >= h) {
            std::fill(out, out + ow_n, 0.0F);
            continue;
          }
          const float* in_row = image + (c * h + ih) * w;
          for (std::int64_t ow = 0; ow < ow_n; ++ow) {
            const std::int64_t iw = ow * g.strides[1] - g.pad_begin[1] + kw * g.dilations[1];
            out[ow] = (iw >= 0 && iw < w) ? in_row[iw] : 0.0F;
          }
        }
      }
    }
  }
}

bool is_pointwise(const WindowGeometry& g) {
  for (std::size_t i = 0; i < 2; ++i) {
    if (g.kernel[i] != 1 || g.strides[i] != 1 || g.pad_begin[i] != 0 || g.pad_end[i] != 0) {
      return false;
    }
  }
  return true;
}
}  // namespace

Expected<Tensor> conv2d(const Tensor& input, const Tensor& weights, const Tensor* bias,
                        const Conv2dParams& params) {
  if (auto ok = check_shapes(input, weights, bias, params); !ok) return ok.error();
  WindowParams window = params.window;
  window.kernel = {weights.dim(2), weights.dim(3)};
  const std::array<std::int64_t, 2> spatial{input.dim(2), input.dim(3)};
  auto geometry = resolve_window("conv2d", spatial, window);
  if (!geometry) return geometry.error();
  const WindowGeometry& g = *geometry;

  const std::int64_t batch = input.dim(0), channels = input.dim(1), maps = weights.dim(0);
  const std::int64_t group_channels = channels / params.groups;
  const std::int64_t group_maps = maps / params.groups;
  const std::int64_t pixels = g.output[0] * g.output[1];
  const std::int64_t taps = group_channels * g.kernel[0] * g.kernel[1];
  const std::int64_t image_size = channels * g.input[0] * g.input[1];

  Tensor output(Shape{batch, maps, g.output[0], g.output[1]});
  // A 1x1, stride-1, unpadded convolution already has its input in column layout.
  const bool pointwise = is_pointwise(g);
  std::vector<float> col(pointwise ? 0 : static_cast<std::size_t>(taps * pixels));
  for (std::int64_t n = 0; n < batch; ++n) {
    for (std::int64_t grp = 0; grp < params.groups; ++grp) {
      const float* image = input.data().data() + n * image_size +
                           grp * group_channels * g.input[0] * g.input[1];
      const float* columns = image;
      if (!pointwise) {
        im2col(image, group_channels, g, col.data());
        columns = col.data();
      }
      float* out = output.data().data() + (n * maps + grp * group_maps) * pixels;
      const float* w = weights.data().data() + grp * group_maps * taps;
      sgemm(false, false, group_maps, pixels, taps, 1.0F, w, columns, 0.0F, out);
    }
    if (bias != nullptr) {
      for (std::int64_t m = 0; m < maps; ++m) {
        float* out = output.data().data() + (n * maps + m) * pixels;
        const float b = bias->data()[static_cast<std::size_t>(m)];
        for (std::int64_t p = 0; p < pixels; ++p) out[p] += b;
      }
    }
  }
  return output;
}

}  // namespace dnnspace::engine
