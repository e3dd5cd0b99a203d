// Patch (im2col) layout of a convolution input, one row per output position, and its adjoint;
// shared by the convolution backward pass and the fixed-point/int8 convolution.
#pragma once

#include <cstdint>

namespace dnnspace::engine {

/// The geometry of a square-kernel 2-D convolution on one image.
struct PatchGeometry {
  std::int64_t channels = 0, height = 0, width = 0;
  std::int64_t kernel = 1, stride = 1, padding = 0;
  std::int64_t out_height = 0, out_width = 0;

  /// Columns of the patch matrix: channels * kernel * kernel.
  std::int64_t patch_size() const noexcept { return channels * kernel * kernel; }
  /// Rows of the patch matrix: out_height * out_width.
  std::int64_t positions() const noexcept { return out_height * out_width; }
};

/// out[(oh * OW + ow) * patch_size + (c * K + kh) * K + kw] = x[c][oh*s - p + kh][ow*s - p + kw],
/// 0 outside the image. x is one image [C, H, W]; out has positions() * patch_size() floats.
void extract_patches(const float* x, const PatchGeometry& g, float* out) noexcept;

/// The adjoint of extract_patches: adds every patch entry back to the image position it was
/// read from (dx must be zeroed by the caller if it should only hold this sum).
void accumulate_patches(const float* patches, const PatchGeometry& g, float* dx) noexcept;

}  // namespace dnnspace::engine
