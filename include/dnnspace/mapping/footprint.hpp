// Tile footprints: how many words of a tensor a level's tile holds.
#pragma once

#include <cstdint>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// Distinct values of {i*u + j*v : 0 <= i < a, 0 <= j < b} for u, v >= 1: the input
/// rows spanned by a output rows (stride u) and b filter rows (dilation v). Exact also
/// when the stride exceeds the window (rows are skipped, not fetched).
std::int64_t window_count(std::int64_t a, std::int64_t b, std::int64_t u, std::int64_t v) noexcept;

/// Words of a tensor in a tile whose loops span `extent` indices per dimension (clipped
/// to the bounds here): the product over its index axes of the distinct values each
/// takes, window_count for an axis that sums two dimensions (docs/model.md Sec. 3).
std::int64_t footprint_words(const TensorProjection& projection, const PerDim<std::int64_t>& bounds,
                             const PerDim<std::int64_t>& extent) noexcept;
/// The same for the tensor in slot t of the layer's pass.
std::int64_t footprint_words(const Layer& layer, const PerDim<std::int64_t>& extent, TensorId t) noexcept;

/// Words of tensor t in one instance's tile at a storage level: the data touched by
/// the nest's loops at that level and below, with extents clipped to the layer.
std::int64_t tile_words(const Layer& layer, const Nest& nest, TensorId t, int level) noexcept;

/// Bytes one instance of the level needs for the tensors it holds, doubled when the
/// level is double-buffered.
std::int64_t level_footprint_bytes(const Layer& layer, const Architecture& arch, const Nest& nest,
                                   int level) noexcept;

}  // namespace dnnspace
