// 002's training accelerator (Mehta et al., "High Performance Training of Deep Neural
// Networks Using Pipelined Hardware Acceleration and Distributed Memory"): one hardware
// neuron per unit of a fully connected network, each with a forward, a backpropagation and
// a gradient-descent unit sharing one pipelined fp32 ALU; the units of a layer run in
// parallel, the layers one after another; a 4 ns clock (docs/experiments.md, "002's
// training accelerator").
#pragma once

#include <cstdint>
#include <vector>

#include "dnnspace/core/expected.hpp"

namespace dnnspace {

/// How the sigmoid is computed: a look-up table (002's choice) or the fp32 ALU.
enum class SigmoidUnit : std::uint8_t { Lut, Alu };

/// Where a neuron's weights and intermediate results live: one SRAM per neuron with the
/// SDRAM refill of training vectors overlapped (002's distributed memory), or one unified
/// memory.
enum class NeuronMemory : std::uint8_t { Distributed, Unified };

/// The parameters of the pipeline model, defaults as 002 gives or implies them.
struct NeuronPipeline {
  /// fp32 multiplier and adder latencies, cycles. 002 states none; 4 and 5 are the integer
  /// latencies that give Table I's slope (36 cycles per input: four dependent
  /// multiply-adds per input, see neuron_pass_cycles).
  std::int64_t multiply_cycles = 4;
  std::int64_t add_cycles = 5;
  /// Cycles of a neuron pass that do not grow with its inputs (the sigmoid by LUT, its
  /// derivative, the output error, control): Table I's intercept at the slope above.
  std::int64_t fixed_cycles = 80;
  /// What an ALU-computed sigmoid adds to a pass: 2.5 x a 2-input neuron's 152 cycles, so
  /// that it takes "nearly 3.5x of the clock cycles" (002 Sec. IV-A).
  std::int64_t alu_sigmoid_cycles = 380;
  /// Inputs a neuron processes at once (one ALU each, partial sums added by a tree of
  /// adders): 1 in 002; more is this model's scaling study.
  std::int64_t lanes = 1;
  double clock_ns = 4.0;  ///< 002 Sec. IV-A: "The synthesized neuron requires a 4ns clock"
  /// Memory access time of one iteration (002 Sec. IV-B, by CACTI): distributed 18.42 ns,
  /// unified 52.82 ns; a layer waits for it once per sample.
  double distributed_access_ns = 18.42;
  double unified_access_ns = 52.82;
  /// Per neuron (002 Sec. IV-A, 45 nm NanGate): dynamic 4.47 mW, leakage 269.36 uW; area
  /// 51,171.5 um^2 (002 prints "nm^2", which is smaller than one gate; um^2 is meant).
  double neuron_dynamic_mw = 4.47;
  double neuron_leakage_mw = 0.26936;
  double neuron_area_um2 = 51171.5;
  /// Memory read power of 002's 7-neuron network (Sec. IV-B: 14.01 mW unified, 18.17 mW
  /// distributed), taken per neuron: / 7.
  double distributed_read_mw_per_neuron = 18.17 / 7.0;
  double unified_read_mw_per_neuron = 14.01 / 7.0;
};

/// Cycles of one neuron pass with `inputs` inputs (forward trace, backpropagation and
/// gradient, 002 Table I): per input four dependent multiply-adds (the forward product
/// sum, the back-propagated error, the gradient accumulation, the weight update), each a
/// multiply then an add: 4 x (multiply + add) x ceil(inputs / lanes); with lanes > 1 a tree
/// of adders joins the lanes' four sums: 4 x add x ceil(log2 lanes); plus fixed_cycles,
/// plus alu_sigmoid_cycles with an ALU sigmoid. inputs >= 1.
std::int64_t neuron_pass_cycles(const NeuronPipeline& p, std::int64_t inputs, SigmoidUnit sigmoid) noexcept;

/// The accelerator running one fully connected network.
struct NeuronAcceleratorCost {
  std::int64_t neurons = 0;            ///< hardware neurons: the units of every layer but the input
  std::int64_t cycles_per_sample = 0;  ///< the layers' passes one after another, each with its memory wait
  double seconds_per_sample = 0.0;
  double power_w = 0.0;                ///< neurons' dynamic + leakage + memory read power
  double area_mm2 = 0.0;               ///< neurons' area (memories not included: 002 gives none)
  double energy_per_sample_j = 0.0;
};

/// The cost of training `widths` (input, hidden..., output; e.g. 784, 100, 100, 10) on the
/// accelerator. Errors: fewer than two widths, a width < 1, lanes < 1, a clock <= 0.
Expected<NeuronAcceleratorCost> neuron_accelerator_cost(const NeuronPipeline& p, const std::vector<std::int64_t>& widths,
                                                        SigmoidUnit sigmoid, NeuronMemory memory);

}  // namespace dnnspace
