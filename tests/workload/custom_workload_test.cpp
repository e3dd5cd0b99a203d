// Workloads given as data: index expressions and the checks of make_workload_layer.
#include "dnnspace/workload/custom_workload.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace dnnspace {
namespace {

using ::testing::HasSubstr;

FixedVector<Dim, kMaxWorkloadDims> dims_of(std::string_view letters) {
  FixedVector<Dim, kMaxWorkloadDims> out;
  for (char c : letters) out.push_back(*dim_from_letter(c));
  return out;
}

TEST(IndexAxis, ParsesTermsCoefficientsAndWindows) {
  const auto dims = dims_of("NCPRBM");
  const auto single = parse_index_axis("B", dims);
  ASSERT_TRUE(single) << single.error().message;
  EXPECT_EQ(*single, (IndexAxis{{1, Dim::B}}));
  const auto stride = parse_index_axis("P*4+R", dims);
  ASSERT_TRUE(stride);
  EXPECT_EQ(*stride, (IndexAxis{{4, Dim::P}, {1, Dim::R}}));
  const auto dilation = parse_index_axis(" 1*P + 2 * R ", dims);
  ASSERT_TRUE(dilation);
  EXPECT_EQ(*dilation, (IndexAxis{{1, Dim::P}, {2, Dim::R}}));
  const auto lower = parse_index_axis("m", dims);  // letters in either case
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->first.dim, Dim::M);
  EXPECT_EQ(index_axis_text(*stride), "P*4+R");
  EXPECT_EQ(index_axis_text(*dilation), "P+R*2");
}

TEST(IndexAxis, RejectsWhatTheModelCannotCountWithAReason) {
  const auto dims = dims_of("NCPR");
  const std::pair<const char*, const char*> cases[] = {
      {"X", "unknown dimension 'X' (the workload's dimensions: N, C, P, R)"},
      {"P*-2+R", "got a sign"},
      {"P-R", "no subtraction"},
      {"P*0+R", "got 0"},
      {"0*P", "got 0"},
      {"P+R+C", "at most two terms"},
      {"P+P", "appears twice"},
      {"PR", "single letters"},
      {"", "empty"},
      {"P*", "expected a coefficient"},
      {"2P", "expected '*'"},
      {"P*99999999999999999999", "exceeds 2^63 - 1"},
      {"P)", "unexpected ')'"},
  };
  for (const auto& [text, why] : cases) {
    const auto r = parse_index_axis(text, dims);
    ASSERT_FALSE(r) << text;
    EXPECT_THAT(r.error().message, HasSubstr(why)) << text;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
  }
}

WorkloadDescription bert_qk() {
  WorkloadDescription w;
  w.name = "bert_qk";
  w.dims = {{Dim::B, 12}, {Dim::M, 128}, {Dim::N, 128}, {Dim::K, 64}};
  const auto dims = dims_of("BMNK");
  auto index = [&](std::initializer_list<const char*> axes) {
    FixedVector<IndexAxis, kMaxWorkloadDims> out;
    for (const char* a : axes) out.push_back(*parse_index_axis(a, dims));
    return out;
  };
  w.tensors = {{"Q", TensorRole::Operand, index({"B", "M", "K"})},
               {"Kt", TensorRole::Operand, index({"B", "K", "N"})},
               {"S", TensorRole::Output, index({"B", "M", "N"})}};
  w.batch_dim = Dim::B;
  return w;
}

TEST(Workload, AttentionScoresAsData) {
  Expected<Layer> l = make_workload_layer(bert_qk());
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->kind, LayerKind::Workload);
  EXPECT_EQ(macs(*l), 12 * 128 * 128 * 64);
  EXPECT_EQ(tensor_size(*l, TensorId::Inputs), 12 * 128 * 64);
  EXPECT_EQ(tensor_size(*l, TensorId::Weights), 12 * 64 * 128);
  EXPECT_EQ(tensor_size(*l, TensorId::Outputs), 12 * 128 * 128);
  EXPECT_EQ(weight_count(*l), 0);  // no operand has the weights role
  EXPECT_EQ(tensor_name(*l, TensorId::Inputs), "Q");
  EXPECT_EQ(tensor_name(*l, TensorId::Outputs), "S");
  // Relevance: Q ignores N, Kt ignores M, S ignores K (the reduction).
  EXPECT_FALSE(is_relevant(*l, TensorId::Inputs, Dim::N));
  EXPECT_FALSE(is_relevant(*l, TensorId::Weights, Dim::M));
  EXPECT_FALSE(is_relevant(*l, TensorId::Outputs, Dim::K));
  EXPECT_TRUE(is_relevant(*l, TensorId::Outputs, Dim::B));
  // --batch sets B; 12 heads x batch 4 is 48.
  Layer b = *l;
  ASSERT_TRUE(set_batch(b, 4));
  EXPECT_EQ(b.bounds[Dim::B], 4);
  EXPECT_EQ(batch_size(b), 4);
  // The data gradient of Q: dQ[B,M,K] += dS[B,M,N] * Kt[B,K,N].
  const Layer dgrad = with_pass(*l, Pass::DataGradient);
  EXPECT_EQ(tensor_name(dgrad, TensorId::Inputs), "S_grad");
  EXPECT_EQ(tensor_name(dgrad, TensorId::Weights), "Kt");
  EXPECT_EQ(tensor_name(dgrad, TensorId::Outputs), "Q_grad");
  EXPECT_FALSE(is_relevant(dgrad, TensorId::Outputs, Dim::N));
  EXPECT_EQ(macs(dgrad), macs(*l));
  const Layer wgrad = with_pass(*l, Pass::WeightGradient);
  EXPECT_EQ(tensor_name(wgrad, TensorId::Outputs), "Kt_grad");
}

TEST(Workload, ConvAsDataHasTheConvProjection) {
  // inputs [N][C][P*2+R][Q*2+S], weights [K][C][R][S], outputs [N][K][P][Q]: the built-in
  // conv's projection without the G axis (G = 1).
  WorkloadDescription w;
  w.name = "conv";
  w.dims = {{Dim::N, 2}, {Dim::K, 4}, {Dim::C, 3}, {Dim::P, 5}, {Dim::Q, 5}, {Dim::R, 3}, {Dim::S, 3}};
  const auto dims = dims_of("NKCPQRS");
  auto index = [&](std::initializer_list<const char*> axes) {
    FixedVector<IndexAxis, kMaxWorkloadDims> out;
    for (const char* a : axes) out.push_back(*parse_index_axis(a, dims));
    return out;
  };
  w.tensors = {{"ifmap", TensorRole::Operand, index({"N", "C", "P*2+R", "Q*2+S"})},
               {"filter", TensorRole::Weights, index({"K", "C", "R", "S"})},
               {"ofmap", TensorRole::Output, index({"N", "K", "P", "Q"})}};
  const Expected<Layer> l = make_workload_layer(w);
  ASSERT_TRUE(l) << l.error().message;
  Layer conv;
  for (const auto& [d, b] : w.dims) conv.bounds[d] = b;
  conv.stride_h = conv.stride_w = 2;
  for (TensorId t : kAllTensors) {
    EXPECT_EQ(tensor_size(*l, t), tensor_size(conv, t)) << tensor_name(t);
    for (Dim d : l->dims) EXPECT_EQ(is_relevant(*l, t, d), is_relevant(conv, t, d)) << dim_letter(d);
  }
  EXPECT_EQ(weight_count(*l), weight_count(conv));  // filter has the weights role
  EXPECT_EQ(macs(*l), macs(conv));
}

TEST(Workload, MalformedDescriptionsFailWithOneLine) {
  const auto expect_error = [](WorkloadDescription w, const char* why) {
    const Expected<Layer> l = make_workload_layer(w);
    ASSERT_FALSE(l) << why;
    EXPECT_THAT(l.error().message, HasSubstr(why));
    EXPECT_THAT(l.error().message, HasSubstr("'bert_qk'"));  // names the workload
  };
  {
    auto w = bert_qk();
    w.dims[1].second = 0;
    expect_error(w, "dimension M: bound must be >= 1, got 0");
  }
  {
    auto w = bert_qk();
    w.tensors[2].role = TensorRole::Operand;
    expect_error(w, "has 3 operand(s) and 0 output(s)");
  }
  {
    auto w = bert_qk();
    w.tensors.pop_back();
    expect_error(w, "has 2 operand(s) and 0 output(s)");
  }
  {
    auto w = bert_qk();
    w.tensors[1].index.clear();
    expect_error(w, "tensor 'Kt': has no index");
  }
  {
    auto w = bert_qk();
    w.tensors[1].name = "Q";
    expect_error(w, "tensor name 'Q' is used twice");
  }
  {
    auto w = bert_qk();
    w.tensors[0].index[0] = IndexAxis{{1, Dim::M}};  // M twice in Q
    expect_error(w, "dimension M appears in more than one term");
  }
  {
    auto w = bert_qk();
    w.tensors[0].index[0].first.coef = -1;
    expect_error(w, "coefficients must be >= 1, got -1");
  }
  {
    auto w = bert_qk();
    w.tensors[0].index[0] = IndexAxis{{1, Dim::Z}};
    expect_error(w, "unknown dimension Z");
  }
  {
    auto w = bert_qk();
    w.dims.push_back({Dim::M, 3});
    expect_error(w, "dimension M given twice");
  }
  {
    auto w = bert_qk();
    w.batch_dim = Dim::G;
    expect_error(w, "batch dimension G is not one of its dimensions");
  }
  {
    auto w = bert_qk();
    w.dims[0].second = std::int64_t{1} << 40;
    w.dims[1].second = std::int64_t{1} << 30;
    expect_error(w, "exceed 2^63 - 1");
  }
}

// kMaxWorkloadDims (16) dimensions are accepted, 17 are not; a batch of 2 on a workload
// without a batch dimension is refused.
TEST(Workload, DimensionLimitAtMaxAndPast) {
  WorkloadDescription w;
  w.name = "wide";
  const std::string_view letters = "ABCDEFGHIJKLMNOPQ";
  FixedVector<IndexAxis, kMaxWorkloadDims> first, second;
  for (std::size_t i = 0; i < 16; ++i) {
    const Dim d = *dim_from_letter(letters[i]);
    w.dims.push_back({d, 2});
    (i < 8 ? first : second).push_back(IndexAxis{{1, d}});
  }
  w.tensors = {{"x", TensorRole::Operand, first}, {"y", TensorRole::Operand, second}, {"z", TensorRole::Output, first}};
  const Expected<Layer> ok = make_workload_layer(w);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->dims.size(), 16u);
  EXPECT_EQ(macs(*ok), std::int64_t{1} << 16);
  Layer copy = *ok;
  const auto batch = set_batch(copy, 2);
  ASSERT_FALSE(batch);
  EXPECT_THAT(batch.error().message, HasSubstr("has no batch dimension"));
  EXPECT_TRUE(set_batch(copy, 1));
  w.dims.push_back({*dim_from_letter(letters[16]), 2});
  const Expected<Layer> past = make_workload_layer(w);
  ASSERT_FALSE(past);
  EXPECT_THAT(past.error().message, HasSubstr("17 dimensions; at most 16"));
}

// kMaxTensors (8) tensors are accepted: one output and seven operands, which fill the
// slots Inputs, Weights, 3, 4, ... in the order given; 9 are not, nor is one operand.
TEST(Workload, TensorLimitAtMaxAndPast) {
  WorkloadDescription w;
  w.name = "product";
  w.dims = {{Dim::M, 3}, {Dim::K, 5}};
  const auto index = [](std::initializer_list<Dim> dims) {
    FixedVector<IndexAxis, kMaxWorkloadDims> out;
    for (Dim d : dims) out.push_back(IndexAxis{{1, d}});
    return out;
  };
  w.tensors = {{"out", TensorRole::Output, index({Dim::M})}};
  for (int i = 0; i < 7; ++i) {
    w.tensors.push_back({"op" + std::to_string(i), i == 3 ? TensorRole::Weights : TensorRole::Operand,
                         i % 2 ? index({Dim::K}) : index({Dim::M, Dim::K})});
  }
  const Expected<Layer> ok = make_workload_layer(w);
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(layer_tensors(*ok).size(), kMaxTensors);
  EXPECT_EQ(tensor_name(*ok, TensorId::Inputs), "op0");
  EXPECT_EQ(tensor_name(*ok, TensorId::Weights), "op1");
  EXPECT_EQ(tensor_name(*ok, TensorId::Outputs), "out");
  EXPECT_EQ(tensor_name(*ok, TensorId{3}), "op2");
  EXPECT_EQ(tensor_name(*ok, TensorId{7}), "op6");
  EXPECT_EQ(tensor_size(*ok, TensorId{4}), 5);   // op3 [K]
  EXPECT_EQ(tensor_size(*ok, TensorId{5}), 15);  // op4 [M, K]
  EXPECT_EQ(weight_count(*ok), 5);                // op3 is the one parameter
  EXPECT_EQ(macs(*ok), 15);
  // In the data gradient the first operand's gradient is accumulated; the other operands,
  // further ones included, are read as they are.
  const Layer dgrad = with_pass(*ok, Pass::DataGradient);
  EXPECT_EQ(tensor_name(dgrad, TensorId::Outputs), "op0_grad");
  EXPECT_EQ(tensor_name(dgrad, TensorId::Inputs), "out_grad");
  EXPECT_EQ(tensor_name(dgrad, TensorId{3}), "op2");

  w.tensors.push_back({"op7", TensorRole::Operand, index({Dim::K})});
  const Expected<Layer> past = make_workload_layer(w);
  ASSERT_FALSE(past);
  EXPECT_THAT(past.error().message, HasSubstr("has 8 operand(s) and 1 output(s); a workload multiplies 2 to 7 operands"));
  w.tensors.resize(2);
  const Expected<Layer> one = make_workload_layer(w);
  ASSERT_FALSE(one);
  EXPECT_THAT(one.error().message, HasSubstr("has 1 operand(s) and 1 output(s)"));
}

}  // namespace
}  // namespace dnnspace
