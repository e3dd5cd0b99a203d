#include "dnnspace/report/scale_report.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

#include "dnnspace/report/text_table.hpp"

namespace dnnspace::report {
namespace {

std::string num(double x, int decimals, const std::string& unit = "") {
  return std::isfinite(x) ? fixed(x, decimals) + unit : "-";
}

nlohmann::json finite(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

}  // namespace

std::string scale_text(const ScaleStudy& s) {
  std::vector<std::vector<std::string>> rows = {{"nodes", "busy", "step (ms)", "compute (ms)", "links (ms)", "samples/s",
                                                 "speedup", "efficiency", "Gop/s", "Gop/s/mm2", "energy (J)", "Gop/J"}};
  for (const ScalePoint& p : s.points) {
    rows.push_back({std::to_string(p.nodes), std::to_string(p.busy_nodes), num(p.step_s * 1e3, 3),
                    num(p.compute_s * 1e3, 3), num(p.communication_s * 1e3, 3), num(p.samples_per_s(s.batch), 1),
                    num(s.speedup(p), 2, "x"), num(s.efficiency(p) * 100.0, 1, "%"), num(p.ops_per_s() / 1e9, 1),
                    num(p.ops_per_s() / 1e9 / p.area_mm2, 3), std::isfinite(p.energy_j()) ? compact_number(p.energy_j()) : "-",
                    num(p.ops / 1e9 / p.energy_j(), 2)});
  }
  std::string out = render_table(rows);
  for (const ScalePoint& p : s.points) {
    for (const std::string& n : p.notes) out += "  " + std::to_string(p.nodes) + " nodes: " + n + "\n";
  }
  if (!s.one_node_error.empty()) out += "no speedups: one node cannot run the step: " + s.one_node_error + "\n";
  if (s.interrupted) out += "interrupted: the node counts after the last row were not run\n";
  return out;
}

nlohmann::json scale_json(const ScaleStudy& s) {
  nlohmann::json points = nlohmann::json::array();
  for (const ScalePoint& p : s.points) {
    points.push_back({{"nodes", p.nodes},
                      {"busy_nodes", p.busy_nodes},
                      {"compute_s", p.compute_s},
                      {"communication_s", p.communication_s},
                      {"step_s", p.step_s},
                      {"samples_per_s", p.samples_per_s(s.batch)},
                      {"speedup", finite(s.speedup(p))},
                      {"efficiency", finite(s.efficiency(p))},
                      {"ops", p.ops},
                      {"ops_per_s", p.ops_per_s()},
                      {"ops_per_s_per_mm2", finite(p.ops_per_s() / p.area_mm2)},
                      {"node_energy_j", finite(p.node_energy_j)},
                      {"link_energy_j", p.link_energy_j},
                      {"energy_j", finite(p.energy_j())},
                      {"ops_per_joule", finite(p.ops / p.energy_j())},
                      {"area_mm2", finite(p.area_mm2)},
                      {"link_bytes", p.link_bytes},
                      {"complete", p.complete},
                      {"notes", p.notes}});
  }
  return {{"batch", s.batch},
          {"points", points},
          {"one_node_error", s.one_node_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.one_node_error)},
          {"interrupted", s.interrupted}};
}

}  // namespace dnnspace::report
