#include "dnnspace/engine/onnx_graph.hpp"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
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

namespace dnnspace::engine {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Reading TensorProtos.

Expected<onnx::TensorProto> read_tensor_proto_at(const fs::path& path) {
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

Expected<OnnxValue> to_value(const onnx::TensorProto& proto, const std::string& what) {
  const Shape shape = dims_of(proto);
  switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT: {
      std::vector<float> data = proto.has_raw_data()
                                    ? raw_values<float>(proto)
                                    : std::vector<float>(proto.float_data().begin(),
                                                         proto.float_data().end());
      auto tensor = Tensor::from_data(shape, std::move(data));
      if (!tensor) return Error{what + ": " + tensor.error().message};
      return OnnxValue(std::move(*tensor));
    }
    case onnx::TensorProto::INT64: {
      std::vector<std::int64_t> data =
          proto.has_raw_data() ? raw_values<std::int64_t>(proto)
                               : std::vector<std::int64_t>(proto.int64_data().begin(),
                                                           proto.int64_data().end());
      return OnnxValue(IntTensor{shape, std::move(data)});
    }
    case onnx::TensorProto::INT32: {
      std::vector<std::int64_t> data;
      if (proto.has_raw_data()) {
        for (std::int32_t v : raw_values<std::int32_t>(proto)) data.push_back(v);
      } else {
        data.assign(proto.int32_data().begin(), proto.int32_data().end());
      }
      return OnnxValue(IntTensor{shape, std::move(data)});
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
  Node(const onnx::NodeProto& proto, const std::map<std::string, OnnxValue>& values)
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
  const std::map<std::string, OnnxValue>& values_;
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
using Outputs = std::vector<std::optional<OnnxValue>>;

template <typename T>
Expected<Outputs> one(Expected<T> result) {
  if (!result) return result.error();
  Outputs out;
  out.emplace_back(OnnxValue(std::move(*result)));
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
  out.emplace_back(OnnxValue(std::move(result->y)));
  out.emplace_back(OnnxValue(std::move(result->y_h)));
  out.emplace_back(OnnxValue(std::move(result->y_c)));
  return out;
}

Expected<Outputs> run_node(const Node& node, std::int64_t opset) {
  const std::string& op = node.op();
  if (op == "Conv") {
    DNNSPACE_TRY_INPUT(x, node.tensor(0));
    if ((*x)->shape().size() != 4) {
      return Error{"Conv over " + std::to_string((*x)->shape().size() - 2) +
                   " spatial axes is not implemented by the engine (2-D only)"};
    }
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
    out.emplace_back(OnnxValue(std::move(result->values)));
    out.emplace_back(OnnxValue(IntTensor{std::move(shape), std::move(result->indices)}));
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

}  // namespace

Expected<onnx::TensorProto> read_tensor_proto(const std::string& path) { return read_tensor_proto_at(path); }

Expected<onnx::ModelProto> read_onnx_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in)) return Error{path + ": cannot read a serialized onnx.ModelProto"};
  return model;
}

Expected<OnnxValue> onnx_value(const onnx::TensorProto& proto, const std::string& what) { return to_value(proto, what); }

std::int64_t default_opset(const onnx::ModelProto& model) {
  for (const auto& o : model.opset_import()) {
    if (o.domain().empty() || o.domain() == "ai.onnx") return o.version();
  }
  return 0;
}

Expected<std::vector<std::optional<OnnxValue>>> run_onnx_node(const onnx::NodeProto& node,
                                                              const std::map<std::string, OnnxValue>& values,
                                                              std::int64_t opset) {
  const Node n(node, values);
  auto outputs = run_node(n, opset);
  if (!outputs) return Error{"node '" + node.name() + "' (" + node.op_type() + "): " + outputs.error().message};
  return *outputs;
}

Expected<std::vector<OnnxValue>> run_onnx_graph(const onnx::ModelProto& model, const std::vector<OnnxValue>& inputs) {
  const onnx::GraphProto& graph = model.graph();
  std::map<std::string, OnnxValue> values;
  for (const auto& init : graph.initializer()) {
    auto v = to_value(init, "initializer '" + init.name() + "'");
    if (!v) return v.error();
    values.emplace(init.name(), std::move(*v));
  }
  std::size_t fed = 0;
  for (const auto& input : graph.input()) {
    if (values.count(input.name())) continue;
    if (fed == inputs.size()) return Error{"graph input '" + input.name() + "' is not given (" + std::to_string(inputs.size()) + " given)"};
    values.emplace(input.name(), inputs[fed++]);
  }
  if (fed != inputs.size()) {
    return Error{std::to_string(inputs.size()) + " inputs given, the graph takes " + std::to_string(fed)};
  }
  const std::int64_t opset = default_opset(model);
  // ONNX lists nodes in topological order: each reads only what earlier nodes wrote.
  for (const auto& node : graph.node()) {
    if (node.op_type() == "Constant") {
      const onnx::AttributeProto* value = nullptr;
      for (const auto& a : node.attribute()) if (a.name() == "value") value = &a;
      if (!value || !value->has_t()) return Error{"node '" + node.name() + "' (Constant): only a 'value' tensor is supported"};
      auto v = to_value(value->t(), "node '" + node.name() + "'");
      if (!v) return v.error();
      values.insert_or_assign(node.output(0), std::move(*v));
      continue;
    }
    auto outputs = run_onnx_node(node, values, opset);
    if (!outputs) return outputs.error();
    for (int k = 0; k < node.output_size() && k < static_cast<int>(outputs->size()); ++k) {
      auto& out = (*outputs)[static_cast<std::size_t>(k)];
      if (out && !node.output(k).empty()) values.insert_or_assign(node.output(k), std::move(*out));
    }
  }
  std::vector<OnnxValue> out;
  for (const auto& o : graph.output()) {
    const auto it = values.find(o.name());
    if (it == values.end()) return Error{"graph output '" + o.name() + "' is not produced"};
    out.push_back(it->second);
  }
  return out;
}

}  // namespace dnnspace::engine
