// The JSON of a network's search (`optimize --json`, the Python module's optimize()).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/search/network_search.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace::report {

/// What the run was asked for, besides the network and architecture.
struct OptimizeRunInfo {
  std::string objective = "energy";  ///< energy, cycles or edp
  double min_utilization = 0.75;
  bool fuse = false;                 ///< search_network_fused
};

/// {network, arch, batch (a number, or "per layer" when layers differ), objective,
/// min_utilization, interrupted, layers: [per layer: {name, found, interrupted,
/// timed_out, proven_optimal} and, when found, evaluation_json of the mapping on the
/// architecture as costed plus replicated, mappings_evaluated and either search {work_items,
/// pruned_blockings, skipped_items, skipped_blockings, skipped_subtrees,
/// bound_evaluations, work_items_searched, storage_choices_searched,
/// storage_choices_skipped} or same_search_as], complete, unmapped, fuse,
/// total {energy_pj, macs, cycles, offchip_bytes, leakage_energy_pj, layers_mapped,
/// mappings_evaluated (and dram_bytes_saved with fuse)}, metrics {latency_s,
/// throughput_inferences_per_s, offchip_bytes_per_inference, onchip_memory_bytes,
/// area_mm2, pes, bits_per_operand}, and with fuse: boundaries [{from, to, connected,
/// fits, resident, tensor_bytes, dram_bytes_saved}], residency_level}.
nlohmann::json optimize_json(const Network& network, const Architecture& arch, const NetworkSearch& search,
                             const OptimizeRunInfo& info);

}  // namespace dnnspace::report
