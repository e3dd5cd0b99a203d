// What a training step computes per layer (workload/training.hpp): which gradient passes
// run, what is kept for backprop and how many words, counted by hand from the layer shapes.
#include <gtest/gtest.h>

#include <tuple>

#include "dnnspace/workload/custom_workload.hpp"
#include "dnnspace/workload/training.hpp"
#include "dnnspace/workload/zoo.hpp"
#include "support/small_network.hpp"

namespace dnnspace {
namespace {

Layer conv(std::int64_t n, std::int64_t pad) {
  Layer l;
  l.name = "conv";
  l.bounds[Dim::N] = n;
  l.bounds[Dim::K] = 8;
  l.bounds[Dim::C] = 4;
  l.bounds[Dim::P] = 5;
  l.bounds[Dim::Q] = 6;
  l.bounds[Dim::R] = 3;
  l.bounds[Dim::S] = 3;
  l.pad_h = l.pad_w = pad;
  return l;
}

TEST(Training, AConvNeedsItsInputKeptForTheWeightGradientAndNoDataGradientWhenFirst) {
  // Padded plane 7 x 8 (P + R - 1, Q + S - 1); without the pad of 1: 5 x 6.
  const Layer l = conv(2, 1);
  const LayerTraining first = layer_training(l, true);
  EXPECT_FALSE(first.dgrad);
  EXPECT_TRUE(first.wgrad);
  EXPECT_EQ(first.parameters, 8 * 4 * 3 * 3);
  EXPECT_EQ(first.stored_words[TensorId::Inputs], 2 * 4 * 5 * 6);
  EXPECT_EQ(first.stored_words[TensorId::Weights], 0);  // parameters are kept anyway
  EXPECT_EQ(first.stored_total(), 240);
  const LayerTraining later = layer_training(l, false);
  EXPECT_TRUE(later.dgrad);
  EXPECT_TRUE(later.wgrad);
  EXPECT_EQ(later.stored_total(), 240);
  // Unpadded: the whole 7 x 8 plane is data.
  EXPECT_EQ(layer_training(conv(2, 0), false).stored_words[TensorId::Inputs], 2 * 4 * 7 * 8);
  // The pass the layer is set to does not matter: needs are those of its forward pass.
  EXPECT_EQ(layer_training(with_pass(l, Pass::WeightGradient), false).stored_total(), 240);
}

TEST(Training, AttentionKeepsBothOperandsAndUpdatesNothing) {
  // Scores of 2 heads: 16 queries x 8 (head dim) x 16 keys, batch 1.
  const Layer scores = testing::small_attention_scores("scores");
  const LayerTraining t = layer_training(scores, false);
  EXPECT_TRUE(t.dgrad);
  EXPECT_TRUE(t.wgrad);
  EXPECT_EQ(t.parameters, 0);
  EXPECT_EQ(t.stored_words[TensorId::Inputs], 2 * 16 * 8);   // Q
  EXPECT_EQ(t.stored_words[TensorId::Weights], 2 * 8 * 16);  // K^T
  // As the first layer its operands are input data: no gradient at all.
  const LayerTraining first = layer_training(scores, true);
  EXPECT_FALSE(first.dgrad);
  EXPECT_FALSE(first.wgrad);
  EXPECT_EQ(first.stored_total(), 0);
}

TEST(Training, AWorkloadWhoseFirstOperandIsTheParameter) {
  // y[M,N] += W[M,K] * x[K,N]: the parameter in slot Inputs, the activation in slot Weights.
  WorkloadDescription d{"wx",
                        {{Dim::M, 4}, {Dim::N, 3}, {Dim::K, 5}},
                        {{"W", TensorRole::Weights, {}}, {"x", TensorRole::Operand, {}}, {"y", TensorRole::Output, {}}},
                        Dim::N};
  const auto axis = [](Dim dim) { return IndexAxis{{1, dim}}; };
  for (auto [tensor, a, b] : {std::tuple{0, Dim::M, Dim::K}, std::tuple{1, Dim::K, Dim::N}, std::tuple{2, Dim::M, Dim::N}}) {
    d.tensors[static_cast<std::size_t>(tensor)].index.push_back(axis(a));
    d.tensors[static_cast<std::size_t>(tensor)].index.push_back(axis(b));
  }
  Expected<Layer> l = make_workload_layer(d);
  ASSERT_TRUE(l) << l.error().message;
  const LayerTraining first = layer_training(*l, true);
  EXPECT_TRUE(first.dgrad);   // the gradient of W (slot Inputs)
  EXPECT_FALSE(first.wgrad);  // x is the network's input
  EXPECT_EQ(first.parameters, 20);
  EXPECT_EQ(first.stored_words[TensorId::Weights], 15);  // dgrad reads x
  EXPECT_EQ(first.stored_words[TensorId::Inputs], 0);
}

TEST(Training, StepMacsAreThreeForwardPassesLessTheFirstLayersDataGradient) {
  const Network alexnet = *zoo_network("alexnet");
  ASSERT_TRUE(check_trainable(alexnet));
  std::int64_t forward = 0;
  for (const Layer& l : alexnet.layers) forward += macs(l);
  EXPECT_EQ(training_macs(alexnet), 3 * forward - macs(alexnet.layers.front()));
  EXPECT_EQ(training_macs(alexnet), 3 * 724'406'816LL - 105'415'200LL);  // conv1: 96 x 3 x 11 x 11 x 55 x 55
}

// Every zoo network (CNNs, MLPs, LSTMs, transformers) trains: every layer after the first
// computes its input gradient, every layer its second operand's gradient, so a step is three
// forward passes less the first layer's data gradient; every weight is updated.
TEST(Training, EveryZooNetworkTrains) {
  for (std::string_view name : zoo_names()) {
    const Network net = *zoo_network(name, 2);
    ASSERT_TRUE(check_trainable(net)) << name;
    std::int64_t forward = 0, parameters = 0;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const LayerTraining t = layer_training(net.layers[i], i == 0);
      EXPECT_EQ(t.dgrad, i > 0) << name << " " << net.layers[i].name;
      EXPECT_TRUE(t.wgrad) << name << " " << net.layers[i].name;
      EXPECT_EQ(t.stored_total() > 0, i > 0 || net.layers[i].groups_per_sample == 0) << name;
      forward += macs(net.layers[i]);
      parameters += t.parameters;
    }
    EXPECT_EQ(training_macs(net), 3 * forward - macs(net.layers.front())) << name;
    EXPECT_EQ(parameters, total_weights(net)) << name;
  }
}

TEST(Training, OptimizerNamesStateAndOperations) {
  EXPECT_EQ(*parse_optimizer("adam"), Optimizer::Adam);
  const Expected<Optimizer> bad = parse_optimizer("rmsprop");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "unknown optimizer 'rmsprop' (allowed: sgd, momentum, adam)");
  EXPECT_EQ(optimizer_state_words(Optimizer::Sgd), 0);
  EXPECT_EQ(optimizer_state_words(Optimizer::Momentum), 1);
  EXPECT_EQ(optimizer_state_words(Optimizer::Adam), 2);
  EXPECT_EQ(optimizer_ops_per_parameter(Optimizer::Sgd), 1);
  EXPECT_EQ(optimizer_ops_per_parameter(Optimizer::Momentum), 2);
  EXPECT_EQ(optimizer_ops_per_parameter(Optimizer::Adam), 9);
}

TEST(Training, ANetworkWithNothingToTrainIsRefused) {
  const Network net{"scores_only", {testing::small_attention_scores("scores")}};
  const Expected<void> ok = check_trainable(net);
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().message,
            "network 'scores_only': nothing to train: no layer has parameters, and the first layer's operands are the "
            "input data");
}

TEST(Training, StepsPast64BitsAreRefused) {
  Layer big = conv(1, 0);
  big.name = "big";
  big.bounds[Dim::N] = (std::int64_t{1} << 62) / macs(conv(1, 0));  // forward fits, three passes do not
  ASSERT_TRUE(check_layer_size(big));
  const Network net{"huge", {conv(1, 0), big}};
  const Expected<void> ok = check_trainable(net);
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().message, "network 'huge': the MACs of a training step exceed 2^63 - 1");
}

}  // namespace
}  // namespace dnnspace
