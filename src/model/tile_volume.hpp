// Internal to the model: data volumes of a tensor across one level boundary.
#pragma once

#include <cstdint>

#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::detail {

/// Total words of tensor t moved across a boundary, summed over epochs and instances
/// (docs/model.md, "volumes"). child is a storage level index, or num_levels for the
/// MACs (no storage: every time step is an epoch). union_parent < 0 gives the
/// per-instance volume V_child; otherwise the volume seen by union_parent when the
/// tiles of all child instances below one parent instance are merged (multicast or
/// spatial reduction), V_union.
std::int64_t boundary_volume(const Layer& layer, const Nest& nest, TensorId t, int child,
                             int union_parent, int num_levels) noexcept;

}  // namespace dnnspace::detail
