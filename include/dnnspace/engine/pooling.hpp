// pooling: fp32 reference max and average pooling (ONNX MaxPool, AveragePool) over any number
// of spatial axes of an [N, C, spatial...] tensor.
#pragma once

#include <cstdint>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"
#include "dnnspace/engine/window.hpp"

namespace dnnspace::engine {

/// Pooling attributes. window.kernel is required (one extent per spatial axis).
struct PoolParams {
  WindowParams window{};
  /// Average pooling: divide by every window tap inside the padded input (true) or only by the
  /// taps that land on real input (false, the ONNX default). Ignored by max pooling.
  bool count_include_pad = false;
};

/// Y[n][c][o...] = max over the window taps that land inside X (padding never wins). Input
/// [N, C, spatial...] with at least one spatial axis. An Error on rank or window problems (see
/// resolve_window).
[[nodiscard]] Expected<Tensor> max_pool(const Tensor& input, const PoolParams& params);

/// Max pooling that also reports where each maximum came from (ONNX MaxPool's Indices output).
struct MaxPoolResult {
  Tensor values;
  /// One per output element: the flat index of the winning element in the input, counting
  /// N and C row-major and the spatial axes row-major (column-major if requested). The first
  /// maximum in window order wins ties.
  std::vector<std::int64_t> indices;
};

/// max_pool plus the argmax indices; `column_major` is ONNX's storage_order = 1.
[[nodiscard]] Expected<MaxPoolResult> max_pool_with_indices(const Tensor& input,
                                                            const PoolParams& params,
                                                            bool column_major = false);

/// Y[n][c][o...] = (sum of the window taps inside X) / count, where count is the number of
/// taps inside X, or with count_include_pad the number inside the padded input [-pad_begin,
/// extent + pad_end) (taps past that, from ceil_mode, never count). Errors as for max_pool.
[[nodiscard]] Expected<Tensor> average_pool(const Tensor& input, const PoolParams& params);

}  // namespace dnnspace::engine
