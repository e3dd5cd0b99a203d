#include "dnnspace/report/gpu_report.hpp"

#include <nlohmann/json.hpp>

#include "dnnspace/report/text_table.hpp"

namespace dnnspace::report {
namespace {

double peak_ops_per_s(const GpuTarget& g, GpuPrecision p) {
  return 2.0 * static_cast<double>(g.sms) * g.macs_per_sm_per_cycle[static_cast<std::size_t>(p)] * g.clock_mhz * 1e6;
}

struct Sum {
  double ops = 0.0, time_s = 0.0, energy_j = 0.0;
};

Sum sum_of(const std::vector<std::pair<std::string, GpuLayerCost>>& layers) {
  Sum s;
  for (const auto& [name, c] : layers) {
    s.ops += c.ops;
    s.time_s += c.time_s;
    s.energy_j += c.energy_j;
  }
  return s;
}

}  // namespace

std::string gpu_text(const GpuTarget& gpu, GpuPrecision precision,
                     const std::vector<std::pair<std::string, GpuLayerCost>>& layers) {
  std::vector<std::vector<std::string>> rows = {
      {"layer", "Gop/s", "bound by", "compute (ms)", "DRAM (ms)", "L2 (ms)", "shared (ms)", "CTC (op/B)", "energy (mJ)"}};
  for (const auto& [name, c] : layers) {
    rows.push_back({name, fixed(c.ops_per_s() / 1e9, 1), std::string(c.bound), fixed(c.compute_s * 1e3, 4),
                    fixed(c.dram_s * 1e3, 4), gpu.l2_bandwidth_gbps > 0 ? fixed(c.l2_s * 1e3, 4) : "-",
                    gpu.shared_memory_bytes_per_cycle_per_sm > 0 ? fixed(c.smem_s * 1e3, 4) : "-",
                    fixed(c.ctc_ops_per_byte(), 2), fixed(c.energy_j * 1e3, 3)});
  }
  const Sum s = sum_of(layers);
  rows.push_back({"total", fixed(s.time_s > 0 ? s.ops / s.time_s / 1e9 : 0.0, 1), "", "", "", "", "", "",
                  fixed(s.energy_j * 1e3, 3)});
  std::string out = render_table(rows);
  out += "\n" + gpu.description + "\n";
  out += "peak " + fixed(peak_ops_per_s(gpu, precision) / 1e9, 1) + " Gop/s at " + std::string(gpu_precision_name(precision)) +
         ", compute roof x " + fixed(gpu.efficiency, 2) + " (efficiency); DRAM " + fixed(gpu.dram_bandwidth_gbps, 1) +
         " GB/s; L2 " + (gpu.l2_bandwidth_gbps > 0 ? fixed(gpu.l2_bandwidth_gbps, 1) + " GB/s" : std::string("no roof")) +
         "; thread-block tile " + std::to_string(gpu_block_tile(gpu, precision)) + " (" +
         std::to_string(gpu.shared_memory_bytes_per_sm / 1024) + " KB shared memory per SM, " +
         fixed(gpu.shared_memory_bytes_per_cycle_per_sm, 0) + " B per cycle)\n";
  const auto per = [](double a, double b, int decimals) { return b > 0.0 ? fixed(a / b, decimals) : std::string("-"); };
  out += "all layers: " + fixed(s.time_s * 1e3, 3) + " ms, " + fixed(s.energy_j * 1e3, 3) + " mJ at " +
         fixed(gpu.power_w, 0) + " W; " + per(s.ops / 1e9, s.energy_j, 2) + " Gop/J, " +
         per(s.ops / 1e9, s.time_s * gpu.die_area_mm2, 3) + " Gop/s per mm2 of die (" + fixed(gpu.die_area_mm2, 0) +
         " mm2)\n";
  out += "a bound model, not a simulator: each layer at its slowest roof, tensors moved once from DRAM\n";
  return out;
}

nlohmann::json gpu_json(const GpuTarget& gpu, GpuPrecision precision,
                        const std::vector<std::pair<std::string, GpuLayerCost>>& layers) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, c] : layers) {
    list.push_back({{"name", name},
                    {"ops", c.ops},
                    {"tile", c.tile},
                    {"compute_s", c.compute_s},
                    {"dram_bytes", c.dram_bytes},
                    {"dram_s", c.dram_s},
                    {"l2_bytes", c.l2_bytes},
                    {"l2_s", c.l2_s},
                    {"smem_bytes", c.smem_bytes},
                    {"smem_s", c.smem_s},
                    {"time_s", c.time_s},
                    {"bound", c.bound},
                    {"ops_per_s", c.ops_per_s()},
                    {"ctc_ops_per_byte", c.ctc_ops_per_byte()},
                    {"energy_j", c.energy_j}});
  }
  const Sum s = sum_of(layers);
  const auto ratio = [](double a, double b) { return b > 0.0 ? nlohmann::json(a / b) : nlohmann::json(nullptr); };
  return {{"gpu",
           {{"name", gpu.name},
            {"description", gpu.description},
            {"sms", gpu.sms},
            {"clock_mhz", gpu.clock_mhz},
            {"macs_per_sm_per_cycle", gpu.macs_per_sm_per_cycle},
            {"shared_memory_bytes_per_sm", gpu.shared_memory_bytes_per_sm},
            {"shared_memory_bytes_per_cycle_per_sm", gpu.shared_memory_bytes_per_cycle_per_sm},
            {"l2_bytes", gpu.l2_bytes},
            {"l2_bandwidth_gbps", gpu.l2_bandwidth_gbps},
            {"dram_bandwidth_gbps", gpu.dram_bandwidth_gbps},
            {"power_w", gpu.power_w},
            {"die_area_mm2", gpu.die_area_mm2},
            {"efficiency", gpu.efficiency}}},
          {"precision", gpu_precision_name(precision)},
          {"peak_ops_per_s", peak_ops_per_s(gpu, precision)},
          {"layers", list},
          {"total",
           {{"ops", s.ops},
            {"time_s", s.time_s},
            {"ops_per_s", ratio(s.ops, s.time_s)},
            {"energy_j", s.energy_j},
            {"ops_per_joule", ratio(s.ops, s.energy_j)},
            {"ops_per_s_per_mm2", ratio(s.ops, s.time_s * gpu.die_area_mm2)}}}};
}

}  // namespace dnnspace::report
