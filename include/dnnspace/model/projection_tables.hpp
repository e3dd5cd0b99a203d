// Internal to the model: what its data volumes need of a layer's tensor projections that
// no mapping changes, built once per problem by prepare() rather than per evaluation.
#pragma once

#include <array>
#include <cstdint>

#include "dnnspace/mapping/footprint.hpp"

#include "dnnspace/core/dims.hpp"
#include "dnnspace/core/fixed_vector.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::detail {

struct ProjectionTables {
  std::uint32_t window_mask = 0;                     ///< bit d: some window axis sums d
  FixedVector<Dim, kMaxWorkloadDims> window_dims;    ///< those dimensions, in first-seen order
  PerDim<std::uint8_t> window_slot{};                ///< their index in window_dims
  PerTensor<std::int64_t> single_axes_product{};     ///< product of the bounds of t's one-term axes
  PerTensor<bool> slides{};                          ///< some axis of t is a window
  /// Per tensor, for tile_words: the dimensions of its one-term axes, and its window axes
  /// (the axis list split once here, so a tile's words need no test per axis).
  PerTensor<FixedVector<Dim, kMaxWorkloadDims>> single_dims{};
  /// The same dimensions as slots of an extent array of kExtentSlots entries whose last
  /// (kOneSlot) holds 1, padded with it: a tensor of at most kUnrolledDims one-term axes
  /// (`unrolled`) takes its product in that many multiplications, without a loop.
  static constexpr std::size_t kUnrolledDims = 4;
  static constexpr std::size_t kOneSlot = kNumDims, kExtentSlots = kNumDims + 1;
  PerTensor<std::array<std::uint8_t, kUnrolledDims>> single_slots{};
  PerTensor<bool> unrolled{};
  PerTensor<FixedVector<IndexAxis, kMaxWorkloadDims / 2>> window_axes{};
};

ProjectionTables projection_tables(const Layer& layer, const Projection& projection) noexcept;

/// footprint_words(projection[t], bounds, extent) for `clipped`, the extents (indexed by
/// dimension, kExtentSlots of them, the last 1) already clipped to the layer's bounds: the
/// same product, taken over the split axis lists (the model computes a dozen tiles per
/// evaluation and the per-axis tests were most of it).
inline std::int64_t tile_words(const ProjectionTables& tables, TensorId t, const std::int64_t* clipped) noexcept {
  std::int64_t words = 1;
  if (tables.unrolled[t]) {
    const auto& s = tables.single_slots[t];
    static_assert(ProjectionTables::kUnrolledDims == 4);
    words = clipped[s[0]] * clipped[s[1]] * clipped[s[2]] * clipped[s[3]];
  } else {
    for (Dim d : tables.single_dims[t]) words *= clipped[static_cast<std::size_t>(d)];
  }
  for (const IndexAxis& a : tables.window_axes[t]) {
    words *= window_count_nonempty(clipped[static_cast<std::size_t>(a.first.dim)],
                                   clipped[static_cast<std::size_t>(a.second.dim)], a.first.coef, a.second.coef);
  }
  return words;
}

}  // namespace dnnspace::detail
