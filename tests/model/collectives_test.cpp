// Collectives by hand on each topology.
#include <gtest/gtest.h>

#include "dnnspace/model/collectives.hpp"

namespace dnnspace {
namespace {

Links links(Topology t, double latency_us) { return Links{1.0, latency_us, t, 2.0}; }  // 1 GB/s, 2 pJ/bit

// A ring of 4 gathering 4 MB: 3 steps of a 1 MB piece at 1 GB/s plus 1 us each; every
// node sends 3 pieces: 12 MB over the links, x 8 bits x 2 pJ.
TEST(Collectives, RingByHand) {
  const CollectiveCost c = all_gather(links(Topology::Ring, 1.0), 4, 4e6);
  EXPECT_NEAR(c.time_s, 3 * (1e-3 + 1e-6), 1e-15);
  EXPECT_DOUBLE_EQ(c.link_bytes, 12e6);
  EXPECT_NEAR(c.energy_j, 12e6 * 8 * 2e-12, 1e-15);
  const CollectiveCost r = all_reduce(links(Topology::Ring, 1.0), 4, 4e6);
  EXPECT_NEAR(r.time_s, 2 * c.time_s, 1e-15);
  EXPECT_DOUBLE_EQ(r.link_bytes, 24e6);
  EXPECT_DOUBLE_EQ(reduce_scatter(links(Topology::Ring, 1.0), 4, 4e6).time_s, c.time_s);
}

// 6 nodes as 2 rows x 3 columns gathering 6 MB: along the rows 2 steps of 1 MB (2 ms),
// then along the columns 1 step of a row's 3 MB (3 ms): 5 ms. The rows move 2 x 3 x 2 x
// 1 MB = 12 MB, the columns 3 x 2 x 1 x 3 MB = 18 MB: 30 MB = (n - 1) x S, as a ring.
TEST(Collectives, MeshRowsThenColumns) {
  EXPECT_EQ(mesh_rows(6), 2);
  EXPECT_EQ(mesh_rows(16), 4);
  EXPECT_EQ(mesh_rows(12), 3);
  EXPECT_EQ(mesh_rows(7), 1);  // a prime: one row, a ring
  const CollectiveCost c = all_gather(links(Topology::Mesh2d, 0.0), 6, 6e6);
  EXPECT_NEAR(c.time_s, 5e-3, 1e-15);
  EXPECT_DOUBLE_EQ(c.link_bytes, 30e6);
}

// 8 nodes, 8 MB: a fat tree moves the ring's 7/8 x 8 MB per node in 7 ms with 3 latencies,
// each byte over two links (through a switch); all-to-all sends its 1 MB to the 7 others at
// once: 1 ms and 1 latency.
TEST(Collectives, FatTreeAndAllToAll) {
  const CollectiveCost f = all_gather(links(Topology::FatTree, 1.0), 8, 8e6);
  EXPECT_NEAR(f.time_s, 7e-3 + 3e-6, 1e-15);
  EXPECT_DOUBLE_EQ(f.link_bytes, 112e6);
  const CollectiveCost a = all_gather(links(Topology::AllToAll, 1.0), 8, 8e6);
  EXPECT_NEAR(a.time_s, 1e-3 + 1e-6, 1e-15);
  EXPECT_DOUBLE_EQ(a.link_bytes, 56e6);
}

TEST(Collectives, OneNodeMovesNothing) {
  for (Topology t : {Topology::Ring, Topology::Mesh2d, Topology::FatTree, Topology::AllToAll}) {
    const CollectiveCost c = all_reduce(links(t, 1.0), 1, 1e9);
    EXPECT_EQ(c.time_s, 0.0);
    EXPECT_EQ(c.link_bytes, 0.0);
  }
  EXPECT_FALSE(parse_topology("torus"));
  EXPECT_EQ(*parse_topology("fat-tree"), Topology::FatTree);
}

}  // namespace
}  // namespace dnnspace
