// The time and link traffic of the collectives a multi-node run needs (all-gather,
// reduce-scatter, all-reduce) on a topology of links (docs/platforms.md, "Many nodes").
#pragma once

#include <cstdint>
#include <string_view>

#include "dnnspace/core/expected.hpp"

namespace dnnspace {

enum class Topology : std::uint8_t { Ring, Mesh2d, FatTree, AllToAll };

/// "ring", "mesh", "fat-tree", "all-to-all".
std::string_view topology_name(Topology t) noexcept;
[[nodiscard]] Expected<Topology> parse_topology(std::string_view name);

/// The links between nodes: each link's bandwidth per direction, its latency per message
/// and the energy of a bit crossing it.
struct Links {
  double bandwidth_gbps = 6.4;  ///< DaDianNao's HyperTransport 2.0 link, per direction
  double latency_us = 0.1;
  Topology topology = Topology::Ring;
  double energy_pj_per_bit = 0.0;
};

struct CollectiveCost {
  double time_s = 0.0;
  double link_bytes = 0.0;  ///< bytes summed over every link they cross
  double energy_j = 0.0;    ///< link_bytes x 8 x energy per bit
};

/// Every node holds 1/n of `total_bytes` and ends with all of it (docs/platforms.md gives
/// each topology's algorithm): ring (n-1 steps of 1/n), 2-D mesh (rows then columns, r x c
/// with r the largest divisor of n up to sqrt(n)), fat tree (full bisection, recursive
/// doubling: ceil(log2 n) latencies, each byte over two links), all-to-all (one step over
/// n-1 links at once).
/// Nothing for one node.
CollectiveCost all_gather(const Links& links, std::int64_t nodes, double total_bytes) noexcept;

/// Every node holds a full vector of `total_bytes` and ends with 1/n of their sum: the
/// same steps as all_gather.
CollectiveCost reduce_scatter(const Links& links, std::int64_t nodes, double total_bytes) noexcept;

/// Reduce-scatter then all-gather: every node ends with the full sum.
CollectiveCost all_reduce(const Links& links, std::int64_t nodes, double total_bytes) noexcept;

/// The 2-D mesh's rows: the largest divisor of n up to sqrt(n).
std::int64_t mesh_rows(std::int64_t nodes) noexcept;

}  // namespace dnnspace
