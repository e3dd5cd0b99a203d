#include "dnnspace/report/dataflow_report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "dnnspace/mapping/print.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/report/network_report.hpp"
#include "dnnspace/report/text_table.hpp"

namespace dnnspace::report {
namespace {

double best_energy(const std::vector<DataflowPoint>& points, const std::vector<std::size_t>& ranking) {
  for (std::size_t i : ranking) if (points[i].result.found) return points[i].result.cost.energy_pj;
  return 0.0;
}

// Energy relative to the smallest mapped energy (not the objective's best: 004 Fig. 8
// plots energy). 0 when nothing was mapped.
std::vector<double> relative_energies(const std::vector<DataflowPoint>& points) {
  double best = std::numeric_limits<double>::infinity();
  for (const DataflowPoint& p : points) if (p.result.found) best = std::min(best, p.result.cost.energy_pj);
  std::vector<double> out;
  for (const DataflowPoint& p : points) {
    if (p.result.found && best > 0) out.push_back(p.result.cost.energy_pj / best);
  }
  return out;
}

}  // namespace

std::vector<std::size_t> dataflow_ranking(const std::vector<DataflowPoint>& points) {
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const MapperResult& x = points[a].result;
    const MapperResult& y = points[b].result;
    if (x.found != y.found) return x.found;
    return x.found && x.objective_value < y.objective_value;
  });
  return order;
}

std::vector<RelativeBin> relative_histogram(const std::vector<double>& relative, double bin_width, int bins) {
  std::vector<RelativeBin> out(static_cast<std::size_t>(bins) + 1);
  for (int b = 0; b <= bins; ++b) {
    out[static_cast<std::size_t>(b)].from = 1.0 + b * bin_width;
    out[static_cast<std::size_t>(b)].to = b == bins ? std::numeric_limits<double>::infinity() : 1.0 + (b + 1) * bin_width;
  }
  for (double r : relative) {
    // A tiny tolerance so 1.05 computed as 1.0499999 falls in the bin it reads as.
    const double position = (r - 1.0) / bin_width + 1e-9;
    const int b = std::clamp(static_cast<int>(std::floor(position)), 0, bins);
    ++out[static_cast<std::size_t>(b)].count;
  }
  return out;
}

std::string dataflow_sweep_table(const Layer& layer, const Architecture& arch, const std::vector<DataflowPoint>& points,
                                 const DataflowSweepInfo& info) {
  const std::vector<std::size_t> ranking = dataflow_ranking(points);
  const double best = best_energy(points, ranking);
  std::string out = "dataflows of " + layer.name + " (" + layer_shape(layer) + ") on " + arch.name + ", " +
                    (info.loops_per_axis == 1 ? std::string("one loop per array axis")
                                              : "up to " + std::to_string(info.loops_per_axis) + " loops per array axis") +
                    ", objective " + info.objective + ", utilization >= " + fixed(info.min_utilization, 2) +
                    (leaves_storage_open(arch) ? ", " + storage_search_text(arch) : std::string()) + "\n";
  std::int64_t mapped = 0;
  for (const DataflowPoint& p : points) mapped += p.result.found ? 1 : 0;
  out += std::to_string(points.size()) + " of " + std::to_string(info.dataflows_total) + " dataflows searched" +
         (info.interrupted ? " (interrupted)" : "") + ", " + std::to_string(mapped) + " with a mapping\n\n";
  std::vector<std::vector<std::string>> rows = {
      {"rank", "dataflow", "energy (pJ)", "x best", "pJ/MAC", "cycles", "util", "mapping"}};
  std::string unmapped, cut_short;  // no mapping at all; none found before the search stopped
  int rank = 0;
  for (std::size_t i : ranking) {
    const DataflowPoint& p = points[i];
    if (!p.result.found) {
      std::string& list = p.result.timed_out || p.result.interrupted ? cut_short : unmapped;
      list += (list.empty() ? "" : ", ") + dataflow_name(p.dataflow);
      continue;
    }
    const CostResult& c = p.result.cost;
    rows.push_back({std::to_string(++rank), dataflow_name(p.dataflow) + (p.result.interrupted ? " (stopped)" : p.result.timed_out ? " (time limit)" : ""),
                    group_digits_of(c.energy_pj), fixed(best > 0 ? c.energy_pj / best : 0.0, 3),
                    fixed(c.energy_pj / static_cast<double>(c.macs), 4), group_digits(c.cycles),
                    fixed(c.utilization * 100.0, 1) + "%", compact_mapping(arch, p.result.mapping)});
    if (leaves_storage_open(arch)) {
      rows.push_back({"", "", "", "", "", "", "", "storage: " + storage_text(with_storage(arch, p.result.storage))});
    }
  }
  if (rank > 0) out += render_table(rows, "", true);
  bool timed_out = false;
  for (const DataflowPoint& p : points) timed_out = timed_out || p.result.timed_out;
  if (timed_out) out += "\n(time limit): --time-limit stopped that dataflow's search: the best of the part searched, not proven optimal\n";
  if (!unmapped.empty()) out += "\nno mapping above the utilization floor: " + unmapped + "\n";
  if (!cut_short.empty()) out += "\nno mapping found before the search was stopped (time limit or Ctrl-C): " + cut_short + "\n";
  if (rank > 0) {
    out += "\nenergy relative to the best (" + std::to_string(rank) + " dataflows):\n";
    std::vector<std::vector<std::string>> hist = {{"x best", "dataflows", ""}};
    for (const RelativeBin& b : relative_histogram(relative_energies(points))) {
      const std::string range = std::isinf(b.to) ? ">= " + fixed(b.from, 2) : fixed(b.from, 2) + "-" + fixed(b.to, 2);
      hist.push_back({range, std::to_string(b.count), std::string(static_cast<std::size_t>(b.count > 60 ? 60 : b.count), '#')});
    }
    out += render_table(hist, "  ", true);
  }
  return out;
}

nlohmann::json dataflow_sweep_json(const Layer& layer, const Architecture& arch, const std::vector<DataflowPoint>& points,
                                   const DataflowSweepInfo& info) {
  const std::vector<std::size_t> ranking = dataflow_ranking(points);
  const double best = best_energy(points, ranking);
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i : ranking) {
    const DataflowPoint& p = points[i];
    nlohmann::json d = {{"dataflow", dataflow_name(p.dataflow)}, {"found", p.result.found}};
    if (p.result.found) {
      const CostResult& c = p.result.cost;
      d["energy_pj"] = c.energy_pj;
      d["relative_energy"] = best > 0 ? c.energy_pj / best : 0.0;
      d["cycles"] = c.cycles;
      d["utilization"] = c.utilization;
      d["pj_per_mac"] = c.energy_pj / static_cast<double>(c.macs);
      d["mapping"] = compact_mapping(arch, p.result.mapping);
      d["mapping_yaml"] = format_mapping_yaml(arch, p.result.mapping);
      d["storage"] = storage_json(with_storage(arch, p.result.storage));
    }
    d["interrupted"] = p.result.interrupted;
    d["timed_out"] = p.result.timed_out;
    d["proven_optimal"] = p.result.proven_optimal();
    list.push_back(d);
  }
  nlohmann::json distribution = nlohmann::json::array();
  for (const RelativeBin& b : relative_histogram(relative_energies(points))) {
    distribution.push_back({{"from", b.from}, {"to", std::isinf(b.to) ? nlohmann::json(nullptr) : nlohmann::json(b.to)},
                            {"count", b.count}});
  }
  return {{"layer", layer_json(layer)},
          {"arch", arch.name},
          {"objective", info.objective},
          {"min_utilization", info.min_utilization},
          {"loops_per_axis", info.loops_per_axis},
          {"interrupted", info.interrupted},
          {"dataflows_total", info.dataflows_total},
          {"dataflows", list},
          {"distribution", distribution}};
}

std::string dataflow_choice_text(const std::string& fixed_dataflow, int max_loops_per_axis) {
  if (!fixed_dataflow.empty()) return "dataflow " + fixed_dataflow;
  if (max_loops_per_axis <= 1) return "any two-loop dataflow";
  return "any dataflow with up to " + std::to_string(max_loops_per_axis) + " loops per array axis";
}

}  // namespace dnnspace::report
