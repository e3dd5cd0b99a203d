// How each tensor of a workload is indexed by the loop dimensions: its projection.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dnnspace/core/dims.hpp"
#include "dnnspace/core/fixed_vector.hpp"
#include "dnnspace/core/tensor_id.hpp"

namespace dnnspace {

/// Most dimensions one workload may have (docs/model.md Sec. 8).
inline constexpr std::size_t kMaxWorkloadDims = 16;

/// coef x dim, one term of an index expression.
struct IndexTerm {
  std::int64_t coef = 1;
  Dim dim = Dim::N;
  friend constexpr bool operator==(const IndexTerm&, const IndexTerm&) = default;
};

/// One axis of a tensor's index: a single term, or the sum of two (a sliding window:
/// P*2 + R is a stride-2 window, P + R*2 a dilation of 2). A second term with coef 0
/// is absent.
struct IndexAxis {
  IndexTerm first;
  IndexTerm second{0, Dim::N};

  constexpr bool window() const noexcept { return second.coef != 0; }
  friend constexpr bool operator==(const IndexAxis&, const IndexAxis&) = default;
};

/// A tensor's index: one expression per axis, outermost axis first (its row-major
/// layout). Every dimension appears in at most one term of one axis, so the words a
/// tile touches are the product of the axes' distinct values (docs/model.md Sec. 3).
struct TensorProjection {
  FixedVector<IndexAxis, kMaxWorkloadDims> axes;
  std::uint32_t relevant = 0;  ///< bit d: some axis names dimension d

  /// Appends an axis and marks its dimensions relevant.
  constexpr void add(IndexAxis axis) noexcept {
    axes.push_back(axis);
    relevant |= 1u << static_cast<unsigned>(axis.first.dim);
    if (axis.window()) relevant |= 1u << static_cast<unsigned>(axis.second.dim);
  }
  friend constexpr bool operator==(const TensorProjection&, const TensorProjection&) = default;
};

/// Whether the tensor is indexed by d (004 Sec. III: a tensor is reused across the
/// dimensions it does not index).
constexpr bool is_relevant(const TensorProjection& p, Dim d) noexcept {
  return (p.relevant >> static_cast<unsigned>(d)) & 1u;
}

/// Whether some axis of the tensor is a sum of two dimensions (a sliding window).
constexpr bool slides(const TensorProjection& p) noexcept {
  for (const IndexAxis& a : p.axes) if (a.window()) return true;
  return false;
}

/// The projection of every tensor slot: TensorId::Outputs is the accumulated tensor,
/// the others the operands of the multiply.
using Projection = PerTensor<TensorProjection>;

/// Values an axis spans over the whole workload: (b1 - 1) * c1 + (b2 - 1) * c2 + 1 (a
/// padded plane's rows for a convolution). No overflow check: check_layer_size did it.
constexpr std::int64_t axis_size(const IndexAxis& a, const PerDim<std::int64_t>& bounds) noexcept {
  std::int64_t size = (bounds[a.first.dim] - 1) * a.first.coef + 1;
  if (a.window()) size += (bounds[a.second.dim] - 1) * a.second.coef;
  return size;
}

/// Words of a tensor: the product of its axes' sizes.
constexpr std::int64_t projected_size(const TensorProjection& p, const PerDim<std::int64_t>& bounds) noexcept {
  std::int64_t size = 1;
  for (const IndexAxis& a : p.axes) size *= axis_size(a, bounds);
  return size;
}

}  // namespace dnnspace
