// Internal to the mapper: the loop orders of one level that it tries (docs/search.md,
// "Why those orders suffice").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dnnspace/core/dims.hpp"
#include "dnnspace/core/fixed_vector.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/workload/projection.hpp"

namespace dnnspace::detail {

/// A level's temporal loops, outermost first.
using Order = FixedVector<Dim, kMaxWorkloadDims>;

/// Most cost-distinct orders of one level: 541 is the number of weak orderings of 5
/// classes, the bound for a layer whose dimensions fall into at most 5 irrelevance
/// classes (check_searchable enforces it; see distinct_irrelevance_classes).
inline constexpr std::size_t kMaxLevelOrders = 541;

/// The orders of one level that dominate every other permutation of its loops.
struct LevelOrders {
  FixedVector<Order, kMaxLevelOrders> orders;
  /// of_tensor[t]: an order whose innermost loops are all of t's irrelevant ones.
  PerTensor<std::uint16_t> of_tensor{};

  /// Keeps the first order only (the innermost level, whose order costs nothing).
  void keep_first() noexcept {
    orders.resize(1);
    of_tensor = {};
    space_id = 0;
  }

  // What these orders were made for (LoopOrderSpace::orders reuses them when a level
  // has the same loops again): the space's id (0 = none) and the loops present.
  std::uint64_t space_id = 0;
  std::uint32_t loops = 0;
};

/// The orders of a layer's levels (fixed per layer: its dimensions and its tensors'
/// relevant-dimension masks). Each order puts the loops irrelevant to a shrinking set of
/// tensors innermost: one order per chain of sets (a tensor's cost depends on the order
/// only through the loops after its last relevant one, so these dominate every
/// permutation). When no dimension is irrelevant to two tensors or more, they are the
/// one-tensor-stationary orders, in tensor order.
class LoopOrderSpace {
 public:
  /// `dims`: the layer's, in order; `relevant[t]`: tensor slot t's mask (bit per Dim).
  LoopOrderSpace(std::span<const Dim> dims, std::span<const std::uint32_t> relevant) noexcept;

  /// The orders of a level with factors f. They depend only on which factors are above
  /// 1, so `out` (callers keep it as scratch: it is large) is left as it is when it holds
  /// this space's orders for the same loops, and rebuilt otherwise.
  void orders(const PerDim<std::int64_t>& f, LevelOrders& out) const noexcept;

 private:
  std::uint64_t id_;  // unique per construction: tells scratch orders of another layer apart
  FixedVector<Dim, kMaxWorkloadDims> dims_;
  FixedVector<std::uint32_t, kMaxTensors> relevant_;
  PerDim<std::uint32_t> irrelevant_{};  // per dimension: the tensors it is irrelevant to
  bool general_ = false;                // some dimension is irrelevant to two tensors or more
};

/// The distinct non-empty sets of tensors to which some dimension of `dims` is
/// irrelevant, when some dimension is irrelevant to two tensors or more; 0 otherwise
/// (the orders are then at most one per tensor). With c classes a level has at most
/// Fubini(c) orders (c = 5: 541).
std::size_t distinct_irrelevance_classes(std::span<const Dim> dims, std::span<const std::uint32_t> relevant) noexcept;

}  // namespace dnnspace::detail
