// conv2d: the fp32 reference 2-D convolution (ONNX Conv on NCHW), computed as im2col + sgemm.
#pragma once

#include <cstdint>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"
#include "dnnspace/engine/window.hpp"

namespace dnnspace::engine {

/// Conv attributes. window.kernel may be empty (it is then taken from the weights); if given it
/// must equal the weights' KH, KW. window.ceil_mode must be false (Conv has no ceil mode).
struct Conv2dParams {
  WindowParams window{};
  std::int64_t groups = 1;  ///< C and M are split into `groups` independent convolutions
};

/// Y[n][m][oh][ow] = B[m] + sum over c in m's group, kh, kw of
///   X[n][c][oh*sh - pad_top + kh*dh][ow*sw - pad_left + kw*dw] * W[m][c - group start][kh][kw],
/// reading zero outside X. Shapes: input X [N, C, H, W], weights W [M, C/groups, KH, KW],
/// bias B [M] or null; result [N, M, OH, OW]. An Error when a rank or extent does not match,
/// C or M is not divisible by groups, or the window does not fit (see resolve_window).
[[nodiscard]] Expected<Tensor> conv2d(const Tensor& input, const Tensor& weights,
                                      const Tensor* bias, const Conv2dParams& params);

}  // namespace dnnspace::engine
