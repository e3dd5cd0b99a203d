// What names mean in a schedule: loops (dimension letters and Fig. 2's aliases) and
// tensors. Shared by the schedule compiler and printer.
#pragma once

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/core/dims.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// "where: " for an error message, or nothing when the primitive has no origin.
inline std::string at(const std::string& where) { return where.empty() ? std::string() : where + ": "; }

/// The root loop's name of a dimension: its letter in lower case.
inline std::string loop_name(Dim d) { return std::string(1, static_cast<char>(dim_letter(d) - 'A' + 'a')); }

/// Letters, digits, '_' and '.', starting with a letter.
inline bool valid_loop_name(std::string_view name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
  }
  return true;
}

/// Halide's default nest, outermost first: the accumulated tensor's dimensions (axis by
/// axis), then the operands' further dimensions, then any other of the layer's. For a
/// convolution: G N K P Q C R S (Fig. 2c: k, y, x, r.z, r.y, r.x).
inline std::vector<Dim> default_loop_order(const Layer& layer) {
  std::vector<Dim> out;
  const auto add = [&](Dim d) {
    for (Dim x : out) if (x == d) return;
    for (Dim x : layer.dims) if (x == d) { out.push_back(d); return; }
  };
  const Projection p = projection_of(layer);
  const auto add_tensor = [&](TensorId t) {
    for (const IndexAxis& a : p[t].axes) {
      add(a.first.dim);
      if (a.window()) add(a.second.dim);
    }
  };
  add_tensor(TensorId::Outputs);
  for (TensorId t : layer_tensors(layer)) if (t != TensorId::Outputs) add_tensor(t);
  for (Dim d : layer.dims) add(d);
  return out;
}

/// Fig. 2's names for a convolution's loops: x (Q), y (P), r.x (S), r.y (R), r.z (C).
inline std::optional<Dim> fig2_alias(const Layer& layer, std::string_view name) {
  if (layer.kind == LayerKind::Workload) return std::nullopt;
  if (name == "x") return Dim::Q;
  if (name == "y") return Dim::P;
  if (name == "r.x") return Dim::S;
  if (name == "r.y") return Dim::R;
  if (name == "r.z") return Dim::C;
  return std::nullopt;
}

/// A tensor by name: its name in the layer's pass (tensor_name), or `output` (the function
/// the schedule computes); in the forward pass also its slot's role name (inputs, weights,
/// outputs) and Fig. 2's input and w. A gradient pass takes its tensors' own names only:
/// there a role name would name another tensor (in wgrad the weights' slot holds
/// output_grad).
inline std::optional<TensorId> resolve_tensor(const Layer& layer, std::string_view name) {
  for (TensorId t : layer_tensors(layer)) if (tensor_name(layer, t) == name) return t;
  if (name == "output") return TensorId::Outputs;
  if (layer.pass != Pass::Forward) return std::nullopt;
  for (TensorId t : {TensorId::Inputs, TensorId::Weights, TensorId::Outputs}) if (tensor_name(t) == name) return t;
  if (name == "input") return TensorId::Inputs;
  if (name == "w") return TensorId::Weights;
  return std::nullopt;
}

/// A name in double quotes, '"' and '\\' escaped: how the text form writes a name that is
/// not a plain one.
inline std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// A tensor's or level's name as the text form takes it: bare when it is letters, digits
/// and '_' starting with a letter and not a word the text form reads otherwise (Var,
/// RVar, Func, RDom), else quoted (a workload's tensor may be called "Q-proj", a level
/// "Global Buffer").
inline std::string quoted_name(const std::string& name) {
  bool bare = !name.empty() && std::isalpha(static_cast<unsigned char>(name[0]));
  for (char c : name) bare = bare && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  bare = bare && name != "Var" && name != "RVar" && name != "Func" && name != "RDom";
  return bare ? name : quoted(name);
}

/// The operands' names, comma-separated.
inline std::string operand_names(const Layer& layer) {
  std::string out;
  for (TensorId t : layer_tensors(layer)) {
    if (t == TensorId::Outputs) continue;
    out += (out.empty() ? "" : ", ") + tensor_name(layer, t);
  }
  return out;
}

/// Every tensor's name, comma-separated, operands first.
inline std::string all_tensor_names(const Layer& layer) {
  return operand_names(layer) + ", " + tensor_name(layer, TensorId::Outputs);
}

}  // namespace dnnspace
