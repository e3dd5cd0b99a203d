// A network: an ordered list of layers, with totals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// An ordered list of layers (the CONV/FC/GEMM layers the accelerator runs).
struct Network {
  std::string name;
  std::vector<Layer> layers;

  friend bool operator==(const Network&, const Network&) = default;
};

/// check_layer_size of every layer, and the network's MAC and weight totals fit in
/// 64 bits.
Expected<void> check_network_size(const Network& network);

/// Sum of macs() over the layers; exact for a network that passed check_network_size.
std::int64_t total_macs(const Network& network) noexcept;
/// Every dimension some layer has, in kAllDims order (what a network-wide dataflow may name).
std::vector<Dim> network_dims(const Network& network);

/// Sum of weight_count() over the layers.
std::int64_t total_weights(const Network& network) noexcept;
/// The layer with this name, or nullptr.
const Layer* find_layer(const Network& network, std::string_view name) noexcept;
/// Sets N on every layer (the batch size of a run) and checks the sizes again
/// (check_network_size): a batch of 2^62 is an error, never a wrapped count.
Expected<void> set_batch(Network& network, std::int64_t batch);

}  // namespace dnnspace
