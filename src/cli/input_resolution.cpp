#include "input_resolution.hpp"

#include <filesystem>

#include "dnnspace/io/workload_yaml.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace::cli {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
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
  if (looks_like_file(spec)) {
    Expected<Layer> layer = io::load_layer_yaml(std::string(spec));
    if (!layer) return layer;
    if (batch) layer->bounds[Dim::N] = *batch;
    return layer;
  }
  Expected<Layer> layer = zoo_layer(spec, batch.value_or(zoo_default_batch));
  if (!layer) {
    return Error{"--layer '" + std::string(spec) + "': not a file; " + layer.error().message};
  }
  return layer;
}

Expected<Network> resolve_network(std::string_view spec, std::optional<std::int64_t> batch) {
  if (auto ok = check_batch_option(batch); !ok) return ok.error();
  if (looks_like_file(spec)) {
    Expected<Network> network = io::load_network_yaml(std::string(spec));
    if (!network) return network;
    if (batch) set_batch(*network, *batch);
    return network;
  }
  Expected<Network> network = zoo_network(spec, batch.value_or(1));
  if (!network) {
    return Error{"network '" + std::string(spec) + "': not a file; " + network.error().message};
  }
  return network;
}

bool same_file(const std::string& output, const std::string& input) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(input, ec)) return false;
  if (fs::exists(output, ec)) return fs::equivalent(output, input, ec);
  // The output does not exist yet, so it cannot be the input.
  return false;
}

}  // namespace dnnspace::cli
