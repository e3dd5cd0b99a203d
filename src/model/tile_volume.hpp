// Internal to the model: data volumes of a tensor across one level boundary.
#pragma once

#include <cstdint>

#include "dnnspace/core/fixed_vector.hpp"

#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/model/projection_tables.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::detail {

struct DimLoops;

/// Total words of a tensor moved across level boundaries of one nest (docs/model.md
/// Sec. 4), with what every boundary shares computed once: per tensor the product of
/// its relevant bounds, the cutoffs (innermost relevant temporal loop above each level)
/// and prefix products of the irrelevant factors. Partial tiles of irrelevant or window
/// dimensions are counted digit by digit over the outer loops of that dimension.
class VolumeContext {
 public:
  VolumeContext(const Layer& layer, const Projection& projection, const ProjectionTables& tables, const Nest& nest,
                int num_levels) noexcept;

  /// Words of tensor t across one boundary, summed over epochs and instances. child is
  /// a storage level index, or num_levels for the MACs (no storage: every time step is
  /// an epoch). union_parent < 0 gives the per-instance volume V_child; otherwise the
  /// volume union_parent sees when the tiles of all child instances below one of its
  /// instances are merged (multicast, spatial reduction): V_union.
  std::int64_t volume(TensorId t, int child, int union_parent) const noexcept;

 private:
  static constexpr std::size_t kMaxNest = decltype(Nest::loops)::capacity();
  static constexpr std::size_t kCached = 4;  // results kept per walked dimension

  // A dimension whose loops volume() walks (a partial one, or one a window axis sums):
  // the nest indices of its loops, outermost first, and what earlier calls found for
  // each pattern of outer loops (bit j: its j-th loop is outer), which recurs across the
  // boundaries of one nest. Trivially constructible: only the walked ones are set.
  struct DimWalk {
    std::uint8_t count;
    std::array<std::uint8_t, kMaxLoopsPerDim> index;
    std::uint8_t bases_n;  // count_bases_below over the bound
    std::array<std::uint64_t, kCached> bases_mask;
    std::array<std::int64_t, kCached> bases;
    std::uint8_t windows_n;  // window axes with this dimension as their first term
    std::array<const IndexAxis*, kCached> window_axis;
    std::array<std::uint64_t, kCached> window_mask, window_other_mask;
    std::array<std::int64_t, kCached> window_value;
  };

  DimWalk& walk(Dim d) const noexcept;
  std::uint64_t outer_mask(const DimWalk& w, int child, int union_parent, bool stationary, int cut) const noexcept;
  DimLoops loops_of(const DimWalk& w, std::uint64_t mask) const noexcept;
  std::int64_t bases_below(Dim d, std::uint64_t mask) const noexcept;
  std::int64_t window_volume(const IndexAxis& a, int child, int union_parent) const noexcept;

  const Layer& layer_;
  const Projection& projection_;
  const ProjectionTables& tables_;
  const Nest& nest_;
  int num_levels_;
  int array_level_ = -1;  // level of the spatial loops, -1 if none
  PerDim<bool> exact_{};  // the factors of the dimension multiply to its bound
  PerTensor<std::int64_t> spatial_irrelevant_{};
  FixedVector<std::uint8_t, kMaxNest> window_loops_;  // nest indices of the window dimensions' loops
  mutable PerDim<std::int8_t> walk_of_;               // index into walks_, -1 until walked
  mutable std::array<DimWalk, kMaxWorkloadDims> walks_;
  mutable std::size_t walks_n_ = 0;
  // Per tensor: its irrelevant dimensions with partial tiles.
  PerTensor<FixedVector<Dim, kMaxWorkloadDims>> partial_irrelevant_{};
  // cutoff_[t][c]: nest index of the innermost t-relevant temporal loop at a level < c.
  // Set for the layer's tensors only, as prefix_ (not zeroed: 8 slots are mostly unused).
  std::array<std::array<int, kMaxLevels + 1>, kMaxTensors> cutoff_;
  // prefix_[t][i + 1]: product of the t-irrelevant temporal factors among loops 0..i.
  std::array<std::array<std::int64_t, kMaxNest + 1>, kMaxTensors> prefix_;
};

}  // namespace dnnspace::detail
