// Backward passes checked against central finite differences of the loss on a tiny MLP and a
// tiny CNN (conv with padding and stride, max pool, dense).
#include "dnnspace/engine/backprop.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dnnspace/engine/mlp.hpp"
#include "dnnspace/engine/rng.hpp"

namespace dnnspace::engine {
namespace {

double loss_of(const Sequential& net, const std::vector<float>& x, const std::vector<std::int32_t>& labels) {
  Workspace ws;
  const std::int64_t rows = static_cast<std::int64_t>(labels.size());
  const std::span<const float> logits = forward(net, x.data(), rows, ws);
  std::vector<float> unused(logits.size());
  return softmax_cross_entropy(logits, labels.data(), rows, net.classes(), 1.0F, unused).loss_sum;
}

// Compares every parameter's analytic gradient with (L(w + h) - L(w - h)) / 2h.
void check_gradients(Sequential net, std::int64_t rows, std::uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<float> x(static_cast<std::size_t>(rows * net.features(0)));
  for (float& v : x) v = static_cast<float>(rng.uniform() * 2.0 - 1.0);
  std::vector<std::int32_t> labels(static_cast<std::size_t>(rows));
  for (auto& l : labels) l = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(net.classes())));
  Workspace ws;
  (void)forward(net, x.data(), rows, ws);
  (void)backward(net, x.data(), labels.data(), rows, 1.0F, ws);
  const float h = 4e-3F;
  std::int64_t checked = 0;
  for (std::size_t p = 0; p < net.parameters.size(); ++p) {
    std::span<float> values = net.parameters[p].value.data();
    for (std::size_t i = 0; i < values.size(); ++i) {
      const float saved = values[i];
      values[i] = saved + h;
      const double up = loss_of(net, x, labels);
      values[i] = saved - h;
      const double down = loss_of(net, x, labels);
      values[i] = saved;
      const double numeric = (up - down) / (2.0 * static_cast<double>(h));
      const double analytic = ws.parameter_grads[p][i];
      EXPECT_NEAR(analytic, numeric, 2e-3 + 2e-2 * std::fabs(numeric)) << net.parameters[p].name << "[" << i << "]";
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(Backprop, MlpGradientsMatchFiniteDifferences) {
  const std::vector<std::int64_t> sizes{5, 4, 3, 3};
  for (const ActivationKind kind : {ActivationKind::Tanh, ActivationKind::Sigmoid}) {
    check_gradients(make_mlp(sizes, kind, 3).value(), 4, 17);
  }
}

TEST(Backprop, CnnGradientsMatchFiniteDifferences) {
  // [1, 6, 6] -> conv 3x3 pad 1 (2 ch) -> tanh -> pool 2 -> [2, 3, 3] -> conv 2x2 stride 1 (2 ch)
  // -> tanh -> [2, 2, 2] -> dense 8 -> 3.
  std::vector<Layer> layers{ConvLayer{"conv1", 1, 2, 3, 1, 1}, ActivationLayer{ActivationKind::Tanh}, MaxPoolLayer{2},
                            ConvLayer{"conv2", 2, 2, 2, 1, 0}, ActivationLayer{ActivationKind::Tanh},
                            DenseLayer{"fc1", 8, 3}};
  check_gradients(make_sequential("tiny-cnn", ActivationKind::Tanh, {1, 6, 6}, layers, 5).value(), 3, 23);
  // Stride 2 with padding exercises the patch geometry's other branch.
  std::vector<Layer> strided{ConvLayer{"conv1", 2, 3, 3, 2, 1}, ActivationLayer{ActivationKind::Tanh},
                             DenseLayer{"fc1", 3 * 3 * 3, 4}};
  check_gradients(make_sequential("strided", ActivationKind::Tanh, {2, 5, 5}, strided, 9).value(), 2, 29);
}

TEST(Backprop, SoftmaxCrossEntropyByHand) {
  // logits [0, ln 3] -> softmax [1/4, 3/4]; label 1: loss = -ln(3/4); grad = [1/4, -1/4].
  const std::vector<float> logits{0.0F, std::log(3.0F)};
  const std::int32_t label = 1;
  std::vector<float> grads(2);
  const LossResult r = softmax_cross_entropy(logits, &label, 1, 2, 1.0F, grads);
  EXPECT_NEAR(r.loss_sum, -std::log(0.75), 1e-6);
  EXPECT_EQ(r.correct, 1);
  EXPECT_NEAR(grads[0], 0.25, 1e-6);
  EXPECT_NEAR(grads[1], -0.25, 1e-6);
}

TEST(SequentialErrors, LayerDoesNotFit) {
  const Expected<Sequential> bad =
      make_sequential("bad", ActivationKind::Relu, {10}, {DenseLayer{"fc1", 9, 3}}, 1);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("layer 'fc1' takes 9 inputs but receives [10]"), std::string::npos)
      << bad.error().message;
  const Expected<Sequential> conv =
      make_sequential("bad", ActivationKind::Relu, {1, 4, 4}, {ConvLayer{"conv1", 3, 2, 3, 1, 0}}, 1);
  ASSERT_FALSE(conv);
  EXPECT_NE(conv.error().message.find("layer 'conv1'"), std::string::npos);
  EXPECT_FALSE(parse_mlp_name("mlp-784"));
  EXPECT_FALSE(parse_mlp_name("mlp-784-x-10"));
  EXPECT_EQ(parse_mlp_name("mlp-784-100-10").value(), (std::vector<std::int64_t>{784, 100, 10}));
}

}  // namespace
}  // namespace dnnspace::engine
