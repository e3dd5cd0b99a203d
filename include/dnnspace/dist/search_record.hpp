// A finished search as a JSON record, and back: what a checkpoint keeps of a layer's
// search or of a design point, and what an MPI rank sends the root (docs/distributed.md).
// A record keeps the mapping, the storage choice, the flags and the search's counters;
// the cost is not kept but recomputed by the model when read, so a record read back
// gives the same result, bit for bit, as the search that wrote it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/search/dse.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/workload/layer.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace::dist {

/// `result` as a record; `arch` names its levels.
nlohmann::json mapper_result_record(const MapperResult& result, const Architecture& arch);

/// The record read back for `layer` on `arch`: the mapping is checked against the layer
/// (its loops cover every dimension exactly) and costed with the model on the
/// architecture with the recorded storage. Errors name `where` (e.g. "ck.jsonl:3").
[[nodiscard]] Expected<MapperResult> mapper_result_from_record(const nlohmann::json& record, const Layer& layer,
                                                              const Architecture& arch, const std::string& where);

/// A design point of a sweep as a record: its index in the sweep, its label and every
/// layer's search.
nlohmann::json design_point_record(std::size_t index, const DesignPoint& point);

/// The index a design point record names, or an error naming `where`.
[[nodiscard]] Expected<std::size_t> design_point_index(const nlohmann::json& record, const std::string& where);

/// The design point a record describes, rebuilt on `arch` (the sweep's design at its
/// index) exactly as evaluate_design built it: the label and layer names must match.
[[nodiscard]] Expected<DesignPoint> design_point_from_record(const nlohmann::json& record, const Network& network,
                                                             const Architecture& arch, const std::string& label,
                                                             const MapperOptions& options, const std::string& where);

}  // namespace dnnspace::dist
