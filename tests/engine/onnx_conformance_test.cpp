// Conformance of the reference kernels against ONNX's own backend node tests (Debian package
// libonnx-testdata): each case is a one-node model.onnx plus serialized input and expected
// output TensorProtos. Every case of a supported operator runs; the ones that cannot run are
// listed below with a reason and printed, never skipped silently.
#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dnnspace/engine/activation.hpp"
#include "dnnspace/engine/add.hpp"
#include "dnnspace/engine/batch_norm.hpp"
#include "dnnspace/engine/concat.hpp"
#include "dnnspace/engine/conv2d.hpp"
#include "dnnspace/engine/flatten.hpp"
#include "dnnspace/engine/gemm.hpp"
#include "dnnspace/engine/lstm.hpp"
#include "dnnspace/engine/matmul.hpp"
#include "dnnspace/engine/pooling.hpp"
#include "dnnspace/engine/softmax.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {
namespace {

namespace fs = std::filesystem;

// Where Debian's libonnx-testdata (ONNX 1.12) puts the node tests.
constexpr std::string_view kDataDir = "/usr/share/libonnx-testdata/data/node";

// Case directories whose name starts with one of these are run. test_basic_conv_* are plain
// Conv cases too, under a different prefix.
constexpr std::array<std::string_view, 15> kPrefixes = {
    "test_conv",    "test_basic_conv", "test_gemm",    "test_matmul",    "test_maxpool",
    "test_averagepool", "test_relu",   "test_sigmoid", "test_tanh",      "test_softmax",
    "test_batchnorm",   "test_add",    "test_concat",  "test_flatten",   "test_lstm"};

// ONNX's backend-test defaults (onnx/backend/test/runner: rtol=1e-3, atol=1e-7), applied as
// numpy.testing.assert_allclose does: |actual - expected| <= atol + rtol * |expected|.
constexpr double kRtol = 1e-3;
constexpr double kAtol = 1e-7;

struct Unsupported {
  std::string_view name;
  std::string_view reason;
};

// Cases under the prefixes above that the engine does not run, and why (keep in step with
// docs/engine.md). Multi-node *_expanded graphs are detected and skipped separately.
constexpr std::array<Unsupported, 18> kUnsupported = {{
    {"test_add_uint8", "uint8 tensors; the engine computes in fp32 only"},
    {"test_maxpool_2d_uint8", "uint8 tensors; the engine computes in fp32 only"},
    {"test_batchnorm_epsilon_training_mode",
     "training_mode=1 (batch statistics and running-stat outputs); inference only"},
    {"test_batchnorm_example_training_mode",
     "training_mode=1 (batch statistics and running-stat outputs); inference only"},
    {"test_basic_convinteger", "ConvInteger: a different operator (uint8/int32)"},
    {"test_convinteger_with_padding", "ConvInteger: a different operator (uint8/int32)"},
    {"test_convinteger_without_padding", "ConvInteger: a different operator (uint8/int32)"},
    {"test_matmulinteger", "MatMulInteger: a different operator (uint8/int32)"},
    {"test_convtranspose", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_1d", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_3d", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_autopad_same", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_dilations", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_kernel_shape", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_output_shape", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_pad", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_pads", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_with_kernel", "ConvTranspose: a different operator, not implemented"},
}};

// ---------------------------------------------------------------------------------------------
// Reading TensorProtos.

/// An integer tensor (ONNX INT32/INT64), for sequence_lens inputs and MaxPool indices outputs.
struct IntTensor {
  Shape shape;
  std::vector<std::int64_t> data;
};
using Value = std::variant<Tensor, IntTensor>;

Expected<onnx::TensorProto> read_tensor_proto(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  onnx::TensorProto proto;
  if (!in || !proto.ParseFromIstream(&in)) {
    return Error{path.string() + ": cannot read a serialized onnx.TensorProto"};
  }
  return proto;
}

Shape dims_of(const onnx::TensorProto& proto) {
  return Shape(proto.dims().begin(), proto.dims().end());
}

// raw_data holds little-endian values (the ONNX spec), which is this machine's order.
template <typename T>
std::vector<T> raw_values(const onnx::TensorProto& proto) {
  std::vector<T> values(proto.raw_data().size() / sizeof(T));
  std::memcpy(values.data(), proto.raw_data().data(), values.size() * sizeof(T));
  return values;
}

Expected<Value> to_value(const onnx::TensorProto& proto, const std::string& what) {
  const Shape shape = dims_of(proto);
  switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT: {
      std::vector<float> data = proto.has_raw_data()
                                    ? raw_values<float>(proto)
                                    : std::vector<float>(proto.float_data().begin(),
                                                         proto.float_data().end());
      auto tensor = Tensor::from_data(shape, std::move(data));
      if (!tensor) return Error{what + ": " + tensor.error().message};
      return Value(std::move(*tensor));
    }
    case onnx::TensorProto::INT64: {
      std::vector<std::int64_t> data =
          proto.has_raw_data() ? raw_values<std::int64_t>(proto)
                               : std::vector<std::int64_t>(proto.int64_data().begin(),
                                                           proto.int64_data().end());
      return Value(IntTensor{shape, std::move(data)});
    }
    case onnx::TensorProto::INT32: {
      std::vector<std::int64_t> data;
      if (proto.has_raw_data()) {
        for (std::int32_t v : raw_values<std::int32_t>(proto)) data.push_back(v);
      } else {
        data.assign(proto.int32_data().begin(), proto.int32_data().end());
      }
      return Value(IntTensor{shape, std::move(data)});
    }
    default:
      return Error{what + ": data type " + std::to_string(proto.data_type()) +
                   " is not supported (fp32, and int32/int64 for indices and lengths)"};
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a node's attributes and inputs.

class Node {
 public:
  Node(const onnx::NodeProto& proto, const std::map<std::string, Value>& values)
      : proto_(proto), values_(values) {}

  const std::string& op() const { return proto_.op_type(); }

  const onnx::AttributeProto* attribute(std::string_view name) const {
    for (const auto& a : proto_.attribute()) {
      if (a.name() == name) return &a;
    }
    return nullptr;
  }
  std::int64_t get_int(std::string_view name, std::int64_t fallback) const {
    const auto* a = attribute(name);
    return a != nullptr ? a->i() : fallback;
  }
  float get_float(std::string_view name, float fallback) const {
    const auto* a = attribute(name);
    return a != nullptr ? a->f() : fallback;
  }
  std::string get_string(std::string_view name, std::string fallback) const {
    const auto* a = attribute(name);
    return a != nullptr ? a->s() : fallback;
  }
  std::vector<std::int64_t> get_ints(std::string_view name) const {
    const auto* a = attribute(name);
    if (a == nullptr) return {};
    return std::vector<std::int64_t>(a->ints().begin(), a->ints().end());
  }

  /// Input `i` as a float tensor, or null when the node leaves it out (absent or "").
  Expected<const Tensor*> optional_tensor(int i) const {
    if (i >= proto_.input_size() || proto_.input(i).empty()) return nullptr;
    const auto it = values_.find(proto_.input(i));
    if (it == values_.end()) return Error{"input '" + proto_.input(i) + "' has no data"};
    if (const auto* t = std::get_if<Tensor>(&it->second)) return t;
    return Error{"input '" + proto_.input(i) + "' is not fp32"};
  }
  Expected<const Tensor*> tensor(int i) const {
    auto t = optional_tensor(i);
    if (t && *t == nullptr) {
      return Error{op() + ": required input " + std::to_string(i) + " is missing"};
    }
    return t;
  }
  const IntTensor* optional_ints(int i) const {
    if (i >= proto_.input_size() || proto_.input(i).empty()) return nullptr;
    const auto it = values_.find(proto_.input(i));
    return it == values_.end() ? nullptr : std::get_if<IntTensor>(&it->second);
  }
  int input_count() const { return proto_.input_size(); }

 private:
  const onnx::NodeProto& proto_;
  const std::map<std::string, Value>& values_;
};

Expected<AutoPad> auto_pad_of(const Node& node) {
  const std::string s = node.get_string("auto_pad", "NOTSET");
  if (s == "NOTSET") return AutoPad::NotSet;
  if (s == "SAME_UPPER") return AutoPad::SameUpper;
  if (s == "SAME_LOWER") return AutoPad::SameLower;
  if (s == "VALID") return AutoPad::Valid;
  return Error{"auto_pad '" + s + "' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID"};
}

Expected<WindowParams> window_of(const Node& node) {
  auto pad = auto_pad_of(node);
  if (!pad) return pad.error();
  WindowParams w;
  w.kernel = node.get_ints("kernel_shape");
  w.strides = node.get_ints("strides");
  w.pads = node.get_ints("pads");
  w.dilations = node.get_ints("dilations");
  w.auto_pad = *pad;
  w.ceil_mode = node.get_int("ceil_mode", 0) != 0;
  return w;
}

Expected<LstmActivation> activation_of(const std::string& name) {
  if (name == "Sigmoid") return LstmActivation::Sigmoid;
  if (name == "Tanh") return LstmActivation::Tanh;
  if (name == "Relu") return LstmActivation::Relu;
  return Error{"LSTM activation '" + name + "' is not supported (Sigmoid, Tanh, Relu)"};
}

// The node's outputs in node order; an entry stays empty where ONNX makes it optional and we
// produce nothing for it.
using Outputs = std::vector<std::optional<Value>>;

template <typename T>
Expected<Outputs> one(Expected<T> result) {
  if (!result) return result.error();
  Outputs out;
  out.emplace_back(Value(std::move(*result)));
  return out;
}

#define DNNSPACE_TRY_INPUT(var, expr) \
  auto var = (expr);                  \
  if (!var) return var.error();

Expected<Outputs> run_lstm(const Node& node) {
  DNNSPACE_TRY_INPUT(x, node.tensor(0));
  DNNSPACE_TRY_INPUT(w, node.tensor(1));
  DNNSPACE_TRY_INPUT(r, node.tensor(2));
  DNNSPACE_TRY_INPUT(b, node.optional_tensor(3));
  DNNSPACE_TRY_INPUT(h0, node.optional_tensor(5));
  DNNSPACE_TRY_INPUT(c0, node.optional_tensor(6));
  DNNSPACE_TRY_INPUT(p, node.optional_tensor(7));
  if (node.get_int("input_forget", 0) != 0) return Error{"LSTM input_forget=1 is not supported"};
  if (node.attribute("activation_alpha") || node.attribute("activation_beta")) {
    return Error{"LSTM activation_alpha/beta are not supported"};
  }
  LstmParams params;
  params.hidden_size = node.get_int("hidden_size", 0);
  const std::string direction = node.get_string("direction", "forward");
  if (direction == "forward") {
    params.direction = LstmDirection::Forward;
  } else if (direction == "reverse") {
    params.direction = LstmDirection::Reverse;
  } else if (direction == "bidirectional") {
    params.direction = LstmDirection::Bidirectional;
  } else {
    return Error{"LSTM direction '" + direction + "' is unknown"};
  }
  params.batch_major = node.get_int("layout", 0) == 1;
  if (node.attribute("clip") != nullptr) params.clip = node.get_float("clip", 0.0F);
  if (const auto* a = node.attribute("activations")) {
    for (const auto& name : a->strings()) {
      auto act = activation_of(name);
      if (!act) return act.error();
      params.activations.push_back(*act);
    }
  }
  LstmOptionalInputs optional{*b, {}, *h0, *c0, *p};
  const IntTensor* lens = node.optional_ints(4);
  if (lens != nullptr) optional.sequence_lens = lens->data;
  auto result = lstm(**x, **w, **r, optional, params);
  if (!result) return result.error();
  Outputs out;
  out.emplace_back(Value(std::move(result->y)));
  out.emplace_back(Value(std::move(result->y_h)));
  out.emplace_back(Value(std::move(result->y_c)));
  return out;
}

Expected<Outputs> run_node(const Node& node, std::int64_t opset) {
  const std::string& op = node.op();
  if (op == "Conv") {
    DNNSPACE_TRY_INPUT(x, node.tensor(0));
    DNNSPACE_TRY_INPUT(w, node.tensor(1));
    DNNSPACE_TRY_INPUT(b, node.optional_tensor(2));
    DNNSPACE_TRY_INPUT(window, window_of(node));
    return one(conv2d(**x, **w, *b, {*window, node.get_int("group", 1)}));
  }
  if (op == "Gemm") {
    DNNSPACE_TRY_INPUT(a, node.tensor(0));
    DNNSPACE_TRY_INPUT(b, node.tensor(1));
    DNNSPACE_TRY_INPUT(c, node.optional_tensor(2));
    const GemmParams params{node.get_float("alpha", 1.0F), node.get_float("beta", 1.0F),
                            node.get_int("transA", 0) != 0, node.get_int("transB", 0) != 0};
    return one(gemm(**a, **b, *c, params));
  }
  if (op == "MatMul") {
    DNNSPACE_TRY_INPUT(a, node.tensor(0));
    DNNSPACE_TRY_INPUT(b, node.tensor(1));
    return one(matmul(**a, **b));
  }
  if (op == "MaxPool" || op == "AveragePool") {
    DNNSPACE_TRY_INPUT(x, node.tensor(0));
    DNNSPACE_TRY_INPUT(window, window_of(node));
    const PoolParams params{*window, node.get_int("count_include_pad", 0) != 0};
    if (op == "AveragePool") return one(average_pool(**x, params));
    auto result = max_pool_with_indices(**x, params, node.get_int("storage_order", 0) == 1);
    if (!result) return result.error();
    Outputs out;
    Shape shape = result->values.shape();
    out.emplace_back(Value(std::move(result->values)));
    out.emplace_back(Value(IntTensor{std::move(shape), std::move(result->indices)}));
    return out;
  }
  if (op == "Relu" || op == "Sigmoid" || op == "Tanh") {
    DNNSPACE_TRY_INPUT(x, node.tensor(0));
    if (op == "Relu") return one(Expected<Tensor>(relu(**x)));
    if (op == "Sigmoid") return one(Expected<Tensor>(sigmoid(**x)));
    return one(Expected<Tensor>(tanh(**x)));
  }
  if (op == "Softmax") {
    DNNSPACE_TRY_INPUT(x, node.tensor(0));
    if (opset >= 13) return one(softmax(**x, node.get_int("axis", -1)));
    // Opsets 1-12: softmax over the 2-D flattening at `axis` (default 1), then reshape back.
    DNNSPACE_TRY_INPUT(flat, flatten(**x, node.get_int("axis", 1)));
    DNNSPACE_TRY_INPUT(y, softmax(*flat, 1));
    return one(std::move(*y).reshaped((*x)->shape()));
  }
  if (op == "BatchNormalization") {
    if (node.get_int("training_mode", 0) != 0) {
      return Error{"BatchNormalization training_mode=1 is not supported"};
    }
    DNNSPACE_TRY_INPUT(x, node.tensor(0));
    DNNSPACE_TRY_INPUT(scale, node.tensor(1));
    DNNSPACE_TRY_INPUT(bias, node.tensor(2));
    DNNSPACE_TRY_INPUT(mean, node.tensor(3));
    DNNSPACE_TRY_INPUT(var, node.tensor(4));
    return one(batch_norm(**x, {.scale = **scale, .bias = **bias, .mean = **mean, .var = **var,
                                .epsilon = node.get_float("epsilon", 1e-5F)}));
  }
  if (op == "Add") {
    DNNSPACE_TRY_INPUT(a, node.tensor(0));
    DNNSPACE_TRY_INPUT(b, node.tensor(1));
    return one(add(**a, **b));
  }
  if (op == "Concat") {
    std::vector<Tensor> inputs;
    for (int i = 0; i < node.input_count(); ++i) {
      DNNSPACE_TRY_INPUT(t, node.tensor(i));
      inputs.push_back(**t);
    }
    return one(concat(inputs, node.get_int("axis", 0)));
  }
  if (op == "Flatten") {
    DNNSPACE_TRY_INPUT(x, node.tensor(0));
    return one(flatten(**x, node.get_int("axis", 1)));
  }
  if (op == "LSTM") return run_lstm(node);
  return Error{"operator " + op + " is not implemented by the engine"};
}

#undef DNNSPACE_TRY_INPUT

// ---------------------------------------------------------------------------------------------
// Comparing with the expected outputs.

std::string compare(const Value& actual, const Value& expected) {
  if (actual.index() != expected.index()) return "float/integer type differs from expected";
  if (const auto* e = std::get_if<IntTensor>(&expected)) {
    const auto& a = std::get<IntTensor>(actual);
    if (a.shape != e->shape) {
      return "shape " + to_string(a.shape) + ", expected " + to_string(e->shape);
    }
    for (std::size_t i = 0; i < e->data.size(); ++i) {
      if (a.data[i] != e->data[i]) {
        return "element " + std::to_string(i) + " is " + std::to_string(a.data[i]) +
               ", expected " + std::to_string(e->data[i]);
      }
    }
    return "";
  }
  const auto& a = std::get<Tensor>(actual);
  const auto& e = std::get<Tensor>(expected);
  if (a.shape() != e.shape()) {
    return "shape " + to_string(a.shape()) + ", expected " + to_string(e.shape());
  }
  for (std::size_t i = 0; i < e.data().size(); ++i) {
    const double x = a.data()[i], y = e.data()[i];
    if (std::isnan(x) && std::isnan(y)) continue;
    const bool ok = std::isinf(y) ? x == y : std::abs(x - y) <= kAtol + kRtol * std::abs(y);
    if (!ok) {
      return "element " + std::to_string(i) + " is " + std::to_string(x) + ", expected " +
             std::to_string(y) + " (rtol " + std::to_string(kRtol) + ", atol 1e-7)";
    }
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Running one case directory.

enum class Outcome { Passed, Failed, SkippedMultiNode };

struct CaseResult {
  Outcome outcome = Outcome::Failed;
  std::string message;  // why it failed or was skipped
};

Expected<onnx::ModelProto> read_model(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in)) {
    return Error{path.string() + ": cannot read a serialized onnx.ModelProto"};
  }
  return model;
}

std::int64_t default_opset(const onnx::ModelProto& model) {
  for (const auto& o : model.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") return o.version();
  }
  return 0;
}

CaseResult run_case(const fs::path& dir) {
  auto model = read_model(dir / "model.onnx");
  if (!model) return {Outcome::Failed, model.error().message};
  const onnx::GraphProto& graph = model->graph();
  if (graph.node_size() != 1) {
    const std::string nodes = std::to_string(graph.node_size());
    // Only the *_expanded variants (an operator's function body) may be multi-node; any
    // other case with several nodes means the enumeration caught something unexpected.
    if (!dir.filename().string().ends_with("_expanded")) {
      return {Outcome::Failed, "graph has " + nodes + " nodes; expected a single operator"};
    }
    return {Outcome::SkippedMultiNode,
            "graph has " + nodes + " nodes (the operator's function body), not a single node"};
  }
  // Graph inputs that are not initializers are fed, in order, from input_<i>.pb.
  std::map<std::string, Value> base;
  for (const auto& init : graph.initializer()) {
    auto v = to_value(init, "initializer " + init.name());
    if (!v) return {Outcome::Failed, v.error().message};
    base.emplace(init.name(), std::move(*v));
  }
  std::vector<std::string> fed;
  for (const auto& input : graph.input()) {
    if (!base.contains(input.name())) fed.push_back(input.name());
  }

  std::vector<fs::path> sets;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && entry.path().filename().string().starts_with("test_data_set_")) {
      sets.push_back(entry.path());
    }
  }
  std::sort(sets.begin(), sets.end());
  if (sets.empty()) return {Outcome::Failed, "no test_data_set_* directory"};

  const onnx::NodeProto& proto = graph.node(0);
  for (const fs::path& set : sets) {
    std::map<std::string, Value> values = base;
    for (std::size_t i = 0; i < fed.size(); ++i) {
      const fs::path file = set / ("input_" + std::to_string(i) + ".pb");
      auto tp = read_tensor_proto(file);
      if (!tp) return {Outcome::Failed, tp.error().message};
      auto v = to_value(*tp, file.string());
      if (!v) return {Outcome::Failed, v.error().message};
      values.emplace(fed[i], std::move(*v));
    }
    const Node node(proto, values);
    auto outputs = run_node(node, default_opset(*model));
    if (!outputs) return {Outcome::Failed, node.op() + ": " + outputs.error().message};
    // Graph output j is expected in output_<j>.pb; find which node output produces it.
    for (int j = 0; j < graph.output_size(); ++j) {
      const std::string& name = graph.output(j).name();
      int k = 0;
      while (k < proto.output_size() && proto.output(k) != name) ++k;
      if (k == proto.output_size() || k >= static_cast<int>(outputs->size()) ||
          !(*outputs)[static_cast<std::size_t>(k)]) {
        return {Outcome::Failed, "graph output '" + name + "' is not produced"};
      }
      const fs::path file = set / ("output_" + std::to_string(j) + ".pb");
      auto tp = read_tensor_proto(file);
      if (!tp) return {Outcome::Failed, tp.error().message};
      auto expected = to_value(*tp, file.string());
      if (!expected) return {Outcome::Failed, expected.error().message};
      const std::string diff = compare(*(*outputs)[static_cast<std::size_t>(k)], *expected);
      if (!diff.empty()) {
        return {Outcome::Failed, set.filename().string() + " output '" + name + "': " + diff};
      }
    }
  }
  return {Outcome::Passed, ""};
}

const Unsupported* find_unsupported(std::string_view name) {
  for (const auto& u : kUnsupported) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(std::string(kDataDir))) {
    const std::string name = entry.path().filename().string();
    for (std::string_view prefix : kPrefixes) {
      if (name.starts_with(prefix)) {
        names.push_back(name);
        break;
      }
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(OnnxConformance, NodeTestsOfSupportedOperators) {
  ASSERT_TRUE(fs::is_directory(std::string(kDataDir)))
      << "ONNX node test data not found at " << kDataDir
      << "; install the Debian package libonnx-testdata (run: bash scripts/install-deps)";
  const std::vector<std::string> names = case_names();
  int passed = 0, listed = 0, multi_node = 0;
  std::map<std::string_view, int> passed_per_prefix;
  for (const std::string& name : names) {
    if (const Unsupported* u = find_unsupported(name)) {
      std::cout << "  unsupported  " << name << ": " << u->reason << "\n";
      ++listed;
      continue;
    }
    const CaseResult result = run_case(fs::path(std::string(kDataDir)) / name);
    switch (result.outcome) {
      case Outcome::Passed:
        ++passed;
        for (std::string_view prefix : kPrefixes) {
          if (name.starts_with(prefix)) ++passed_per_prefix[prefix];
        }
        break;
      case Outcome::SkippedMultiNode:
        std::cout << "  unsupported  " << name << ": " << result.message << "\n";
        ++listed;
        ++multi_node;
        break;
      case Outcome::Failed:
        ADD_FAILURE() << name << ": " << result.message;
        break;
    }
  }
  std::cout << "ONNX conformance: " << passed << " passed, " << listed
            << " listed as unsupported (" << multi_node << " of them multi-node *_expanded graphs)"
            << "\n";
  std::cout << "  passed per prefix:";
  for (std::string_view prefix : kPrefixes) {
    std::cout << " " << prefix << "* " << passed_per_prefix[prefix];
  }
  std::cout << "\n";
  // Guard against an enumeration that quietly finds nothing for an operator.
  for (std::string_view prefix : kPrefixes) {
    EXPECT_GT(passed_per_prefix[prefix], 0) << "no case passed for prefix " << prefix;
  }
}

TEST(OnnxConformanceHarness, CompareAppliesTheBackendTolerance) {
  const auto make = [](Shape shape, std::vector<float> data) {
    return Value(Tensor::from_data(std::move(shape), std::move(data)).value());
  };
  const Value expected = make({2}, {1000, 0});
  // Allowed deviation: 1e-7 + 1e-3 * |expected|, i.e. about 1.0 at 1000 and 1e-7 at 0.
  EXPECT_EQ(compare(make({2}, {1000.9F, 0}), expected), "");
  EXPECT_NE(compare(make({2}, {1001.5F, 0}), expected), "");
  EXPECT_NE(compare(make({2}, {1000, 1e-6F}), expected), "");
  EXPECT_NE(compare(make({1, 2}, {1000, 0}), expected), "");  // same data, other shape
  EXPECT_NE(compare(Value(IntTensor{{2}, {1, 2}}), Value(IntTensor{{2}, {1, 3}})), "");
  EXPECT_NE(compare(Value(IntTensor{{2}, {1, 2}}), expected), "");
}

TEST(OnnxConformance, EveryUnsupportedEntryNamesAnExistingCase) {
  ASSERT_TRUE(fs::is_directory(std::string(kDataDir))) << "ONNX node test data not found at "
                                                       << kDataDir;
  for (const auto& u : kUnsupported) {
    EXPECT_TRUE(fs::is_directory(fs::path(std::string(kDataDir)) / std::string(u.name)))
        << "stale entry in kUnsupported: " << u.name;
  }
}

}  // namespace
}  // namespace dnnspace::engine
