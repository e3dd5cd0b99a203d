#include "dnnspace/report/training_report.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "dnnspace/core/checked.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/report/text_table.hpp"

namespace dnnspace::report {
namespace {

constexpr std::array<Pass, kTrainingPasses> kPasses = {Pass::Forward, Pass::DataGradient, Pass::WeightGradient};

std::string kept_where(const Architecture& arch, const TrainingLayer& tl) {
  if (tl.needs.stored_total() == 0) return "-";  // nothing kept
  return group_digits(tl.stored_bytes) + " B in " + arch.levels[static_cast<std::size_t>(tl.stored_level)].name;
}

std::int64_t run_batch(const Network& network) { return network.layers.empty() ? 1 : batch_size(network.layers.front()); }

}  // namespace

std::string training_text(const Network& network, const Architecture& arch, const TrainingSearch& search,
                          const TrainingOptions& options) {
  const std::int64_t steps = options.time_steps;
  std::vector<std::vector<std::string>> rows = {{"layer", "forward (pJ)", "dgrad (pJ)", "wgrad (pJ)", "update (pJ)",
                                                 "step (pJ)", "cycles", "off-chip (B)", "dataflow fwd / dgrad / wgrad",
                                                 "kept for backprop"}};
  std::string mappings;
  for (const TrainingLayer& tl : search.layers) {
    std::vector<std::string> row = {tl.name};
    std::string dataflows;
    for (std::size_t p = 0; p < kTrainingPasses; ++p) {
      const MapperResult& r = tl.passes[p].result;
      std::string cell = "-", flow = "-";
      if (tl.runs[p]) {
        if (r.found) {
          cell = group_digits_of(r.cost.energy_pj * static_cast<double>(steps)) +
                 (r.interrupted ? " (stopped)" : r.timed_out ? " (time limit)" : "");
          flow = dataflow_name(dataflow_of(r.mapping, arch)) + (r.replicated ? " *" : "");
          const Architecture costed = with_storage(arch, r.storage);
          mappings += "  " + tl.name + " " + std::string(pass_name(kPasses[p])) + ": " +
                      compact_mapping(costed, r.mapping) + "\n";
        } else {
          cell = !tl.reached[p] ? "not reached" : r.interrupted ? "interrupted" : "no mapping";
          flow = "?";
        }
      }
      row.push_back(cell);
      dataflows += (p ? " / " : "") + flow;
    }
    row.push_back(tl.update.parameters > 0 ? group_digits_of(tl.update.cost.energy_pj) : "-");
    row.push_back(group_digits_of(tl.energy_pj));
    row.push_back(group_digits(tl.cycles));
    row.push_back(group_digits(tl.offchip_bytes));
    row.push_back(dataflows);
    row.push_back(kept_where(arch, tl));
    rows.push_back(row);
  }
  std::string out = render_table(rows) + "\n";
  if (steps > 1) out += "each pass runs " + std::to_string(steps) + " time steps (backprop through time): its energy, cycles and traffic above are the steps' sum; one update\n\n";
  out += "mappings (outermost level first; | rows/cols = spatial):\n" + mappings + "\n";

  const NetworkTotals& t = search.total;
  const double samples = static_cast<double>(run_batch(network));
  std::vector<std::vector<std::string>> parts = {{"part", "energy (pJ)", "share", "MACs (update: operations)", "cycles", "off-chip (B)"}};
  const auto part_row = [&](const std::string& name, const NetworkTotals& p, std::int64_t work) {
    parts.push_back({name, group_digits_of(p.energy_pj),
                     t.energy_pj > 0 ? fixed(100.0 * p.energy_pj / t.energy_pj, 1) + "%" : "-", group_digits(work),
                     group_digits(p.cycles), group_digits(p.offchip_bytes)});
  };
  for (std::size_t p = 0; p < kTrainingPasses; ++p) {
    part_row(std::string(pass_name(kPasses[p])), search.pass_totals[p], search.pass_totals[p].macs);
  }
  part_row("update (" + std::string(optimizer_name(options.optimizer)) + ")", search.update_total, search.update_operations);
  part_row("step", t, t.macs);
  out += "training step (" + std::string(search.complete() ? "every pass mapped" : "NOT complete: some passes are in no sum") +
         (search.interrupted ? ", interrupted" : "") + ")\n" + render_table(parts, "  ");
  if (!search.unmapped.empty()) {
    std::string names;
    for (const std::string& u : search.unmapped) names += (names.empty() ? "" : ", ") + u;
    out += "  no mapping: " + names + "\n";
  }
  const NetworkTotals& fwd = search.pass_totals[0];
  if (!search.complete()) out += "  (the sums below leave out the passes named above or not reached)\n";
  out += "  energy per sample " + group_digits_of(t.energy_pj / samples) + " pJ (" +
         (fwd.energy_pj > 0 ? fixed(t.energy_pj / fwd.energy_pj, 2) + "x its forward pass" : std::string("-")) + ")\n";
  out += "  latency           " + group_digits(t.cycles) + " cycles = " +
         fixed(seconds_of_cycles(arch, static_cast<double>(t.cycles)) * 1e3, 3) + " ms per step of " +
         std::to_string(run_batch(network)) + " samples\n";
  if (has_leakage(arch)) out += "  leakage           " + group_digits_of(t.leakage_energy_pj) + " pJ (in the energy)\n";

  const TrainingFootprint& f = search.footprint;
  const std::string outer = arch.levels[0].name;
  std::vector<std::vector<std::string>> mem = {{"tensor", "bytes", "lives in"}};
  mem.push_back({"weights", group_digits(f.parameter_bytes), outer});
  mem.push_back({"weight gradients", group_digits(f.gradient_bytes), outer});
  mem.push_back({"optimizer state", group_digits(f.optimizer_state_bytes), outer});
  mem.push_back({"kept activations", group_digits(f.stored_offchip_bytes), outer});
  if (search.residency_level > 0) {
    mem.push_back({"kept activations", group_digits(f.stored_onchip_bytes),
                   arch.levels[static_cast<std::size_t>(search.residency_level)].name});
  }
  mem.push_back({"gradients in flight", group_digits(f.gradient_in_flight_bytes), outer + " (the largest layer's)"});
  mem.push_back({"total", group_digits(f.total_bytes), ""});
  out += "\nmemory of a training step at its peak (the end of the forward pass):\n" + render_table(mem, "  ");
  return out;
}

nlohmann::json training_json(const Network& network, const Architecture& arch, const TrainingSearch& search,
                             const TrainingOptions& options) {
  const std::int64_t steps = options.time_steps;
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < search.layers.size(); ++i) {
    const TrainingLayer& tl = search.layers[i];
    nlohmann::json passes = nlohmann::json::object();
    for (std::size_t p = 0; p < kTrainingPasses; ++p) {
      const std::string name(pass_name(kPasses[p]));
      if (!tl.runs[p]) {
        passes[name] = nullptr;
        continue;
      }
      const LayerSearch& ls = tl.passes[p];
      const MapperResult& r = ls.result;
      nlohmann::json pj = nlohmann::json::object();
      if (r.found) {
        const Architecture costed = with_storage(arch, r.storage);
        pj = evaluation_json(with_pass(network.layers[i], kPasses[p]), costed, r.mapping, r.cost);
      }
      pj["found"] = r.found;
      pj["reached"] = tl.reached[p];
      pj["interrupted"] = r.interrupted;
      pj["timed_out"] = r.timed_out;
      pj["proven_optimal"] = r.proven_optimal();
      pj["mappings_evaluated"] = r.evaluated;
      if (!ls.same_search_as.empty()) pj["same_search_as"] = ls.same_search_as;
      passes[name] = pj;
    }
    if (tl.update.parameters > 0) {
      const CostResult& c = tl.update.cost;
      passes["update"] = {{"parameters", tl.update.parameters},   {"operations", tl.update.operations},
                          {"energy_pj", c.energy_pj},             {"mac_energy_pj", c.mac_energy_pj},
                          {"leakage_energy_pj", c.leakage_energy_pj}, {"cycles", c.cycles},
                          {"offchip_bytes", c.offchip_bytes}};
    } else {
      passes["update"] = nullptr;
    }
    layers.push_back({{"name", tl.name},
                      {"energy_pj", tl.energy_pj},
                      {"cycles", tl.cycles},
                      {"offchip_bytes", tl.offchip_bytes},
                      {"passes", passes},
                      {"kept",
                       {{"words", saturating_mul(tl.needs.stored_total(), steps)},
                        {"bytes", tl.stored_bytes},
                        {"level", tl.needs.stored_total() == 0
                                      ? nlohmann::json(nullptr)
                                      : nlohmann::json(arch.levels[static_cast<std::size_t>(tl.stored_level)].name)}}},
                      {"reserved_bytes", tl.reserved_bytes}});
  }
  const auto part = [](const NetworkTotals& p, std::int64_t work) {
    return nlohmann::json{{"energy_pj", p.energy_pj}, {"macs", work}, {"cycles", p.cycles}, {"offchip_bytes", p.offchip_bytes}};
  };
  const NetworkTotals& t = search.total;
  nlohmann::json total = {{"energy_pj", t.energy_pj},
                          {"energy_per_sample_pj", t.energy_pj / static_cast<double>(run_batch(network))},
                          {"macs", t.macs},
                          {"update_operations", search.update_operations},
                          {"cycles", t.cycles},
                          {"offchip_bytes", t.offchip_bytes},
                          {"leakage_energy_pj", t.leakage_energy_pj},
                          {"mappings_evaluated", t.mappings_evaluated}};
  for (std::size_t p = 0; p < kTrainingPasses; ++p) {
    total[std::string(pass_name(kPasses[p]))] = part(search.pass_totals[p], search.pass_totals[p].macs);
  }
  total["update"] = part(search.update_total, search.update_operations);
  const TrainingFootprint& f = search.footprint;
  return {{"training",
           {{"optimizer", std::string(optimizer_name(options.optimizer))},
            {"time_steps", steps},
            {"keep_activations", options.keep_on_chip ? "on-chip if it fits" : "dram"},
            {"residency_level", search.residency_level > 0
                                    ? nlohmann::json(arch.levels[static_cast<std::size_t>(search.residency_level)].name)
                                    : nlohmann::json(nullptr)}}},
          {"layers", layers},
          {"total", total},
          {"footprint",
           {{"parameter_bytes", f.parameter_bytes},
            {"gradient_bytes", f.gradient_bytes},
            {"optimizer_state_bytes", f.optimizer_state_bytes},
            {"stored_offchip_bytes", f.stored_offchip_bytes},
            {"stored_onchip_bytes", f.stored_onchip_bytes},
            {"gradient_in_flight_bytes", f.gradient_in_flight_bytes},
            {"total_bytes", f.total_bytes}}},
          {"complete", search.complete()},
          {"unmapped", search.unmapped},
          {"interrupted", search.interrupted}};
}

}  // namespace dnnspace::report
