// Inference under numerics specs: hand-computed fixed-point and int8 layers, LUT sigmoid,
// high-precision formats close to fp32, batching independence and spec errors.
#include "dnnspace/engine/hardware_inference.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dnnspace/engine/lenet.hpp"
#include "dnnspace/engine/mlp.hpp"
#include "support/two_to_one.hpp"
#include "dnnspace/engine/rng.hpp"

namespace dnnspace::engine {
namespace {

using testing::two_to_one;  // y = 0.75 x0 - 0.5 x1 + 0.25

float single_logit(const Sequential& net, const NumericsSpec& spec, std::vector<float> x) {
  const HardwareNetwork hw = HardwareNetwork::prepare(net, spec).value();
  InferenceWorkspace ws;
  return hw.logits(x.data(), 1, ws)[0];
}

TEST(HardwareInference, FixedPointLayerByHand) {
  // x = [0.3, 0.6] in Q2.4: 4.8 -> 5, 9.6 -> 10. w = [0.75, -0.5] in Q2.6: 48, -32.
  // Products (10 fraction bits) to Q4.7: 240 / 8 = 30, -320 / 8 = -40. Bias 0.25 in Q4.7 = 32.
  // Sum 22 -> 22 / 128 = 0.171875.
  NumericsSpec spec;
  spec.defaults.arithmetic = Arithmetic::Fixed;
  spec.defaults.fixed = {{2, 6}, {2, 4}, {4, 7}, Rounding::NearestEven};
  EXPECT_EQ(single_logit(two_to_one(), spec, {0.3F, 0.6F}), 0.171875F);
  // Truncation: x -> 4, 9; products 192 / 8 = 24, -288 / 8 = -36; sum 24 - 36 + 32 = 20.
  spec.defaults.fixed.rounding = Rounding::Truncate;
  EXPECT_EQ(single_logit(two_to_one(), spec, {0.3F, 0.6F}), 20.0F / 128.0F);
  // Saturation: Q1.7 products hold [-1, 127/128]; x = [1.9, 0]: 30.4 -> 30 (Q2.4), product
  // 48 * 30 = 1440 -> 180 -> saturates to 127; plus bias 32 = 159 -> saturates to 127.
  spec.defaults.fixed = {{2, 6}, {2, 4}, {1, 7}, Rounding::NearestEven};
  EXPECT_EQ(single_logit(two_to_one(), spec, {1.9F, 0.0F}), 127.0F / 128.0F);
}

TEST(HardwareInference, Int8LayerByHand) {
  // Weights [0.25, -1] per tensor: scale 1/127, q = [31.75 -> 32, -127]. Input [0.25, 1]:
  // scale 1/127, q = [32, 127]. Sum 32*32 - 127*127 = -15105; y = -15105 / 127^2 + 0.5.
  Sequential net = two_to_one();
  net.parameters[0].value.data()[0] = 0.25F;
  net.parameters[0].value.data()[1] = -1.0F;
  net.parameters[1].value.data()[0] = 0.5F;
  NumericsSpec spec;
  spec.defaults.arithmetic = Arithmetic::Int8;
  EXPECT_NEAR(single_logit(net, spec, {0.25F, 1.0F}), -15105.0 / (127.0 * 127.0) + 0.5, 1e-6);
}

TEST(HardwareInference, LutSigmoidReplacesSigmoid) {
  // 2 -> 2 -> 2 sigmoid MLP; a 2-entry LUT over [-1, 1] outputs sigmoid(-1) for z < 0 and
  // sigmoid(1) for z >= 0, so the logits are W2 h + b2 with those h.
  Sequential net = make_mlp(std::vector<std::int64_t>{2, 2, 2}, ActivationKind::Sigmoid, 4).value();
  NumericsSpec spec;
  spec.defaults.lut_sigmoid = LutSigmoidSpec{2, -1.0, 1.0};
  const std::vector<float> x{0.7F, -0.2F};
  const auto& w1 = net.parameters[0].value;
  const auto& b1 = net.parameters[1].value;
  const auto& w2 = net.parameters[2].value;
  const auto& b2 = net.parameters[3].value;
  std::vector<double> h(2);
  for (int j = 0; j < 2; ++j) {
    const double z = w1.at({j, 0}) * x[0] + w1.at({j, 1}) * x[1] + b1.at({j});
    h[static_cast<std::size_t>(j)] = 1.0 / (1.0 + std::exp(z < 0 ? 1.0 : -1.0));
  }
  const HardwareNetwork hw = HardwareNetwork::prepare(net, spec).value();
  InferenceWorkspace ws;
  const auto logits = hw.logits(x.data(), 1, ws);
  for (int k = 0; k < 2; ++k) {
    const double expected = w2.at({k, 0}) * h[0] + w2.at({k, 1}) * h[1] + b2.at({k});
    EXPECT_NEAR(logits[static_cast<std::size_t>(k)], expected, 1e-6);
  }
}

std::vector<float> random_inputs(std::int64_t count, std::uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<float> x(static_cast<std::size_t>(count));
  for (float& v : x) v = static_cast<float>(rng.uniform());
  return x;
}

TEST(HardwareInference, WideFormatsTrackFp32AndBatchingDoesNotMatter) {
  const Sequential mlp = make_mlp(std::vector<std::int64_t>{30, 20, 10}, ActivationKind::Tanh, 2).value();
  const Sequential lenet = make_lenet5(ActivationKind::Relu, 3).value();
  for (const Sequential* net : {&mlp, &lenet}) {
    const std::int64_t rows = 5;
    const std::vector<float> x = random_inputs(rows * net->features(0), 8);
    NumericsSpec fixed;
    fixed.defaults.arithmetic = Arithmetic::Fixed;
    fixed.defaults.fixed = {{8, 16}, {8, 16}, {12, 20}, Rounding::NearestEven};
    NumericsSpec int8;
    int8.defaults.arithmetic = Arithmetic::Int8;
    int8.defaults.int8_granularity = Int8Granularity::PerChannel;
    const HardwareNetwork reference = HardwareNetwork::prepare(*net, {}).value();
    InferenceWorkspace ws_ref;
    const auto ref = reference.logits(x.data(), rows, ws_ref);
    for (const auto& [spec, tolerance] : {std::pair{fixed, 1e-3}, std::pair{int8, 5e-2}}) {
      const HardwareNetwork hw = HardwareNetwork::prepare(*net, spec).value();
      InferenceWorkspace ws;
      const std::vector<float> block(hw.logits(x.data(), rows, ws).begin(), hw.logits(x.data(), rows, ws).end());
      for (std::size_t i = 0; i < block.size(); ++i) EXPECT_NEAR(block[i], ref[i], tolerance) << net->name << " " << i;
      // Sample by sample gives bit-identical logits (fixed point and per-sample int8 scales).
      for (std::int64_t r = 0; r < rows; ++r) {
        InferenceWorkspace single;
        const auto one = hw.logits(x.data() + r * net->features(0), 1, single);
        for (std::int64_t k = 0; k < net->classes(); ++k) {
          EXPECT_EQ(one[static_cast<std::size_t>(k)], block[static_cast<std::size_t>(r * net->classes() + k)]);
        }
      }
    }
  }
}

TEST(HardwareInferenceErrors, UnknownLayerAndBadLut) {
  const Sequential net = make_mlp(std::vector<std::int64_t>{4, 3, 2}, ActivationKind::Sigmoid, 1).value();
  NumericsSpec spec;
  spec.layers.emplace_back("fc9", LayerNumerics{});
  const Expected<HardwareNetwork> unknown = HardwareNetwork::prepare(net, spec);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("layer 'fc9' is not a dense or conv layer of mlp-4-3-2"), std::string::npos);
  NumericsSpec lut;
  lut.defaults.lut_sigmoid = LutSigmoidSpec{1, 0.0, 1.0};
  EXPECT_FALSE(HardwareNetwork::prepare(net, lut));
}

}  // namespace
}  // namespace dnnspace::engine
