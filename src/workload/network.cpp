#include "dnnspace/workload/network.hpp"

#include <optional>
#include <string>

#include "dnnspace/core/checked.hpp"

namespace dnnspace {

Expected<void> check_network_size(const Network& network) {
  std::optional<std::int64_t> all_macs = 0, all_weights = 0;
  for (const Layer& l : network.layers) {
    if (auto ok = check_layer_size(l); !ok) return Error{"network '" + network.name + "': " + ok.error().message};
    if (all_macs) all_macs = checked_add(*all_macs, macs(l));
    if (all_weights) all_weights = checked_add(*all_weights, weight_count(l));
  }
  if (!all_macs || !all_weights) {
    return Error{"network '" + network.name + "': its total " + (all_macs ? "weights" : "MACs") +
                 " exceed 2^63 - 1; use a smaller batch"};
  }
  return {};
}

std::int64_t total_macs(const Network& network) noexcept {
  std::int64_t total = 0;
  for (const Layer& l : network.layers) total += macs(l);
  return total;
}

std::int64_t total_weights(const Network& network) noexcept {
  std::int64_t total = 0;
  for (const Layer& l : network.layers) total += weight_count(l);
  return total;
}

const Layer* find_layer(const Network& network, std::string_view name) noexcept {
  for (const Layer& l : network.layers) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

Expected<void> set_batch(Network& network, std::int64_t batch) {
  if (batch < 1) return Error{"batch must be >= 1 (the N of every layer), got " + std::to_string(batch)};
  for (Layer& l : network.layers) {
    if (auto ok = set_batch(l, batch); !ok) return Error{"network '" + network.name + "': " + ok.error().message};
  }
  return check_network_size(network);
}

std::vector<Dim> network_dims(const Network& network) {
  PerDim<bool> has{};
  for (const Layer& l : network.layers) for (Dim d : l.dims) has[d] = true;
  std::vector<Dim> out;
  for (Dim d : kAllDims) if (has[d]) out.push_back(d);
  return out;
}

}  // namespace dnnspace
