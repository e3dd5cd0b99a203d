// Internal to the model: what an evaluation derives from the mapping's nest, above all the
// data volumes of a tensor across one level boundary.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "dnnspace/core/fixed_vector.hpp"

#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/model/projection_tables.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::detail {

struct DimLoops;

/// What one evaluation derives from a mapping, in one pass over its loops: the array's
/// use, and the total words of each tensor moved across each level boundary
/// (docs/model.md Sec. 4), with what every boundary shares computed once: per tensor the
/// product of its relevant bounds, the cutoffs (innermost relevant temporal loop above
/// each level) and the products of the irrelevant factors up to them; per window
/// dimension the products of its loops above and below each level. Partial tiles of
/// irrelevant dimensions are counted digit by digit over their outer loops (on the nest,
/// flattened only then); those of window dimensions in closed form.
class VolumeContext {
 public:
  /// The mapping must be structurally legal for an architecture of num_levels levels
  /// whose array hangs below `array_level` (its array.parent_level).
  /// `tensors`: layer_tensors(layer), of a static extent when it is the built-in layers'
  /// three (defined for that and for std::dynamic_extent).
  template <std::size_t Tensors>
  VolumeContext(const Layer& layer, const Projection& projection, const ProjectionTables& tables,
                const Mapping& mapping, int num_levels, int array_level,
                std::span<const TensorId, Tensors> tensors) noexcept;

  /// The array's use by the mapping.
  struct Shape {
    std::int64_t compute_cycles = 1;  // product of the temporal loops
    std::int64_t folds = 1;           // of the temporal loops at and above the array's level
    std::int64_t pe_used = 1;         // product of the spatial loops
    std::int64_t rows = 1, cols = 1;  // the spatial products at the array's level
    bool outputs_stationary = true;   // no temporal loop below the array is relevant to the outputs
    // The spatial loops at the array's level, as flatten() gives them.
    std::array<NestLoop, 2 * kMaxSpatialLoops> array_loops;
    std::size_t array_loops_n = 0;
  };
  const Shape& shape() const noexcept { return shape_; }
  /// Bit d: the factors of dimension d multiply to more than its bound (partial tiles).
  std::uint32_t inexact() const noexcept { return inexact_; }

  /// Words of tensor t across one boundary, summed over epochs and instances. child is
  /// a storage level index, or num_levels for the MACs (no storage: every time step is
  /// an epoch). union_parent < 0 gives the per-instance volume V_child; otherwise the
  /// volume union_parent sees when the tiles of all child instances below one of its
  /// instances are merged (multicast, spatial reduction): V_union.
  std::int64_t volume(TensorId t, int child, int union_parent) const noexcept {
    // Inline: an evaluation asks for a dozen or more volumes, most of them this product
    // of factors found in the constructor; partial tiles and windows take the call.
    const auto ti = static_cast<std::size_t>(t);
    const auto c = static_cast<std::size_t>(child);
    // Irrelevant outer loops: temporal ones up to the cutoff (all of them for the MACs),
    // spatial ones when the array is above the child and outside the merged tile.
    std::int64_t v = tables_.single_axes_product[t] * outer_product_[ti][c];
    const bool spatial_outer = spatial_loops_outer(child, union_parent);
    if (spatial_outer) v *= spatial_irrelevant_[t];
    if (walks(ti, child, spatial_outer)) return times_walks_and_windows(t, child, union_parent, v);
    if (!tables_.slides[t]) return v;
    // Window axes: unless the array's spatial loops join the tile, a window dimension's
    // tile loops are its loops at levels >= child, its outer loops those above.
    if (!windows_exact_ || (array_level_ < child && !spatial_outer)) {
      return times_walks_and_windows(t, child, union_parent, v);
    }
    for (const IndexAxis& a : tables_.window_axes[t]) {
      const WindowDim& w1 = windows_[tables_.window_slot[a.first.dim]];
      const WindowDim& w2 = windows_[tables_.window_slot[a.second.dim]];
      v *= w1.above[c] * w2.above[c] * window_count_nonempty(w1.below[c], w2.below[c], a.first.coef, a.second.coef);
    }
    return v;
  }

 private:
  static constexpr std::size_t kCached = 4;  // window volumes kept per walked dimension

  // A dimension whose loops volume() walks (an inexact irrelevant one, or one of a window
  // axis whose tiles are not one progression): its loops, outermost first, and the window
  // volumes found for each pattern of outer loops (bit j: its j-th loop is outer), which
  // recur across the boundaries of one nest. Trivially constructible: only the walked
  // ones are set.
  struct WalkLoop {
    std::int64_t factor;
    std::int64_t radix;  // product of the factors of the dimension's later (finer) loops
    std::int16_t index;  // in the nest (flatten())
    std::int8_t level;
    bool spatial;
  };
  struct DimWalk {
    std::uint8_t count;
    std::array<WalkLoop, kMaxLoopsPerDim> loops;  // only [0, count) is set
    std::uint8_t windows_n;  // window axes with this dimension as their first term
    std::array<const IndexAxis*, kCached> window_axis;
    std::array<std::uint64_t, kCached> window_mask, window_other_mask;
    std::array<std::int64_t, kCached> window_value;
  };

  // A dimension that a window axis sums, by level (set per evaluation for the levels in
  // use): the products of its loops at each level, and over the levels above and below
  // each boundary, so that a boundary's tile and outer factors are looked up rather than
  // found by walking the loops (docs/model.md Sec. 4).
  struct WindowDim {
    std::array<std::int64_t, kMaxLevels> at;                 // its loops at level L
    std::array<std::int64_t, kMaxLevels + 1> above, below;  // at levels < c, at levels >= c
    std::int64_t spatial;                                   // its spatial loops
  };

  // How a window dimension's loops split at one boundary: the tile's extent (`block`, its
  // indices `spacing` apart), the outer factors (`outer`; `coarse` of them above the
  // tile's loops), and whether the tile's indices form one arithmetic progression.
  struct WindowSplit {
    std::int64_t outer, coarse, block, spacing;
    bool arithmetic;
  };
  WindowSplit window_split(const WindowDim& w, int child, bool merged) const noexcept;

  // volume()'s v times the factors of t's partial irrelevant dimensions and window axes.
  std::int64_t times_walks_and_windows(TensorId t, int child, int union_parent, std::int64_t v) const noexcept;
  // Distinct values of one window axis over all tiles, its two dimensions split as given,
  // one of them with partial tiles: the few distinct tile extents of each, with counts.
  std::int64_t window_words(const IndexAxis& a, const WindowSplit& s1, const WindowSplit& s2) const noexcept;
  DimWalk& walk(Dim d) const noexcept;
  std::uint64_t outer_mask(const DimWalk& w, int child, int union_parent, bool stationary, int cut) const noexcept;
  DimLoops loops_of(const DimWalk& w, std::uint64_t mask) const noexcept;
  std::int64_t bases_below(const DimWalk& w, std::uint64_t mask, std::int64_t bound) const noexcept;
  std::int64_t window_volume(const IndexAxis& a, int child, int union_parent) const noexcept;

  const Layer& layer_;
  const ProjectionTables& tables_;
  const Mapping& mapping_;
  Shape shape_;
  std::uint32_t inexact_ = 0;
  int num_levels_;
  int array_level_;  // the level the array hangs below (its spatial loops' level)
  PerDim<bool> exact_{};  // the factors of the dimension multiply to its bound
  bool windows_exact_ = true;  // exact_ for every dimension a window axis sums
  PerTensor<std::int64_t> spatial_irrelevant_{};
  std::array<WindowDim, kMaxWorkloadDims> windows_;  // per slot of tables_.window_dims
  mutable PerDim<std::int8_t> walk_of_;               // index into walks_, -1 until walked
  mutable std::array<DimWalk, kMaxWorkloadDims> walks_;
  mutable std::size_t walks_n_ = 0;
  // Per tensor: its irrelevant dimensions with partial tiles (walked). Bit c of
  // walked_at_: some loop of one is outer at child c (a temporal loop before the cutoff, or
  // the MACs, where every loop is); kWalkedSpatial: one has spatial loops (at the array's
  // level), outer where the array's spatial loops are. Set for every tensor of the layer.
  PerTensor<FixedVector<Dim, kMaxWorkloadDims>> partial_irrelevant_{};
  static constexpr std::uint32_t kWalkedSpatial = 1u << 31;
  static_assert(kMaxLevels < 31, "walked_at_ keeps a bit per child and kWalkedSpatial");
  std::array<std::uint32_t, kMaxTensors> walked_at_;
  // Whether the array's spatial loops are outer loops of the volume at child (in a union
  // below union_parent): the array is above the child, and above the union's parent (the
  // parent is above the child, so the array is above both or between them).
  bool spatial_loops_outer(int child, int union_parent) const noexcept {
    return array_level_ < (union_parent >= 0 ? union_parent : child);
  }
  // Whether a volume of tensor ti at child walks some dimension (spatial_outer: the
  // array's spatial loops are outer there): only where a loop of one is outer; else each
  // has one tile base, 0.
  bool walks(std::size_t ti, int child, bool spatial_outer) const noexcept {
    const std::uint32_t w = walked_at_[ti];
    return w != 0 && (((w >> child) & 1u) != 0 || (spatial_outer && (w & kWalkedSpatial) != 0));
  }
  // Per tensor: the product of its window axes' volumes last found out of line, and for
  // which tile loops (the child, and whether the array's spatial loops joined the tile).
  struct WindowMemo {
    int child;
    bool merged;
    std::int64_t factor;
  };
  mutable std::array<WindowMemo, kMaxTensors> window_memo_;
  // cutoff_[t][c]: nest index of the innermost t-relevant temporal loop at a level < c
  // (-1 if none; the last loop for c = num_levels, the MACs). outer_product_[t][c]: the
  // product of the exact t-irrelevant temporal factors of the loops up to that cutoff.
  // Set for the layer's tensors and levels only (not zeroed: most slots are unused).
  std::array<std::array<int, kMaxLevels + 1>, kMaxTensors> cutoff_;
  std::array<std::array<std::int64_t, kMaxLevels + 1>, kMaxTensors> outer_product_;
};

}  // namespace dnnspace::detail
