#include "dnnspace/report/evaluation.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <vector>

#include "dnnspace/arch/area.hpp"
#include "dnnspace/arch/storage_choice.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/mapping/print.hpp"
#include "dnnspace/report/network_report.hpp"
#include "dnnspace/report/text_table.hpp"
#include "dnnspace/workload/custom_workload.hpp"

namespace dnnspace::report {
namespace {

// A fixed-point number with thousands separators in its integer part, so that the
// nine- and ten-digit energies of a real layer stay readable.
std::string group_fixed(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  const bool negative = !text.empty() && text[0] == '-';
  const std::size_t begin = negative ? 1 : 0;
  std::size_t end = text.find('.');
  if (end == std::string::npos) end = text.size();
  for (std::size_t i = end; i > begin + 3; i -= 3) text.insert(i - 3, ",");
  return text;
}

std::string percent(double fraction) { return fmt::format("{:.1f}%", 100.0 * fraction); }

// The breakdown key of a level: its name, unless it clashes with the fixed keys.
std::string level_key(const StorageLevel& level) {
  if (level.name == "MAC" || level.name == "Array" || level.name == "Leakage") return "level:" + level.name;
  return level.name;
}

std::string infeasibility_text(const Architecture& arch, const CostResult& cost) {
  switch (cost.infeasibility) {
    case Infeasibility::None: return "feasible";
    case Infeasibility::Capacity: {
      const bool known = cost.infeasible_level >= 0 &&
                         static_cast<std::size_t>(cost.infeasible_level) < arch.levels.size();
      return "INFEASIBLE: tiles overflow level '" +
             (known ? arch.levels[static_cast<std::size_t>(cost.infeasible_level)].name : std::string("?")) + "'";
    }
    case Infeasibility::ArraySize: return "INFEASIBLE: spatial loops need more PEs than the array has";
  }
  return "?";
}

double pj_per_mac(const CostResult& cost) {
  return cost.macs > 0 ? cost.energy_pj / static_cast<double>(cost.macs) : 0.0;
}

}  // namespace

std::string group_digits(std::int64_t value) {
  std::string text = std::to_string(value);
  const std::size_t begin = value < 0 ? 1 : 0;
  for (std::size_t i = text.size(); i > begin + 3; i -= 3) text.insert(i - 3, ",");
  return text;
}

std::string group_digits_of(double value) {
  if (!std::isfinite(value) || std::abs(value) >= 9.0e18) return fmt::format("{:.6g}", value);
  return group_digits(static_cast<std::int64_t>(value));
}

std::string tensors_text(const Layer& layer) {
  const Projection p = projection_of(layer);
  std::string out;
  for (TensorId t : display_tensors(layer)) {
    out += std::string(out.empty() ? "" : t == TensorId::Outputs ? " -> " : " * ") + tensor_name(layer, t) + "[";
    for (std::size_t i = 0; i < p[t].axes.size(); ++i) out += (i ? "," : "") + index_axis_text(p[t].axes[i]);
    out += "]";
  }
  return out;
}

std::string layer_shape(const Layer& layer) {
  std::string out;
  for (Dim d : layer.dims) {
    if (!layer.custom && d == Dim::G && layer.bounds[d] == 1) continue;
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", dim_letter(d), layer.bounds[d]);
  }
  if (layer.custom) return out + ": " + tensors_text(layer);
  auto pair = [](std::int64_t h, std::int64_t w) {
    return h == w ? std::to_string(h) : std::to_string(h) + "x" + std::to_string(w);
  };
  if (layer.stride_h != 1 || layer.stride_w != 1) out += " stride=" + pair(layer.stride_h, layer.stride_w);
  if (layer.pad_h != 0 || layer.pad_w != 0) out += " pad=" + pair(layer.pad_h, layer.pad_w);
  if (layer.dilation_h != 1 || layer.dilation_w != 1) {
    out += " dilation=" + pair(layer.dilation_h, layer.dilation_w);
  }
  return out;
}


nlohmann::json evaluation_json(const Layer& layer, const Architecture& arch, const Mapping& mapping,
                               const CostResult& cost) {
  using nlohmann::json;
  json breakdown = json::object();
  json by_tensor = json::object();
  json accesses = json::object();
  const std::size_t levels = std::min(arch.levels.size(), static_cast<std::size_t>(cost.num_levels));
  for (std::size_t l = 0; l < levels; ++l) {
    const LevelCost& lc = cost.levels[l];
    const std::string key = level_key(arch.levels[l]);
    breakdown[key] = lc.energy_total_pj;
    json energies = json::object();
    json counts = json::object();
    for (TensorId t : display_tensors(layer)) {
      const std::string name(tensor_name(layer, t));
      energies[name] = lc.energy_pj[t];
      counts[name] = {{"reads", lc.accesses[t].reads}, {"writes", lc.accesses[t].writes}};
    }
    by_tensor[key] = energies;
    accesses[key] = counts;
  }
  breakdown["MAC"] = cost.mac_energy_pj;
  breakdown["Array"] = cost.array_energy_pj;
  breakdown["Leakage"] = cost.leakage_energy_pj;
  json array_energies = json::object();
  json transfers = json::object();
  for (TensorId t : display_tensors(layer)) {
    array_energies[std::string(tensor_name(layer, t))] = array_energy_pj(arch, cost, t);
    transfers[std::string(tensor_name(layer, t))] = cost.array_transfers[t];
  }
  by_tensor["Array"] = array_energies;

  return json{{"arch", arch.name},
              {"layer", layer_json(layer)},
              {"dataflow", dataflow_name(dataflow_of(mapping, arch))},
              {"feasible", cost.feasible()},
              {"energy_pj", cost.energy_pj},
              {"energy_breakdown_pj", breakdown},
              {"energy_by_tensor_pj", by_tensor},
              {"accesses", accesses},
              {"array_transfers", transfers},
              {"cycles", cost.cycles},
              {"compute_cycles", cost.compute_cycles},
              {"performed_macs", cost.performed_macs},
              {"refill_stall_cycles", cost.refill_stall_cycles},
              {"folds", cost.folds},
              {"fill_drain_cycles", cost.fill_drain_cycles},
              {"array_timing", arch.array.timing == ArrayTiming::Systolic ? "systolic" : "ideal"},
              {"leakage_energy_pj", cost.leakage_energy_pj},
              {"area_mm2", area_mm2(arch)},
              {"utilization", cost.utilization},
              {"achieved_utilization", cost.achieved_utilization},
              {"bound_by", cost.bound_level < 0 ? std::string("compute") : arch.levels[static_cast<std::size_t>(cost.bound_level)].name},
              {"offchip_bytes", cost.offchip_bytes},
              {"pj_per_mac", pj_per_mac(cost)},
              {"storage", storage_json(arch)},
              {"mapping", format_loop_nest(layer, arch, mapping)},
              {"mapping_yaml", format_mapping_yaml(arch, mapping)}};
}

std::string evaluation_table(const Layer& layer, const Architecture& arch, const Mapping& mapping,
                             const CostResult& cost) {
  std::string out;
  const std::size_t levels = std::min(arch.levels.size(), static_cast<std::size_t>(cost.num_levels));
  const auto parent = static_cast<std::size_t>(arch.array.parent_level);
  out += render_table(
      {{"arch", fmt::format("{}: {} levels, {}x{} PEs below {}, {}-bit words, {} MHz", arch.name,
                            arch.levels.size(), arch.array.rows, arch.array.cols,
                            parent < arch.levels.size() ? arch.levels[parent].name : std::string("?"),
                            arch.word_bits, arch.clock_mhz)},
       {"layer", fmt::format("{} ({}{}): {}", layer.name, layer_kind_name(layer.kind),
                             layer.pass == Pass::Forward ? "" : ", " + std::string(pass_name(layer.pass)),
                             layer_shape(layer))},
       {"MACs", group_digits(cost.macs)},
       {"area", area_text(arch)},
       {"dataflow", dataflow_name(dataflow_of(mapping, arch))},
       {"status", infeasibility_text(arch, cost)}},
      "", true);

  // Energy: one row per level, then the array and the MACs; the share column makes the
  // dominant term visible at a glance (DRAM, usually).
  const double total = cost.energy_pj;
  auto share = [&](double pj) { return total > 0.0 ? percent(pj / total) : std::string("-"); };
  const auto tensors = display_tensors(layer);
  std::vector<std::vector<std::string>> energy = {{"energy (pJ)"}};
  for (TensorId t : tensors) energy[0].push_back(tensor_name(layer, t));
  energy[0].insert(energy[0].end(), {"total", "share"});
  for (std::size_t l = 0; l < levels; ++l) {
    const LevelCost& lc = cost.levels[l];
    std::vector<std::string> row = {arch.levels[l].name};
    for (TensorId t : tensors) row.push_back(group_fixed(lc.energy_pj[t], 1));
    row.insert(row.end(), {group_fixed(lc.energy_total_pj, 1), share(lc.energy_total_pj)});
    energy.push_back(row);
  }
  std::vector<std::string> array_row = {"Array"};
  for (TensorId t : tensors) array_row.push_back(group_fixed(array_energy_pj(arch, cost, t), 1));
  array_row.insert(array_row.end(), {group_fixed(cost.array_energy_pj, 1), share(cost.array_energy_pj)});
  energy.push_back(array_row);
  std::vector<std::pair<const char*, double>> tail = {{"MAC", cost.mac_energy_pj}};
  if (has_leakage(arch)) tail.emplace_back("Leakage", cost.leakage_energy_pj);
  tail.emplace_back("total", total);
  for (const auto& [name, pj] : tail) {
    std::vector<std::string> row = {name};
    row.resize(1 + tensors.size());
    row.insert(row.end(), {group_fixed(pj, 1), share(pj)});
    energy.push_back(row);
  }
  out += "\n" + render_table(energy);
  out += fmt::format("pJ/MAC {:.4f}\n", pj_per_mac(cost));

  std::vector<std::vector<std::string>> counts = {{"accesses (words)"}, {""}};
  for (TensorId t : tensors) {
    counts[0].insert(counts[0].end(), {tensor_name(layer, t), ""});
    counts[1].insert(counts[1].end(), {"reads", "writes"});
  }
  for (std::size_t l = 0; l < levels; ++l) {
    std::vector<std::string> row = {arch.levels[l].name};
    for (TensorId t : tensors) {
      row.push_back(group_digits(cost.levels[l].accesses[t].reads));
      row.push_back(group_digits(cost.levels[l].accesses[t].writes));
    }
    counts.push_back(row);
  }
  std::vector<std::string> transfers_row = {"Array transfers"};
  for (TensorId t : tensors) transfers_row.insert(transfers_row.end(), {group_digits(cost.array_transfers[t]), ""});
  counts.push_back(transfers_row);
  out += "\n" + render_table(counts);

  const double latency_us = seconds_of_cycles(arch, static_cast<double>(cost.cycles)) * 1e6;
  std::vector<std::vector<std::string>> timing = {{"cycles", group_digits(cost.cycles)},
                                                  {"compute cycles", group_digits(cost.compute_cycles)}};
  if (arch.array.timing == ArrayTiming::Systolic) {
    timing.push_back({"fill and drain", fmt::format("{} (systolic: {} folds x {})", group_digits(cost.fill_drain_cycles),
                                                    group_digits(cost.folds),
                                                    group_digits(cost.folds > 0 ? cost.fill_drain_cycles / cost.folds : 0))});
  }
  if (cost.refill_stall_cycles > 0) {
    std::string stalled;
    for (int l = 0; l < cost.num_levels; ++l) {
      const std::int64_t stall = cost.levels[static_cast<std::size_t>(l)].refill_stall_cycles;
      if (stall > 0) stalled += (stalled.empty() ? "" : ", ") + arch.levels[static_cast<std::size_t>(l)].name + " " + group_digits(stall);
    }
    timing.push_back({"refill stalls", group_digits(cost.refill_stall_cycles) + " (single-buffered: " + stalled + ")"});
  }
  std::string achieved;
  if (cost.bound_level >= 0) {
    achieved = fmt::format(", {} achieved: {} bandwidth stalls the array", percent(cost.achieved_utilization),
                           arch.levels[static_cast<std::size_t>(cost.bound_level)].name);
  } else if (cost.refill_stall_cycles > 0) {
    achieved = fmt::format(", {} achieved: refills stall the array", percent(cost.achieved_utilization));
  } else if (cost.fill_drain_cycles > 0) {
    achieved = fmt::format(", {} achieved after fill and drain", percent(cost.achieved_utilization));
  }
  timing.push_back({"utilization", fmt::format("{} of {} PEs", percent(cost.utilization), pe_count(arch)) + achieved});
  timing.push_back({"off-chip bytes", group_digits(cost.offchip_bytes)});
  timing.push_back({"latency", fmt::format("{} us at {} MHz", group_fixed(latency_us, 2), arch.clock_mhz)});
  out += "\n" + render_table(timing, "", true);
  out += "\nloop nest\n" + format_loop_nest(layer, arch, mapping);
  return out;
}

std::string area_text(const Architecture& arch) {
  bool given = false;
  for (const StorageLevel& level : arch.levels) given = given || level.area_mm2.has_value();
  return fmt::format("{:.3f} mm2 ({})", area_mm2(arch),
                     given ? "levels as given or estimated, MACs estimated" : "a 28 nm estimate, docs/arch.md");
}

std::string storage_text(const Architecture& arch) {
  const StorageChoice storage = storage_of(arch);
  std::string out;
  for (std::size_t l = 1; l < arch.levels.size(); ++l) {
    out += (out.empty() ? "" : "; ") + arch.levels[l].name + " " +
           describe_level_storage(storage.levels[l], arch.levels[l].capacity_bytes > 0);
  }
  return out;
}

std::string storage_search_text(const Architecture& arch) {
  bool bypass = false, buffering = false;
  for (const StorageLevel& level : arch.levels) {
    bypass = bypass || level.bypass_searched;
    buffering = buffering || level.buffering_searched;
  }
  if (bypass && buffering) return "bypass and buffering searched";
  if (bypass) return "bypass searched";
  if (buffering) return "buffering searched";
  return "";
}

nlohmann::json storage_json(const Architecture& arch) {
  nlohmann::json out = nlohmann::json::array();
  for (const StorageLevel& level : arch.levels) {
    nlohmann::json keeps = nlohmann::json::array();
    for (TensorId t : kAllTensors) if (level.holds[t]) keeps.push_back(std::string(tensor_name(t)));
    out.push_back({{"level", level.name}, {"keeps", keeps}, {"double_buffered", level.double_buffered}});
  }
  return out;
}

namespace {

// Per tensor, how the level stores it when compressed (empty when nothing is).
nlohmann::json compression_json(const StorageLevel& level) {
  nlohmann::json out = nlohmann::json::object();
  for (TensorId t : kAllTensors) {
    if (level.compression[t] == Compression::None) continue;
    out[std::string(tensor_name(t))] = level.compression[t] == Compression::Bitmask
                                           ? std::string("bitmask")
                                           : "run_length (" + std::to_string(level.run_bits) + "-bit runs)";
  }
  return out;
}

}  // namespace

nlohmann::json level_json(const Architecture& arch, std::size_t l) {
  const StorageLevel& level = arch.levels[l];
  nlohmann::json out = {{"name", level.name},
                        {"capacity_bytes", level.capacity_bytes},
                        {"access_energy_pj", level.access_energy_pj},
                        {"energy_source", level.energy_source},
                        {"read_energy_pj", read_energy_pj(level)},
                        {"write_energy_pj", write_energy_pj(level)},
                        {"per_pe", static_cast<int>(l) > arch.array.parent_level}};
  if (nlohmann::json compression = compression_json(level); !compression.empty()) out["compression"] = compression;
  return out;
}

namespace {

// The array's shape and what it does with zeros.
nlohmann::json array_json(const PeArray& array) {
  nlohmann::json out = {{"rows", array.rows}, {"cols", array.cols}};
  if (array.zeros == ZeroHandling::None) return out;
  out["zeros"] = array.zeros == ZeroHandling::Gate ? "gate" : "skip";
  nlohmann::json checked = nlohmann::json::array();
  for (TensorId t : {TensorId::Inputs, TensorId::Weights}) if (array.zero_checked[t]) checked.push_back(tensor_name(t));
  out["zero_operands"] = checked;
  return out;
}

}  // namespace

nlohmann::json architecture_json(const Architecture& arch) {
  nlohmann::json levels = nlohmann::json::array();
  for (std::size_t l = 0; l < arch.levels.size(); ++l) levels.push_back(level_json(arch, l));
  return {{"name", arch.name},
          {"levels", levels},
          {"array", array_json(arch.array)},
          {"word_bits", arch.word_bits},
          {"mac_energy_pj", arch.mac_energy_pj},
          {"clock_mhz", arch.clock_mhz},
          {"area_mm2", area_mm2(arch)},
          {"storage", storage_json(arch)}};
}

std::string compact_mapping(const Architecture& arch, const Mapping& m) {
  std::string out;
  for (std::size_t l = 0; l < m.levels.size(); ++l) {
    out += (l ? " " : "") + arch.levels[l].name + "[";
    std::string inner;
    for (const Loop& loop : m.levels[l].temporal) {
      inner += (inner.empty() ? "" : " ") + std::string(1, dim_letter(loop.dim)) + std::to_string(loop.factor);
    }
    for (const auto* axis : {&m.levels[l].rows, &m.levels[l].cols}) {
      if (axis->empty()) continue;
      inner += std::string(inner.empty() ? "" : " ") + "| " + (axis == &m.levels[l].rows ? "rows" : "cols");
      for (const Loop& loop : *axis) inner += " " + std::string(1, dim_letter(loop.dim)) + std::to_string(loop.factor);
    }
    out += inner + "]";
  }
  return out;
}


}  // namespace dnnspace::report
