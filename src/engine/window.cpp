#include "dnnspace/engine/window.hpp"

#include <algorithm>
#include <string>

#include "dnnspace/core/checked.hpp"

namespace dnnspace::engine {

namespace {
// An empty vector means "the default for every axis"; otherwise it needs one entry per axis
// (`per_axis` entries per axis: 2 for pads).
Expected<std::vector<std::int64_t>> per_axis(std::string_view op, std::string_view name,
                                             const std::vector<std::int64_t>& values,
                                             std::size_t axes, std::size_t per,
                                             std::int64_t fallback) {
  if (values.empty()) return std::vector<std::int64_t>(axes * per, fallback);
  if (values.size() != axes * per) {
    return Error{std::string(op) + ": " + std::string(name) + " has " +
                 std::to_string(values.size()) + " values, expected " +
                 std::to_string(axes * per) + " for " + std::to_string(axes) + " spatial axes"};
  }
  return values;
}

}  // namespace

Expected<WindowGeometry> resolve_window(std::string_view op, std::span<const std::int64_t> input,
                                        const WindowParams& params) {
  const std::size_t axes = input.size();
  const std::string prefix(op);
  if (params.kernel.size() != axes) {
    return Error{prefix + ": kernel has " + std::to_string(params.kernel.size()) +
                 " extents, expected one per spatial axis (" + std::to_string(axes) + ")"};
  }
  auto strides = per_axis(op, "strides", params.strides, axes, 1, 1);
  if (!strides) return strides.error();
  auto dilations = per_axis(op, "dilations", params.dilations, axes, 1, 1);
  if (!dilations) return dilations.error();
  auto pads = per_axis(op, "pads", params.pads, axes, 2, 0);
  if (!pads) return pads.error();

  WindowGeometry g;
  g.input.assign(input.begin(), input.end());
  g.kernel = params.kernel;
  g.strides = std::move(*strides);
  g.dilations = std::move(*dilations);
  g.pad_begin.resize(axes);
  g.pad_end.resize(axes);
  g.output.resize(axes);
  for (std::size_t i = 0; i < axes; ++i) {
    const std::string axis = " on spatial axis " + std::to_string(i);
    if (g.kernel[i] < 1 || g.strides[i] < 1 || g.dilations[i] < 1) {
      return Error{prefix + ": kernel, stride and dilation must be >= 1" + axis + ", got " +
                   std::to_string(g.kernel[i]) + ", " + std::to_string(g.strides[i]) + ", " +
                   std::to_string(g.dilations[i])};
    }
    const std::int64_t extent = (g.kernel[i] - 1) * g.dilations[i] + 1;  // dilated window
    const std::int64_t in = input[i];
    switch (params.auto_pad) {
      case AutoPad::NotSet: {
        g.pad_begin[i] = (*pads)[i];
        g.pad_end[i] = (*pads)[i + axes];
        if (g.pad_begin[i] < 0 || g.pad_end[i] < 0) {
          return Error{prefix + ": pads must be >= 0" + axis};
        }
        const std::int64_t span = in + g.pad_begin[i] + g.pad_end[i] - extent;
        if (span < 0) break;  // reported below as an empty output
        if (params.ceil_mode) {
          g.output[i] = ceil_div(span, g.strides[i]) + 1;
          // A window may not start in the end padding (ONNX Runtime and PyTorch agree).
          if ((g.output[i] - 1) * g.strides[i] >= in + g.pad_begin[i]) --g.output[i];
        } else {
          g.output[i] = span / g.strides[i] + 1;
        }
        break;
      }
      case AutoPad::SameUpper:
      case AutoPad::SameLower: {
        g.output[i] = ceil_div(in, g.strides[i]);
        const std::int64_t total =
            std::max<std::int64_t>(0, (g.output[i] - 1) * g.strides[i] + extent - in);
        const std::int64_t smaller = total / 2;
        g.pad_begin[i] = params.auto_pad == AutoPad::SameUpper ? smaller : total - smaller;
        g.pad_end[i] = total - g.pad_begin[i];
        break;
      }
      case AutoPad::Valid:
        g.pad_begin[i] = 0;
        g.pad_end[i] = 0;
        if (in >= extent) g.output[i] = (in - extent) / g.strides[i] + 1;
        break;
    }
    if (g.output[i] < 1) {
      return Error{prefix + ": window of extent " + std::to_string(extent) +
                   " does not fit the padded input of extent " +
                   std::to_string(in + g.pad_begin[i] + g.pad_end[i]) + axis};
    }
  }
  return g;
}

}  // namespace dnnspace::engine
