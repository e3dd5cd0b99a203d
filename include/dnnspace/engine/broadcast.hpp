// Numpy-style broadcasting: the shape two operands broadcast to, and the element strides that
// read an operand as if it had been expanded to that shape.
#pragma once

#include <string_view>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// Aligns the shapes at their last axis; each pair of extents must be equal or contain a 1,
/// and the result takes the larger. An Error, prefixed with `op`, naming both shapes otherwise.
[[nodiscard]] Expected<Shape> broadcast_shapes(std::string_view op, const Shape& a,
                                               const Shape& b);

/// Strides (in elements) for reading a row-major tensor of shape `from` at every index of the
/// broadcast shape `to`: 0 on broadcast axes. `from` must broadcast to `to` (assert).
Shape broadcast_strides(const Shape& from, const Shape& to);

}  // namespace dnnspace::engine
