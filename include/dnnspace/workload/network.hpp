// A network: an ordered list of layers, with totals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// An operator of an imported graph that does no multiply-accumulate (pooling,
/// element-wise, normalization, softmax, reshape, concat, ...): listed with its traffic,
/// not mapped onto the array.
struct OtherOperator {
  std::string name;
  std::string op_type;               ///< as the graph names it (ONNX: "MaxPool", "Relu", ...)
  std::int64_t input_elements = 0;   ///< elements it reads, over all its inputs
  std::int64_t output_elements = 0;  ///< elements it writes
  friend bool operator==(const OtherOperator&, const OtherOperator&) = default;
};

/// An ordered list of layers (the CONV/FC/GEMM layers the accelerator runs).
struct Network {
  std::string name;
  std::vector<Layer> layers;
  /// An imported graph's operators that are not layers, in graph order (empty for the zoo
  /// and YAML networks, which list MAC layers only).
  std::vector<OtherOperator> others = {};
  /// Bias elements of the layers (an imported graph's; weight_count excludes biases).
  std::int64_t biases = 0;
  /// Per boundary between layers i and i + 1, when known: layer i + 1 is the only reader
  /// of what layer i writes (directly, or through element-wise and pooling operators),
  /// so the tensor could stay on chip between them. Empty when the network does not say
  /// (a YAML network; a zoo network with branches or residual additions): then no
  /// boundary may keep its tensor.
  std::vector<bool> sole_reader = {};

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
/// Whether `consumer` reads what `producer` writes, so that the tensor between them could
/// stay on chip: both are forward convolutions, fully connected layers or GEMMs of one
/// batch (not workloads given as data, not LSTMs, not attention's two-activation matmuls), and the
/// consumer's unpadded input is the producer's output, or a pooled part of it (as many
/// channels, no more rows or columns), flattened or not.
bool feeds(const Layer& producer, const Layer& consumer) noexcept;

/// Sets N on every layer (the batch size of a run) and checks the sizes again
/// (check_network_size): a batch of 2^62 is an error, never a wrapped count.
Expected<void> set_batch(Network& network, std::int64_t batch);

}  // namespace dnnspace
