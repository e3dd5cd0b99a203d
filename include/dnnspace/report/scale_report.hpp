// The report of `dnnspace scale`: text and JSON.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "dnnspace/search/scale.hpp"

namespace dnnspace::report {

/// One row per node count: busy nodes, step time (compute, communication), samples/s,
/// speedup and efficiency against one node, Gop/s, Gop/s per mm^2, energy and Gop/J;
/// then the notes. Ends with a newline.
std::string scale_text(const ScaleStudy& study);

/// {"batch", "points": [{nodes, busy_nodes, compute_s, communication_s, step_s,
/// samples_per_s, speedup, efficiency, ops, ops_per_s, ops_per_s_per_mm2, node_energy_j,
/// link_energy_j, energy_j, ops_per_joule, area_mm2, link_bytes, complete, notes}],
/// "one_node_error" (why one node cannot run the step, or null), "interrupted"}; a number the platform cannot give (no power or area stated) is null.
nlohmann::json scale_json(const ScaleStudy& study);

}  // namespace dnnspace::report
