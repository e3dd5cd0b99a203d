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
#include "dnnspace/io/input_file.hpp"
#include "dnnspace/io/name_text.hpp"
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

// A tensor type's shape; nothing when even its rank is unknown.
std::optional<Shape> shape_of_type(const onnx::TypeProto& type) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return std::nullopt;
  Shape out;
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

// Ops whose output is a constant when every input is (shape-preserving rearrangements of
// weights, as exports without constant folding write them).
bool folds(const std::string& op) {
  static const std::set<std::string> kFolds = {"Transpose", "Identity", "Cast", "Reshape", "Squeeze",
                                               "Unsqueeze", "Flatten", "Concat", "Slice", "Gather"};
  return kFolds.count(op) > 0;
}

// What the graph says of its tensors after shape inference.
class Graph {
 public:
  Graph(const onnx::GraphProto& g, std::string origin) : origin_(std::move(origin)) {
    for (const auto& t : g.initializer()) {
      shapes_[t.name()] = Shape(t.dims().begin(), t.dims().end());
      constant_.insert(t.name());
    }
    const auto learn = [&](const onnx::ValueInfoProto& v) {
      if (std::optional<Shape> s = shape_of_type(v.type())) shapes_[v.name()] = *s;
    };
    for (const auto& v : g.input()) if (!constant_.count(v.name())) learn(v);
    for (const auto& v : g.value_info()) learn(v);
    for (const auto& v : g.output()) if (!shapes_.count(v.name())) learn(v);
    for (const auto& n : g.node()) {
      bool all = n.input_size() > 0 && folds(n.op_type());
      for (const auto& i : n.input()) all = all && (i.empty() || constant_.count(i) > 0);
      if (n.op_type() == "Constant" || all) for (const auto& o : n.output()) constant_.insert(o);
    }
  }

  bool constant(const std::string& name) const { return constant_.count(name) > 0; }
  std::optional<Shape> shape(const std::string& name) const {
    const auto it = shapes_.find(name);
    return it == shapes_.end() ? std::nullopt : std::optional<Shape>(it->second);
  }

  // The full shape of a tensor a MAC operator needs, or the one-line error.
  Expected<Shape> static_shape(const std::string& name, const std::string& node, std::size_t rank_min,
                               std::size_t rank_max) const {
    const auto it = shapes_.find(name);
    const std::string advice =
        " (a graph input without a fixed shape: give it with --input-shape NAME=1x3x224x224; otherwise check the "
        "inputs and attributes of the nodes before it)";
    if (it == shapes_.end()) {
      return Error{origin_ + ": node '" + node + "': tensor '" + name + "' has no shape after ONNX shape inference" +
                   advice};
    }
    const Shape& s = it->second;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] < 0) {
        return Error{origin_ + ": node '" + node + "': tensor '" + name + "' has shape " + shape_text(s) +
                     ": dimension " + std::to_string(i) + " is unknown after ONNX shape inference" + advice};
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

// Elements of a tensor, -1 when its shape is unknown.
std::int64_t elements_of(const Graph& g, const std::string& name) {
  const std::optional<Shape> s = g.shape(name);
  return s ? elements(*s) : -1;
}

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
  const std::vector<std::int64_t> kernel = ints_attribute(node, "kernel_shape");
  if (!kernel.empty() && kernel != Shape(w->begin() + 2, w->end())) {
    return Error{origin + ": node '" + name + "': kernel_shape " + shape_text(kernel) + " is not the weights' " +
                 shape_text(Shape(w->begin() + 2, w->end()))};
  }
  const std::vector<std::int64_t> strides = ints_attribute(node, "strides");
  const std::vector<std::int64_t> dilations = ints_attribute(node, "dilations");
  std::vector<std::int64_t> pads = ints_attribute(node, "pads");
  const auto at = [](const std::vector<std::int64_t>& v, std::size_t i, std::int64_t fallback) {
    return i < v.size() ? v[i] : fallback;
  };
  const onnx::AttributeProto* auto_pad = attribute(node, "auto_pad");
  if (auto_pad && (auto_pad->s() == "SAME_UPPER" || auto_pad->s() == "SAME_LOWER")) {
    // The leading pad of each axis: half the total (the smaller half for SAME_UPPER).
    pads.clear();
    for (std::size_t i = 0; i + 2 < x->size(); ++i) {
      const std::int64_t total = std::max<std::int64_t>(
          0, ((*y)[i + 2] - 1) * at(strides, i, 1) + ((*w)[i + 2] - 1) * at(dilations, i, 1) + 1 - (*x)[i + 2]);
      pads.push_back(auto_pad->s() == "SAME_UPPER" ? total / 2 : total - total / 2);
    }
  }
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

// Gemm and MatMul: Y = A B over the last two axes, the leading axes broadcast (numpy
// rules: a vector operand is one row or one column, and leaves no axis in Y).
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
  // The broadcast leading axes: every one is a pair of matrices multiplied.
  const std::size_t lead_a = sa.size() - 2, lead_b = sb.size() - 2, lead = std::max(lead_a, lead_b);
  std::int64_t pairs = 1, b_matrices = 1, batch = 1;
  for (std::size_t i = 0; i < lead; ++i) {
    const std::int64_t da = i + lead_a >= lead ? sa[i + lead_a - lead] : 1;
    const std::int64_t db = i + lead_b >= lead ? sb[i + lead_b - lead] : 1;
    if (da != db && da != 1 && db != 1) {
      return Error{origin + ": node '" + name + "': leading axes of " + shape_text(*a) + " and " + shape_text(*b) +
                   " do not broadcast"};
    }
    const std::int64_t d = std::max(da, db);
    const std::optional<std::int64_t> p = checked_mul(pairs, d);
    if (!p) return Error{origin + ": node '" + name + "': its matrix pairs pass 64 bits"};
    pairs = *p;
    if (i + lead_b >= lead) b_matrices *= db;
    if (i == 0) batch = d;
  }
  const bool a_const = g.constant(node.input(0)), b_const = g.constant(node.input(1));
  if (b_const && !a_const) {
    // Weights B (b_matrices of them, one per group). Rank-2 A: a fully connected layer
    // (N rows). A's other leading axes share each weight matrix: N is A's first axis and the
    // rest are positions (P), as a transformer's projections through one weight matrix.
    Layer l = plain_layer(name, sa.size() == 2 && b_matrices == 1 ? LayerKind::FullyConnected : LayerKind::Matmul);
    l.bounds[Dim::C] = k;
    l.bounds[Dim::K] = n;
    l.bounds[Dim::G] = b_matrices;
    const std::int64_t shared = pairs / b_matrices;  // matrices of A through each weight matrix
    const std::optional<std::int64_t> rows = checked_mul(b_matrices == 1 && sa.size() > 2 ? shared / sa[0] : shared, m);
    if (!rows) return Error{origin + ": node '" + name + "': its rows pass 64 bits"};
    if (b_matrices == 1 && sa.size() > 2) {
      l.bounds[Dim::N] = sa[0];
      l.bounds[Dim::P] = *rows;
    } else {
      l.bounds[Dim::N] = *rows;
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
  if (a_const && !b_const) {
    return Error{origin + ": node '" + name + "': a constant left operand " + shape_text(*a) + " times a batched " +
                 shape_text(*b) + " is not imported; write the product with the weights on the right"};
  }
  // Both operands activations (attention's Q K^T and A V): each matrix pair of the
  // broadcast leading axes is a group; the first leading axis is the batch.
  Layer l = plain_layer(name, LayerKind::Matmul);
  l.bounds[Dim::N] = m;
  l.bounds[Dim::C] = k;
  l.bounds[Dim::K] = n;
  l.bounds[Dim::G] = pairs;
  l.groups_per_sample = lead > 0 ? pairs / batch : 1;
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

namespace {

// What ONNX's shape inference would crash on (it divides by strides, indexes kernels by
// rank): attributes and ranks checked first, one line each.
Expected<void> check_before_inference(const onnx::ModelProto& model, const std::string& path) {
  const onnx::GraphProto& graph = model.graph();
  if (model.ir_version() < 3) {
    return Error{path + ": IR version " + std::to_string(model.ir_version()) + " is not a valid ONNX model's (3 or more)"};
  }
  const int max_opset = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map().at(onnx::ONNX_DOMAIN).second;
  bool standard = false;
  for (const auto& op : model.opset_import()) {
    if (!op.domain().empty() && op.domain() != "ai.onnx") continue;
    standard = true;
    if (op.version() < 1 || op.version() > max_opset) {
      return Error{path + ": opset " + std::to_string(op.version()) + (op.version() < 1 ? " is not a valid opset" :
                   " is newer than this ONNX library reads") + " (1 to " + std::to_string(max_opset) + "); export with another opset"};
    }
  }
  if (!standard) return Error{path + ": the model imports no standard ONNX opset (ai.onnx)"};

  std::map<std::string, Shape> known;  // ranks and dimensions before inference
  std::set<std::string> defined;
  for (const auto& t : graph.initializer()) {
    for (std::int64_t d : t.dims()) {
      if (d < 0) return Error{path + ": initializer '" + t.name() + "' has a negative dimension"};
    }
    known[t.name()] = Shape(t.dims().begin(), t.dims().end());
    defined.insert(t.name());
  }
  for (const auto& v : graph.input()) {
    defined.insert(v.name());
    if (!known.count(v.name())) {
      if (std::optional<Shape> sh = shape_of_type(v.type())) known[v.name()] = *sh;
    }
  }
  int index = 0;
  for (const auto& node : graph.node()) {
    ++index;
    const std::string& op = node.op_type();
    const std::string where = path + ": node " + std::to_string(index) + " (" + op + ")";
    if (!node.domain().empty() && node.domain() != "ai.onnx") {
      return Error{where + ": operator " + node.domain() + "." + op +
                   " is not a standard ONNX operator; dnnspace cannot tell what it computes"};
    }
    for (const auto& a : node.attribute()) {
      if (a.has_g() || a.graphs_size() > 0) {
        return Error{where + ": control flow with a subgraph (If, Loop, Scan) is not imported: the work inside "
                             "it could not be counted"};
      }
    }
    for (const auto& f : model.functions()) {
      if (f.name() == op) return Error{where + ": a model-local function is not imported: its body could not be counted"};
    }
    for (const std::string& i : node.input()) {
      if (!i.empty() && !defined.count(i)) {
        return Error{where + ": input '" + i + "' is defined by no graph input, initializer or earlier node"};
      }
    }
    for (const std::string& o : node.output()) if (!o.empty()) defined.insert(o);
    // Inputs and outputs a MAC operator must have (protobuf aborts on a missing index).
    const int min_inputs = op == "MatMul" || op == "Gemm" || op == "Conv" || op == "ConvTranspose" ? 2
                           : op == "LSTM" || op == "GRU"                                             ? 3
                                                                                                     : 0;
    if (node.input_size() < min_inputs || (min_inputs > 0 && node.output_size() < 1)) {
      return Error{where + ": " + std::to_string(node.input_size()) + " inputs and " +
                   std::to_string(node.output_size()) + " outputs; " + op + " takes at least " +
                   std::to_string(min_inputs) + " and gives 1"};
    }
    for (int k = 0; k < min_inputs; ++k) {
      if (node.input(k).empty()) return Error{where + ": required input " + std::to_string(k) + " is empty"};
    }
    // Window attributes (Conv, ConvTranspose, pooling): the sizes inference divides by.
    std::size_t axes = 0;  // spatial axes, from the first attribute or weight that says
    const auto check_axes = [&](std::size_t n, const char* what) -> Expected<void> {
      if (axes == 0) axes = n;
      if (n != axes) {
        return Error{where + ": " + what + " has " + std::to_string(n) + " values for " + std::to_string(axes) +
                     " spatial axes"};
      }
      return {};
    };
    for (const char* attr : {"kernel_shape", "strides", "dilations", "pads", "output_padding"}) {
      const onnx::AttributeProto* a = attribute(node, attr);
      if (!a) continue;
      const bool pads = std::string_view(attr) == "pads" || std::string_view(attr) == "output_padding";
      for (std::int64_t v : a->ints()) {
        if (v < (pads ? 0 : 1) || v > (std::int64_t{1} << 31)) {
          return Error{where + ": " + attr + " " + std::to_string(v) + " is outside " + (pads ? "0" : "1") + "..2^31"};
        }
      }
      if (std::string_view(attr) == "pads") {
        if (a->ints_size() % 2 != 0) return Error{where + ": pads has an odd number of values"};
        if (auto ok = check_axes(static_cast<std::size_t>(a->ints_size()) / 2, attr); !ok) return ok.error();
      } else {
        if (auto ok = check_axes(static_cast<std::size_t>(a->ints_size()), attr); !ok) return ok.error();
      }
    }
    if (const onnx::AttributeProto* a = attribute(node, "auto_pad")) {
      static const std::set<std::string> kPads = {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};
      if (!kPads.count(a->s())) {
        return Error{where + ": auto_pad '" + a->s() + "' (allowed: NOTSET, SAME_UPPER, SAME_LOWER, VALID)"};
      }
    }
    if ((op == "Conv" || op == "ConvTranspose") && int_attribute(node, "group", 1) < 1) {
      return Error{where + ": group " + std::to_string(int_attribute(node, "group", 1)) + " is below 1"};
    }
    if (op == "Conv" || op == "ConvTranspose") {
      const auto x = known.find(node.input(0)), w = known.find(node.input(1));
      if (w != known.end()) {
        if (w->second.size() < 3) return Error{where + ": weights of rank " + std::to_string(w->second.size()) + " (3 or more)"};
        if (auto ok = check_axes(w->second.size() - 2, "the weights"); !ok) return ok.error();
      }
      if (x != known.end() && axes > 0 && x->second.size() != axes + 2) {
        return Error{where + ": input '" + node.input(0) + "' has rank " + std::to_string(x->second.size()) + " for " +
                     std::to_string(axes) + " spatial axes (rank " + std::to_string(axes + 2) + ")"};
      }
    }
  }
  return {};
}

// Replaces the graph inputs' shapes as the options say: --input-shape first (kept as
// given), then the batch on dimension 0 of inputs of rank 2 or more.
Expected<void> set_input_shapes(onnx::GraphProto& graph, const OnnxImportOptions& options, const std::string& path) {
  std::set<std::string> initializers;
  for (const auto& t : graph.initializer()) initializers.insert(t.name());
  std::set<std::string> inputs, given;
  for (const auto& [name, dims] : options.input_shapes) {
    if (!given.insert(name).second) return Error{"--input-shape: input '" + name + "' given twice"};
  }
  for (auto& input : *graph.mutable_input()) {
    if (initializers.count(input.name())) continue;
    inputs.insert(input.name());
    auto* shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
    if (given.count(input.name())) {
      for (const auto& [name, dims] : options.input_shapes) {
        if (name != input.name()) continue;
        shape->clear_dim();
        for (std::int64_t d : dims) shape->add_dim()->set_dim_value(d);
      }
      continue;
    }
    for (const auto& d : shape->dim()) {
      if (d.has_dim_value() && d.dim_value() <= 0) {
        return Error{path + ": graph input '" + input.name() + "' has a dimension of " + std::to_string(d.dim_value())};
      }
    }
    if (shape->dim_size() < 2) continue;  // a scalar or a vector: no batch axis
    auto* d0 = shape->mutable_dim(0);
    if (!d0->has_dim_value()) {
      d0->set_dim_value(options.batch.value_or(1));
    } else if (options.batch && d0->dim_value() != *options.batch) {
      if (d0->dim_value() != 1) {
        return Error{path + ": --batch " + std::to_string(*options.batch) + ": graph input '" + input.name() +
                     "' has a fixed batch of " + std::to_string(d0->dim_value()) +
                     " (export the model with a symbolic batch axis, or leave out --batch)"};
      }
      d0->set_dim_value(*options.batch);
    }
  }
  for (const auto& [name, dims] : options.input_shapes) {
    if (!inputs.count(name)) {
      std::string names;
      for (const std::string& n : inputs) names += (names.empty() ? "" : ", ") + n;
      return Error{path + ": --input-shape: the graph has no input '" + name + "' (its inputs: " + names + ")"};
    }
  }
  return {};
}

// One line of ONNX's shape inference message: its first error, at most 300 characters.
std::string inference_message(std::string what) {
  std::replace(what.begin(), what.end(), '\n', ' ');
  if (what.size() > 300) what = what.substr(0, 300) + "...";
  return what;
}

Expected<Network> import_onnx(const std::string& path, const OnnxImportOptions& options);

}  // namespace

Expected<Network> load_onnx_network(const std::string& path, const OnnxImportOptions& options) {
  Expected<Network> network = import_onnx(path, options);
  if (!network || !options.batch || *options.batch == 1) return network;
  // A model whose reshapes fix its batch runs some layers at the batch and others at 1:
  // its MACs would not scale with it. Import at batch 1 and check that they do.
  OnnxImportOptions one = options;
  one.batch = 1;
  Expected<Network> single = import_onnx(path, one);
  if (!single) return network;
  const std::optional<std::int64_t> scaled = checked_mul(total_macs(*single), *options.batch);
  if (!scaled || *scaled != total_macs(*network)) {
    return Error{path + ": --batch " + std::to_string(*options.batch) +
                 ": the model's MACs do not scale with its batch (reshapes inside it fix the batch it was exported "
                 "with); export it with a symbolic batch axis, or run it at the batch it has"};
  }
  return network;
}

namespace {

// Per pair of consecutive layers: whether the second is the only reader of what the first
// writes, following single-reader chains through one-input operators (activations, pooling,
// normalization, reshapes); an Add or Concat of two tensors (a residual or a branch), a
// second reader, or a graph output ends it.
std::vector<bool> sole_readers(const onnx::GraphProto& graph, const Graph& g, const std::vector<int>& layer_node) {
  std::map<std::string, std::vector<int>> readers;
  for (int n = 0; n < graph.node_size(); ++n) {
    for (const std::string& i : graph.node(n).input()) if (!i.empty()) readers[i].push_back(n);
  }
  std::set<std::string> outputs;
  for (const auto& o : graph.output()) outputs.insert(o.name());
  std::vector<bool> out;
  for (std::size_t k = 0; k + 1 < layer_node.size(); ++k) {
    const int from = layer_node[k], to = layer_node[k + 1];
    bool sole = false;
    if (from != to && graph.node(from).output_size() == 1) {
      std::string t = graph.node(from).output(0);
      for (int steps = 0; steps < 64; ++steps) {
        const auto it = readers.find(t);
        if (outputs.count(t) || it == readers.end() || it->second.size() != 1) break;
        const onnx::NodeProto& next = graph.node(it->second.front());
        if (it->second.front() == to) {
          sole = next.input(0) == t;
          break;
        }
        int data_inputs = 0;
        for (const std::string& i : next.input()) data_inputs += !i.empty() && !g.constant(i) ? 1 : 0;
        if (data_inputs != 1 || next.output_size() < 1 || is_mac_operator(next.op_type())) break;
        t = next.output(0);
      }
    }
    out.push_back(sole);
  }
  return out;
}

Expected<Network> import_onnx(const std::string& path, const OnnxImportOptions& options) {
  if (Expected<void> ok = check_input_file(path); !ok) return ok.error();
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return Error{path + ": cannot read its size"};
  if (size == 0) return Error{path + ": not an ONNX model (an empty file)"};
  if (size >= kMaxOnnxBytes) {
    return Error{path + ": " + std::to_string(size) + " bytes; an ONNX protobuf holds less than 2 GB (store the "
                 "weights as external data, or strip them: cost needs the shapes only)"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open file"};
  onnx::ModelProto model;
  // Parsed as a stream: a bad file fails at its first bad field, before reading it all.
  if (!model.ParseFromIstream(&in)) {
    return Error{path + ": not an ONNX model (its protobuf does not parse: truncated or another format)"};
  }
  if (!model.has_graph() || model.graph().node_size() == 0) return Error{path + ": the ONNX model has no graph nodes"};
  onnx::GraphProto& graph = *model.mutable_graph();
  if (Expected<void> ok = set_input_shapes(graph, options, path); !ok) return ok.error();
  if (Expected<void> ok = check_before_inference(model, path); !ok) return ok.error();
  // Shapes stored by the exporter would contradict a new batch: infer them afresh.
  graph.clear_value_info();
  for (auto& output : *graph.mutable_output()) output.mutable_type()->mutable_tensor_type()->clear_shape();
  try {
    onnx::ShapeInferenceOptions inference(/*check_type=*/false, /*strict_mode=*/1, /*data_propagation=*/true);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), inference);
  } catch (const std::exception& e) {
    return Error{path + ": ONNX shape inference failed: " + inference_message(e.what())};
  }

  const Graph g(model.graph(), path);
  Network network;
  network.name = fs::path(path).stem().string();
  std::set<std::string> names;
  std::set<std::string> mac_outputs;  // outputs of the layers: an Add of a constant to one is its bias
  int index = 0;
  std::vector<int> layer_node;  // the node index of each layer
  for (const auto& node : model.graph().node()) {
    ++index;
    // Names go into one-line reports: one that is empty or not printable UTF-8 is replaced
    // by the operator and the node's position.
    std::string name = node.name().empty() || name_text_problem(node.name()) ? node.op_type() + "_" + std::to_string(index)
                                                                             : node.name();
    while (names.count(name)) name += "_" + std::to_string(index);
    names.insert(name);
    const std::string& op = node.op_type();
    if (op == "LSTM" || op == "GRU") {
      Expected<std::vector<Layer>> directions = recurrent_layers(g, node, name, path);
      if (!directions) return directions.error();
      for (const Layer& l : *directions) {
        if (Expected<void> ok = check_layer_size(l); !ok) return Error{path + ": node '" + name + "': " + ok.error().message};
        network.layers.push_back(l);
        layer_node.push_back(index - 1);
      }
      if (node.input_size() > 3 && !node.input(3).empty()) {
        const std::int64_t bias = elements_of(g, node.input(3));
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
        const std::int64_t e = elements_of(g, i);
        other.input_elements = e < 0 || other.input_elements < 0 ? -1 : other.input_elements + e;
      }
      for (const std::string& o : node.output()) {
        if (o.empty()) continue;
        const std::int64_t e = elements_of(g, o);
        other.output_elements = e < 0 || other.output_elements < 0 ? -1 : other.output_elements + e;
      }
      network.others.push_back(other);
      if (op == "Add" && node.input_size() == 2) {  // MatMul + Add is how exporters write a biased linear layer
        for (int k = 0; k < 2; ++k) {
          if (mac_outputs.count(node.input(k)) && g.constant(node.input(1 - k))) {
            const std::int64_t bias = elements_of(g, node.input(1 - k));
            if (bias > 0) network.biases += bias;
          }
        }
      }
      continue;
    }
    for (const std::string& o : node.output()) mac_outputs.insert(o);
    if (!layer) return layer.error();
    if ((op == "Conv" || op == "Gemm") && node.input_size() > 2 && !node.input(2).empty()) {
      const std::optional<Shape> bias = g.shape(node.input(2));
      const std::optional<Shape> out = g.shape(node.output(0));
      // A bias broadcasts onto the output: (K) for a Conv, (N), (1, N), (M, N) ... for a Gemm.
      bool fits = bias && out && bias->size() <= (op == "Conv" ? 1 : out->size());
      for (std::size_t i = 0; fits && i < bias->size(); ++i) {
        const std::int64_t want = op == "Conv" ? (*out)[1] : (*out)[out->size() - bias->size() + i];
        fits = (*bias)[i] == want || (op == "Gemm" && (*bias)[i] == 1);
      }
      if (!fits) {
        return Error{path + ": node '" + name + "': its bias " + (bias ? shape_text(*bias) : std::string("(no shape)")) +
                     " does not fit its output " + (out ? shape_text(*out) : std::string("(no shape)"))};
      }
      network.biases += elements(*bias);
    }
    if (Expected<void> ok = check_layer_size(*layer); !ok) return Error{path + ": node '" + name + "': " + ok.error().message};
    network.layers.push_back(*layer);
    layer_node.push_back(index - 1);
  }
  network.sole_reader = sole_readers(model.graph(), g, layer_node);
  if (network.layers.empty()) {
    return Error{path + ": no Conv, ConvTranspose, Gemm, MatMul, LSTM or GRU node: nothing for the accelerator to map"};
  }
  if (Expected<void> ok = check_network_size(network); !ok) return Error{path + ": " + ok.error().message};
  return network;
}

}  // namespace

}  // namespace dnnspace::io
