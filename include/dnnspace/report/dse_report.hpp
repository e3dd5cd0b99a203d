// The report of a hardware sweep and of the auto-optimizer (`dnnspace dse`): per design
// point the network totals and an area estimate, the Pareto frontiers, as text, JSON and CSV.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

#include "dnnspace/search/dse.hpp"

namespace dnnspace::report {

/// What a DSE report shows about the run, besides the points.
struct DseInfo {
  std::string network;
  std::string base_arch;
  std::string objective;       ///< energy, cycles or edp
  double min_utilization = 0.0;
  std::string dataflow;        ///< the fixed dataflow, or "" for the free search
  std::size_t layers = 0;      ///< layers in the network
  bool interrupted = false;
  int max_loops_per_axis = 1;  ///< the free search's dataflows (MapperOptions)
  std::string storage_search;  ///< storage_search_text of the base ("" when nothing is left open)
};

/// One row per point (label, energy, pJ/MAC, cycles, area, layers mapped, and a mark for
/// each frontier it is on), then both frontiers as lists of labels. Ends with a newline.
std::string dse_table(const std::vector<DesignPoint>& points, const DesignFronts& fronts, const DseInfo& info);

/// {network, base, objective, min_utilization, dataflow (null = any), max_loops_per_axis, interrupted,
///  points: [design_point_json], pareto: {energy_vs_area: [labels], energy_vs_cycles: [labels]}}.
nlohmann::json dse_json(const std::vector<DesignPoint>& points, const DesignFronts& fronts, const DseInfo& info);

/// One point as {label, arch, levels: [{name, capacity_bytes, access_energy_pj,
/// energy_source}], array: {rows, cols}, energy_pj, cycles, macs, area_mm2,
/// level_energy_pj {name -> pJ}, layers_mapped, complete, interrupted, layers: [{name,
/// found, dataflow, energy_pj, cycles, utilization, mapping}]}.
nlohmann::json design_point_json(const DesignPoint& point);

/// CSV with a header row: label, rf_bytes, rf2_bytes, gb_bytes, gb2_bytes, array_rows,
/// array_cols, energy_pj, cycles, macs, area_mm2, layers_mapped, complete,
/// pareto_energy_area, pareto_energy_cycles (sizes empty when the level is absent;
/// booleans 0/1). The label is quoted. Ends with a newline.
std::string dse_csv(const std::vector<DesignPoint>& points, const DesignFronts& fronts);

/// The auto-optimizer's report: the designs explored (as dse_table), the base, the best
/// one- and two-register-file designs, the chosen hierarchy level by level, and the gain
/// (base objective / chosen objective). Ends with a newline.
std::string auto_optimizer_table(const AutoOptimizerResult& result, const DseInfo& info);

/// {network, base (design_point_json), explored: [...], best_one_rf, best_two_rf (labels or
///  null), chosen (design_point_json or null), gain (null when base or chosen is incomplete),
///  interrupted, pareto (as dse_json, over explored)}.
nlohmann::json auto_optimizer_json(const AutoOptimizerResult& result, const DseInfo& info);

}  // namespace dnnspace::report
