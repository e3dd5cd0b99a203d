#include "dnnspace/model/neuron_pipeline.hpp"

#include <cmath>
#include <string>

namespace dnnspace {

std::int64_t neuron_pass_cycles(const NeuronPipeline& p, std::int64_t inputs, SigmoidUnit sigmoid) noexcept {
  constexpr std::int64_t kChains = 4;  // forward sum, back-propagated error, gradient, update
  const std::int64_t per_lane = (inputs + p.lanes - 1) / p.lanes;
  std::int64_t tree = 0;
  for (std::int64_t width = 1; width < p.lanes; width *= 2) tree += kChains * p.add_cycles;
  return kChains * (p.multiply_cycles + p.add_cycles) * per_lane + tree + p.fixed_cycles +
         (sigmoid == SigmoidUnit::Alu ? p.alu_sigmoid_cycles : 0);
}

Expected<NeuronAcceleratorCost> neuron_accelerator_cost(const NeuronPipeline& p, const std::vector<std::int64_t>& widths,
                                                        SigmoidUnit sigmoid, NeuronMemory memory) {
  if (widths.size() < 2) return Error{"the accelerator needs an input width and at least one layer of units"};
  for (std::int64_t w : widths) {
    // Far below overflow: a pass's cycles are about 36 x inputs.
    if (w < 1 || w > (std::int64_t{1} << 40)) return Error{"a layer width is " + std::to_string(w) + " (allowed: 1 to 2^40)"};
  }
  if (p.lanes < 1 || p.lanes > (std::int64_t{1} << 20)) return Error{"lanes must be in 1..2^20"};
  if (!(p.clock_ns > 0.0) || !std::isfinite(p.clock_ns)) return Error{"the clock period must be above 0 ns"};
  const double access_ns = memory == NeuronMemory::Distributed ? p.distributed_access_ns : p.unified_access_ns;
  const auto wait_cycles = static_cast<std::int64_t>(std::ceil(access_ns / p.clock_ns));
  NeuronAcceleratorCost c;
  for (std::size_t l = 1; l < widths.size(); ++l) {
    c.neurons += widths[l];
    c.cycles_per_sample += neuron_pass_cycles(p, widths[l - 1], sigmoid) + wait_cycles;
  }
  const auto n = static_cast<double>(c.neurons);
  const double read_mw = memory == NeuronMemory::Distributed ? p.distributed_read_mw_per_neuron : p.unified_read_mw_per_neuron;
  // Lanes multiply a neuron's ALUs, so its dynamic and leakage power and its area; not its memory.
  const auto lanes = static_cast<double>(p.lanes);
  c.power_w = n * (lanes * (p.neuron_dynamic_mw + p.neuron_leakage_mw) + read_mw) / 1000.0;
  c.area_mm2 = n * lanes * p.neuron_area_um2 / 1e6;
  c.seconds_per_sample = static_cast<double>(c.cycles_per_sample) * p.clock_ns * 1e-9;
  c.energy_per_sample_j = c.power_w * c.seconds_per_sample;
  return c;
}

}  // namespace dnnspace
