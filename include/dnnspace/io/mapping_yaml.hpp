// Reading mappings from YAML (the interchange form of docs/model.md).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/mapping/mapping.hpp"

namespace dnnspace::io {

/// Parses
///   mapping:
///     - level: DRAM
///       temporal: [N: 16, K: 12, C: 8]
///     - level: GlobalBuffer
///       temporal: [P: 13, Q: 13]
///       spatial: {rows: [C: 16], cols: [K: 16]}
/// against an architecture's level names. Levels may be omitted (no loops) but not
/// repeated. Errors: one line naming the origin, the field and what is allowed.
/// Loops name dimensions among `dims` (the layer's; the conv ones by default).
Expected<Mapping> parse_mapping_yaml(std::string_view text, const std::string& origin, const Architecture& arch,
                                     std::span<const Dim> dims = kConvDims);

/// Reads a mapping file (see parse_mapping_yaml).
Expected<Mapping> load_mapping_yaml(const std::string& path, const Architecture& arch,
                                    std::span<const Dim> dims = kConvDims);

}  // namespace dnnspace::io
