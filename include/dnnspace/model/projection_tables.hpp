// Internal to the model: what its data volumes need of a layer's tensor projections that
// no mapping changes, built once per problem by prepare() rather than per evaluation.
#pragma once

#include <cstdint>

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
};

ProjectionTables projection_tables(const Layer& layer, const Projection& projection) noexcept;

}  // namespace dnnspace::detail
