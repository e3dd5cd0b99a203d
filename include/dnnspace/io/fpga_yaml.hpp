// Reading an FPGA target (arch/fpga_target.hpp) from YAML; the format is in
// docs/platforms.md, "Zhang et al.'s engine".
#pragma once

#include <string>
#include <string_view>

#include "dnnspace/arch/fpga_target.hpp"
#include "dnnspace/core/expected.hpp"

namespace dnnspace::io {

/// Parses `fpga: {name, dsp_slices, bram_18k, clock_mhz, dram_bandwidth_gbps, word_bits,
/// dsp_per_mac, [luts], [flip_flops], [floating_point], [power_w], [die_area_mm2]}`; `origin` names the text in
/// messages. Errors are one line naming the file, line and field.
[[nodiscard]] Expected<FpgaTarget> parse_fpga_target_text(std::string_view text, const std::string& origin);

/// A built-in target's name (vc707, zcu102; it wins over a file of that name) or a YAML
/// file (a name ending in .yaml/.yml, or another existing path).
[[nodiscard]] Expected<FpgaTarget> resolve_fpga_target(const std::string& spec);

}  // namespace dnnspace::io
