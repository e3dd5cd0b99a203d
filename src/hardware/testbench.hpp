// The self-checking testbench of a generated design. Internal to src/hardware.
#pragma once

#include <cstdint>
#include <string>

#include "dnnspace/hardware/generated_design.hpp"
#include "loop_plan.hpp"

namespace dnnspace::hw {

/// What the testbench needs to know of the design it drives.
struct TestbenchShape {
  HardwareFamily family = HardwareFamily::SystolicCK;
  std::int64_t rows = 1, cols = 1;  ///< PE array (the tree: 1 x lanes)
  std::int64_t lanes = 1;           ///< input read ports of the global buffer
  std::int64_t weight_ports = 1;    ///< weight read ports of the global buffer
  int global_level = 1;
  int register_level = -1;          ///< -1: no per-PE level
  int operand_bits = 8, accumulator_bits = 32, address_bits = 8;
  std::int64_t config_words = 0;
  Strides dram_words{};             ///< DRAM words per tensor (the banks' depths): inputs, weights, outputs
  std::int64_t config_outputs_index = 0;  ///< the configuration word holding the output count
};

/// The testbench `dnnspace_tb`: loads config.hex, inputs.hex and weights.hex with
/// $readmemh, writes the configuration registers, runs the accelerator, counts every
/// buffer access, PE-to-PE transfer, MAC and cycle, and writes result.txt (and, when
/// expected.hex exists, compares the outputs with it: `mismatches N`).
std::string testbench_verilog(const TestbenchShape& shape);

}  // namespace dnnspace::hw
