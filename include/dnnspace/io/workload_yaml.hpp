// Reading layers and networks from workload YAML files (format in docs/zoo.md).
//
// A layer file holds `layer: {name, type, N, K, C, P, Q, R, S, G, stride, pad, ...}`, or
// `workload: {name, dims, tensors, batch}` (a workload given as data, docs/workloads.md);
// a network file holds `network: {name, layers: [ {layer fields}, ... ]}`. Types are
// conv, fc, matmul, lstm and workload; each type accepts only the fields that mean
// something for it (fc: N K C; matmul: M or N, K, C; lstm: N K C with K = 4 * hidden;
// workload: dims, tensors, batch). Sizes default to 1, padding to 0, stride and dilation
// to 1. A layer or workload file read as a network is a network of that one layer.
#pragma once

#include <string>
#include <string_view>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/workload/layer.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace::io {

/// Loads a single-layer file. Fails with one line naming the file, the line, the layer
/// and the field, and saying what is allowed: unknown fields, sizes < 1, negative pads,
/// non-numbers, a missing name or type, an unknown type, a field given twice under two
/// spellings (stride and stride_h, G and groups, M and N), an LSTM K that is not a
/// multiple of 4, padding that leaves no input rows, or a loop nest too large to count.
[[nodiscard]] Expected<Layer> load_layer_yaml(const std::string& path);

/// As load_layer_yaml, from text; `origin` names it in messages (e.g. "<string>").
[[nodiscard]] Expected<Layer> load_layer_yaml_text(std::string_view text,
                                                   const std::string& origin);

/// Loads a network file. Fails as load_layer_yaml does for each layer, and also for a
/// missing network name, a missing or empty layer list, and duplicate layer names.
[[nodiscard]] Expected<Network> load_network_yaml(const std::string& path);

/// As load_network_yaml, from text; `origin` names it in messages.
[[nodiscard]] Expected<Network> load_network_yaml_text(std::string_view text,
                                                       const std::string& origin);

}  // namespace dnnspace::io
