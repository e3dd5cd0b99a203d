// What Minerva's later stages do to a network (001 Sec. 4.4.2-4.4.3), worked by hand:
// activations at or below a layer's threshold pruned (the MACs skipped counted), weights
// read from a faulty SRAM with each mitigation, and the Iso-Training Noise statistics.
#include <gtest/gtest.h>

#include <vector>

#include "dnnspace/engine/hardware_inference.hpp"
#include "dnnspace/engine/lenet.hpp"
#include "dnnspace/engine/mlp.hpp"
#include "support/two_to_one.hpp"
#include "dnnspace/engine/training_noise.hpp"

namespace dnnspace::engine {
namespace {

using testing::two_to_one;  // y = 0.75 x0 - 0.5 x1 + 0.25

NumericsSpec fixed_spec() {  // Q^W = Q2.6, Q^X = Q2.4, Q^P = Q4.7
  NumericsSpec spec;
  spec.defaults.arithmetic = Arithmetic::Fixed;
  spec.defaults.fixed = {{2, 6}, {2, 4}, {4, 7}, Rounding::NearestEven};
  return spec;
}

float logit(const HardwareNetwork& hw, std::vector<float> x, InferenceWorkspace& ws) {
  return hw.logits(x.data(), 1, ws)[0];
}

TEST(Pruning, ActivationsAtOrBelowTheThresholdAreSkippedAndCounted) {
  const Sequential net = two_to_one();
  NumericsSpec spec;
  spec.defaults.prune_threshold = 0.4;
  const HardwareNetwork hw = HardwareNetwork::prepare(net, spec).value();
  InferenceWorkspace ws;
  // x0 = 0.3 <= 0.4 is pruned: y = -0.5 * 0.6 + 0.25.
  EXPECT_FLOAT_EQ(logit(hw, {0.3F, 0.6F}, ws), -0.05F);
  EXPECT_EQ(ws.macs, 2);
  EXPECT_EQ(ws.pruned_macs, 1);
  // 0.4 itself is pruned too ("at most"), 0.41 is not.
  EXPECT_FLOAT_EQ(logit(hw, {0.4F, 0.41F}, ws), -0.5F * 0.41F + 0.25F);
  EXPECT_EQ(ws.macs, 4);
  EXPECT_EQ(ws.pruned_macs, 2);
  // A threshold of 0 prunes exactly the zeros: the result is the unpruned one.
  spec.defaults.prune_threshold = 0.0;
  const HardwareNetwork zeros = HardwareNetwork::prepare(net, spec).value();
  InferenceWorkspace ws0;
  EXPECT_FLOAT_EQ(logit(zeros, {0.0F, 0.6F}, ws0), -0.05F);
  EXPECT_EQ(ws0.pruned_macs, 1);
  // In fixed point: x1 = 0.6 -> 10 in Q2.4, times -32 (Q2.6) = -320 -> -40 in Q4.7, plus the
  // bias 32: -8 / 128.
  NumericsSpec fixed = fixed_spec();
  fixed.defaults.prune_threshold = 0.4;
  const HardwareNetwork hw_fixed = HardwareNetwork::prepare(net, fixed).value();
  InferenceWorkspace wsf;
  EXPECT_EQ(logit(hw_fixed, {0.3F, 0.6F}, wsf), -8.0F / 128.0F);
}

TEST(Pruning, PerLayerThresholdsAndMacCounts) {
  // 4 -> 3 -> 2: 12 + 6 = 18 MACs a sample; a huge threshold on fc2 only skips its 6.
  const Sequential net = make_mlp(std::vector<std::int64_t>{4, 3, 2}, ActivationKind::Relu, 3).value();
  NumericsSpec spec;
  LayerNumerics fc2;
  fc2.prune_threshold = 1e30;
  spec.layers.emplace_back("fc2", fc2);
  const HardwareNetwork hw = HardwareNetwork::prepare(net, spec).value();
  InferenceWorkspace ws;
  const std::vector<float> x = {0.5F, -1.0F, 2.0F, 0.25F, 1.0F, 1.0F, -1.0F, 0.0F, 3.0F, 0.5F, 0.5F, 0.5F};
  const auto y = hw.logits(x.data(), 3, ws);
  EXPECT_EQ(ws.macs, 3 * 18);
  EXPECT_EQ(ws.pruned_macs, 3 * 6);
  EXPECT_EQ(ws.layer_macs, (std::vector<std::int64_t>{3 * 12, 3 * 6}));
  EXPECT_EQ(ws.layer_pruned_macs, (std::vector<std::int64_t>{0, 3 * 6}));
  // Every input of fc2 pruned: its outputs are its biases.
  for (int r = 0; r < 3; ++r) {
    for (int j = 0; j < 2; ++j) EXPECT_EQ(y[static_cast<std::size_t>(r * 2 + j)], net.parameters[3].value.data()[static_cast<std::size_t>(j)]);
  }
  // LeNet-5: a default threshold prunes its dense layers only (fc1's input: 400 x 120 MACs
  // of 400 x 120 + 120 x 84 + 84 x 10 + the convolutions').
  const Sequential lenet = make_lenet5(ActivationKind::Relu, 1).value();
  NumericsSpec on_dense;
  on_dense.defaults.prune_threshold = 1e30;
  const HardwareNetwork pruned = HardwareNetwork::prepare(lenet, on_dense).value();
  InferenceWorkspace wl;
  const std::vector<float> image(28 * 28, 0.5F);
  pruned.logits(image.data(), 1, wl);
  const std::int64_t conv_macs = 28 * 28 * 6 * 1 * 25 + 10 * 10 * 16 * 6 * 25;
  const std::int64_t dense_macs = 400 * 120 + 120 * 84 + 84 * 10;
  EXPECT_EQ(wl.macs, conv_macs + dense_macs);
  EXPECT_EQ(wl.pruned_macs, dense_macs);
  EXPECT_EQ(wl.layer_pruned_macs, (std::vector<std::int64_t>{0, 0, 400 * 120, 120 * 84, 84 * 10}));
  NumericsSpec on_conv;
  LayerNumerics conv1;
  conv1.prune_threshold = 0.1;
  on_conv.layers.emplace_back("conv1", conv1);
  Expected<HardwareNetwork> refused = HardwareNetwork::prepare(lenet, on_conv);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("a prune threshold applies to dense layers only"), std::string::npos)
      << refused.error().message;
  // Named for conv1 by its own entry, even with the default's value: refused too.
  NumericsSpec same_as_default;
  same_as_default.defaults.prune_threshold = 0.1;
  LayerNumerics conv1_same = same_as_default.defaults;
  conv1_same.prune_threshold_given = true;
  same_as_default.layers.emplace_back("conv1", conv1_same);
  EXPECT_FALSE(HardwareNetwork::prepare(lenet, same_as_default));
  spec.layers[0].second.prune_threshold = -1.0;
  ASSERT_FALSE(HardwareNetwork::prepare(net, spec));
}

TEST(WeightFaults, EachMitigationOnTheWholeWeightArray) {
  const Sequential net = two_to_one();
  const HardwareNetwork hw = HardwareNetwork::prepare(net, fixed_spec()).value();
  InferenceWorkspace ws;
  const std::vector<float> x = {0.3F, 0.6F};
  // No fault: 0.171875 (tests/engine/hardware_inference_test.cpp works it).
  FaultCounts counts;
  EXPECT_EQ(logit(hw.with_weight_faults(0.0, FaultMitigation::None, 5, &counts).value(), x, ws), 0.171875F);
  EXPECT_EQ(counts.faulty_bits, 0);
  // Every bit faulty, unmasked: w = 48 -> ~48 = -49, -32 -> 31. Products with x = [5, 10]
  // (Q2.4): -245 / 8 = -30.625 -> -31, 310 / 8 = 38.75 -> 39; plus 32: 40 / 128.
  EXPECT_EQ(logit(hw.with_weight_faults(1.0, FaultMitigation::None, 5, &counts).value(), x, ws), 40.0F / 128.0F);
  EXPECT_EQ(counts.words, 2);
  EXPECT_EQ(counts.bits, 16);
  EXPECT_EQ(counts.faulty_bits, 16);
  EXPECT_EQ(counts.faulty_words, 2);
  // Masked, every weight reads 0: the bias alone.
  EXPECT_EQ(logit(hw.with_weight_faults(1.0, FaultMitigation::WordMask, 5).value(), x, ws), 0.25F);
  EXPECT_EQ(logit(hw.with_weight_faults(1.0, FaultMitigation::BitMask, 5).value(), x, ws), 0.25F);
  // The original is untouched; an fp32 network has no words to fault.
  EXPECT_EQ(logit(hw, x, ws), 0.171875F);
  const HardwareNetwork fp32 = HardwareNetwork::prepare(net, NumericsSpec{}).value();
  Expected<HardwareNetwork> refused = fp32.with_weight_faults(0.01, FaultMitigation::BitMask, 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "weight faults: layer 'fc1' does not run in fixed point: only fixed-point weight words have bits to fault");
}

TEST(TrainingNoise, MeanSigmaAndTheBound) {
  const std::vector<double> errors = {0.10, 0.12, 0.11, 0.13};
  const TrainingNoise t = training_noise(errors);
  EXPECT_EQ(t.runs, 4);
  EXPECT_NEAR(t.mean_error, 0.115, 1e-15);
  // Deviations -0.015, 0.005, -0.005, 0.015: squares sum to 5e-4; / 3 = 1.6667e-4.
  EXPECT_NEAR(t.sigma, 0.0129099444873581, 1e-14);
  EXPECT_NEAR(t.bound(), 0.115 + 0.0129099444873581, 1e-14);
  EXPECT_EQ(t.min_error, 0.10);
  EXPECT_EQ(t.max_error, 0.13);
  EXPECT_EQ(training_noise(std::vector<double>{0.2}).sigma, 0.0);
  EXPECT_EQ(training_noise({}).runs, 0);
}

}  // namespace
}  // namespace dnnspace::engine
