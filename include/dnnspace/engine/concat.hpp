// concat: joins tensors along one axis (ONNX Concat).
#pragma once

#include <cstdint>
#include <span>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// Stacks `inputs` along `axis` (negative counts from the end). All inputs need the same rank
/// and the same extents on every other axis. An Error when there are no inputs, the axis is
/// outside [-rank, rank), or the shapes disagree (naming the first offending input).
[[nodiscard]] Expected<Tensor> concat(std::span<const Tensor> inputs, std::int64_t axis);

}  // namespace dnnspace::engine
