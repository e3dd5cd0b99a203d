// The report of `dnnspace roofline --gpu NAME`: text and JSON.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <utility>
#include <vector>

#include "dnnspace/model/gpu_roofline.hpp"

namespace dnnspace::report {

/// Per layer (name, cost) and the total: Gop/s, the binding roof, the time each roof
/// needs, the CTC at DRAM and the energy at board power. Ends with a newline.
std::string gpu_text(const GpuTarget& gpu, GpuPrecision precision,
                     const std::vector<std::pair<std::string, GpuLayerCost>>& layers);

/// {"gpu": {name, description, sms, clock_mhz, macs_per_sm_per_cycle, shared_memory_bytes_per_sm,
/// shared_memory_bytes_per_cycle_per_sm, l2_bytes, l2_bandwidth_gbps, dram_bandwidth_gbps, power_w,
/// die_area_mm2, efficiency}, "precision", "peak_ops_per_s", "layers": [{name, ops, tile, compute_s,
/// dram_bytes, dram_s, l2_bytes, l2_s, smem_bytes, smem_s, time_s, bound, ops_per_s, ctc_ops_per_byte,
/// energy_j}], "total": {ops, time_s,
/// ops_per_s, energy_j, ops_per_joule, ops_per_s_per_mm2}}.
nlohmann::json gpu_json(const GpuTarget& gpu, GpuPrecision precision,
                        const std::vector<std::pair<std::string, GpuLayerCost>>& layers);

}  // namespace dnnspace::report
