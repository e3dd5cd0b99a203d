// Legality of a mapping: structure, coverage of every dimension, array size, capacity.
#pragma once

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// Checks what evaluate() relies on: one LevelLoops per architecture level, spatial
/// loops only on the level that feeds the PE array, factors >= 1, and for every
/// dimension a product of factors that covers its bound (a larger product leaves a
/// partial last tile). Errors are one line naming the level or dimension.
Expected<void> check_mapping_structure(const Layer& layer, const Architecture& arch,
                                       const Mapping& mapping);

/// Checks the hardware limits: spatial factors per axis within the array, and every
/// level's tiles (doubled when double-buffered) within its capacity.
Expected<void> check_mapping_fits(const Layer& layer, const Architecture& arch,
                                  const Mapping& mapping);

/// Both of the above.
Expected<void> check_mapping(const Layer& layer, const Architecture& arch, const Mapping& mapping);

}  // namespace dnnspace
