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
};

/// The orders of a level with factors f over `dims` (the layer's, in order), for tensors
/// whose relevant-dimension masks are `relevant` (one per tensor slot). Each order puts
/// the loops irrelevant to a shrinking set of tensors innermost: one order per chain of
/// sets (a tensor's cost depends on the order only through the loops after its last
/// relevant one, so these dominate every permutation). When no loop is irrelevant to two
/// tensors or more, they are the one-tensor-stationary orders, in tensor order.
/// `out` is cleared first (callers keep it as scratch: it is large).
void canonical_orders(const PerDim<std::int64_t>& f, std::span<const Dim> dims,
                      std::span<const std::uint32_t> relevant, LevelOrders& out) noexcept;

/// The distinct non-empty sets of tensors to which some dimension of `dims` is
/// irrelevant, when some dimension is irrelevant to two tensors or more; 0 otherwise
/// (the orders are then at most one per tensor). With c classes a level has at most
/// Fubini(c) orders (c = 5: 541).
std::size_t distinct_irrelevance_classes(std::span<const Dim> dims, std::span<const std::uint32_t> relevant) noexcept;

}  // namespace dnnspace::detail
