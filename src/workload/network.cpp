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

bool feeds(const Layer& producer, const Layer& consumer) noexcept {
  const auto plain = [](const Layer& l) {
    return !l.custom && l.kind != LayerKind::Lstm && l.groups_per_sample == 0 && l.pass == Pass::Forward;
  };
  if (!plain(producer) || !plain(consumer) || batch_size(producer) != batch_size(consumer)) return false;
  const auto& p = producer.bounds;
  const auto& c = consumer.bounds;
  const std::int64_t out_channels = p[Dim::G] * p[Dim::K], in_channels = c[Dim::G] * c[Dim::C];
  // The consumer's input plane without its padding.
  const std::int64_t rows = unpadded_input_height(consumer);
  const std::int64_t cols = unpadded_input_width(consumer);
  if (out_channels == in_channels) return rows >= 1 && cols >= 1 && rows <= p[Dim::P] && cols <= p[Dim::Q];
  // Flattened: a fully connected layer over the output of a convolution, or over a pooled
  // part of it (as many channels, no more rows and columns).
  return rows == 1 && cols == 1 && in_channels % out_channels == 0 && in_channels / out_channels <= p[Dim::P] * p[Dim::Q];
}

}  // namespace dnnspace
