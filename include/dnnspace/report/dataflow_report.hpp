// The report of a dataflow sweep (`dnnspace dataflows`): the dataflows ranked by the
// objective, and their distribution relative to the best (004 Fig. 7 and 8).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dnnspace/search/dataflow_sweep.hpp"

namespace dnnspace::report {

/// How the dataflow was chosen, for report headers: "dataflow C|K" when fixed, else "any
/// two-loop dataflow" or "any dataflow with up to R loops per array axis".
std::string dataflow_choice_text(const std::string& fixed_dataflow, int max_loops_per_axis);

/// Indices of the points, the mapped ones first by increasing objective value (ties keep
/// the sweep's order), then the unmapped ones in the sweep's order.
std::vector<std::size_t> dataflow_ranking(const std::vector<DataflowPoint>& points);

/// A histogram of values relative to the best (value / best >= 1): bins of `bin_width`
/// starting at 1, the last one open-ended (from 1 + bins x bin_width up).
struct RelativeBin {
  double from = 1.0;
  double to = 1.0;  ///< infinity for the last bin
  std::int64_t count = 0;
};
std::vector<RelativeBin> relative_histogram(const std::vector<double>& relative, double bin_width = 0.05,
                                            int bins = 10);

/// What a dataflow report shows about the run, besides the points.
struct DataflowSweepInfo {
  std::string objective;        ///< energy, cycles or edp
  double min_utilization = 0.0;
  int loops_per_axis = 1;       ///< 1, or the --replication value
  bool interrupted = false;
  std::int64_t dataflows_total = 0;  ///< dataflows in the space (points may hold fewer when interrupted)
};

/// The ranked table (rank, dataflow, energy, energy relative to the best, pJ/MAC, cycles,
/// utilization, mapping), the unmapped dataflows, and the distribution of energy relative
/// to the best mapped dataflow. Ends with a newline.
std::string dataflow_sweep_table(const Layer& layer, const Architecture& arch, const std::vector<DataflowPoint>& points,
                                 const DataflowSweepInfo& info);

/// {layer (layer_json), arch, objective, min_utilization, loops_per_axis, interrupted,
///  dataflows_total, dataflows: [ranked: {dataflow ("C|K"), found, and when found
///  energy_pj, relative_energy, cycles, utilization, pj_per_mac, mapping (one line, as
///  compact_mapping), mapping_yaml, interrupted}], distribution: [{from, to (null = open),
///  count}]}.
nlohmann::json dataflow_sweep_json(const Layer& layer, const Architecture& arch, const std::vector<DataflowPoint>& points,
                                   const DataflowSweepInfo& info);

}  // namespace dnnspace::report
