// The multi-node study by hand on a GPU node with round numbers, and an ASIC node against
// search_network.
#include <gtest/gtest.h>

#include "dnnspace/search/network_search.hpp"
#include "dnnspace/search/scale.hpp"
#include "dnnspace/arch/presets.hpp"

namespace dnnspace {
namespace {

Layer fc(const std::string& name, std::int64_t batch, std::int64_t in, std::int64_t out) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::FullyConnected;
  l.bounds[Dim::N] = batch;
  l.bounds[Dim::C] = in;
  l.bounds[Dim::K] = out;
  return l;
}

// One SM of 1,000 fp32 MACs per cycle at 1 GHz (1e12 MAC/s, efficiency 1), DRAM 1,000
// GB/s, no L2 roof, 100 W, 100 mm2; links 1 GB/s, no latency, a ring.
ScaleNode round_gpu() {
  ScaleNode node;
  node.kind = ScaleNode::Kind::Gpu;
  node.gpu.name = "round";
  node.gpu.sms = 1;
  node.gpu.clock_mhz = 1000.0;
  node.gpu.macs_per_sm_per_cycle = {1000, 1000, 1000};
  node.gpu.shared_memory_bytes_per_sm = 1 << 20;
  node.gpu.dram_bandwidth_gbps = 1000.0;
  node.gpu.power_w = 100.0;
  node.gpu.die_area_mm2 = 100.0;
  node.gpu.efficiency = 1.0;
  return node;
}

ScaleOptions options(Parallelism p, bool training) {
  ScaleOptions o;
  o.parallelism = p;
  o.training = training;
  o.links = Links{1.0, 0.0, Topology::Ring, 0.0};
  return o;
}

const Network kNet{"two-fc", {fc("fc1", 8, 1000, 1000), fc("fc2", 8, 1000, 10)}};

// One node: fc1 8e6 MACs = 8 us (its 4.064 MB of fp32 tensors take 4.064 us); fc2 8e4 MACs
// = 80 ns (72,320 B: 72.3 ns): 8.08 us. Four nodes by data, 2 samples each: fc1 2e6 MACs
// = 2 us but 4.016 MB = 4.016 us, DRAM-bound; fc2 20 ns, 48,080 B = 48.08 ns: 4.06408 us.
TEST(Scale, DataParallelInferenceByHand) {
  const Expected<ScaleStudy> s = scale_network(kNet, round_gpu(), {1, 4}, options(Parallelism::Data, false));
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->points.size(), 2u);
  EXPECT_NEAR(s->one_node.step_s, 8.08e-6, 1e-15);
  const ScalePoint& p = s->points[1];
  EXPECT_NEAR(p.compute_s, 4.06408e-6, 1e-15);
  EXPECT_EQ(p.communication_s, 0.0);  // inference by data: nothing to exchange
  EXPECT_NEAR(s->speedup(p), 8.08 / 4.06408, 1e-9);
  EXPECT_NEAR(p.node_energy_j, 4 * 100.0 * p.step_s, 1e-15);
  EXPECT_DOUBLE_EQ(p.area_mm2, 400.0);
  EXPECT_DOUBLE_EQ(p.ops, 2.0 * (8e6 + 8e4));
  EXPECT_EQ(p.busy_nodes, 4);
}

// Training by data adds the ring all-reduce of the 1,010,000 fp32 gradients (4.04 MB): 2 x
// 3 steps of 1.01 MB at 1 GB/s = 6.06 ms.
TEST(Scale, DataParallelTrainingAllReducesTheGradients) {
  const Expected<ScaleStudy> s = scale_network(kNet, round_gpu(), {4}, options(Parallelism::Data, true));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_NEAR(s->points[0].communication_s, 6.06e-3, 1e-12);
  EXPECT_DOUBLE_EQ(s->points[0].link_bytes, 2 * 4 * 3 * 1.01e6);
}

// Two nodes by model: fc1's 1,000 outputs split 500 each: 4e6 MACs = 4 us (2.048 MB = 2.048
// us); fc2's 10 as 5: 4e4 MACs = 40 ns, but 52,160 B = 52.16 ns. Each output then
// all-gathered: 32,000 B (16 us on the ring of 2) and 320 B (160 ns).
TEST(Scale, ModelParallelGathersEveryOutput) {
  const Expected<ScaleStudy> s = scale_network(kNet, round_gpu(), {2}, options(Parallelism::Model, false));
  ASSERT_TRUE(s) << s.error().message;
  const ScalePoint& p = s->points[0];
  EXPECT_NEAR(p.compute_s, 4e-6 + 52.16e-9, 1e-15);
  EXPECT_NEAR(p.communication_s, 16e-6 + 160e-9, 1e-15);
  EXPECT_NEAR(p.step_s, p.compute_s + p.communication_s, 1e-18);
  ScaleOptions overlapped = options(Parallelism::Model, false);
  overlapped.overlap = true;
  EXPECT_NEAR(scale_network(kNet, round_gpu(), {2}, overlapped)->points[0].step_s, 16.16e-6, 1e-15);
}

TEST(Scale, RefusesWhatCannotBeSplit) {
  const Expected<ScaleStudy> data = scale_network(kNet, round_gpu(), {16}, options(Parallelism::Data, false));
  ASSERT_FALSE(data);
  EXPECT_NE(data.error().message.find("batch of 8"), std::string::npos);
  EXPECT_FALSE(scale_network(kNet, round_gpu(), {0}, options(Parallelism::Data, false)));
}

// An ASIC node on one node is exactly search_network: its cycles at the clock, its energy.
TEST(Scale, OneAsicNodeIsTheNetworkSearch) {
  ScaleNode node;
  node.arch = *arch_preset("eyeriss");
  ScaleOptions o = options(Parallelism::Data, false);
  o.mapper.threads = 1;
  const Network net{"small", {fc("fc1", 4, 64, 32), fc("fc2", 4, 32, 8)}};
  const Expected<ScaleStudy> s = scale_network(net, node, {1}, o);
  ASSERT_TRUE(s) << s.error().message;
  const NetworkSearch search = search_network(net, node.arch, o.mapper);
  EXPECT_NEAR(s->points[0].step_s, static_cast<double>(search.total.cycles) / (node.arch.clock_mhz * 1e6), 1e-15);
  EXPECT_NEAR(s->points[0].node_energy_j, search.total.energy_pj * 1e-12, 1e-15);
}

}  // namespace
}  // namespace dnnspace
