#include "dnnspace/arch/fpga_target.hpp"

#include <array>
#include <cmath>
#include <tuple>
#include <utility>

namespace dnnspace {

double bram_words(int word_bits) noexcept {
  // (width, depth) of an 18 Kb BRAM's configurations (Xilinx 7-series and UltraScale).
  constexpr std::array<std::array<int, 2>, 6> kShapes = {{{1, 16384}, {2, 8192}, {4, 4096}, {9, 2048}, {18, 1024}, {36, 512}}};
  for (const auto& [width, depth] : kShapes) {
    if (word_bits <= width) return depth;
  }
  return 512.0 / std::ceil(word_bits / 36.0);
}

std::int64_t bram_for_words(std::int64_t words, int word_bits) noexcept {
  if (words <= 0) return 0;
  const std::int64_t across = word_bits > 36 ? (word_bits + 35) / 36 : 1;
  const auto depth = static_cast<std::int64_t>(bram_words(word_bits) * static_cast<double>(across));
  return (words + depth - 1) / depth * across;
}

namespace {

// Zhang et al. (FPGA 2015) ran on a VC707 board: Virtex-7 XC7VX485T (2,800 DSP48E1 slices,
// 2,060 18 Kb BRAMs, 303,600 LUTs, 607,200 flip-flops per Xilinx's 7-series overview), at
// 100 MHz in fp32, where a multiply-add takes 5 DSPs (3 for the multiplier, 2 for the
// adder). 000 Sec. V-D quotes its result and its power (18 W); the DRAM bandwidth is not
// stated there: 4.5 GB/s is taken as the board's effective rate (docs/platforms.md says why).
FpgaTarget vc707() {
  return {"vc707", 2800, 2060, 303600, 607200, 100.0, 4.5, 32, 5, true, 18.0, 0.0};
}

// 004 Sec. VI validates its FPGA backend on a ZCU102: Zynq UltraScale+ XCZU9EG (2,520
// DSP48E2 slices, 1,824 18 Kb BRAMs (912 36 Kb), 274,080 LUTs, 548,160 flip-flops) at
// 200 MHz (004 Table VII) with 16-bit fixed point (004 Sec. VI-A: "All DNNs evaluated use
// 16-bit precision"), one DSP per MAC. DRAM: the board's 64-bit DDR4-2400 = 19.2 GB/s.
FpgaTarget zcu102() {
  return {"zcu102", 2520, 1824, 274080, 548160, 200.0, 19.2, 16, 1, false, 0.0, 0.0};
}

}  // namespace

std::vector<std::string_view> fpga_preset_names() { return {"vc707", "zcu102"}; }

Expected<FpgaTarget> fpga_preset(std::string_view name) {
  if (name == "vc707") return vc707();
  if (name == "zcu102") return zcu102();
  std::string names;
  for (std::string_view n : fpga_preset_names()) names += (names.empty() ? "" : ", ") + std::string(n);
  return Error{"unknown FPGA target '" + std::string(name) + "' (built in: " + names + ")"};
}

Expected<void> validate_fpga_target(const FpgaTarget& t) {
  const std::string prefix = "FPGA target '" + t.name + "': field '";
  if (t.name.empty()) return Error{"FPGA target: field 'name': must not be empty"};
  const auto whole = [&](std::string_view field, std::int64_t value, std::int64_t lo) -> Expected<void> {
    if (value < lo || value > (std::int64_t{1} << 40)) {
      return Error{prefix + std::string(field) + "': must be a whole number in " + std::to_string(lo) + "..2^40, got " +
                   std::to_string(value)};
    }
    return {};
  };
  for (const auto& [field, value, lo] : {std::tuple{"dsp_slices", t.dsp_slices, 1}, std::tuple{"bram_18k", t.bram_18k, 1},
                                         std::tuple{"dsp_per_mac", t.dsp_per_mac, 1}, std::tuple{"luts", t.luts, 0},
                                         std::tuple{"flip_flops", t.flip_flops, 0}}) {
    if (auto ok = whole(field, value, lo); !ok) return ok;
  }
  // At least 1e-6 (1 Hz, 1 KB/s): below that, times overflow what a report can show.
  for (const auto& [field, value] : {std::pair{"clock_mhz", t.clock_mhz}, std::pair{"dram_bandwidth_gbps", t.dram_bandwidth_gbps}}) {
    if (!std::isfinite(value) || value < 1e-6 || value > 1e6) {
      return Error{prefix + field + "': must be a finite number in 1e-6..1e6, got " + std::to_string(value)};
    }
  }
  for (const auto& [field, value] : {std::pair{"power_w", t.power_w}, std::pair{"die_area_mm2", t.die_area_mm2}}) {
    if (!std::isfinite(value) || value < 0.0 || (value > 0.0 && value < 1e-3) || value > 1e6) {
      return Error{prefix + field + "': must be 0 (not stated) or a number in 0.001..1e6, got " + std::to_string(value)};
    }
  }
  if (t.word_bits < 1 || t.word_bits > 64) {
    return Error{prefix + "word_bits': must be a whole number in 1..64, got " + std::to_string(t.word_bits)};
  }
  return {};
}

}  // namespace dnnspace
