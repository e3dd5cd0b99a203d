#include "dnnspace/io/workload_yaml.hpp"

#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "dnnspace/io/yaml_util.hpp"
#include "dnnspace/workload/custom_workload.hpp"

namespace dnnspace::io {
namespace {

constexpr std::string_view kTypeList = "conv, fc, matmul, lstm, workload";

/// Inserts "CONTEXT: " after the "FILE[:LINE]: " prefix that yaml_util puts on every
/// message, so that errors read "net.yaml:7: layer 'conv2': field 'K': ...".
Error in_context(Error error, const YamlOrigin& origin, std::string_view context) {
  std::string& m = error.message;
  std::size_t pos = std::string::npos;
  if (m.compare(0, origin.file.size(), origin.file) == 0) {
    std::size_t p = origin.file.size();
    if (p < m.size() && m[p] == ':') {
      std::size_t q = p + 1;
      while (q < m.size() && std::isdigit(static_cast<unsigned char>(m[q]))) ++q;
      if (q > p + 1) p = q;
    }
    if (m.compare(p, 2, ": ") == 0) pos = p + 2;
  }
  if (pos == std::string::npos) {
    m = origin.file + ": " + std::string(context) + ": " + m;
  } else {
    m.insert(pos, std::string(context) + ": ");
  }
  return error;
}

std::optional<LayerKind> kind_from_type(std::string_view type) {
  if (type == "conv") return LayerKind::Conv;
  if (type == "fc") return LayerKind::FullyConnected;
  if (type == "matmul") return LayerKind::Matmul;
  if (type == "lstm") return LayerKind::Lstm;
  if (type == "workload") return LayerKind::Workload;
  return std::nullopt;
}

/// Fails on keys that no layer type accepts (typos), before the name is even read.
Expected<void> check_any_layer_keys(const YamlOrigin& origin, const YAML::Node& node,
                                    std::string_view context) {
  return check_keys(origin, node, context,
                    {"name", "type", "N", "K", "C", "P", "Q", "R", "S", "G", "M", "groups",
                     "stride", "stride_h", "stride_w", "pad", "pad_h", "pad_w", "dilation",
                     "dilation_h", "dilation_w", "batched", "dims", "tensors", "batch", "density"});
}

/// Fails on keys the given layer type does not accept.
Expected<void> check_type_keys(const YamlOrigin& origin, const YAML::Node& node,
                               std::string_view context, LayerKind kind) {
  switch (kind) {
    case LayerKind::Conv:
      return check_keys(origin, node, context,
                        {"name", "type", "N", "K", "C", "P", "Q", "R", "S", "G", "groups",
                         "stride", "stride_h", "stride_w", "pad", "pad_h", "pad_w",
                         "dilation", "dilation_h", "dilation_w", "density"});
    case LayerKind::FullyConnected:
      return check_keys(origin, node, context, {"name", "type", "N", "K", "C", "density"});
    case LayerKind::Matmul:
      return check_keys(origin, node, context, {"name", "type", "M", "N", "K", "C", "P", "G", "groups", "batched", "density"});
    case LayerKind::Lstm:
      return check_keys(origin, node, context, {"name", "type", "N", "K", "C", "density"});
    case LayerKind::Workload:
      return check_keys(origin, node, context, {"name", "type", "dims", "tensors", "batch"});
  }
  return {};
}

/// Reads a value given either as `alias` or as `field` (not both), >= min_value.
Expected<std::int64_t> read_aliased(const YamlOrigin& origin, const YAML::Node& node,
                                    std::string_view field, std::string_view alias,
                                    std::int64_t min_value, std::int64_t fallback) {
  if (node[std::string(field)] && node[std::string(alias)]) {
    return field_error(origin, node[std::string(alias)], alias,
                       "give either '" + std::string(field) + "' or '" + std::string(alias) +
                           "' (the same value), not both");
  }
  if (node[std::string(alias)]) return read_int_or(origin, node, alias, min_value, fallback);
  return read_int_or(origin, node, field, min_value, fallback);
}

/// Reads `base` (both axes) or `base`_h / `base`_w; giving both forms is an error.
Expected<std::pair<std::int64_t, std::int64_t>> read_hw(const YamlOrigin& origin,
                                                        const YAML::Node& node,
                                                        std::string_view base,
                                                        std::int64_t min_value,
                                                        std::int64_t fallback) {
  const std::string h = std::string(base) + "_h";
  const std::string w = std::string(base) + "_w";
  if (node[std::string(base)]) {
    if (node[h] || node[w]) {
      return field_error(origin, node[std::string(base)], base,
                         "give either '" + std::string(base) + "' or '" + h + "'/'" + w +
                             "', not both");
    }
    Expected<std::int64_t> both = read_int_or(origin, node, base, min_value, fallback);
    if (!both) return both.error();
    return std::pair{*both, *both};
  }
  Expected<std::int64_t> vh = read_int_or(origin, node, h, min_value, fallback);
  if (!vh) return vh.error();
  Expected<std::int64_t> vw = read_int_or(origin, node, w, min_value, fallback);
  if (!vw) return vw.error();
  return std::pair{*vh, *vw};
}

/// The field that set the pad of an axis, for messages.
std::string pad_field(const YAML::Node& node, std::string_view axis_field) {
  return node["pad"] ? std::string("pad") : std::string(axis_field);
}

/// Reads a single dimension letter (a key of dims, or batch).
Expected<Dim> read_dim_letter(const YamlOrigin& origin, const YAML::Node& node, std::string_view field,
                              const std::string& text) {
  // Either case, as in index expressions, dataflows and mapping files: m is M.
  const std::optional<Dim> d = text.size() == 1 ? dim_from_letter(text[0]) : std::nullopt;
  if (!d) {
    return field_error(origin, node, field, "dimension names are single letters A-Z, got '" + text + "'");
  }
  return *d;
}

/// A workload given as data: dims {LETTER: bound}, tensors [{name, role, index}], batch.
Expected<Layer> parse_custom_workload(const YamlOrigin& origin, const YAML::Node& node, const std::string& name,
                                      const std::string& context) {
  WorkloadDescription w;
  w.name = name;
  const YAML::Node dims = node["dims"];
  if (!dims || !dims.IsMap() || dims.size() == 0) {
    return in_context(field_error(origin, dims ? dims : node, "dims",
                                  "expected a map of dimension letters to bounds, e.g. {B: 12, M: 128, K: 64}"),
                      origin, context);
  }
  for (const auto& entry : dims) {
    const std::string key = entry.first.Scalar();
    Expected<Dim> d = read_dim_letter(origin, entry.first, "dims", key);
    if (!d) return in_context(d.error(), origin, context);
    Expected<std::int64_t> bound = read_int(origin, dims, key, 1);
    if (!bound) return in_context(bound.error(), origin, context + ": dims");
    w.dims.emplace_back(*d, *bound);
  }
  if (w.dims.size() > kMaxWorkloadDims) {
    return in_context(field_error(origin, dims, "dims",
                                  std::to_string(w.dims.size()) + " dimensions; at most " +
                                      std::to_string(kMaxWorkloadDims) + " are allowed"),
                      origin, context);
  }
  FixedVector<Dim, kMaxWorkloadDims> letters;
  for (const auto& [d, bound] : w.dims) letters.push_back(d);
  const YAML::Node tensors = node["tensors"];
  if (!tensors || !tensors.IsSequence() || tensors.size() == 0) {
    return in_context(field_error(origin, tensors ? tensors : node, "tensors",
                                  "expected a list of tensors, each {name, role: operand|weights|output, index: "
                                  "[...]}"),
                      origin, context);
  }
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const YAML::Node t = tensors[i];
    const std::string position = context + ": tensors[" + std::to_string(i) + "]";
    if (!t.IsMap()) {
      return in_context(field_error(origin, t, "tensors", "expected a map {name, role, index}"), origin, position);
    }
    if (auto ok = check_keys(origin, t, position, {"name", "role", "index"}); !ok) return ok.error();
    TensorDescription desc;
    Expected<std::string> tname = read_string(origin, t, "name");
    if (!tname) return in_context(tname.error(), origin, position);
    desc.name = *tname;
    Expected<std::string> role = read_string(origin, t, "role");
    if (!role) return in_context(role.error(), origin, position);
    const std::optional<TensorRole> r = parse_tensor_role(*role);
    if (!r) {
      return in_context(field_error(origin, t["role"], "role",
                                    "unknown role '" + *role + "' (allowed: operand, weights, output)"),
                        origin, position);
    }
    desc.role = *r;
    const YAML::Node index = t["index"];
    if (!index || !index.IsSequence() || index.size() == 0) {
      return in_context(field_error(origin, index ? index : t, "index",
                                    "expected a non-empty list of index expressions, e.g. [N, C, \"P*2+R\"]"),
                        origin, position);
    }
    if (index.size() > kMaxWorkloadDims) {
      return in_context(field_error(origin, index, "index",
                                    "at most " + std::to_string(kMaxWorkloadDims) + " axes"),
                        origin, position);
    }
    for (std::size_t k = 0; k < index.size(); ++k) {
      if (!index[k].IsScalar()) {
        return in_context(field_error(origin, index[k], "index", "expected an expression such as P*2+R"), origin,
                          position);
      }
      Expected<IndexAxis> axis = parse_index_axis(index[k].Scalar(), letters);
      if (!axis) return in_context(field_error(origin, index[k], "index", axis.error().message), origin, position);
      desc.index.push_back(*axis);
    }
    w.tensors.push_back(std::move(desc));
  }
  if (node["batch"]) {
    Expected<std::string> batch = read_string(origin, node, "batch");
    if (!batch) return in_context(batch.error(), origin, context);
    Expected<Dim> d = read_dim_letter(origin, node["batch"], "batch", *batch);
    if (!d) return in_context(d.error(), origin, context);
    w.batch_dim = *d;
  }
  Expected<Layer> layer = make_workload_layer(w);
  if (!layer) {
    // An error about one tensor points at that tensor's line (a repeated name at its
    // last use), any other at the workload's.
    YAML::Mark mark = node.Mark();
    const std::string& message = layer.error().message;
    for (std::size_t i = 0; i < w.tensors.size(); ++i) {
      const std::string& tensor = w.tensors[i].name;
      if (message.find("tensor '" + tensor + "'") != std::string::npos ||
          message.find("tensor name '" + tensor + "'") != std::string::npos) {
        mark = tensors[i].Mark();
      }
      if (message.find("tensor '" + tensor + "'") != std::string::npos) break;
    }
    return Error{origin.file + (mark.line >= 0 ? ":" + std::to_string(mark.line + 1) : "") + ": " + message};
  }
  return layer;
}

/// Builds one layer from its map. `position` names it in messages until its name is
/// known ("layer" in a layer file, "layers[2]" in a network file).
Expected<Layer> parse_layer(const YamlOrigin& origin, const YAML::Node& node,
                            const std::string& position) {
  if (auto ok = check_any_layer_keys(origin, node, position); !ok) return ok.error();
  Expected<std::string> name = read_string(origin, node, "name");
  if (!name) return in_context(name.error(), origin, position);
  if (name->empty()) {
    return in_context(field_error(origin, node["name"], "name", "must not be empty"), origin,
                      position);
  }
  const std::string context = "layer '" + *name + "'";
  if (!node["type"]) {
    return in_context(field_error(origin, node, "type",
                                  "missing (one of " + std::string(kTypeList) + ")"),
                      origin, context);
  }
  Expected<std::string> type = read_string(origin, node, "type");
  if (!type) return in_context(type.error(), origin, context);
  const std::optional<LayerKind> kind = kind_from_type(*type);
  if (!kind) {
    return in_context(field_error(origin, node["type"], "type",
                                  "unknown type '" + *type + "' (allowed: " +
                                      std::string(kTypeList) + ")"),
                      origin, context);
  }
  if (auto ok = check_type_keys(origin, node, context + " (type " + *type + ")", *kind); !ok) {
    return ok.error();
  }

  if (*kind == LayerKind::Workload) return parse_custom_workload(origin, node, *name, context);
  Layer layer;
  layer.name = *name;
  layer.kind = *kind;
  for (Dim d : layer.dims) {
    const std::string letter(1, dim_letter(d));
    Expected<std::int64_t> v = 1;
    if (d == Dim::G) {
      v = read_aliased(origin, node, "G", "groups", 1, 1);
    } else if (d == Dim::N && *kind == LayerKind::Matmul) {
      v = read_aliased(origin, node, "N", "M", 1, 1);
    } else {
      v = read_int_or(origin, node, letter, 1, 1);
    }
    if (!v) return in_context(v.error(), origin, context);
    layer.bounds[d] = *v;
  }
  if (*kind == LayerKind::Conv) {
    auto stride = read_hw(origin, node, "stride", 1, 1);
    if (!stride) return in_context(stride.error(), origin, context);
    auto pad = read_hw(origin, node, "pad", 0, 0);
    if (!pad) return in_context(pad.error(), origin, context);
    auto dilation = read_hw(origin, node, "dilation", 1, 1);
    if (!dilation) return in_context(dilation.error(), origin, context);
    std::tie(layer.stride_h, layer.stride_w) = *stride;
    std::tie(layer.pad_h, layer.pad_w) = *pad;
    std::tie(layer.dilation_h, layer.dilation_w) = *dilation;
  }
  if (*kind == LayerKind::Matmul) {
    // batched: both operands differ per sample (attention): the G groups are per sample.
    Expected<bool> batched = read_bool_or(origin, node, "batched", false);
    if (!batched) return in_context(batched.error(), origin, context);
    if (*batched) layer.groups_per_sample = layer.bounds[Dim::G];
  }
  if (*kind == LayerKind::Lstm && layer.bounds[Dim::K] % 4 != 0) {
    return in_context(field_error(origin, node["K"], "K",
                                  "an LSTM layer fuses its 4 gates, so K = 4 * hidden must be "
                                  "a multiple of 4, got " +
                                      std::to_string(layer.bounds[Dim::K])),
                      origin, context);
  }
  if (const YAML::Node density = node["density"]; density) {
    // The operands' fractions of nonzero elements (docs/model.md Sec. 11).
    if (!density.IsMap() || density.size() == 0) {
      return in_context(field_error(origin, density, "density",
                                    "expected a map such as {inputs: 0.4, weights: 0.8} (each in (0, 1])"),
                        origin, context);
    }
    if (auto ok = check_keys(origin, density, context + ": density", {"inputs", "weights"}); !ok) return ok.error();
    for (TensorId t : {TensorId::Inputs, TensorId::Weights}) {
      const std::string key(tensor_name(t));
      if (!density[key]) continue;
      Expected<double> d = read_double(origin, density, key, 0.0);
      if (!d) return in_context(d.error(), origin, context + ": density");
      if (*d <= 0.0 || *d > 1.0) {
        return in_context(field_error(origin, density[key], key,
                                      "a density is a fraction of nonzero elements in (0, 1], got " + density[key].Scalar()),
                          origin, context + ": density");
      }
      layer.density[t] = *d;
    }
  }
  if (auto ok = check_layer_size(layer); !ok) {
    const YAML::Mark mark = node.Mark();
    return Error{origin.file + (mark.line >= 0 ? ":" + std::to_string(mark.line + 1) : "") + ": " +
                 ok.error().message};
  }
  // Padding is counted on the input plane (layer.hpp); a pad that covers the whole plane
  // would leave no real input.
  for (const auto& [extent, pad_value, axis_field, unit] :
       {std::tuple{input_height(layer), layer.pad_h, "pad_h", "rows"},
        std::tuple{input_width(layer), layer.pad_w, "pad_w", "columns"}}) {
    if (extent - 2 * pad_value < 1) {
      const std::string field = pad_field(node, axis_field);
      const std::string e = std::to_string(extent);
      return in_context(
          field_error(origin, node[field], field,
                      "pad " + std::to_string(pad_value) + " on each side of a padded plane of " +
                          e + " " + unit + " leaves no input " + unit + " (need 2 * pad < " + e +
                          ")"),
          origin, context);
    }
  }
  return layer;
}

Expected<Layer> layer_from_root(const YamlOrigin& origin, const YAML::Node& root) {
  if (auto ok = check_keys(origin, root, "layer file", {"layer", "workload"}); !ok) return ok.error();
  if (root["layer"] && root["workload"]) {
    return field_error(origin, root["workload"], "workload", "give either 'layer' or 'workload', not both");
  }
  if (root["workload"]) {
    // workload: {name, dims, tensors, batch} is a layer of type workload.
    const YAML::Node w = root["workload"];
    if (!w.IsMap()) return field_error(origin, w, "workload", "expected a map {name, dims, tensors}");
    if (auto ok = check_keys(origin, w, "workload", {"name", "dims", "tensors", "batch"}); !ok) return ok.error();
    Expected<std::string> name = read_string(origin, w, "name");
    if (!name) return in_context(name.error(), origin, "workload");
    if (name->empty()) return in_context(field_error(origin, w["name"], "name", "must not be empty"), origin, "workload");
    return parse_custom_workload(origin, w, *name, "workload '" + *name + "'");
  }
  if (!root["layer"]) {
    return field_error(origin, root, "layer",
                       "missing (a layer file has the form layer: {name: ..., type: ...}, or workload: {name, dims, "
                       "tensors})");
  }
  return parse_layer(origin, root["layer"], "layer");
}

Expected<Network> network_from_root(const YamlOrigin& origin, const YAML::Node& root) {
  if (root.IsMap() && !root["network"] && (root["layer"] || root["workload"])) {
    // A layer or workload file is a network of one layer.
    Expected<Layer> layer = layer_from_root(origin, root);
    if (!layer) return layer.error();
    return Network{layer->name, {*layer}};
  }
  if (auto ok = check_keys(origin, root, "network file", {"network"}); !ok) return ok.error();
  if (!root["network"]) {
    return field_error(origin, root, "network",
                       "missing (a network file has the form network: {name: ..., layers: "
                       "[...]})");
  }
  const YAML::Node net = root["network"];
  if (auto ok = check_keys(origin, net, "network", {"name", "layers"}); !ok) return ok.error();
  Expected<std::string> name = read_string(origin, net, "name");
  if (!name) return in_context(name.error(), origin, "network");
  if (name->empty()) {
    return in_context(field_error(origin, net["name"], "name", "must not be empty"), origin,
                      "network");
  }
  const std::string context = "network '" + *name + "'";
  const YAML::Node layers = net["layers"];
  if (!layers) {
    return in_context(field_error(origin, net, "layers", "missing (a list of layers)"), origin,
                      context);
  }
  if (!layers.IsSequence() || layers.size() == 0) {
    return in_context(field_error(origin, layers, "layers",
                                  layers.IsSequence() ? "must list at least one layer"
                                                      : "expected a list of layers"),
                      origin, context);
  }
  Network network{*name, {}};
  std::map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string position = "layers[" + std::to_string(i) + "]";
    Expected<Layer> layer = parse_layer(origin, layers[i], position);
    if (!layer) return layer.error();
    const auto [it, inserted] = first_index.emplace(layer->name, i);
    if (!inserted) {
      return in_context(field_error(origin, layers[i]["name"], "name",
                                    "duplicate layer name '" + layer->name +
                                        "' (also layers[" + std::to_string(it->second) +
                                        "]); layer names must be unique"),
                        origin, position);
    }
    network.layers.push_back(std::move(*layer));
  }
  if (auto ok = check_network_size(network); !ok) return Error{origin.file + ": " + ok.error().message};
  return network;
}

}  // namespace

Expected<Layer> load_layer_yaml_text(std::string_view text, const std::string& origin) {
  Expected<YAML::Node> root = parse_yaml_text(text, origin);
  if (!root) return root.error();
  return layer_from_root(YamlOrigin{origin}, *root);
}

Expected<Layer> load_layer_yaml(const std::string& path) {
  Expected<YAML::Node> root = load_yaml_file(path);
  if (!root) return root.error();
  return layer_from_root(YamlOrigin{path}, *root);
}

Expected<Network> load_network_yaml_text(std::string_view text, const std::string& origin) {
  Expected<YAML::Node> root = parse_yaml_text(text, origin);
  if (!root) return root.error();
  return network_from_root(YamlOrigin{origin}, *root);
}

Expected<Network> load_network_yaml(const std::string& path) {
  Expected<YAML::Node> root = load_yaml_file(path);
  if (!root) return root.error();
  return network_from_root(YamlOrigin{path}, *root);
}

}  // namespace dnnspace::io
