#include "dnnspace/report/dse_report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "dnnspace/arch/storage_choice.hpp"
#include "dnnspace/arch/tech_table.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/report/dataflow_report.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/report/text_table.hpp"

namespace dnnspace::report {
namespace {

// %.17g keeps every bit of a double in CSV.
std::string exact(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

bool on(const std::vector<std::size_t>& front, std::size_t i) {
  return std::find(front.begin(), front.end(), i) != front.end();
}

std::string header_line(const DseInfo& info) {
  return info.network + " (" + std::to_string(info.layers) + " layers) from base " + info.base_arch + ", objective " +
         info.objective + ", utilization >= " + fixed(info.min_utilization, 2) + ", " +
         dataflow_choice_text(info.dataflow, info.max_loops_per_axis) +
         (info.storage_search.empty() ? std::string() : ", " + info.storage_search) + "\n";
}

std::string points_table(const std::vector<DesignPoint>& points, const DesignFronts& fronts, std::size_t layers) {
  std::vector<std::vector<std::string>> rows = {
      {"point", "energy (pJ)", "pJ/MAC", "cycles", "area (mm2)", "mapped", "front E/A", "front E/cyc"}};
  bool any_timed_out = false;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const DesignPoint& p = points[i];
    bool timed_out = false;  // some layer's search ran out of --time-limit
    for (const MapperResult& r : p.layers) timed_out = timed_out || r.timed_out;
    any_timed_out = any_timed_out || timed_out;
    rows.push_back({p.label + (p.interrupted ? " (stopped)" : timed_out ? " (time limit)" : ""), group_digits_of(p.energy_pj),
                    p.macs ? fixed(p.energy_pj / static_cast<double>(p.macs), 4) : "-", group_digits(p.cycles),
                    fixed(p.area_mm2, 3), std::to_string(p.layers_mapped) + "/" + std::to_string(layers),
                    on(fronts.energy_vs_area, i) ? "*" : "", on(fronts.energy_vs_cycles, i) ? "*" : ""});
  }
  std::string out = render_table(rows);
  if (any_timed_out) {
    out += "(time limit): --time-limit stopped some layer's search at that point: its totals are the best of the part "
           "searched, not proven optimal\n";
  }
  // Layers without a mapping (they keep points incomplete, usually the same ones
  // everywhere), and each layer mapped with a replicated extension of the fixed dataflow
  // once, with the dataflows it got over the points (first seen first).
  std::vector<std::string> unmapped;
  std::vector<std::pair<std::string, std::vector<std::string>>> replicated;
  const auto add_once = [](std::vector<std::string>& list, std::string entry) {
    if (std::find(list.begin(), list.end(), entry) == list.end()) list.push_back(std::move(entry));
  };
  for (const DesignPoint& p : points) {
    for (std::size_t l = 0; l < p.layers.size(); ++l) {
      const MapperResult& r = p.layers[l];
      if (!r.found) add_once(unmapped, p.layer_names[l]);
      if (!r.replicated) continue;
      auto it = std::find_if(replicated.begin(), replicated.end(), [&](const auto& e) { return e.first == p.layer_names[l]; });
      if (it == replicated.end()) it = replicated.insert(replicated.end(), {p.layer_names[l], {}});
      add_once(it->second, dataflow_name(dataflow_of(r.mapping, p.arch)));
    }
  }
  const auto joined = [](const std::vector<std::string>& list) {
    std::string names;
    for (const std::string& n : list) names += (names.empty() ? "" : ", ") + n;
    return names;
  };
  if (!replicated.empty()) {
    std::vector<std::string> entries;
    for (const auto& [name, dataflows] : replicated) entries.push_back(name + " (" + joined(dataflows) + ")");
    out += "layers the fixed dataflow cannot map above the floor, mapped with one more loop on an array axis "
           "(--fallback replicate; the dataflows each got over the points): " + joined(entries) + "\n";
  }
  if (!unmapped.empty()) {
    out += "layers without a mapping above the utilization floor in some point: " + joined(unmapped) +
           " (such points are left off the frontiers)\n";
  }
  return out;
}

std::string front_lines(const std::vector<DesignPoint>& points, const DesignFronts& fronts) {
  const auto list = [&](const std::vector<std::size_t>& front, bool area) {
    std::string s;
    for (std::size_t i : front) {
      s += "    " + points[i].label + ": " + group_digits_of(points[i].energy_pj) + " pJ, " +
           (area ? fixed(points[i].area_mm2, 3) + " mm2" : group_digits(points[i].cycles) + " cycles") + "\n";
    }
    return s.empty() ? std::string("    (no point with every layer mapped)\n") : s;
  };
  return "Pareto frontier, energy vs area (smallest area first):\n" + list(fronts.energy_vs_area, true) +
         "Pareto frontier, energy vs cycles (fewest cycles first):\n" + list(fronts.energy_vs_cycles, false);
}

nlohmann::json labels(const std::vector<DesignPoint>& points, const std::vector<std::size_t>& front) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i : front) out.push_back(points[i].label);
  return out;
}

std::string hierarchy(const Architecture& arch) {
  std::string s;
  for (std::size_t l = 0; l < arch.levels.size(); ++l) {
    const StorageLevel& level = arch.levels[l];
    const bool per_pe = static_cast<int>(l) > arch.array.parent_level;
    s += "    " + level.name + ": " + (level.capacity_bytes ? format_bytes(level.capacity_bytes) : "unbounded") +
         (per_pe ? " per PE" : "") + (level.double_buffered ? ", double buffered" : "") + ", " +
         fixed(level.access_energy_pj, 4) + " pJ/access (" + level.energy_source + ")" +
         (level.read_energy_pj ? ", reads " + fixed(*level.read_energy_pj, 4) + " pJ" : "") +
         (level.write_energy_pj ? ", writes " + fixed(*level.write_energy_pj, 4) + " pJ" : "") + "\n";
    if (static_cast<int>(l) == arch.array.parent_level) {
      s += "    array: " + std::to_string(arch.array.rows) + " x " + std::to_string(arch.array.cols) + " PEs\n";
    }
  }
  return s;
}

}  // namespace

nlohmann::json design_point_json(const DesignPoint& p) {
  nlohmann::json levels = nlohmann::json::array();
  nlohmann::json level_energy = nlohmann::json::object();
  for (std::size_t l = 0; l < p.arch.levels.size(); ++l) {
    levels.push_back(level_json(p.arch, l));
    level_energy[p.arch.levels[l].name] = p.level_energy_pj[l];
  }
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    const MapperResult& r = p.layers[i];
    nlohmann::json lj = {{"name", p.layer_names[i]}, {"found", r.found}, {"interrupted", r.interrupted},
                         {"timed_out", r.timed_out},
                         {"replicated", r.replicated}};
    if (r.found) {
      lj["dataflow"] = dataflow_name(dataflow_of(r.mapping, p.arch));
      lj["energy_pj"] = r.cost.energy_pj;
      lj["cycles"] = r.cost.cycles;
      lj["utilization"] = r.cost.utilization;
      lj["mapping"] = compact_mapping(p.arch, r.mapping);
      if (leaves_storage_open(p.arch)) lj["storage"] = storage_json(with_storage(p.arch, r.storage));
    }
    layers.push_back(lj);
  }
  return {{"label", p.label},
          {"arch", p.arch.name},
          {"levels", levels},
          {"array", {{"rows", p.arch.array.rows}, {"cols", p.arch.array.cols}}},
          {"energy_pj", p.energy_pj},
          {"cycles", p.cycles},
          {"macs", p.macs},
          {"area_mm2", p.area_mm2},
          {"level_energy_pj", level_energy},
          {"layers_mapped", p.layers_mapped},
          {"complete", p.complete},
          {"interrupted", p.interrupted},
          {"layers", layers}};
}

std::string dse_table(const std::vector<DesignPoint>& points, const DesignFronts& fronts, const DseInfo& info) {
  std::string out = "design space of " + header_line(info);
  out += std::to_string(points.size()) + " design points" + (info.interrupted ? " (interrupted)" : "") + "\n\n";
  out += points_table(points, fronts, info.layers) + "\n" + front_lines(points, fronts);
  return out;
}

nlohmann::json dse_json(const std::vector<DesignPoint>& points, const DesignFronts& fronts, const DseInfo& info) {
  nlohmann::json list = nlohmann::json::array();
  for (const DesignPoint& p : points) list.push_back(design_point_json(p));
  return {{"network", info.network},
          {"base", info.base_arch},
          {"objective", info.objective},
          {"min_utilization", info.min_utilization},
          {"dataflow", info.dataflow.empty() ? nlohmann::json(nullptr) : nlohmann::json(info.dataflow)},
          {"max_loops_per_axis", info.max_loops_per_axis},
          {"interrupted", info.interrupted},
          {"points", list},
          {"pareto", {{"energy_vs_area", labels(points, fronts.energy_vs_area)},
                      {"energy_vs_cycles", labels(points, fronts.energy_vs_cycles)}}}};
}

std::string dse_csv(const std::vector<DesignPoint>& points, const DesignFronts& fronts) {
  std::string out =
      "label,rf_bytes,rf2_bytes,gb_bytes,gb2_bytes,array_rows,array_cols,energy_pj,cycles,macs,area_mm2,layers_mapped,"
      "complete,pareto_energy_area,pareto_energy_cycles\n";
  for (std::size_t i = 0; i < points.size(); ++i) {
    const DesignPoint& p = points[i];
    const LevelRoles roles = level_roles(p.arch);
    const auto size = [&](int level) {
      return level < 0 ? std::string() : std::to_string(p.arch.levels[static_cast<std::size_t>(level)].capacity_bytes);
    };
    std::string label = p.label;  // labels hold no quotes, but be safe: double them
    for (std::size_t k = label.find('"'); k != std::string::npos; k = label.find('"', k + 2)) label.insert(k, 1, '"');
    out += "\"" + label + "\"," + size(roles.rf) + "," + size(roles.rf2) + "," + size(roles.gb) + "," + size(roles.gb2) +
           "," + std::to_string(p.arch.array.rows) + "," + std::to_string(p.arch.array.cols) + "," + exact(p.energy_pj) +
           "," + std::to_string(p.cycles) + "," + std::to_string(p.macs) + "," + exact(p.area_mm2) + "," +
           std::to_string(p.layers_mapped) + "," + (p.complete ? "1" : "0") + "," +
           (on(fronts.energy_vs_area, i) ? "1" : "0") + "," + (on(fronts.energy_vs_cycles, i) ? "1" : "0") + "\n";
  }
  return out;
}

std::string auto_optimizer_table(const AutoOptimizerResult& result, const DseInfo& info) {
  std::string out = "auto-optimizer (004 Sec. VI-C) on " + header_line(info);
  out += "step 1: dataflow C|K; step 2: register file and global buffer sizes; step 3: a second register file\n";
  out += std::to_string(result.explored.size()) + " designs explored" + (result.interrupted ? " (interrupted)" : "") +
         "\n\n";
  std::vector<DesignPoint> all = {result.base};
  all.insert(all.end(), result.explored.begin(), result.explored.end());
  const DesignFronts fronts = design_fronts(all);
  out += points_table(all, fronts, info.layers) + "\n";
  const auto describe = [&](const std::optional<std::size_t>& i) {
    return i ? result.explored[*i].label + ": " + group_digits_of(result.explored[*i].energy_pj) +
                   " pJ"
             : std::string("none");
  };
  out += "best with one register file:  " + describe(result.best_one_rf) + "\n";
  out += "best with two register files: " + describe(result.best_two_rf) + "\n";
  const DesignPoint* chosen = result.chosen ? &result.explored[*result.chosen] : (result.base_chosen ? &result.base : nullptr);
  if (!chosen) {
    out += "no design maps every layer; nothing chosen\n";
    return out;
  }
  out += "chosen: " + chosen->label + "\n" + hierarchy(chosen->arch);
  if (result.base.complete) {
    const double gain = design_objective(Objective::Energy, result.base) / chosen->energy_pj;
    out += "energy " + group_digits_of(chosen->energy_pj) + " pJ vs base " +
           group_digits_of(result.base.energy_pj) + " pJ: " + fixed(gain, 2) +
           "x better energy efficiency; cycles " + group_digits(chosen->cycles) + " vs " + group_digits(result.base.cycles) +
           "; area " + fixed(chosen->area_mm2, 3) + " vs " + fixed(result.base.area_mm2, 3) + " mm2\n";
  } else {
    out += "the base does not map every layer, so there is no gain to report\n";
  }
  return out;
}

nlohmann::json auto_optimizer_json(const AutoOptimizerResult& result, const DseInfo& info) {
  nlohmann::json explored = nlohmann::json::array();
  for (const DesignPoint& p : result.explored) explored.push_back(design_point_json(p));
  const DesignPoint* chosen = result.chosen ? &result.explored[*result.chosen] : (result.base_chosen ? &result.base : nullptr);
  const auto label_of = [&](const std::optional<std::size_t>& i) {
    return i ? nlohmann::json(result.explored[*i].label) : nlohmann::json(nullptr);
  };
  const DesignFronts fronts = design_fronts(result.explored);
  nlohmann::json gain = nullptr;
  if (chosen && result.base.complete && chosen->energy_pj > 0) gain = result.base.energy_pj / chosen->energy_pj;
  return {{"network", info.network},
          {"objective", info.objective},
          {"min_utilization", info.min_utilization},
          {"interrupted", result.interrupted},
          {"base", design_point_json(result.base)},
          {"explored", explored},
          {"best_one_rf", label_of(result.best_one_rf)},
          {"best_two_rf", label_of(result.best_two_rf)},
          {"chosen", chosen ? design_point_json(*chosen) : nlohmann::json(nullptr)},
          {"energy_gain", gain},
          {"pareto", {{"energy_vs_area", labels(result.explored, fronts.energy_vs_area)},
                      {"energy_vs_cycles", labels(result.explored, fronts.energy_vs_cycles)}}}};
}

}  // namespace dnnspace::report
