// An FPGA as a design target: its resources, clock, DRAM bandwidth and what one MAC costs
// in DSP slices (Zhang et al.'s design space as 000 Sec. V describes it; docs/platforms.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/core/expected.hpp"

namespace dnnspace {

struct FpgaTarget {
  std::string name;
  std::int64_t dsp_slices = 0;
  std::int64_t bram_18k = 0;        ///< 18 Kb block RAMs (a 36 Kb block counts as two)
  std::int64_t luts = 0;            ///< informational (0 = not stated); designs are not limited by it
  std::int64_t flip_flops = 0;      ///< informational, as luts
  double clock_mhz = 100.0;
  double dram_bandwidth_gbps = 0.0; ///< GB/s (1e9 bytes per second), shared by all transfers
  int word_bits = 32;               ///< every operand and partial sum
  std::int64_t dsp_per_mac = 5;     ///< DSP slices one multiply-add takes (Virtex-7 fp32: 3 + 2)
  bool floating_point = false;      ///< what word_bits describe, for the report (default fixed point)
  double power_w = 0.0;             ///< the board with the accelerator running (0 = not stated)
  double die_area_mm2 = 0.0;        ///< the part's die (0 = not stated)
};

/// Words of word_bits one 18 Kb BRAM holds: the depth of its narrowest configuration at
/// least that wide (16K x 1, 8K x 2, 4K x 4, 2K x 9, 1K x 18, 512 x 36); a wider word
/// spans ceil(bits / 36) BRAMs side by side, 512 deep, which this counts as a fraction
/// (bram_for_words rounds whole banks up).
double bram_words(int word_bits) noexcept;

/// 18 Kb BRAMs for one bank of `words` words of word_bits: the BRAMs stacked for its depth
/// times those side by side for its width (0 words: none).
std::int64_t bram_for_words(std::int64_t words, int word_bits) noexcept;

/// The built-in targets: vc707 (Zhang et al.'s Virtex-7 485T board at 100 MHz, fp32) and
/// zcu102 (004 Sec. VI's Zynq UltraScale+ XCZU9EG at 200 MHz, 16-bit fixed point).
std::vector<std::string_view> fpga_preset_names();
[[nodiscard]] Expected<FpgaTarget> fpga_preset(std::string_view name);

/// Checks a target: a name; DSPs, BRAMs and dsp_per_mac >= 1; LUTs and FFs >= 0; clock
/// and bandwidth in 1e-6..1e6 (MHz, GB/s); power and die area in 0..1e6; word_bits 1..64.
/// One line naming the target and field.
[[nodiscard]] Expected<void> validate_fpga_target(const FpgaTarget& target);

}  // namespace dnnspace
