#include "dnnspace/engine/pooling.hpp"

#include <algorithm>
#include <limits>
#include <span>
#include <string>

namespace dnnspace::engine {

namespace {
enum class PoolKind { Max, Average };

Expected<WindowGeometry> geometry_for(std::string_view op, const Tensor& input,
                                      const PoolParams& params) {
  if (input.rank() < 3) {
    return Error{std::string(op) + ": input must be [N, C, spatial...] with rank >= 3, got " +
                 to_string(input.shape())};
  }
  const std::span<const std::int64_t> spatial(input.shape().data() + 2, input.shape().size() - 2);
  return resolve_window(op, spatial, params.window);
}

// Visits every output position of one [spatial...] plane and, inside it, every window tap,
// with odometers over the multi-indices so that any number of spatial axes works.
// `column_major` only changes the reported index of a tap.
void pool_plane(const float* in, float* out, std::int64_t* argmax, const WindowGeometry& g,
                PoolKind kind, bool count_include_pad, bool column_major,
                std::int64_t index_base) {
  const std::size_t axes = g.input.size();
  const Shape in_strides = row_major_strides(g.input);
  Shape index_strides = in_strides;
  if (column_major) {
    std::int64_t stride = 1;
    for (std::size_t i = 0; i < axes; ++i) {
      index_strides[i] = stride;
      stride *= g.input[i];
    }
  }
  const std::int64_t outputs = element_count(g.output);
  const std::int64_t taps = element_count(g.kernel);
  Shape o(axes, 0), t(axes, 0);
  for (std::int64_t out_i = 0; out_i < outputs; ++out_i) {
    float best = -std::numeric_limits<float>::infinity();
    std::int64_t best_index = -1;
    float sum = 0.0F;
    std::int64_t inside = 0, inside_padded = 0;
    std::fill(t.begin(), t.end(), 0);
    for (std::int64_t tap = 0; tap < taps; ++tap) {
      bool in_input = true, in_padded = true;
      std::int64_t offset = 0, reported = 0;
      for (std::size_t i = 0; i < axes; ++i) {
        const std::int64_t pos = o[i] * g.strides[i] - g.pad_begin[i] + t[i] * g.dilations[i];
        if (pos < 0 || pos >= g.input[i]) in_input = false;
        if (pos < -g.pad_begin[i] || pos >= g.input[i] + g.pad_end[i]) in_padded = false;
        offset += pos * in_strides[i];
        reported += pos * index_strides[i];
      }
      if (in_padded) ++inside_padded;
      if (in_input) {
        const float v = in[offset];
        ++inside;
        sum += v;
        if (best_index < 0 || v > best) {  // strictly greater: the first maximum wins ties
          best = v;
          best_index = index_base + reported;
        }
      }
      for (std::size_t i = axes; i-- > 0;) {
        if (++t[i] < g.kernel[i]) break;
        t[i] = 0;
      }
    }
    switch (kind) {
      case PoolKind::Max:
        out[out_i] = best;
        if (argmax != nullptr) argmax[out_i] = best_index;
        break;
      case PoolKind::Average: {
        const std::int64_t count = count_include_pad ? inside_padded : inside;
        out[out_i] = count > 0 ? sum / static_cast<float>(count) : 0.0F;
        break;
      }
    }
    for (std::size_t i = axes; i-- > 0;) {
      if (++o[i] < g.output[i]) break;
      o[i] = 0;
    }
  }
}

Expected<Tensor> pool(std::string_view op, const Tensor& input, const PoolParams& params,
                      PoolKind kind, std::vector<std::int64_t>* argmax, bool column_major) {
  auto geometry = geometry_for(op, input, params);
  if (!geometry) return geometry.error();
  const WindowGeometry& g = *geometry;
  Shape out_shape{input.dim(0), input.dim(1)};
  out_shape.insert(out_shape.end(), g.output.begin(), g.output.end());
  Tensor output(out_shape);
  const std::int64_t planes = input.dim(0) * input.dim(1);
  const std::int64_t in_plane = element_count(g.input), out_plane = element_count(g.output);
  if (argmax != nullptr) argmax->assign(static_cast<std::size_t>(output.size()), -1);
  for (std::int64_t p = 0; p < planes; ++p) {
    pool_plane(input.data().data() + p * in_plane, output.data().data() + p * out_plane,
               argmax != nullptr ? argmax->data() + p * out_plane : nullptr, g, kind,
               params.count_include_pad, column_major, p * in_plane);
  }
  return output;
}
}  // namespace

Expected<Tensor> max_pool(const Tensor& input, const PoolParams& params) {
  return pool("max_pool", input, params, PoolKind::Max, nullptr, false);
}

Expected<MaxPoolResult> max_pool_with_indices(const Tensor& input, const PoolParams& params,
                                              bool column_major) {
  MaxPoolResult result;
  auto values = pool("max_pool", input, params, PoolKind::Max, &result.indices, column_major);
  if (!values) return values.error();
  result.values = std::move(*values);
  return result;
}

Expected<Tensor> average_pool(const Tensor& input, const PoolParams& params) {
  return pool("average_pool", input, params, PoolKind::Average, nullptr, false);
}

}  // namespace dnnspace::engine
