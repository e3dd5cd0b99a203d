#include "dnnspace/workload/network.hpp"

namespace dnnspace {

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

void set_batch(Network& network, std::int64_t batch) noexcept {
  for (Layer& l : network.layers) l.bounds[Dim::N] = batch;
}

}  // namespace dnnspace
