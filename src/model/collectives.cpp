#include "dnnspace/model/collectives.hpp"

#include <cmath>
#include <string>

namespace dnnspace {

std::string_view topology_name(Topology t) noexcept {
  switch (t) {
    case Topology::Ring: return "ring";
    case Topology::Mesh2d: return "mesh";
    case Topology::FatTree: return "fat-tree";
    case Topology::AllToAll: return "all-to-all";
  }
  return "?";
}

Expected<Topology> parse_topology(std::string_view name) {
  for (Topology t : {Topology::Ring, Topology::Mesh2d, Topology::FatTree, Topology::AllToAll}) {
    if (name == topology_name(t)) return t;
  }
  return Error{"unknown topology '" + std::string(name) + "' (allowed: ring, mesh, fat-tree, all-to-all)"};
}

std::int64_t mesh_rows(std::int64_t nodes) noexcept {
  std::int64_t rows = 1;
  for (std::int64_t r = 1; r * r <= nodes; ++r) {
    if (nodes % r == 0) rows = r;
  }
  return rows;
}

CollectiveCost all_gather(const Links& links, std::int64_t nodes, double total_bytes) noexcept {
  CollectiveCost c;
  if (nodes <= 1) return c;
  const double n = static_cast<double>(nodes), bw = links.bandwidth_gbps * 1e9, alpha = links.latency_us * 1e-6;
  const double piece = total_bytes / n;
  // A ring of k nodes passing pieces of p bytes: k - 1 steps; every node sends one piece
  // per step, so k (k - 1) p bytes cross the links.
  const auto ring = [&](double k, double p, double rings) {
    c.time_s += (k - 1.0) * (p / bw + alpha);
    c.link_bytes += rings * k * (k - 1.0) * p;
  };
  switch (links.topology) {
    case Topology::Ring: ring(n, piece, 1.0); break;
    case Topology::Mesh2d: {
      const double r = static_cast<double>(mesh_rows(nodes)), cols = n / r;
      ring(cols, piece, r);          // along each row: a row gathers its c pieces
      ring(r, total_bytes / r, cols);  // along each column: the rows' gathers
      break;
    }
    case Topology::FatTree:
      // Recursive doubling over a full-bisection network: the ring's volume and log2
      // latencies; every message crosses at least two links (up to a switch and down).
      c.time_s = (n - 1.0) * piece / bw + std::ceil(std::log2(n)) * alpha;
      c.link_bytes = 2.0 * n * (n - 1.0) * piece;
      break;
    case Topology::AllToAll:
      c.time_s = piece / bw + alpha;  // to every other node at once, one link each
      c.link_bytes = n * (n - 1.0) * piece;
      break;
  }
  c.energy_j = c.link_bytes * 8.0 * links.energy_pj_per_bit * 1e-12;
  return c;
}

CollectiveCost reduce_scatter(const Links& links, std::int64_t nodes, double total_bytes) noexcept {
  return all_gather(links, nodes, total_bytes);
}

CollectiveCost all_reduce(const Links& links, std::int64_t nodes, double total_bytes) noexcept {
  CollectiveCost a = reduce_scatter(links, nodes, total_bytes);
  const CollectiveCost b = all_gather(links, nodes, total_bytes);
  a.time_s += b.time_s;
  a.link_bytes += b.link_bytes;
  a.energy_j += b.energy_j;
  return a;
}

}  // namespace dnnspace
