// A GPU described by its datasheet: SMs, clock, multiply-add throughput per precision,
// on-chip and DRAM capacities and bandwidths, power and die area; the bound model of
// model/gpu_roofline.hpp places it next to an accelerator (docs/platforms.md, "GPUs").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/core/expected.hpp"

namespace dnnspace {

enum class GpuPrecision : std::uint8_t { Fp32, Fp16, Int8 };

/// "fp32", "fp16", "int8".
std::string_view gpu_precision_name(GpuPrecision p) noexcept;
/// Parses a gpu_precision_name(); the error lists the allowed names.
[[nodiscard]] Expected<GpuPrecision> parse_gpu_precision(std::string_view name);
/// Bytes of one operand at that precision.
constexpr int gpu_precision_bytes(GpuPrecision p) noexcept {
  return p == GpuPrecision::Fp32 ? 4 : p == GpuPrecision::Fp16 ? 2 : 1;
}

struct GpuTarget {
  std::string name;
  std::string description;            ///< the part and where its figures come from
  std::int64_t sms = 1;
  double clock_mhz = 1000.0;          ///< the clock the throughput figures assume (boost)
  /// Multiply-adds per SM per cycle for fp32, fp16, int8 (index by GpuPrecision); a
  /// precision without faster units runs at the fp32 rate.
  std::array<double, 3> macs_per_sm_per_cycle{};
  std::int64_t shared_memory_bytes_per_sm = 0;
  double shared_memory_bytes_per_cycle_per_sm = 0.0;  ///< its bandwidth; 0 = not stated (no roof)
  std::int64_t l2_bytes = 0;
  double l2_bandwidth_gbps = 0.0;     ///< 0 = not stated (no L2 roof)
  double dram_bandwidth_gbps = 0.0;
  double power_w = 0.0;               ///< board power (TDP)
  double die_area_mm2 = 0.0;
  /// The fraction of the peak a tuned library reaches on a large GEMM: the compute roof
  /// is the peak times this (docs/platforms.md).
  double efficiency = 0.75;
};

/// k20m (DaDianNao's GPU baseline, 000 Sec. IV), gtx680 (Coates et al.'s, 000 Sec. III),
/// a100 (a current data-center GPU).
std::vector<std::string_view> gpu_preset_names();
[[nodiscard]] Expected<GpuTarget> gpu_preset(std::string_view name);

}  // namespace dnnspace
