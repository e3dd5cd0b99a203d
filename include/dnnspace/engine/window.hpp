// Sliding-window geometry shared by convolution and pooling: per spatial axis, the kernel,
// stride, dilation and pads after ONNX's auto_pad rules, and the output extent they give.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dnnspace/core/expected.hpp"

namespace dnnspace::engine {

/// ONNX's auto_pad attribute. NotSet uses the explicit pads; SameUpper/SameLower pad so that
/// output = ceil(input / stride), the odd pad going to the end (Upper) or the start (Lower);
/// Valid uses no padding.
enum class AutoPad { NotSet, SameUpper, SameLower, Valid };

/// A window as the user specifies it. Vectors are per spatial axis (H, W for 2-D); empty
/// strides/dilations mean all 1, empty pads mean all 0.
struct WindowParams {
  std::vector<std::int64_t> kernel{};     ///< extent per axis (conv: from the weights)
  std::vector<std::int64_t> strides{};    ///< step per axis
  std::vector<std::int64_t> pads{};       ///< ONNX order: all begins, then all ends
  std::vector<std::int64_t> dilations{};  ///< spacing between window taps per axis
  AutoPad auto_pad = AutoPad::NotSet;     ///< when not NotSet, `pads` is ignored
  bool ceil_mode = false;                 ///< pooling: round the output extent up, not down
};

/// A window resolved against an input: every vector has one entry per spatial axis.
/// Output o of an axis reads input positions o*stride - pad_begin + t*dilation, t < kernel.
struct WindowGeometry {
  std::vector<std::int64_t> input;
  std::vector<std::int64_t> kernel{};
  std::vector<std::int64_t> strides{};
  std::vector<std::int64_t> dilations{};
  std::vector<std::int64_t> pad_begin;
  std::vector<std::int64_t> pad_end;
  std::vector<std::int64_t> output;
};

/// Resolves `params` for an input whose spatial extents are `input`. Output extent per axis is
/// floor((in + pads - ((k-1)*d + 1)) / s) + 1 (ceil with ceil_mode, dropping a last window that
/// would start in the end padding, as ONNX Runtime and PyTorch do). An Error, prefixed with `op`,
/// when a vector has the wrong length, a kernel/stride/dilation is < 1, a pad is negative, or
/// the output would be empty.
[[nodiscard]] Expected<WindowGeometry> resolve_window(std::string_view op,
                                                      std::span<const std::int64_t> input,
                                                      const WindowParams& params);

}  // namespace dnnspace::engine
