// Tile footprints: how many words of a tensor a level's tile holds.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// window_count (below) for a, b >= 1, as every tile the model forms has: no test for
/// empty ranges, and a unit stride and dilation (most layers) takes a + b - 1 directly.
inline std::int64_t window_count_nonempty(std::int64_t a, std::int64_t b, std::int64_t u, std::int64_t v) noexcept {
  if (u == 1 && v == 1) return a + b - 1;
  // i*u + j*v = i'*u + j'*v  iff  i - i' = m*v' and j' - j = m*u' (u', v' coprime), so
  // count each value once, at its representation with the smallest i: those with
  // i < v', plus those with i >= v' whose j cannot grow by u'.
  const std::int64_t g = (u == 1 || v == 1) ? 1 : std::gcd(u, v);
  const std::int64_t up = u / g, vp = v / g;
  return std::min(vp, a) * b + std::max<std::int64_t>(0, a - vp) * std::min(up, b);
}

/// Distinct values of {i*u + j*v : 0 <= i < a, 0 <= j < b} for u, v >= 1: the input
/// rows spanned by a output rows (stride u) and b filter rows (dilation v). Exact also
/// when the stride exceeds the window (rows are skipped, not fetched).
/// (Inline, as footprint_words below: the model and the mapper call them per tile.)
inline std::int64_t window_count(std::int64_t a, std::int64_t b, std::int64_t u, std::int64_t v) noexcept {
  if (a <= 0 || b <= 0) return 0;
  return window_count_nonempty(a, b, u, v);
}

/// Words of a tensor in a tile whose loops span `extent` indices per dimension (clipped
/// to the bounds here): the product over its index axes of the distinct values each
/// takes, window_count for an axis that sums two dimensions (docs/model.md Sec. 3).
inline std::int64_t footprint_words(const TensorProjection& projection, const PerDim<std::int64_t>& bounds,
                                    const PerDim<std::int64_t>& extent) noexcept {
  std::int64_t words = 1;
  for (const IndexAxis& a : projection.axes) {
    const std::int64_t first = std::min(extent[a.first.dim], bounds[a.first.dim]);
    words *= a.window() ? window_count(first, std::min(extent[a.second.dim], bounds[a.second.dim]), a.first.coef,
                                       a.second.coef)
                        : first;
  }
  return words;
}
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
