// The printed form of a mapping: the indented loop nest with where each tile lives.
#pragma once

#include <string>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// The loop nest, outermost first, one line per loop, e.g.
///   [DRAM] inputs weights outputs
///   for N in 0..16
///     for K in 0..12
///   [GlobalBuffer] tile: inputs 7200, weights 9216, outputs 5408 words
///       for P in 0..13
///         spatial-for C in 0..16 (rows)
/// A level header marks where that level's tiles live (the loops below it iterate
/// inside its tile). Factors of 1 are omitted.
std::string format_loop_nest(const Layer& layer, const Architecture& arch, const Mapping& mapping);

/// The mapping in the YAML interchange form (io/mapping_yaml reads it back).
std::string format_mapping_yaml(const Architecture& arch, const Mapping& mapping);

}  // namespace dnnspace
