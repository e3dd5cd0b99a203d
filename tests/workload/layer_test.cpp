// Tests for layer.cpp and network.cpp: MACs, tensor sizes, padded input planes, totals,
// lookups and set_batch. Every expected value is computed by hand in the comment beside it.
#include "dnnspace/workload/layer.hpp"

#include <gtest/gtest.h>

#include <cstdint>

#include "dnnspace/workload/network.hpp"

namespace dnnspace {
namespace {

// A deliberately irregular layer so that no two bounds coincide.
Layer odd_layer() {
  Layer l;
  l.name = "odd";
  l.bounds[Dim::N] = 2;
  l.bounds[Dim::K] = 3;
  l.bounds[Dim::C] = 4;
  l.bounds[Dim::P] = 5;
  l.bounds[Dim::Q] = 6;
  l.bounds[Dim::R] = 3;
  l.bounds[Dim::S] = 2;
  l.bounds[Dim::G] = 7;
  return l;
}

TEST(Layer, DefaultIsOneMac) {
  const Layer l;
  EXPECT_EQ(l.kind, LayerKind::Conv);
  EXPECT_EQ(macs(l), 1);
  EXPECT_EQ(input_height(l), 1);
  EXPECT_EQ(weight_count(l), 1);
}

TEST(Layer, KindNames) {
  EXPECT_EQ(layer_kind_name(LayerKind::Conv), "conv");
  EXPECT_EQ(layer_kind_name(LayerKind::FullyConnected), "fc");
  EXPECT_EQ(layer_kind_name(LayerKind::Matmul), "matmul");
  EXPECT_EQ(layer_kind_name(LayerKind::Lstm), "lstm");
}

TEST(Layer, MacsIsTheProductOfAllBounds) {
  // 2*3*4*5*6*3*2*7 = 24*30*6*7 = 720*42 = 30,240.
  EXPECT_EQ(macs(odd_layer()), 30'240);
}

TEST(Layer, InputPlaneWithStride) {
  Layer l = odd_layer();
  l.stride_h = 2;
  l.stride_w = 3;
  // rows (P-1)*stride_h + (R-1)*dil_h + 1 = 4*2 + 2 + 1 = 11
  // cols (Q-1)*stride_w + (S-1)*dil_w + 1 = 5*3 + 1 + 1 = 17
  EXPECT_EQ(input_height(l), 11);
  EXPECT_EQ(input_width(l), 17);
}

TEST(Layer, InputPlaneWithDilation) {
  Layer l = odd_layer();
  l.stride_h = 2;
  l.dilation_h = 3;
  l.dilation_w = 4;
  // rows 4*2 + 2*3 + 1 = 15; cols 5*1 + 1*4 + 1 = 10
  EXPECT_EQ(input_height(l), 15);
  EXPECT_EQ(input_width(l), 10);
  // Stride and dilation do not change the arithmetic.
  EXPECT_EQ(macs(l), 30'240);
}

TEST(Layer, AlexNetConv1InputPlane) {
  // 55 outputs with an 11-wide filter at stride 4 read (55-1)*4 + 11 = 227 rows.
  Layer l;
  l.bounds[Dim::P] = 55;
  l.bounds[Dim::Q] = 55;
  l.bounds[Dim::R] = 11;
  l.bounds[Dim::S] = 11;
  l.stride_h = l.stride_w = 4;
  EXPECT_EQ(input_height(l), 227);
  EXPECT_EQ(input_width(l), 227);
}

TEST(Layer, TensorSizes) {
  Layer l = odd_layer();
  l.stride_h = 2;
  // Inputs:  G*N*C*H*W = 7*2*4 * (4*2+2+1 = 11) * (5+1+1 = 7) = 56*77 = 4,312
  // Weights: G*K*C*R*S = 7*3*4*3*2 = 504
  // Outputs: G*N*K*P*Q = 7*2*3*5*6 = 1,260
  EXPECT_EQ(tensor_size(l, TensorId::Inputs), 4'312);
  EXPECT_EQ(tensor_size(l, TensorId::Weights), 504);
  EXPECT_EQ(tensor_size(l, TensorId::Outputs), 1'260);
  EXPECT_EQ(weight_count(l), 504);
}

TEST(Layer, PaddingIsCountedOnThePlane) {
  // A 3x3 pad-1 conv on a 13x13 input: P = 13, padded plane 15x15 (layer.hpp: padding is
  // counted as data). Inputs = C * 15 * 15 = 256 * 225 = 57,600.
  Layer l;
  l.bounds[Dim::C] = 256;
  l.bounds[Dim::K] = 384;
  l.bounds[Dim::P] = l.bounds[Dim::Q] = 13;
  l.bounds[Dim::R] = l.bounds[Dim::S] = 3;
  l.pad_h = l.pad_w = 1;
  EXPECT_EQ(input_height(l), 15);
  EXPECT_EQ(tensor_size(l, TensorId::Inputs), 57'600);
}

TEST(Layer, DepthwiseUsesGroups) {
  // 32 channels, 3x3 depthwise, 112x112: G = 32, K = C = 1.
  Layer l;
  l.bounds[Dim::G] = 32;
  l.bounds[Dim::P] = l.bounds[Dim::Q] = 112;
  l.bounds[Dim::R] = l.bounds[Dim::S] = 3;
  EXPECT_EQ(weight_count(l), 288);                         // 32*9
  EXPECT_EQ(macs(l), 3'612'672);                           // 288 * 12,544
  EXPECT_EQ(tensor_size(l, TensorId::Outputs), 401'408);   // 32 * 12,544
  EXPECT_EQ(tensor_size(l, TensorId::Inputs), 32 * 114 * 114);  // 415,872
}

TEST(Layer, Relevance) {
  // 004 Sec. III: inputs ignore K, weights ignore N/P/Q, outputs ignore C/R/S.
  const Layer fwd;
  for (Dim d : conv_dims()) {
    EXPECT_EQ(is_relevant(fwd, TensorId::Inputs, d), d != Dim::K) << dim_letter(d);
    const bool w = d == Dim::K || d == Dim::C || d == Dim::R || d == Dim::S || d == Dim::G;
    EXPECT_EQ(is_relevant(fwd, TensorId::Weights, d), w) << dim_letter(d);
    const bool o = d == Dim::N || d == Dim::K || d == Dim::P || d == Dim::Q || d == Dim::G;
    EXPECT_EQ(is_relevant(fwd, TensorId::Outputs, d), o) << dim_letter(d);
    // The data gradient accumulates dI (input-shaped) from dO (output-shaped) and W; the
    // weight gradient accumulates dW (weight-shaped) from I and dO.
    const Layer dgrad = with_pass(fwd, Pass::DataGradient), wgrad = with_pass(fwd, Pass::WeightGradient);
    EXPECT_EQ(is_relevant(dgrad, TensorId::Inputs, d), o) << dim_letter(d);
    EXPECT_EQ(is_relevant(dgrad, TensorId::Weights, d), w) << dim_letter(d);
    EXPECT_EQ(is_relevant(dgrad, TensorId::Outputs, d), d != Dim::K) << dim_letter(d);
    EXPECT_EQ(is_relevant(wgrad, TensorId::Inputs, d), d != Dim::K) << dim_letter(d);
    EXPECT_EQ(is_relevant(wgrad, TensorId::Weights, d), o) << dim_letter(d);
    EXPECT_EQ(is_relevant(wgrad, TensorId::Outputs, d), w) << dim_letter(d);
  }
}

TEST(Layer, PassesShareTheNestAndNameTheirTensors) {
  Layer l = odd_layer();
  l.stride_h = 2;
  l.pad_h = 1;
  const Layer dgrad = with_pass(l, Pass::DataGradient), wgrad = with_pass(l, Pass::WeightGradient);
  EXPECT_EQ(macs(dgrad), macs(l));
  EXPECT_EQ(macs(wgrad), macs(l));
  // dgrad accumulates into the (padded) input plane: G*N*C*H*W with H = (5-1)*2 + 3 = 11,
  // W = 6 + 2 - 1 = 7: 7 * 2 * 4 * 11 * 7 = 4,312 words; its first operand is dO.
  EXPECT_EQ(tensor_size(dgrad, TensorId::Outputs), 4'312);
  EXPECT_EQ(tensor_size(dgrad, TensorId::Inputs), tensor_size(l, TensorId::Outputs));
  EXPECT_EQ(tensor_size(wgrad, TensorId::Outputs), weight_count(l));
  EXPECT_EQ(weight_count(wgrad), weight_count(l));  // the parameter count, whatever the pass
  EXPECT_EQ(tensor_name(dgrad, TensorId::Inputs), "output_grad");
  EXPECT_EQ(tensor_name(dgrad, TensorId::Outputs), "input_grad");
  EXPECT_EQ(tensor_name(wgrad, TensorId::Weights), "output_grad");
  EXPECT_EQ(tensor_name(wgrad, TensorId::Outputs), "weight_grad");
  EXPECT_EQ(tensor_name(l, TensorId::Inputs), "inputs");
  EXPECT_EQ(pass_name(Pass::WeightGradient), "wgrad");
}

Network two_layer_net() {
  Layer a = odd_layer();  // 30,240 MACs, 504 weights at N = 2
  Layer b;
  b.name = "fc";
  b.kind = LayerKind::FullyConnected;
  b.bounds[Dim::C] = 100;
  b.bounds[Dim::K] = 10;  // 1,000 weights, 1,000 MACs at N = 1
  return Network{"net", {a, b}};
}

TEST(Network, Totals) {
  const Network n = two_layer_net();
  EXPECT_EQ(total_macs(n), 31'240);   // 30,240 + 1,000
  EXPECT_EQ(total_weights(n), 1'504);  // 504 + 1,000
  EXPECT_EQ(total_macs(Network{}), 0);
  EXPECT_EQ(total_weights(Network{}), 0);
}

TEST(Network, FindLayer) {
  const Network n = two_layer_net();
  const Layer* fc = find_layer(n, "fc");
  ASSERT_NE(fc, nullptr);
  EXPECT_EQ(fc->bounds[Dim::C], 100);
  EXPECT_EQ(find_layer(n, "odd"), &n.layers[0]);
  EXPECT_EQ(find_layer(n, "FC"), nullptr);  // names are case-sensitive
  EXPECT_EQ(find_layer(n, ""), nullptr);
}

TEST(Network, SetBatch) {
  Network n = two_layer_net();
  ASSERT_TRUE(set_batch(n, 16));
  for (const Layer& l : n.layers) EXPECT_EQ(l.bounds[Dim::N], 16);
  // MACs scale with N: odd 30,240 / 2 * 16 = 241,920; fc 1,000 * 16 = 16,000.
  EXPECT_EQ(total_macs(n), 257'920);
  EXPECT_EQ(total_weights(n), 1'504);  // weights do not depend on the batch
}

// The 64-bit limits: counts are exact up to 2^63 - 1 and an error beyond, never a wrap.
TEST(Network, BatchTwoToTheFortyGivesExactMacs) {
  Network n = two_layer_net();
  const std::int64_t batch = std::int64_t{1} << 40;
  ASSERT_TRUE(set_batch(n, batch));
  // Per image: odd 30,240 / 2 = 15,120 MACs, fc 1,000: 16,120 x 2^40 = 17,724,127,439,749,120.
  EXPECT_EQ(total_macs(n), 17'724'127'439'749'120);
  EXPECT_EQ(macs(n.layers[1]), 1'099'511'627'776'000);  // 1,000 x 2^40
}

TEST(Network, BatchTwoToTheSixtyTwoIsAnError) {
  Network n = two_layer_net();
  const Expected<void> ok = set_batch(n, std::int64_t{1} << 62);
  ASSERT_FALSE(ok);
  // odd: 15,120 MACs per image x 2^62 does not fit; the message names the layer and quantity.
  EXPECT_NE(ok.error().message.find("layer 'odd': its MACs exceed 2^63 - 1"), std::string::npos)
      << ok.error().message;
  const Expected<void> zero = set_batch(n, 0);
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("batch must be >= 1"), std::string::npos);
}

TEST(Network, TotalsThatOverflowAreAnError) {
  // Two layers of 2^62 MACs each: each fits, their sum 2^63 does not.
  Layer a;
  a.name = "a";
  a.bounds[Dim::N] = std::int64_t{1} << 31;
  a.bounds[Dim::K] = std::int64_t{1} << 31;
  Layer b = a;
  b.name = "b";
  const Network n{"twice", {a, b}};
  ASSERT_TRUE(check_layer_size(a));
  const Expected<void> ok = check_network_size(n);
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("its total MACs exceed 2^63 - 1"), std::string::npos) << ok.error().message;
}

TEST(Layer, SizeLimitsNameTheQuantity) {
  // The padded input plane can overflow when the MACs do not: stride 2^62 on P = 3.
  Layer l;
  l.name = "wide";
  l.bounds[Dim::P] = 3;
  l.stride_h = std::int64_t{1} << 62;
  Expected<void> ok = check_layer_size(l);
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("its inputs (on the padded plane) exceed"), std::string::npos);
  l.stride_h = std::int64_t{1} << 61;  // (3 - 1) x 2^61 + 1 = 2^62 + 1 rows: fits
  EXPECT_TRUE(check_layer_size(l));
  l.bounds[Dim::K] = 0;
  ok = check_layer_size(l);
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("layer 'wide': K must be >= 1, got 0"), std::string::npos);
}

}  // namespace
}  // namespace dnnspace
