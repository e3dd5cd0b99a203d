#include "dnnspace/model/gpu_roofline.hpp"

#include <algorithm>

namespace dnnspace {

std::int64_t gpu_block_tile(const GpuTarget& gpu, GpuPrecision precision) noexcept {
  // Per k-step of 32, a T x 32 slice of each operand, double buffered: 4 x T x 32 words.
  constexpr std::int64_t kStep = 32;
  const std::int64_t bytes = gpu_precision_bytes(precision);
  std::int64_t tile = 256;
  while (tile > 1 && 4 * tile * kStep * bytes > gpu.shared_memory_bytes_per_sm) tile /= 2;
  return tile;
}

GpuLayerCost gpu_layer_cost(const Layer& layer, const GpuTarget& gpu, GpuPrecision precision) noexcept {
  GpuLayerCost c;
  const double macs_count = static_cast<double>(macs(layer));
  const double bytes = gpu_precision_bytes(precision);
  const double clock_hz = gpu.clock_mhz * 1e6;
  c.ops = 2.0 * macs_count;
  const double peak_macs_per_s =
      static_cast<double>(gpu.sms) * gpu.macs_per_sm_per_cycle[static_cast<std::size_t>(precision)] * clock_hz;
  c.compute_s = macs_count / (peak_macs_per_s * gpu.efficiency);
  for (TensorId t : layer_tensors(layer)) c.dram_bytes += static_cast<double>(tensor_size(layer, t)) * bytes;
  c.dram_s = c.dram_bytes / (gpu.dram_bandwidth_gbps * 1e9);
  if (layer.kind == LayerKind::Workload) {
    c.l2_bytes = c.smem_bytes = c.dram_bytes;
  } else {
    const auto& b = layer.bounds;
    const double rows = static_cast<double>(b[Dim::N]) * static_cast<double>(b[Dim::P]) * static_cast<double>(b[Dim::Q]);
    const double cols = static_cast<double>(b[Dim::K]);
    const double depth = static_cast<double>(b[Dim::C]) * static_cast<double>(b[Dim::R]) * static_cast<double>(b[Dim::S]);
    c.tile = gpu_block_tile(gpu, precision);
    const double tile_rows = std::min(static_cast<double>(c.tile), rows), tile_cols = std::min(static_cast<double>(c.tile), cols);
    const double groups = static_cast<double>(b[Dim::G]);
    c.l2_bytes = (groups * rows * cols * depth * (1.0 / tile_rows + 1.0 / tile_cols) + groups * rows * cols) * bytes;
    const double warp = std::min<double>(64.0, static_cast<double>(c.tile));
    c.smem_bytes = macs_count * 2.0 / warp * bytes;
  }
  c.l2_s = gpu.l2_bandwidth_gbps > 0.0 ? c.l2_bytes / (gpu.l2_bandwidth_gbps * 1e9) : 0.0;
  const double smem_bytes_per_s = static_cast<double>(gpu.sms) * gpu.shared_memory_bytes_per_cycle_per_sm * clock_hz;
  c.smem_s = smem_bytes_per_s > 0.0 ? c.smem_bytes / smem_bytes_per_s : 0.0;
  c.time_s = c.compute_s;
  c.bound = "compute";
  if (c.dram_s > c.time_s) c.time_s = c.dram_s, c.bound = "DRAM";
  if (c.l2_s > c.time_s) c.time_s = c.l2_s, c.bound = "L2";
  if (c.smem_s > c.time_s) c.time_s = c.smem_s, c.bound = "shared memory";
  c.energy_j = gpu.power_w * c.time_s;
  return c;
}

}  // namespace dnnspace
