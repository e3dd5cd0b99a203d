#include "dnnspace/report/optimize_report.hpp"

#include <nlohmann/json.hpp>

#include "dnnspace/report/evaluation.hpp"

namespace dnnspace::report {
namespace {

nlohmann::json layer_json(const Layer& layer, const Architecture& arch, const LayerSearch& ls) {
  const MapperResult& result = ls.result;
  if (!result.found) {
    return {{"name", layer.name},
            {"found", false},
            {"interrupted", result.interrupted},
            {"timed_out", result.timed_out},
            {"proven_optimal", false}};
  }
  // The architecture as costed: with the storage the mapper chose where it was left open.
  const Architecture costed = with_storage(arch, result.storage);
  nlohmann::json lj = evaluation_json(layer, costed, result.mapping, result.cost);
  lj["name"] = layer.name;
  lj["found"] = true;
  lj["interrupted"] = result.interrupted;
  lj["timed_out"] = result.timed_out;
  lj["proven_optimal"] = result.proven_optimal();
  lj["replicated"] = result.replicated;
  lj["mappings_evaluated"] = result.evaluated;
  if (ls.same_search_as.empty()) {
    // What the bounds of docs/search.md did in this search.
    lj["search"] = {{"work_items", result.work_items},
                    {"pruned_blockings", result.pruned},
                    {"skipped_items", result.skipped_items},
                    {"skipped_blockings", result.skipped_blockings},
                    {"skipped_subtrees", result.skipped_subtrees},
                    {"bound_evaluations", result.bound_evaluations},
                    {"work_items_searched", result.work_items_searched},
                    {"storage_choices_searched", result.storage_choices_searched},
                    {"storage_choices_skipped", result.storage_choices_skipped}};
  } else {
    lj["same_search_as"] = ls.same_search_as;
  }
  return lj;
}

}  // namespace

nlohmann::json optimize_json(const Network& network, const Architecture& arch, const NetworkSearch& search,
                             const OptimizeRunInfo& info) {
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < search.layers.size(); ++i) {
    layers.push_back(layer_json(network.layers[i], arch, search.layers[i]));
  }
  const std::int64_t run_batch = network.layers.empty() ? 1 : batch_size(network.layers.front());
  bool one_batch = true;
  for (const Layer& l : network.layers) one_batch = one_batch && batch_size(l) == run_batch;
  const NetworkTotals& total = search.total;
  const TableVMetrics& metrics = search.metrics;
  nlohmann::json j = {{"network", network.name},
                      {"arch", arch.name},
                      {"batch", one_batch ? nlohmann::json(run_batch) : nlohmann::json("per layer")},
                      {"objective", info.objective},
                      {"min_utilization", info.min_utilization},
                      {"interrupted", search.interrupted},
                      {"layers", layers},
                      {"complete", search.complete()},
                      {"unmapped", search.unmapped},
                      {"fuse", info.fuse},
                      {"total",
                       {{"energy_pj", total.energy_pj},
                        {"macs", total.macs},
                        {"cycles", total.cycles},
                        {"offchip_bytes", total.offchip_bytes},
                        {"leakage_energy_pj", total.leakage_energy_pj},
                        {"layers_mapped", total.layers_mapped},
                        {"mappings_evaluated", total.mappings_evaluated}}},
                      {"metrics",
                       {{"latency_s", metrics.latency_s},
                        {"throughput_inferences_per_s", metrics.throughput_inferences_per_s},
                        {"offchip_bytes_per_inference", metrics.offchip_bytes_per_inference},
                        {"onchip_memory_bytes", metrics.onchip_memory_bytes},
                        {"area_mm2", metrics.area_mm2},
                        {"pes", metrics.pes},
                        {"bits_per_operand", metrics.bits_per_operand}}}};
  if (info.fuse) {
    nlohmann::json boundaries = nlohmann::json::array();
    std::int64_t saved = 0;
    for (const LayerBoundary& b : search.boundaries) {
      saved += b.dram_bytes_saved;
      boundaries.push_back({{"from", b.from},
                            {"to", b.to},
                            {"connected", b.connected},
                            {"fits", b.fits},
                            {"resident", b.resident},
                            {"tensor_bytes", b.tensor_bytes},
                            {"dram_bytes_saved", b.dram_bytes_saved}});
    }
    j["boundaries"] = boundaries;
    j["residency_level"] = arch.levels[static_cast<std::size_t>(search.residency_level)].name;
    j["total"]["dram_bytes_saved"] = saved;
  }
  return j;
}

}  // namespace dnnspace::report
