#include "dnnspace/io/resolve_input.hpp"

#include <filesystem>

#include "dnnspace/io/onnx_network.hpp"
#include "dnnspace/io/workload_yaml.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace::io {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "--batch 16 on alexnet: " before a size error, so the user sees which input grew.
std::string batch_context(std::string_view spec, std::int64_t batch) {
  return "--batch " + std::to_string(batch) + " on '" + std::string(spec) + "': ";
}

}  // namespace

Expected<void> check_batch_option(std::optional<std::int64_t> batch) {
  if (batch && *batch < 1) {
    return Error{"--batch: must be a whole number >= 1 (the N of every layer), got " + std::to_string(*batch)};
  }
  return {};
}

bool looks_like_file(std::string_view arg) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(std::filesystem::path(arg), ec)) return true;
  return ends_with(arg, ".yaml") || ends_with(arg, ".yml");
}

Expected<Layer> resolve_layer(std::string_view spec, std::optional<std::int64_t> batch,
                              std::int64_t zoo_default_batch) {
  if (auto ok = check_batch_option(batch); !ok) return ok.error();
  Expected<Layer> layer = looks_like_file(spec) ? load_layer_yaml(std::string(spec)) : zoo_layer(spec, 1);
  if (!layer) {
    if (looks_like_file(spec)) return layer;
    return Error{"--layer '" + std::string(spec) + "': not a file; " + layer.error().message};
  }
  const std::optional<std::int64_t> n = looks_like_file(spec) ? batch : batch.value_or(zoo_default_batch);
  if (n) {
    if (auto ok = set_batch(*layer, *n); !ok) return Error{batch_context(spec, *n) + ok.error().message};
  }
  return layer;
}

Expected<Network> resolve_network(std::string_view spec, std::optional<std::int64_t> batch,
                                  const std::vector<std::string>& input_shapes) {
  if (auto ok = check_batch_option(batch); !ok) return ok.error();
  if (is_onnx_path(spec)) {
    OnnxImportOptions options;
    options.batch = batch;
    for (const std::string& text : input_shapes) {
      Expected<std::pair<std::string, std::vector<std::int64_t>>> shape = parse_input_shape(text);
      if (!shape) return shape.error();
      options.input_shapes.push_back(*shape);
    }
    return load_onnx_network(std::string(spec), options);
  }
  if (!input_shapes.empty()) {
    return Error{"--input-shape: only for an ONNX model (a --network path ending in .onnx), not '" + std::string(spec) + "'"};
  }
  const bool file = looks_like_file(spec);
  Expected<Network> network = file ? load_network_yaml(std::string(spec)) : zoo_network(spec, 1);
  if (!network) {
    if (file) return network;
    return Error{"network '" + std::string(spec) + "': not a file; " + network.error().message};
  }
  if (batch) {
    if (auto ok = set_batch(*network, *batch); !ok) return Error{batch_context(spec, *batch) + ok.error().message};
  }
  return network;
}

Expected<void> keep_only_layer(Network& network, const std::string& name) {
  if (name.empty()) return Error{"--layer: an empty layer name"};
  const Layer* layer = find_layer(network, name);
  if (!layer) {
    std::string names;
    for (const Layer& l : network.layers) names += (names.empty() ? "" : ", ") + l.name;
    return Error{"--layer '" + name + "': network '" + network.name + "' has: " + names};
  }
  network.layers = {*layer};
  return {};
}

}  // namespace dnnspace::io
