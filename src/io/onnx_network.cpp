#include "dnnspace/io/onnx_network.hpp"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "dnnspace/core/checked.hpp"
#include "dnnspace/workload/custom_workload.hpp"

namespace dnnspace::io {
namespace {

namespace fs = std::filesystem;

// Past what protobuf parses (2 GB), and far past a shape-only graph.
constexpr std::uintmax_t kMaxOnnxBytes = std::uintmax_t{2} << 30;

using Shape = std::vector<std::int64_t>;  // -1: unknown after inference

std::string shape_text(const Shape& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? "x" : "") + (s[i] < 0 ? std::string("?") : std::to_string(s[i]));
  return out.empty() ? "scalar" : out;
}

Shape shape_of_type(const onnx::TypeProto& type) {
  Shape out;
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return out;
  for (const auto& d : type.tensor_type().shape().dim()) out.push_back(d.has_dim_value() && d.dim_value() > 0 ? d.dim_value() : -1);
  return out;
}

// Elements of a shape, -1 if unknown or past 64 bits.
std::int64_t elements(const Shape& s) {
  std::int64_t n = 1;
  for (std::int64_t d : s) {
    if (d < 0) return -1;
    const std::optional<std::int64_t> m = checked_mul(n, d);
    if (!m) return -1;
    n = *m;
  }
  return n;
}

const onnx::AttributeProto* attribute(const onnx::NodeProto& node, std::string_view name) {
  for (const auto& a : node.attribute()) if (a.name() == name) return &a;
  return nullptr;
}

std::int64_t int_attribute(const onnx::NodeProto& node, std::string_view name, std::int64_t fallback) {
  const onnx::AttributeProto* a = attribute(node, name);
  return a ? a->i() : fallback;
}

std::vector<std::int64_t> ints_attribute(const onnx::NodeProto& node, std::string_view name) {
  const onnx::AttributeProto* a = attribute(node, name);
  if (!a) return {};
  return {a->ints().begin(), a->ints().end()};
}

// What the graph says of its tensors after shape inference.
class Graph {
 public:
  Graph(const onnx::GraphProto& g, std::string origin) : origin_(std::move(origin)) {
    for (const auto& t : g.initializer()) {
      shapes_[t.name()] = Shape(t.dims().begin(), t.dims().end());
      constant_.insert(t.name());
    }
    for (const auto& v : g.input()) if (!shapes_.count(v.name())) shapes_[v.name()] = shape_of_type(v.type());
    for (const auto& v : g.value_info()) shapes_[v.name()] = shape_of_type(v.type());
    for (const auto& v : g.output()) if (!shapes_.count(v.name()) || shapes_[v.name()].empty()) shapes_[v.name()] = shape_of_type(v.type());
    for (const auto& n : g.node()) {
      if (n.op_type() == "Constant") for (const auto& o : n.output()) constant_.insert(o);
    }
  }

  bool known(const std::string& name) const { return shapes_.count(name) > 0; }
  bool constant(const std::string& name) const { return constant_.count(name) > 0; }
  Shape shape(const std::string& name) const {
    const auto it = shapes_.find(name);
    return it == shapes_.end() ? Shape{} : it->second;
  }

  // The full shape of a tensor a MAC operator needs, or the one-line error.
  Expected<Shape> static_shape(const std::string& name, const std::string& node, std::size_t rank_min,
                               std::size_t rank_max) const {
    const auto it = shapes_.find(name);
    if (it == shapes_.end() || it->second.empty()) {
      return Error{origin_ + ": node '" + node + "': tensor '" + name +
                   "' has no shape after ONNX shape inference (give the graph input's shape with --input-shape NAME=1x3x224x224)"};
    }
    const Shape& s = it->second;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] < 0) {
        return Error{origin_ + ": node '" + node + "': tensor '" + name + "' has shape " + shape_text(s) +
                     ": dimension " + std::to_string(i) +
                     " is unknown after ONNX shape inference (give the graph input's shape with --input-shape NAME=1x3x224x224)"};
      }
    }
    if (s.size() < rank_min || s.size() > rank_max) {
      return Error{origin_ + ": node '" + node + "': tensor '" + name + "' has rank " + std::to_string(s.size()) +
                   "; dnnspace imports ranks " + std::to_string(rank_min) + " to " + std::to_string(rank_max) + " here"};
    }
    return s;
  }

 private:
  std::string origin_;
  std::map<std::string, Shape> shapes_;
  std::set<std::string> constant_;
};

Layer plain_layer(std::string name, LayerKind kind) {
  Layer l;
  l.name = std::move(name);
  l.kind = kind;
  return l;
}

Expected<Layer> conv_layer(const Graph& g, const onnx::NodeProto& node, const std::string& name,
                           const std::string& origin) {
  Expected<Shape> x = g.static_shape(node.input(0), name, 3, 4);
  if (!x) return x.error();
  Expected<Shape> w = g.static_shape(node.input(1), name, 3, 4);
  if (!w) return w.error();
  Expected<Shape> y = g.static_shape(node.output(0), name, 3, 4);
  if (!y) return y.error();
  if (x->size() != w->size() || y->size() != x->size()) {
    return Error{origin + ": node '" + name + "': input, weight and output ranks differ (" + shape_text(*x) + ", " +
                 shape_text(*w) + ", " + shape_text(*y) + ")"};
  }
  const bool one_d = x->size() == 3;
  const std::int64_t group = int_attribute(node, "group", 1);
  const std::int64_t channels = (*x)[1], filters = (*w)[0];
  if (group < 1 || channels % group != 0 || filters % group != 0 || (*w)[1] * group != channels) {
    return Error{origin + ": node '" + name + "': group " + std::to_string(group) + " does not split " +
                 std::to_string(channels) + " input channels and weights " + shape_text(*w)};
  }
  const std::vector<std::int64_t> strides = ints_attribute(node, "strides");
  const std::vector<std::int64_t> dilations = ints_attribute(node, "dilations");
  const std::vector<std::int64_t> pads = ints_attribute(node, "pads");
  const auto at = [](const std::vector<std::int64_t>& v, std::size_t i, std::int64_t fallback) {
    return i < v.size() ? v[i] : fallback;
  };
  Layer l = plain_layer(name, LayerKind::Conv);
  l.bounds[Dim::N] = (*x)[0];
  l.bounds[Dim::G] = group;
  l.bounds[Dim::K] = filters / group;
  l.bounds[Dim::C] = channels / group;
  if (one_d) {
    l.bounds[Dim::Q] = (*y)[2];
    l.bounds[Dim::S] = (*w)[2];
    l.stride_w = at(strides, 0, 1);
    l.dilation_w = at(dilations, 0, 1);
    l.pad_w = at(pads, 0, 0);
  } else {
    l.bounds[Dim::P] = (*y)[2];
    l.bounds[Dim::Q] = (*y)[3];
    l.bounds[Dim::R] = (*w)[2];
    l.bounds[Dim::S] = (*w)[3];
    l.stride_h = at(strides, 0, 1);
    l.stride_w = at(strides, 1, 1);
    l.dilation_h = at(dilations, 0, 1);
    l.dilation_w = at(dilations, 1, 1);
    // The leading pads: padding is counted as data on the padded plane, and the trailing
    // pads of an asymmetric convolution only add rows no window reaches (docs/onnx.md).
    l.pad_h = at(pads, 0, 0);
    l.pad_w = at(pads, 1, 0);
  }
  if (l.stride_h < 1 || l.stride_w < 1 || l.dilation_h < 1 || l.dilation_w < 1) {
    return Error{origin + ": node '" + name + "': strides and dilations must be >= 1"};
  }
  return l;
}

// A transposed convolution: every input pixel scatters a window of the kernel into the
// output, O[n,g,k,p*s+r*d,q*s+s*d] += I[n,g,c,p,q] x W[g,c,k,r,s] (a workload as data).
Expected<Layer> conv_transpose_layer(const Graph& g, const onnx::NodeProto& node, const std::string& name,
                                     const std::string& origin) {
  Expected<Shape> x = g.static_shape(node.input(0), name, 4, 4);
  if (!x) return x.error();
  Expected<Shape> w = g.static_shape(node.input(1), name, 4, 4);
  if (!w) return w.error();
  const std::int64_t group = int_attribute(node, "group", 1);
  const std::int64_t channels = (*x)[1];
  if (group < 1 || channels % group != 0 || (*w)[0] != channels) {
    return Error{origin + ": node '" + name + "': group " + std::to_string(group) + " does not split " +
                 std::to_string(channels) + " input channels and weights " + shape_text(*w)};
  }
  const std::vector<std::int64_t> strides = ints_attribute(node, "strides");
  const std::vector<std::int64_t> dilations = ints_attribute(node, "dilations");
  const auto at = [](const std::vector<std::int64_t>& v, std::size_t i) { return i < v.size() ? v[i] : 1; };
  WorkloadDescription d;
  d.name = name;
  d.dims = {{Dim::N, (*x)[0]}, {Dim::G, group},  {Dim::K, (*w)[1]},  {Dim::C, channels / group},
            {Dim::P, (*x)[2]}, {Dim::Q, (*x)[3]}, {Dim::R, (*w)[2]}, {Dim::S, (*w)[3]}};
  const auto term = [](Dim dim, std::int64_t coef = 1) { return IndexTerm{coef, dim}; };
  TensorDescription in{"inputs", TensorRole::Operand, {}};
  for (Dim dim : {Dim::N, Dim::G, Dim::C, Dim::P, Dim::Q}) in.index.push_back(IndexAxis{term(dim)});
  TensorDescription wt{"weights", TensorRole::Weights, {}};
  for (Dim dim : {Dim::G, Dim::C, Dim::K, Dim::R, Dim::S}) wt.index.push_back(IndexAxis{term(dim)});
  TensorDescription out{"outputs", TensorRole::Output, {}};
  for (Dim dim : {Dim::N, Dim::G, Dim::K}) out.index.push_back(IndexAxis{term(dim)});
  out.index.push_back(IndexAxis{term(Dim::P, at(strides, 0)), term(Dim::R, at(dilations, 0))});
  out.index.push_back(IndexAxis{term(Dim::Q, at(strides, 1)), term(Dim::S, at(dilations, 1))});
  d.tensors = {in, wt, out};
  d.batch_dim = Dim::N;
  Expected<Layer> l = make_workload_layer(d);
  if (!l) return Error{origin + ": node '" + name + "': " + l.error().message};
  return l;
}

// Gemm and MatMul: Y = A B over the last two axes, the leading axes broadcast.
Expected<Layer> matmul_layer(const Graph& g, const onnx::NodeProto& node, const std::string& name,
                             const std::string& origin) {
  const bool gemm = node.op_type() == "Gemm";
  Expected<Shape> a = g.static_shape(node.input(0), name, gemm ? 2 : 1, gemm ? 2 : 8);
  if (!a) return a.error();
  Expected<Shape> b = g.static_shape(node.input(1), name, gemm ? 2 : 1, gemm ? 2 : 8);
  if (!b) return b.error();
  Shape sa = *a, sb = *b;
  if (sa.size() == 1) sa.insert(sa.begin(), 1);  // a vector: one row
  if (sb.size() == 1) sb.push_back(1);           // a vector: one column
  if (gemm && int_attribute(node, "transA", 0) != 0) std::swap(sa[0], sa[1]);
  if (gemm && int_attribute(node, "transB", 0) != 0) std::swap(sb[0], sb[1]);
  const std::int64_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
  if (sb[sb.size() - 2] != k) {
    return Error{origin + ": node '" + name + "': operands " + shape_text(*a) + " and " + shape_text(*b) +
                 " do not multiply (" + std::to_string(k) + " != " + std::to_string(sb[sb.size() - 2]) + ")"};
  }
  const bool a_const = g.constant(node.input(0)), b_const = g.constant(node.input(1));
  if (b_const && sb.size() == 2) {
    // Weights B: every leading axis of A is rows. Rank 2: a fully connected layer (N
    // rows); more: N is the first axis, the rest are positions (P) through the same weights.
    Layer l = plain_layer(name, sa.size() == 2 ? LayerKind::FullyConnected : LayerKind::Matmul);
    l.bounds[Dim::C] = k;
    l.bounds[Dim::K] = n;
    if (sa.size() == 2) {
      l.bounds[Dim::N] = m;
    } else {
      std::int64_t positions = m;
      for (std::size_t i = 1; i + 2 < sa.size(); ++i) positions *= sa[i];
      l.bounds[Dim::N] = sa[0];
      l.bounds[Dim::P] = positions;
    }
    return l;
  }
  if (a_const && !b_const && sa.size() == 2 && sb.size() == 2) {
    // Weights A: Y^T = B^T A^T, rows are B's columns.
    Layer l = plain_layer(name, LayerKind::FullyConnected);
    l.bounds[Dim::N] = n;
    l.bounds[Dim::C] = k;
    l.bounds[Dim::K] = m;
    return l;
  }
  // Both operands activations (attention's Q K^T and A V): each pair of matrices of the
  // broadcast leading axes is a group; the first leading axis is the batch.
  Expected<Shape> y = g.static_shape(node.output(0), name, 1, 8);
  if (!y) return y.error();
  std::int64_t groups = 1, per_sample = 1;
  for (std::size_t i = 0; i + 2 < y->size(); ++i) {
    groups *= (*y)[i];
    if (i > 0) per_sample *= (*y)[i];
  }
  Layer l = plain_layer(name, LayerKind::Matmul);
  l.bounds[Dim::N] = m;
  l.bounds[Dim::C] = k;
  l.bounds[Dim::K] = n;
  l.bounds[Dim::G] = groups;
  l.groups_per_sample = y->size() > 2 ? per_sample : 1;
  return l;
}

// LSTM and GRU: every time step multiplies the step's input and the previous hidden state
// by the gates' weights, [x_t, h_t-1] (I + H) x (gates x H). One layer per direction with
// the steps as rows (N = batch x steps): MACs and weights exact; a mapping may share a
// weight fetch between steps, which the recurrence allows for the input half only
// (docs/onnx.md).
Expected<std::vector<Layer>> recurrent_layers(const Graph& g, const onnx::NodeProto& node, const std::string& name,
                                              const std::string& origin) {
  Expected<Shape> x = g.static_shape(node.input(0), name, 3, 3);
  if (!x) return x.error();
  Expected<Shape> w = g.static_shape(node.input(1), name, 3, 3);
  if (!w) return w.error();
  const bool lstm = node.op_type() == "LSTM";
  const std::int64_t gates = lstm ? 4 : 3;
  const std::int64_t directions = (*w)[0], hidden = (*w)[1] / gates;
  const bool batch_first = int_attribute(node, "layout", 0) != 0;
  const std::int64_t steps = batch_first ? (*x)[1] : (*x)[0], batch = batch_first ? (*x)[0] : (*x)[1];
  const std::int64_t inputs = (*x)[2];
  if (hidden < 1 || (*w)[1] != gates * hidden || (*w)[2] != inputs || directions < 1 || directions > 2) {
    return Error{origin + ": node '" + name + "': weights " + shape_text(*w) + " do not fit " + std::to_string(gates) +
                 " gates over input " + shape_text(*x)};
  }
  const std::optional<std::int64_t> rows = checked_mul(batch, steps);
  if (!rows) return Error{origin + ": node '" + name + "': batch x steps passes 64 bits"};
  std::vector<Layer> out;
  for (std::int64_t d = 0; d < directions; ++d) {
    Layer l = plain_layer(name + (directions > 1 ? (d == 0 ? ".fwd" : ".bwd") : ""),
                          lstm ? LayerKind::Lstm : LayerKind::Matmul);
    l.bounds[Dim::N] = *rows;
    l.bounds[Dim::K] = gates * hidden;
    l.bounds[Dim::C] = inputs + hidden;
    out.push_back(l);
  }
  return out;
}

bool is_mac_operator(const std::string& op) {
  static const std::set<std::string> kMac = {"Conv",           "ConvTranspose", "Gemm",          "MatMul",
                                             "LSTM",           "GRU",           "RNN",           "Einsum",
                                             "ConvInteger",    "MatMulInteger", "QLinearConv",   "QLinearMatMul",
                                             "DeformConv"};
  return kMac.count(op) > 0;
}

}  // namespace

bool is_onnx_path(std::string_view path) noexcept {
  if (path.size() < 5) return false;
  std::string tail(path.substr(path.size() - 5));
  for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == ".onnx";
}

Expected<std::pair<std::string, std::vector<std::int64_t>>> parse_input_shape(std::string_view text) {
  const std::size_t eq = text.rfind('=');
  const std::string shown(text);
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    return Error{"--input-shape '" + shown + "': expected NAME=D0xD1x... such as input=1x3x224x224"};
  }
  std::vector<std::int64_t> dims;
  std::string_view rest = text.substr(eq + 1);
  while (true) {
    const std::size_t x = rest.find('x');
    const std::string_view part = rest.substr(0, x);
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || ptr != part.data() + part.size() || v < 1 || v > (std::int64_t{1} << 40)) {
      return Error{"--input-shape '" + shown + "': dimension '" + std::string(part) +
                   "' is not a whole number from 1 to 2^40"};
    }
    dims.push_back(v);
    if (x == std::string_view::npos) break;
    rest = rest.substr(x + 1);
  }
  return std::pair{std::string(text.substr(0, eq)), dims};
}

Expected<Network> load_onnx_network(const std::string& path, const OnnxImportOptions& options) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return Error{path + ": cannot open file"};
  if (!fs::is_regular_file(status)) return Error{path + ": not a regular file"};
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return Error{path + ": cannot read its size"};
  if (size > kMaxOnnxBytes) {
    return Error{path + ": " + std::to_string(size) + " bytes; an ONNX protobuf holds at most 2 GB (store the weights "
                 "as external data, or strip them: cost needs the shapes only)"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open file"};
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  onnx::ModelProto model;
  if (!in || !model.ParseFromString(bytes)) {
    return Error{path + ": not an ONNX model (its protobuf does not parse: truncated or another format)"};
  }
  if (!model.has_graph() || model.graph().node_size() == 0) return Error{path + ": the ONNX model has no graph nodes"};

  // The opset: past what this ONNX library knows, its operators cannot be inferred.
  const int max_opset = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map().at(onnx::ONNX_DOMAIN).second;
  for (const auto& op : model.opset_import()) {
    if ((op.domain().empty() || op.domain() == "ai.onnx") && op.version() > max_opset) {
      return Error{path + ": opset " + std::to_string(op.version()) + " is newer than this ONNX library reads (at most " +
                   std::to_string(max_opset) + "); export with an older opset"};
    }
  }

  onnx::GraphProto& graph = *model.mutable_graph();
  std::set<std::string> initializers;
  for (const auto& t : graph.initializer()) initializers.insert(t.name());
  std::set<std::string> inputs;
  for (auto& input : *graph.mutable_input()) {
    if (initializers.count(input.name())) continue;
    inputs.insert(input.name());
    auto* shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (const auto& [name, dims] : options.input_shapes) {
      if (name != input.name()) continue;
      shape->clear_dim();
      for (std::int64_t d : dims) shape->add_dim()->set_dim_value(d);
    }
    if (shape->dim_size() > 0) {
      auto* d0 = shape->mutable_dim(0);
      if (!d0->has_dim_value() || d0->dim_value() == 1) d0->set_dim_value(options.batch);
    }
  }
  for (const auto& [name, dims] : options.input_shapes) {
    if (!inputs.count(name)) {
      std::string names;
      for (const std::string& n : inputs) names += (names.empty() ? "" : ", ") + n;
      return Error{"--input-shape: the graph has no input '" + name + "' (its inputs: " + names + ")"};
    }
  }
  // Shapes stored by the exporter would contradict a new batch: infer them afresh.
  graph.clear_value_info();
  for (auto& output : *graph.mutable_output()) output.mutable_type()->mutable_tensor_type()->clear_shape();
  try {
    onnx::ShapeInferenceOptions inference(/*check_type=*/false, /*strict_mode=*/1, /*data_propagation=*/true);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), inference);
  } catch (const std::exception& e) {
    std::string what = e.what();
    std::replace(what.begin(), what.end(), '\n', ' ');
    return Error{path + ": ONNX shape inference failed: " + what};
  }

  const Graph g(model.graph(), path);
  Network network;
  network.name = fs::path(path).stem().string();
  std::set<std::string> names;
  std::set<std::string> mac_outputs;  // outputs of the layers: an Add of a constant to one is its bias
  int index = 0;
  for (const auto& node : model.graph().node()) {
    ++index;
    std::string name = node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
    while (names.count(name)) name += "_" + std::to_string(index);
    names.insert(name);
    const std::string& op = node.op_type();
    if (!node.domain().empty() && node.domain() != "ai.onnx") {
      if (is_mac_operator(op)) {
        return Error{path + ": node '" + name + "': operator " + node.domain() + "." + op + " is not a standard ONNX operator"};
      }
    }
    if (op == "LSTM" || op == "GRU") {
      Expected<std::vector<Layer>> directions = recurrent_layers(g, node, name, path);
      if (!directions) return directions.error();
      for (const Layer& l : *directions) {
        if (Expected<void> ok = check_layer_size(l); !ok) return Error{path + ": node '" + name + "': " + ok.error().message};
        network.layers.push_back(l);
      }
      if (node.input_size() > 3 && !node.input(3).empty()) {
        const std::int64_t bias = elements(g.shape(node.input(3)));
        if (bias > 0) network.biases += bias;
      }
      for (const std::string& o : node.output()) mac_outputs.insert(o);
      continue;
    }
    Expected<Layer> layer = Error{""};
    if (op == "Conv") {
      layer = conv_layer(g, node, name, path);
    } else if (op == "ConvTranspose") {
      layer = conv_transpose_layer(g, node, name, path);
    } else if (op == "Gemm" || op == "MatMul") {
      layer = matmul_layer(g, node, name, path);
    } else if (is_mac_operator(op)) {
      return Error{path + ": node '" + name + "': operator " + op +
                   " multiplies and accumulates but dnnspace does not import it (supported: Conv, ConvTranspose, Gemm, "
                   "MatMul, LSTM, GRU)"};
    } else {
      OtherOperator other{name, op, 0, 0};
      for (const std::string& i : node.input()) {
        if (i.empty()) continue;
        const std::int64_t e = elements(g.shape(i));
        other.input_elements = e < 0 || other.input_elements < 0 ? -1 : other.input_elements + e;
      }
      for (const std::string& o : node.output()) {
        if (o.empty()) continue;
        const std::int64_t e = g.known(o) ? elements(g.shape(o)) : -1;
        other.output_elements = e < 0 || other.output_elements < 0 ? -1 : other.output_elements + e;
      }
      network.others.push_back(other);
      if (op == "Add" && node.input_size() == 2) {  // MatMul + Add is how exporters write a biased linear layer
        for (int k = 0; k < 2; ++k) {
          if (mac_outputs.count(node.input(k)) && g.constant(node.input(1 - k))) {
            const std::int64_t bias = elements(g.shape(node.input(1 - k)));
            if (bias > 0) network.biases += bias;
          }
        }
      }
      continue;
    }
    for (const std::string& o : node.output()) mac_outputs.insert(o);
    if (!layer) return layer.error();
    if ((op == "Conv" || op == "Gemm") && node.input_size() > 2 && !node.input(2).empty()) {
      const std::int64_t bias = elements(g.shape(node.input(2)));
      if (bias > 0) network.biases += bias;
    }
    if (Expected<void> ok = check_layer_size(*layer); !ok) return Error{path + ": node '" + name + "': " + ok.error().message};
    network.layers.push_back(*layer);
  }
  if (network.layers.empty()) {
    return Error{path + ": no Conv, ConvTranspose, Gemm, MatMul, LSTM or GRU node: nothing for the accelerator to map"};
  }
  if (Expected<void> ok = check_network_size(network); !ok) return Error{path + ": " + ok.error().message};
  return network;
}

}  // namespace dnnspace::io
