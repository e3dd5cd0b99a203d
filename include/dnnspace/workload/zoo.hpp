// The built-in model zoo: published networks as ordered lists of their CONV/FC/GEMM layers.
//
// Only the layers an accelerator's MAC array runs are listed; pooling, normalization,
// activations, element-wise additions and softmax are not layers here. Every shape and
// the published totals it is checked against are documented in docs/zoo.md.
//
// Recurrent networks are one time step of the cell, for the whole batch:
//  - an LSTM layer (LayerKind::Lstm) is ONE GEMM with the four gates fused:
//    K = 4 * hidden (input, forget, cell and output gates), C = input + hidden
//    (the input vector concatenated with the previous hidden state), N = batch;
//  - a Recurrent Highway Network micro-layer (LayerKind::Matmul) fuses its two gates
//    (the transform H and the transform gate T; the carry gate is 1 - T), K = 2 * hidden.
// A sequence of T steps is T evaluations of the same layers.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/workload/layer.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace {

/// Names of the built-in networks in the order `zoo list` prints them: lenet5, alexnet,
/// vgg16, googlenet, mobilenet, resnet50, mlp-m, mlp-l, lstm-m, lstm-l, rhn,
/// mlp-784-100-100-10, mlp-784-256-256-256-10.
std::vector<std::string_view> zoo_names();

/// A one-line description of a built-in network (model, source paper, shape notes),
/// or an empty view when `name` is not a zoo name.
std::string_view zoo_description(std::string_view name) noexcept;

/// Builds the named network with every layer's N (batch) set to `batch`.
/// Fails, naming the allowed networks, for an unknown name; fails for batch < 1.
[[nodiscard]] Expected<Network> zoo_network(std::string_view name, std::int64_t batch = 1);

/// A chain of fully connected layers fc1..fcN over `widths` (inputs first, at least two),
/// batch 1: the zoo's MLPs, and any other (Minerva's training space).
Network mlp_network(std::string name, std::span<const std::int64_t> widths);

/// Looks up one layer by "network/layer", e.g. "alexnet/conv3" or
/// "googlenet/inception3a/3x3_reduce" (the network is the part before the first '/'),
/// with N set to `batch`. Fails for a spec without '/', an unknown network (listing the
/// networks) or an unknown layer (listing that network's layers), and for batch < 1.
[[nodiscard]] Expected<Layer> zoo_layer(std::string_view spec, std::int64_t batch = 1);

}  // namespace dnnspace
