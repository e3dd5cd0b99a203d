// ONNX models read as networks, checked against what the operator definitions and PyTorch
// give for the same models (tests/data/onnx, made by scripts/make_onnx_testdata.py).
#include "dnnspace/io/onnx_network.hpp"

#include <onnx/onnx_pb.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace dnnspace::io {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kData = std::string(DNNSPACE_SOURCE_DIR) + "/tests/data/onnx/";

nlohmann::json expected(const std::string& model) {
  std::ifstream in(kData + model + ".expected.json");
  return nlohmann::json::parse(in);
}

Network load(const std::string& model, OnnxImportOptions options = {}) {
  Expected<Network> n = load_onnx_network(kData + model + ".onnx", options);
  EXPECT_TRUE(n.has_value()) << n.error().message;
  return n ? *n : Network{};
}

const Layer& layer_named(const Network& n, const std::string& name) {
  for (const Layer& l : n.layers) if (l.name == name) return l;
  ADD_FAILURE() << "no layer " << name;
  return n.layers.front();
}

// Every supported operator and attribute: per layer the MACs and weights the operator
// definitions give (computed by hand in the script), the other operators listed in order.
TEST(OnnxNetwork, EveryOperatorAndAttributeAsTheOperatorsDefineThem) {
  const Network n = load("ops");
  const nlohmann::json e = expected("ops");
  ASSERT_EQ(n.layers.size(), e["layers"].size());
  for (const auto& [name, v] : e["layers"].items()) {
    const Layer& l = layer_named(n, name);
    EXPECT_EQ(macs(l), v["macs"].get<std::int64_t>()) << name;
    EXPECT_EQ(weight_count(l), v["weights"].get<std::int64_t>()) << name;
  }
  EXPECT_EQ(total_macs(n), e["macs"].get<std::int64_t>());
  EXPECT_EQ(n.biases, e["biases"].get<std::int64_t>());
  ASSERT_EQ(n.others.size(), e["others"].size());
  for (std::size_t i = 0; i < n.others.size(); ++i) EXPECT_EQ(n.others[i].name, e["others"][i]) << i;

  // The attributes land where the model reads them.
  const Layer& g = layer_named(n, "conv_g");
  EXPECT_EQ(g.bounds[Dim::G], 2);
  EXPECT_EQ(g.bounds[Dim::K], 8);
  EXPECT_EQ(g.bounds[Dim::C], 4);
  EXPECT_EQ(g.bounds[Dim::P], 10);
  EXPECT_EQ(g.stride_h, 2);
  EXPECT_EQ(g.dilation_w, 2);
  EXPECT_EQ(g.pad_h, 1);  // the leading pad of (1, 1, 2, 2)
  const Layer& dw = layer_named(n, "conv_dw");
  EXPECT_EQ(dw.bounds[Dim::G], 16);
  EXPECT_EQ(dw.bounds[Dim::K], 1);
  EXPECT_EQ(dw.bounds[Dim::C], 1);
  const Layer& one_d = layer_named(n, "conv_1d");
  EXPECT_EQ(one_d.bounds[Dim::P], 1);
  EXPECT_EQ(one_d.bounds[Dim::Q], 12);
  EXPECT_EQ(one_d.bounds[Dim::S], 5);
  EXPECT_EQ(layer_named(n, "deconv").kind, LayerKind::Workload);
  EXPECT_EQ(layer_named(n, "scores").groups_per_sample, 2);  // two heads, both operands activations
  EXPECT_EQ(layer_named(n, "fc").kind, LayerKind::FullyConnected);
  EXPECT_EQ(layer_named(n, "token_linear").bounds[Dim::P], 6);  // six positions through one weight matrix
  // The max pool reads 16 x 10 x 10 and writes 16 x 5 x 5.
  EXPECT_EQ(n.others[1].op_type, "MaxPool");
  EXPECT_EQ(n.others[1].input_elements, 1600);
  EXPECT_EQ(n.others[1].output_elements, 400);
}

// The symbolic batch N becomes --batch: every layer's MACs scale by it, the weights do not.
TEST(OnnxNetwork, TheBatchReplacesASymbolicFirstDimension) {
  OnnxImportOptions four;
  four.batch = 4;
  const Network one = load("ops"), n = load("ops", four);
  ASSERT_EQ(n.layers.size(), one.layers.size());
  for (std::size_t i = 0; i < n.layers.size(); ++i) {
    EXPECT_EQ(macs(n.layers[i]), 4 * macs(one.layers[i])) << n.layers[i].name;
    EXPECT_EQ(weight_count(n.layers[i]), weight_count(one.layers[i])) << n.layers[i].name;
  }
}

// torchvision's models exported shape-only: MACs and weights as PyTorch's Conv2d and Linear
// modules count them (forward hooks at 224 x 224). AlexNet is torchvision's single-group
// variant: 714,188,480 MACs (the published 0.714 G). The export folds each BatchNorm into
// the convolution before it, whose bias it becomes: the graph's biases are PyTorch's plus
// the BatchNorms' channels.
TEST(OnnxNetwork, TorchvisionModelsMatchPyTorchsCounts) {
  for (const std::string model : {"alexnet", "resnet18", "resnet50", "mobilenet_v2"}) {
    const Network n = load(model);
    const nlohmann::json e = expected(model);
    EXPECT_EQ(total_macs(n), e["macs"].get<std::int64_t>()) << model;
    EXPECT_EQ(total_weights(n), e["weights"].get<std::int64_t>()) << model;
    EXPECT_EQ(n.biases, e["biases"].get<std::int64_t>() + e["folded_batchnorm_channels"].get<std::int64_t>()) << model;
  }
  EXPECT_EQ(total_macs(load("alexnet")), 714188480);
  const Network resnet18 = load("resnet18");
  EXPECT_EQ(resnet18.layers.size(), 21u);  // 20 convolutions and the classifier
  // Sole readers: only inside each of the 8 basic blocks (conv1 -> ReLU -> conv2; the
  // export folded the BatchNorms). Every block's input is also the shortcut's.
  int sole = 0;
  for (bool b : resnet18.sole_reader) sole += b ? 1 : 0;
  EXPECT_EQ(resnet18.sole_reader.size(), 20u);
  EXPECT_EQ(sole, 8);
  const Network alexnet = load("alexnet");  // a chain through ReLUs, pooling and flatten
  EXPECT_EQ(alexnet.sole_reader, std::vector<bool>(7, true));
}

// A transformer encoder layer: the attention's projections, its two matmuls of two
// activations over four heads, and the feed-forward layers.
TEST(OnnxNetwork, ATransformerLayerMatchesPyTorch) {
  const Network n = load("transformer_encoder");
  const nlohmann::json e = expected("transformer_encoder");
  EXPECT_EQ(total_macs(n), e["macs"].get<std::int64_t>());
  EXPECT_EQ(total_weights(n), e["weights"].get<std::int64_t>());
  EXPECT_EQ(n.biases, e["biases"].get<std::int64_t>());
  // PyTorch folds batch and heads into one leading axis of 4: two matmuls of 4 groups
  // with no weights.
  int attention = 0;
  for (const Layer& l : n.layers) attention += l.bounds[Dim::G] == 4 && weight_count(l) == 0 ? 1 : 0;
  EXPECT_EQ(attention, 2);
}

// BERT-base's encoder shape (12 layers, 128 tokens) as PyTorch's TransformerEncoder writes
// it: MACs by hand from its dimensions, weights and biases PyTorch's.
TEST(OnnxNetwork, ABertBaseEncoderMatchesPyTorch) {
  const Network n = load("bert_base_encoder");
  const nlohmann::json e = expected("bert_base_encoder");
  EXPECT_EQ(total_macs(n), e["macs"].get<std::int64_t>());
  EXPECT_EQ(total_weights(n), e["weights"].get<std::int64_t>());
  EXPECT_EQ(n.biases, e["biases"].get<std::int64_t>());
  EXPECT_EQ(n.layers.size(), 12u * 6u);
}

// A bidirectional LSTM and a GRU over 5 steps of a batch of 3: one layer per direction
// with the steps as rows, MACs as the recurrences compute them, weights and biases as
// PyTorch holds them.
TEST(OnnxNetwork, RecurrentLayersMatchPyTorch) {
  const Network n = load("recurrent");
  const nlohmann::json e = expected("recurrent");
  EXPECT_EQ(total_macs(n), e["macs"].get<std::int64_t>());
  EXPECT_EQ(total_weights(n), e["weights"].get<std::int64_t>());
  EXPECT_EQ(n.biases, e["biases"].get<std::int64_t>());
  int lstm = 0;
  for (const Layer& l : n.layers) {
    if (l.kind != LayerKind::Lstm) continue;
    ++lstm;
    EXPECT_EQ(l.bounds[Dim::N], 15);       // 5 steps x 3
    EXPECT_EQ(l.bounds[Dim::K], 4 * 32);   // four gates
    EXPECT_EQ(l.bounds[Dim::C], 20 + 32);  // input and hidden state
  }
  EXPECT_EQ(lstm, 2);  // forward and backward
}

// A model built here with the protobuf classes, written to a scratch file.
std::string write_model(const onnx::ModelProto& m, const std::string& name) {
  const fs::path p = fs::path(::testing::TempDir()) / ("onnx_network_test_" + name + ".onnx");
  std::ofstream(p, std::ios::binary) << m.SerializeAsString();
  return p.string();
}

onnx::ModelProto one_node(const std::string& op, std::int64_t opset = 13) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(opset);
  onnx::GraphProto* g = m.mutable_graph();
  g->set_name("g");
  for (const char* name : {"x", "w"}) {  // 1 x 4 x 8 times 1 x 8 x 4
    onnx::ValueInfoProto* in = g->add_input();
    in->set_name(name);
    auto* t = in->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int d : {1, name[0] == 'x' ? 4 : 8, name[0] == 'x' ? 8 : 4}) t->mutable_shape()->add_dim()->set_dim_value(d);
  }
  onnx::NodeProto* node = g->add_node();
  node->set_op_type(op);
  node->set_name("n");
  node->add_input("x");
  node->add_input("w");
  node->add_output("y");
  g->add_output()->set_name("y");
  return m;
}

std::string load_error(const std::string& path, OnnxImportOptions options = {}) {
  Expected<Network> n = load_onnx_network(path, options);
  EXPECT_FALSE(n.has_value()) << path;
  return n ? std::string() : n.error().message;
}

TEST(OnnxNetworkError, BadFilesGetOneClearLine) {
  const fs::path dir = fs::path(::testing::TempDir());
  const std::string text = (dir / "onnx_network_test_text.onnx").string();
  std::ofstream(text) << "not a model\n";
  EXPECT_THAT(load_error(text), HasSubstr("not an ONNX model"));
  // The first half of a real model.
  std::ifstream in(kData + "resnet18.onnx", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string half = (dir / "onnx_network_test_half.onnx").string();
  std::ofstream(half, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  EXPECT_THAT(load_error(half), HasSubstr("not an ONNX model"));
  EXPECT_THAT(load_error(dir.string() + "/onnx_network_test_missing.onnx"), HasSubstr("cannot open file"));
  EXPECT_THAT(load_error(dir.string()), HasSubstr("not a regular file"));

  EXPECT_THAT(load_error(write_model(one_node("MatMul", 99), "opset")), HasSubstr("opset 99 is newer than"));
  EXPECT_THAT(load_error(write_model(one_node("Einsum"), "einsum")),
              HasSubstr("node 'n': operator Einsum multiplies and accumulates but dnnspace does not import it"));
  EXPECT_THAT(load_error(write_model(one_node("Relu"), "relu")), HasSubstr("no Conv, ConvTranspose, Gemm, MatMul, LSTM or GRU node"));

  // A dimension nothing settles: named, with the way out.
  onnx::ModelProto dynamic = one_node("MatMul");
  auto* shape = dynamic.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  shape->mutable_dim(1)->set_dim_param("rows");
  const std::string dyn = write_model(dynamic, "dynamic");
  EXPECT_THAT(load_error(dyn), HasSubstr("tensor 'x' has shape 1x?x8: dimension 1 is unknown"));
  OnnxImportOptions fixed;
  fixed.input_shapes = {{"x", {1, 4, 8}}};
  EXPECT_TRUE(load_onnx_network(dyn, fixed).has_value());
  fixed.input_shapes = {{"z", {1, 4, 8}}};
  EXPECT_THAT(load_error(dyn, fixed), HasSubstr("--input-shape: the graph has no input 'z' (its inputs: w, x)"));
}

// A model written with the protobuf classes, node by node (the hostile inputs below).
class Builder {
 public:
  Builder() {
    m_.set_ir_version(8);
    m_.add_opset_import()->set_version(13);
    m_.mutable_graph()->set_name("g");
  }
  Builder& input(const std::string& name, const std::vector<std::int64_t>& dims, const std::string& symbolic_first = "") {
    onnx::ValueInfoProto* in = m_.mutable_graph()->add_input();
    in->set_name(name);
    auto* t = in->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (std::size_t i = 0; i < dims.size(); ++i) {
      auto* d = t->mutable_shape()->add_dim();
      if (i == 0 && !symbolic_first.empty()) d->set_dim_param(symbolic_first);
      else d->set_dim_value(dims[i]);
    }
    return *this;
  }
  Builder& weight(const std::string& name, const std::vector<std::int64_t>& dims) {  // shape only
    onnx::TensorProto* t = m_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (std::int64_t d : dims) t->add_dims(d);
    return *this;
  }
  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& in, const std::vector<std::string>& out,
                        const std::string& name = "") {
    onnx::NodeProto* n = m_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const auto& i : in) n->add_input(i);
    for (const auto& o : out) n->add_output(o);
    return *n;
  }
  static void ints(onnx::NodeProto& n, const std::string& name, const std::vector<std::int64_t>& values) {
    onnx::AttributeProto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (std::int64_t v : values) a->add_ints(v);
  }
  onnx::ModelProto& model() { return m_; }
  std::string write(const std::string& name) {
    m_.mutable_graph()->add_output()->set_name(m_.graph().node(m_.graph().node_size() - 1).output(0));
    return write_model(m_, name);
  }

 private:
  onnx::ModelProto m_;
};

Builder conv_model() {
  Builder b;
  b.input("x", {1, 3, 8, 8}).weight("w", {4, 3, 3, 3});
  b.node("Conv", {"x", "w"}, {"y"}, "c");
  return b;
}

// What ONNX's own shape inference would crash on (a division by a stride of 0, a kernel
// indexed past the input's rank, a missing input) is refused before it runs.
TEST(OnnxNetworkError, WhatInferenceWouldCrashOnIsRefusedFirst) {
  Builder zero = conv_model();
  Builder::ints(*zero.model().mutable_graph()->mutable_node(0), "strides", {0, 0});
  EXPECT_THAT(load_error(zero.write("stride0")), HasSubstr("strides 0 is outside 1..2^31"));
  Builder negative = conv_model();
  Builder::ints(*negative.model().mutable_graph()->mutable_node(0), "pads", {0, 0, -2, -2});
  EXPECT_THAT(load_error(negative.write("pads_negative")), HasSubstr("pads -2 is outside 0..2^31"));
  Builder kernel = conv_model();
  Builder::ints(*kernel.model().mutable_graph()->mutable_node(0), "kernel_shape", {5, 5});
  EXPECT_THAT(load_error(kernel.write("kernel")), HasSubstr("kernel_shape 5x5 is not the weights' 3x3"));
  const std::string ok = conv_model().write("conv_ok");
  OnnxImportOptions rank;
  rank.input_shapes = {{"x", {3, 8, 8}}};
  EXPECT_THAT(load_error(ok, rank), HasSubstr("input 'x' has rank 3 for 2 spatial axes (rank 4)"));
  Builder one_input;
  one_input.input("x", {1, 3, 8, 8});
  one_input.node("Conv", {"x"}, {"y"}, "c");
  EXPECT_THAT(load_error(one_input.write("one_input")), HasSubstr("Conv takes at least 2"));
  Builder ghost;
  ghost.input("x", {1, 3, 8, 8});
  ghost.node("Conv", {"x", "ghostw"}, {"y"}, "c");
  EXPECT_THAT(load_error(ghost.write("ghost")), HasSubstr("input 'ghostw' is defined by no graph input"));
  Builder opset0 = conv_model();
  opset0.model().mutable_opset_import(0)->set_version(0);
  EXPECT_THAT(load_error(opset0.write("opset0")), HasSubstr("opset 0 is not a valid opset"));
}

// Work that cannot be counted is refused, never dropped: a custom-domain operator, a
// subgraph, a model-local function.
TEST(OnnxNetworkError, UncountableWorkIsRefused) {
  Builder custom = conv_model();
  custom.node("FusedConv", {"y", "w"}, {"z"}, "f").set_domain("com.microsoft");
  EXPECT_THAT(load_error(custom.write("custom")), HasSubstr("com.microsoft.FusedConv is not a standard ONNX operator"));
  Builder branch = conv_model();
  onnx::NodeProto& if_node = branch.node("If", {"y"}, {"z"}, "branch");
  onnx::AttributeProto* then_branch = if_node.add_attribute();
  then_branch->set_name("then_branch");
  then_branch->set_type(onnx::AttributeProto::GRAPH);
  then_branch->mutable_g()->set_name("then");
  EXPECT_THAT(load_error(branch.write("branch")), HasSubstr("control flow with a subgraph"));
}

// numpy broadcasting: a vector times a batch of matrices is a batch of vector products.
TEST(OnnxNetwork, MatMulBroadcastsLikeNumpy) {
  Builder vec;
  vec.input("a", {8}).input("b", {7, 8, 4});
  vec.node("MatMul", {"a", "b"}, {"y"}, "m");
  const Expected<Network> v = load_onnx_network(vec.write("vec_x_batch"));
  ASSERT_TRUE(v.has_value()) << v.error().message;
  EXPECT_EQ(total_macs(*v), 7 * 8 * 4);
  // Constant batched weights: one weight matrix per group, A's extra axis shares them.
  Builder grouped;
  grouped.input("a", {2, 3, 5, 8}).weight("b", {3, 8, 4});
  grouped.node("MatMul", {"a", "b"}, {"y"}, "m");
  const Expected<Network> g = load_onnx_network(grouped.write("grouped"));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(total_macs(*g), 2 * 3 * 5 * 8 * 4);
  EXPECT_EQ(total_weights(*g), 3 * 8 * 4);
  // A weight reached through a Transpose of an initializer (exports without constant folding).
  Builder transposed;
  transposed.input("a", {5, 8}).weight("wt", {4, 8});
  Builder::ints(transposed.node("Transpose", {"wt"}, {"w"}, "t"), "perm", {1, 0});
  transposed.node("MatMul", {"a", "w"}, {"y"}, "m");
  const Expected<Network> t = load_onnx_network(transposed.write("transposed"));
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(total_weights(*t), 32);
}

// The batch: only inputs of rank 2 or more, never one given with --input-shape, and a fixed
// batch is not silently kept; a model whose MACs do not scale with it is refused.
TEST(OnnxNetworkError, TheBatchIsAppliedWhereItMeansSomething) {
  Builder scaled;
  scaled.input("x", {1, 3, 8, 8}, "N").input("scale", {1}).weight("w", {4, 3, 3, 3});
  scaled.node("Conv", {"x", "w"}, {"y"}, "c");
  scaled.node("Mul", {"y", "scale"}, {"z"}, "s");
  const std::string scaled_path = scaled.write("scale_input");
  OnnxImportOptions four;
  four.batch = 4;
  const Expected<Network> batch4 = load_onnx_network(scaled_path, four);
  ASSERT_TRUE(batch4.has_value()) << batch4.error().message;
  EXPECT_EQ(total_macs(*batch4), 4 * 6 * 6 * 4 * 27);  // the per-tensor scale keeps its 1
  OnnxImportOptions kept;
  kept.input_shapes = {{"x", {2, 3, 8, 8}}};
  const Expected<Network> as_given = load_onnx_network(scaled_path, kept);
  ASSERT_TRUE(as_given.has_value()) << as_given.error().message;
  EXPECT_EQ(total_macs(*as_given), 2 * 6 * 6 * 4 * 27);
  Builder fixed;
  fixed.input("x", {4, 3, 8, 8}).weight("w", {4, 3, 3, 3});
  fixed.node("Conv", {"x", "w"}, {"y"}, "c");
  OnnxImportOptions two;
  two.batch = 2;
  EXPECT_THAT(load_error(fixed.write("fixed_batch"), two), HasSubstr("has a fixed batch of 4"));
  EXPECT_THAT(load_error(kData + "transformer_encoder.onnx", four), HasSubstr("do not scale with its batch"));
}

TEST(OnnxNetworkError, InputShapeTextIsChecked) {
  Expected<std::pair<std::string, std::vector<std::int64_t>>> ok = parse_input_shape("input=1x3x224x224");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->first, "input");
  EXPECT_EQ(ok->second, (std::vector<std::int64_t>{1, 3, 224, 224}));
  EXPECT_THAT(parse_input_shape("input").error().message, HasSubstr("expected NAME=D0xD1x"));
  EXPECT_THAT(parse_input_shape("input=1x0x3").error().message, HasSubstr("dimension '0' is not a whole number"));
  EXPECT_THAT(parse_input_shape("input=1xx3").error().message, HasSubstr("dimension ''"));
  EXPECT_TRUE(is_onnx_path("model.ONNX"));
  EXPECT_FALSE(is_onnx_path("model.yaml"));
}

}  // namespace
}  // namespace dnnspace::io
