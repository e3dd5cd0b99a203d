// The dataflow design space of 004 Sec. III-C and VI-A: every U|V dataflow of a layer,
// each with its optimal blocking (004 Fig. 7 and 8).
#pragma once

#include <cstdint>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// Every dataflow with 1..max_loops_per_axis loops on each of the two array axes, over
/// the dimensions the layer has (bound > 1). The loops of one axis are ordered (the first
/// gets the nearest neighbours, 004 Sec. III-C), no dimension appears twice, and U|V and
/// V|U count once (the cost model treats the two axes alike; on a non-square array the
/// orientation listed is the one whose first row dimension comes first in N K C P Q R S G
/// order). max_loops_per_axis = 1 is two_loop_dataflows (21 for a full CONV layer); with
/// d dimensions and at most r loops per axis the count is
///   (1/2) * sum over a, b in 1..r of d!/(d-a)! * (d-a)!/(d-a-b)!
/// i.e. 651 (r = 2) and 6531 (r = 3) for d = 7. Ordered by the first loop of each axis
/// (as two_loop_dataflows), then by the number of loops, then lexicographically.
/// A layer with fewer than two dimensions above 1 has one dataflow: its lone dimension
/// on the rows ("M|"), or nothing unrolled. Error when max_loops_per_axis is outside 1..3.
[[nodiscard]] Expected<std::vector<Dataflow>> dataflow_space(const Layer& layer, int max_loops_per_axis);

/// One dataflow of the space with its optimal blocking.
struct DataflowPoint {
  Dataflow dataflow;
  MapperResult result;  ///< result.found = false when no blocking meets the constraints
};

/// Runs find_best_mapping once per dataflow (options.dataflows is replaced by each one in
/// turn, with no replication fallback; its stop and progress pointers are honoured: progress counts finished work items
/// of every dataflow). Returns the points in the order of `dataflows`; when stopped
/// early, only the dataflows reached are present (the last one may be interrupted).
/// Error when the mapper answers a dataflow with a mapping of another dataflow: it does not
/// support that dataflow, and a result under its name would be false.
[[nodiscard]] Expected<std::vector<DataflowPoint>> sweep_dataflows(const Layer& layer, const Architecture& arch,
                                                                   const std::vector<Dataflow>& dataflows,
                                                                   const MapperOptions& options);

}  // namespace dnnspace
