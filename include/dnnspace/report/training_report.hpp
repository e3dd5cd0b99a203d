// The report of a training step's search (optimize --training): text and JSON.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/search/training_search.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace::report {

/// The tables after optimize's header line: per layer the energy of each pass and the
/// update, the step's energy, cycles and off-chip bytes, the dataflow of each pass and
/// where its kept activations live; each pass's mapping; the step's parts (forward,
/// dgrad, wgrad, update) with their shares; the memory of a training step. Ends with a
/// newline.
std::string training_text(const Network& network, const Architecture& arch, const TrainingSearch& search,
                          const TrainingOptions& options);

/// {"training": {optimizer, time_steps, keep_activations ("on-chip if it fits" | "dram"),
/// residency_level (name or null)}, "layers": [{name, energy_pj, cycles, offchip_bytes (the
/// layer's share of the step), passes: {forward, dgrad, wgrad: evaluation_json plus found,
/// reached, interrupted, timed_out, proven_optimal, mappings_evaluated, same_search_as, or
/// null when the pass does not run; update: {parameters, operations, energy_pj, mac_energy_pj, leakage_energy_pj,
/// cycles, offchip_bytes} or null}, kept: {words, bytes, level (null when
/// nothing is kept)}, reserved_bytes}],
/// "total": {energy_pj, energy_per_sample_pj, macs, update_operations, cycles,
/// offchip_bytes, leakage_energy_pj, mappings_evaluated, forward, dgrad, wgrad, update:
/// {energy_pj, macs, cycles, offchip_bytes}}, "footprint": {parameter_bytes,
/// gradient_bytes, optimizer_state_bytes, stored_offchip_bytes, stored_onchip_bytes,
/// gradient_in_flight_bytes, total_bytes}, "complete", "unmapped", "interrupted"}.
nlohmann::json training_json(const Network& network, const Architecture& arch, const TrainingSearch& search,
                             const TrainingOptions& options);

}  // namespace dnnspace::report
