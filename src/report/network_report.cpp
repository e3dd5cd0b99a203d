#include "dnnspace/report/network_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/report/text_table.hpp"
#include "dnnspace/workload/custom_workload.hpp"

namespace dnnspace::report {
namespace {

std::string pair_text(std::int64_t h, std::int64_t w) {
  return h == w ? std::to_string(h) : std::to_string(h) + "x" + std::to_string(w);
}

}  // namespace

std::string network_list_table(const std::vector<NetworkSummary>& networks) {
  std::vector<std::vector<std::string>> rows = {{"network", "layers", "MACs (N=1)", "weights", "description"}};
  for (const NetworkSummary& s : networks) {
    rows.push_back({s.network.name, std::to_string(s.network.layers.size()), group_digits(total_macs(s.network)),
                    group_digits(total_weights(s.network)), s.description});
  }
  return render_table(rows, "", true);
}

std::string network_table(const Network& network) {
  std::vector<std::vector<std::string>> rows = {
      {"layer", "type", "N", "K", "C", "P", "Q", "R", "S", "stride", "pad", "G", "MACs", "weights"}};
  std::string workloads;
  for (const Layer& l : network.layers) {
    std::vector<std::string> row = {l.name, std::string(layer_kind_name(l.kind))};
    if (l.custom) {
      // A workload given as data: its own dimensions, listed below the table.
      workloads += fmt::format("workload {}: {}\n", l.name, layer_shape(l));
      row.insert(row.end(), 10, "-");
      row.push_back(group_digits(macs(l)));
      row.push_back(group_digits(weight_count(l)));
      rows.push_back(row);
      continue;
    }
    for (Dim d : {Dim::N, Dim::K, Dim::C, Dim::P, Dim::Q, Dim::R, Dim::S}) row.push_back(std::to_string(l.bounds[d]));
    std::string stride = pair_text(l.stride_h, l.stride_w);
    if (l.dilation_h != 1 || l.dilation_w != 1) stride += " d" + pair_text(l.dilation_h, l.dilation_w);
    row.push_back(stride);
    row.push_back(pair_text(l.pad_h, l.pad_w));
    row.push_back(std::to_string(l.bounds[Dim::G]));
    row.push_back(group_digits(macs(l)));
    row.push_back(group_digits(weight_count(l)));
    rows.push_back(row);
  }
  rows.push_back({fmt::format("total ({} layers)", network.layers.size()), "", "", "", "", "", "", "", "", "", "", "",
                  group_digits(total_macs(network)), group_digits(total_weights(network))});
  std::string others;
  if (!network.others.empty()) {
    // An imported graph's other operators: no MACs, not mapped, their traffic for reference.
    std::vector<std::vector<std::string>> other_rows = {{"operator", "op", "elements read", "elements written"}};
    const auto count = [](std::int64_t n) { return n < 0 ? std::string("?") : group_digits(n); };
    for (const OtherOperator& o : network.others) {
      other_rows.push_back({o.name, o.op_type, count(o.input_elements), count(o.output_elements)});
    }
    others = fmt::format("\nother operators ({}; no MACs, not mapped onto the array; ? = shape unknown):\n",
                         network.others.size()) +
             render_table(other_rows);
  }
  const std::string biases =
      network.biases > 0 ? fmt::format("biases: {} (not in the weights)\n", group_digits(network.biases)) : std::string();
  return fmt::format("network {}\n", network.name) + render_table(rows) + workloads + others + biases +
         "note: K and C are per group (a depthwise layer has G = channels, K = C = 1); "
         "P, Q are output rows/cols; weights exclude biases\n";
}

nlohmann::json layer_json(const Layer& l) {
  using nlohmann::json;
  nlohmann::json j = {{"name", l.name}, {"type", std::string(layer_kind_name(l.kind))}, {"pass", std::string(pass_name(l.pass))}};
  for (Dim d : l.dims) j[std::string(1, dim_letter(d))] = l.bounds[d];
  // Densities below 1 only: a dense layer prints as before.
  for (TensorId t : layer_tensors(l)) {
    if (l.density[t] != 1.0) j["density"][tensor_name(l, t)] = l.density[t];
  }
  if (l.custom) {
    // The workload as data: its tensors in this pass with their index expressions.
    const Projection p = projection_of(l);
    json tensors = json::array();
    for (TensorId t : display_tensors(l)) {
      json index = json::array();
      for (const IndexAxis& a : p[t].axes) index.push_back(index_axis_text(a));
      tensors.push_back({{"name", tensor_name(l, t)}, {"role", t == TensorId::Outputs ? "output" : "operand"}, {"index", index}});
    }
    j["tensors"] = tensors;
    j["macs"] = macs(l);
    j["weights"] = weight_count(l);
    return j;
  }
  j["stride"] = l.stride_h;
  j["pad"] = l.pad_h;
  j["stride_w"] = l.stride_w;
  j["pad_w"] = l.pad_w;
  j["dilation"] = l.dilation_h;
  j["dilation_w"] = l.dilation_w;
  j["macs"] = macs(l);
  j["weights"] = weight_count(l);
  return j;
}

nlohmann::json network_json(const Network& network) {
  using nlohmann::json;
  json layers = json::array();
  for (const Layer& l : network.layers) layers.push_back(layer_json(l));
  json batch = nullptr;
  if (!network.layers.empty()) {
    batch = batch_size(network.layers.front());
    for (const Layer& l : network.layers) {
      if (batch_size(l) != batch_size(network.layers.front())) batch = nullptr;
    }
  }
  json others = json::array();
  for (const OtherOperator& o : network.others) {
    const auto count = [](std::int64_t n) { return n < 0 ? json(nullptr) : json(n); };  // null: unknown shape
    others.push_back({{"name", o.name},
                      {"op", o.op_type},
                      {"input_elements", count(o.input_elements)},
                      {"output_elements", count(o.output_elements)}});
  }
  return json{{"network", network.name},
              {"batch", batch},
              {"layers", layers},
              {"other_operators", others},
              {"total", {{"macs", total_macs(network)}, {"weights", total_weights(network)}, {"biases", network.biases}}}};
}

}  // namespace dnnspace::report
