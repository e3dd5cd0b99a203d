// Verilog of 004's accelerator template for one mapped layer (docs/hardware.md).
#pragma once

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/hardware/generated_design.hpp"
#include "dnnspace/hardware/hardware_options.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// Generates the accelerator (PEs, array, global-buffer banks, controller with the
/// mapping's loop counters and address generators) and its self-checking testbench for
/// the layer as `mapping` schedules it on `arch`. Refuses, with one line naming what is
/// unsupported and what is supported, every input outside the families of
/// docs/hardware.md ("What is supported").
[[nodiscard]] Expected<GeneratedDesign> generate_hardware(const Layer& layer, const Architecture& arch,
                                                          const Mapping& mapping, const HardwareOptions& options);

}  // namespace dnnspace
