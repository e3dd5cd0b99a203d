// The Verilog templates the generator emits, as text. Internal to src/hardware.
#pragma once

namespace dnnspace::hw {

// Shared by all families.
const char* pe_verilog() noexcept;    ///< dnnspace_pe: weight register, multiplier, accumulator
const char* bank_verilog() noexcept;  ///< dnnspace_bank: a multi-ported global-buffer bank

// The systolic families (C|K and R|P).
const char* systolic_array_verilog() noexcept;  ///< dnnspace_systolic_array
const char* systolic_ctrl_verilog() noexcept;   ///< dnnspace_systolic_ctrl
const char* systolic_accel_verilog() noexcept;  ///< dnnspace_systolic_accel

// The C reduction tree.
const char* adder_tree_verilog() noexcept;  ///< dnnspace_adder_tree
const char* tree_ctrl_verilog() noexcept;   ///< dnnspace_tree_ctrl
const char* tree_accel_verilog() noexcept;  ///< dnnspace_tree_accel (banks, multiplier lanes, adder tree)

}  // namespace dnnspace::hw
