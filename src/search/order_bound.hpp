// Internal to the mapper: lower bounds on the objective of the loop-order choices of one
// blocking, from per-tensor energies (docs/search.md, "Bounding").
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/fixed_vector.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/workload/layer.hpp"
#include "loop_orders.hpp"

namespace dnnspace::detail {

/// Whether the bound below is sound for this architecture: every energy is >= 0 and level
/// 0 holds the outputs. Then every access count of every tensor only falls when more of
/// its loops are resident, except, with two or more per-PE levels holding outputs, the
/// psum traffic of the per-PE levels below the first: BoundEnergy replaces it
/// (docs/search.md, "Two per-PE levels"; tests/search/residency_test.cpp).
bool order_bound_applies(const Architecture& arch) noexcept;

/// Whether a work item (spatial choice + innermost level's factors) can be bounded as a
/// whole (docs/search.md, "Bounding a work item"): order_bound_applies, and the array
/// hangs below the level just above the innermost one (one per-PE level: eyeriss,
/// tpu-like), so that every temporal loop left to choose sits above the spatial loops.
bool item_bound_applies(const Architecture& arch) noexcept;

/// A lower bound on tensor_energy_pj that only falls when more of t's loops are resident
/// (docs/search.md, "Two per-PE levels"). It is tensor_energy_pj, except for the outputs
/// when several levels below the PE array hold them: the psum fills of a per-PE level
/// below the first one can grow as loops above become resident, so the innermost such
/// level is charged its floor (2 accesses per MAC) and the ones between nothing.
class BoundEnergy {
 public:
  BoundEnergy(const Layer& layer, const Architecture& arch) noexcept;
  double operator()(const CostResult& cost, TensorId t) const noexcept;

 private:
  const Architecture* arch_;
  FixedVector<int, kMaxLevels> replaced_;  // per-PE output levels below the first
  double innermost_floor_pj_ = 0.0;        // what the innermost of them is charged
};

/// What every mapping of the layer charges to tensor t at least: when the innermost
/// level holding t is below the PE array, the MACs read their operands from it once
/// each (macs reads), and for outputs each MAC's update is also written there and the
/// psum reads plus drains come to at least one per MAC. 0 otherwise.
PerTensor<double> tensor_energy_floor_pj(const Layer& layer, const Architecture& arch) noexcept;

/// Lower bounds on each tensor's energy over all mappings of one work item (a spatial
/// choice and the per-PE levels' factors), and over the order choices of one of its
/// blockings (docs/search.md, "Bounding a work item" and "Two per-PE levels").
class ItemBound {
 public:
  using Factors = PerDim<std::int64_t>;
  /// `relaxed[t]`: the cost of the item's relaxed mapping for t (all factors above the
  /// array on the level feeding it, t's irrelevant loops innermost there and on every
  /// per-PE level, nothing above); `spatial`: the item's spatial factors; `per_pe`: the
  /// product of its per-PE levels' factors.
  ItemBound(const Layer& layer, const Projection& projection, const Architecture& arch,
            const PerTensor<const CostResult*>& relaxed,
            const Factors& spatial, const Factors& per_pe, const PerTensor<double>& floor_pj,
            const BoundEnergy& energy, const LoopOrderSpace& orders) noexcept;

  /// Bounds for every mapping of the item.
  const PerTensor<double>& item_pj() const noexcept { return item_pj_; }

  /// Bounds for every order choice of the blocking with temporal factors f (the levels
  /// above the array, and the item's per-PE ones): the item's, plus what the loops above
  /// the last level with a loop relevant to t add to t's traffic across the array into
  /// the first per-PE level, when that level holds t.
  PerTensor<double> blocking_pj(const std::array<Factors, kMaxLevels>& f) const noexcept;

  /// What every order choice of that blocking adds to the sum of blocking_pj at least:
  /// level 0 takes one of the mapper's orders (loop_orders.hpp), and the tensors held in level 1
  /// are refetched into it by the loops of level 0 that order leaves outer for them.
  double blocking_refetch_pj(const std::array<Factors, kMaxLevels>& f) const noexcept;

 private:
  struct IrrelevantDim {
    std::int64_t bound, spatial, inner, pe_count;  // pe_count: spatial indices with a valid tile
    Dim dim;
  };
  struct PerTensorData {
    bool grows = false;  // t is held in the first per-PE level: the boundary into it is bounded
    double union_words = 0, child_words = 0;  // V_union and V_child of that boundary, relaxed
    double per_union = 0, per_child = 0, per_transfer = 0;  // pJ per extra word of each
    double top_words = 0;  // > 0: t is held in levels 0 and 1; its whole size in words
    double per_top = 0;    // pJ per extra word into level 1
  };
  int n_;
  int array_level_;  // the level feeding the array
  std::span<const TensorId> tensors_;        // the layer's tensor slots
  const LoopOrderSpace* orders_;             // the mapper's loop orders (level 0's)
  FixedVector<Dim, kMaxWorkloadDims> dims_;  // the layer's dimensions
  PerTensor<std::uint32_t> relevant_{};      // per tensor slot: its projection's relevant dims
  bool relevant(TensorId t, Dim d) const noexcept { return (relevant_[t] >> static_cast<unsigned>(d)) & 1u; }
  Factors bounds_, spatial_;
  PerTensor<double> item_pj_;
  PerTensor<PerTensorData> data_;
  // Per dimension of the layer: what the bound needs of it, for the tensors it is
  // irrelevant to.
  FixedVector<IrrelevantDim, kMaxWorkloadDims> dim_info_;
};

/// A lower bound on the objective of one loop-order choice of a blocking from lower
/// bounds on each tensor's energy (docs/search.md, "Bounding"): MAC energy and compute
/// cycles do not depend on the orders, and cycles are at least the compute cycles.
double order_lower_bound(Objective objective, const PerTensor<double>& tensor_pj, double mac_energy_pj,
                         double compute_cycles) noexcept;

}  // namespace dnnspace::detail
