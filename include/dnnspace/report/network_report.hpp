// Reports on whole networks: the zoo listing and the per-layer table of one network, as text and JSON.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

#include "dnnspace/workload/network.hpp"

namespace dnnspace::report {

/// One row of the network listing: a network and its one-line description.
struct NetworkSummary {
  Network network;
  std::string description;
};

/// One line per network: name, layer count, total MACs, total weights (biases
/// excluded, see docs/zoo.md), description; a header line first. Ends with a newline.
std::string network_list_table(const std::vector<NetworkSummary>& networks);

/// Per layer: name, type, N K C P Q R S, stride, pad, G, MACs, weights; then the
/// totals. A note line says that K and C are per group. Ends with a newline.
std::string network_table(const Network& network);

/// One layer as {name, type, N, K, C, P, Q, R, S, G, stride, pad, stride_w, pad_w,
/// dilation, dilation_w, macs, weights}. stride, pad and dilation are the row values;
/// the _w keys are the column values (equal for every zoo layer), always present so
/// that the schema does not depend on the layer. Shared by every report with a layer.
nlohmann::json layer_json(const Layer& layer);

/// {"network", "batch", "layers": [layer_json of each layer], "total": {macs, weights}}.
/// "batch" is the N every layer shares, or null when the layers differ.
nlohmann::json network_json(const Network& network);

}  // namespace dnnspace::report
