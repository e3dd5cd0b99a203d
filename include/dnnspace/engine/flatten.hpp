// flatten: reshapes a tensor to a matrix at an axis (ONNX Flatten), e.g. before an FC layer.
#pragma once

#include <cstdint>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// Returns the input's data as [d0 * .. * d(axis-1), d(axis) * .. * d(rank-1)]; axis 0 gives
/// [1, all]. `axis` may be negative (counted from the end). An Error when the axis is outside
/// [-rank, rank].
[[nodiscard]] Expected<Tensor> flatten(const Tensor& input, std::int64_t axis = 1);

}  // namespace dnnspace::engine
