// 002's pipelined training neuron: the pass cycles against 002 Table I, the ALU sigmoid's
// 3.5x, lanes, and a network's cycles, power and area counted by hand.
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "dnnspace/model/neuron_pipeline.hpp"

namespace dnnspace {
namespace {

TEST(NeuronPipeline, PassCyclesAgainst002TableI) {
  const NeuronPipeline p;
  // 002 Table I: clock cycles of one neuron (forward trace, backpropagation, gradient).
  constexpr std::array<std::array<std::int64_t, 2>, 7> table = {
      {{2, 152}, {4, 225}, {8, 368}, {16, 661}, {32, 1192}, {64, 2325}, {128, 4647}}};
  for (const auto& [inputs, published] : table) {
    const std::int64_t model = neuron_pass_cycles(p, inputs, SigmoidUnit::Lut);
    EXPECT_EQ(model, 36 * inputs + 80) << inputs;  // 4 x (4 + 5) per input, 80 fixed
    // Within 3.4% of every published count (the worst: 1,232 against 1,192 at 32 inputs).
    EXPECT_LE(std::abs(static_cast<double>(model - published)), 0.034 * static_cast<double>(published)) << inputs;
  }
  EXPECT_EQ(neuron_pass_cycles(p, 2, SigmoidUnit::Lut), 152);
  EXPECT_EQ(neuron_pass_cycles(p, 8, SigmoidUnit::Lut), 368);
}

TEST(NeuronPipeline, AluSigmoidAndLanes) {
  NeuronPipeline p;
  // "nearly 3.5x of the clock cycles" at the smallest neuron.
  EXPECT_EQ(neuron_pass_cycles(p, 2, SigmoidUnit::Alu), 532);
  EXPECT_EQ(2 * neuron_pass_cycles(p, 2, SigmoidUnit::Alu), 7 * neuron_pass_cycles(p, 2, SigmoidUnit::Lut));  // 3.5x
  // Four lanes: 128 inputs as 32 per lane, then two levels of adders for each of the four sums.
  p.lanes = 4;
  EXPECT_EQ(neuron_pass_cycles(p, 128, SigmoidUnit::Lut), 36 * 32 + 2 * 4 * 5 + 80);
  p.lanes = 3;  // a tree of 3 still needs two levels; 10 inputs as 4 per lane
  EXPECT_EQ(neuron_pass_cycles(p, 10, SigmoidUnit::Lut), 36 * 4 + 2 * 4 * 5 + 80);
}

TEST(NeuronPipeline, The784x100x100x10NetworkByHand) {
  const NeuronPipeline p;
  const NeuronAcceleratorCost d =
      *neuron_accelerator_cost(p, {784, 100, 100, 10}, SigmoidUnit::Lut, NeuronMemory::Distributed);
  EXPECT_EQ(d.neurons, 210);
  // Layers one after another: 784-input neurons, then two layers of 100-input ones; each
  // waits ceil(18.42 / 4) = 5 cycles for its memory.
  EXPECT_EQ(d.cycles_per_sample, (36 * 784 + 80 + 5) + 2 * (36 * 100 + 80 + 5));
  EXPECT_DOUBLE_EQ(d.seconds_per_sample, 35'679 * 4e-9);
  EXPECT_NEAR(d.power_w, 210 * (4.47 + 0.26936 + 18.17 / 7) / 1000, 1e-12);
  EXPECT_NEAR(d.area_mm2, 210 * 51171.5 / 1e6, 1e-9);
  EXPECT_NEAR(d.energy_per_sample_j, d.power_w * d.seconds_per_sample, 1e-18);
  const NeuronAcceleratorCost u =
      *neuron_accelerator_cost(p, {784, 100, 100, 10}, SigmoidUnit::Lut, NeuronMemory::Unified);
  EXPECT_EQ(u.cycles_per_sample, d.cycles_per_sample + 3 * (14 - 5));  // ceil(52.82 / 4) = 14
  EXPECT_NEAR(u.power_w, 210 * (4.47 + 0.26936 + 14.01 / 7) / 1000, 1e-12);
  EXPECT_FALSE(neuron_accelerator_cost(p, {784}, SigmoidUnit::Lut, NeuronMemory::Unified));
  EXPECT_FALSE(neuron_accelerator_cost(p, {784, 0}, SigmoidUnit::Lut, NeuronMemory::Unified));
}

}  // namespace
}  // namespace dnnspace
