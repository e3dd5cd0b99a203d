// search_network: per-layer results, reuse of identical layers, totals over the mapped
// layers only, and 003 Table V metrics with layers of different batch sizes, each checked
// against independent per-layer mapper runs and evaluations.
#include <gtest/gtest.h>

#include <string>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/model/simulator.hpp"
#include "dnnspace/search/network_search.hpp"
#include "support/small_network.hpp"

namespace dnnspace {
namespace {

using testing::small_conv;
using testing::small_fc;

Architecture small_arch() { return testing::eyeriss_4x4(); }

MapperOptions options() {
  MapperOptions o = testing::single_thread_options();
  o.dataflows = {*parse_dataflow("C|K")};
  return o;
}

TEST(NetworkSearch, IdenticalLayersAreSearchedOnceAndTotalsAreTheLayersSums) {
  const Network net{"net", {small_conv("a", 2), small_fc("b", 2), small_conv("c", 2)}};
  const Architecture arch = small_arch();
  const NetworkSearch s = search_network(net, arch, options());
  ASSERT_EQ(s.layers.size(), 3u);
  ASSERT_TRUE(s.complete());
  EXPECT_TRUE(s.unmapped.empty());
  EXPECT_EQ(s.layers[2].same_search_as, "a");
  EXPECT_EQ(s.layers[2].result.evaluated, 0);
  EXPECT_EQ(s.layers[2].result.mapping, s.layers[0].result.mapping);
  double energy = 0.0;
  std::int64_t cycles = 0, offchip = 0, macs_sum = 0, evaluated = 0;
  for (const Layer& l : {small_conv("a", 2), small_fc("b", 2)}) {
    const MapperResult r = find_best_mapping(l, arch, options());
    ASSERT_TRUE(r.found);
    const int copies = l.name == "a" ? 2 : 1;  // "c" is "a" again
    energy += copies * r.cost.energy_pj;
    cycles += copies * r.cost.cycles;
    offchip += copies * r.cost.offchip_bytes;
    macs_sum += copies * r.cost.macs;
    evaluated += r.evaluated;
  }
  EXPECT_DOUBLE_EQ(s.total.energy_pj, energy);
  EXPECT_EQ(s.total.cycles, cycles);
  EXPECT_EQ(s.total.offchip_bytes, offchip);
  EXPECT_EQ(s.total.macs, macs_sum);
  EXPECT_EQ(s.total.mappings_evaluated, evaluated);
  EXPECT_EQ(s.total.layers_mapped, 3);
  // One batch of 2: two inferences per run.
  const double hz = arch.clock_mhz * 1e6;
  EXPECT_DOUBLE_EQ(s.metrics.latency_s, static_cast<double>(cycles) / hz);
  EXPECT_DOUBLE_EQ(s.metrics.throughput_inferences_per_s, 2.0 / (static_cast<double>(cycles) / hz));
  EXPECT_DOUBLE_EQ(s.metrics.offchip_bytes_per_inference, static_cast<double>(offchip) / 2.0);
  // 128 KB global buffer once, a 512 B register file in each of the 16 PEs.
  EXPECT_EQ(s.metrics.onchip_memory_bytes, 128 * 1024 + 16 * 512);
}

// Layers of different batch sizes: per inference, each layer's traffic and time count
// divided by its own N (a network total divided by one N would be wrong for both).
TEST(NetworkSearch, PerInferenceMetricsWithDifferentBatchSizes) {
  const Network net{"mixed", {small_conv("a", 2), small_fc("b", 8)}};
  const Architecture arch = small_arch();
  const NetworkSearch s = search_network(net, arch, options());
  ASSERT_TRUE(s.complete());
  const CostResult a = evaluate(prepare(net.layers[0], arch), s.layers[0].result.mapping);
  const CostResult b = evaluate(prepare(net.layers[1], arch), s.layers[1].result.mapping);
  const double hz = arch.clock_mhz * 1e6;
  const double cycles_per_inference = static_cast<double>(a.cycles) / 2.0 + static_cast<double>(b.cycles) / 8.0;
  EXPECT_DOUBLE_EQ(s.metrics.throughput_inferences_per_s, hz / cycles_per_inference);
  EXPECT_DOUBLE_EQ(s.metrics.offchip_bytes_per_inference,
                   static_cast<double>(a.offchip_bytes) / 2.0 + static_cast<double>(b.offchip_bytes) / 8.0);
}

// A layer without a mapping is named and left out of every sum; the result is not complete.
TEST(NetworkSearch, UnmappedLayersAreInNoSum) {
  Layer thin = small_conv("thin", 1);
  thin.bounds[Dim::C] = 1;  // C|K with C = 1 fills one row in four: 25% < the 50% floor
  thin.bounds[Dim::K] = 4;
  const Network net{"net", {small_conv("a", 1), thin}};
  const Architecture arch = small_arch();
  const NetworkSearch s = search_network(net, arch, options());
  EXPECT_FALSE(s.complete());
  ASSERT_EQ(s.unmapped.size(), 1u);
  EXPECT_EQ(s.unmapped[0], "thin");
  EXPECT_FALSE(s.layers[1].result.found);
  const MapperResult a = find_best_mapping(net.layers[0], arch, options());
  EXPECT_DOUBLE_EQ(s.total.energy_pj, a.cost.energy_pj);
  EXPECT_EQ(s.total.macs, a.cost.macs);
  EXPECT_EQ(s.total.layers_mapped, 1);
}

// Attention's batched matmuls (both operands differ per sample: G = heads x batch) are
// searched like any layer, and the mapper's mappings count exactly what the tile-walker
// counts.
TEST(NetworkSearch, AttentionMatmulsMatchTheSimulator) {
  Layer scores;  // per sample and head: 4 queries x 6 keys over a head dimension of 3
  scores.name = "scores";
  scores.kind = LayerKind::Matmul;
  scores.groups_per_sample = 2;
  scores.bounds[Dim::N] = 4;
  scores.bounds[Dim::C] = 3;
  scores.bounds[Dim::K] = 6;
  scores.bounds[Dim::G] = 2;
  Layer context = scores;  // 4 queries x 3 outputs over the 6 keys
  context.name = "context";
  context.bounds[Dim::C] = 6;
  context.bounds[Dim::K] = 3;
  Network net{"attention", {scores, context}};
  ASSERT_TRUE(set_batch(net, 2));
  EXPECT_EQ(net.layers[0].bounds[Dim::G], 4);  // 2 heads x 2 samples
  EXPECT_EQ(net.layers[0].bounds[Dim::N], 4);  // the queries, untouched by the batch
  EXPECT_EQ(total_weights(net), 0);            // attention has no parameters
  EXPECT_EQ(total_macs(net), 2 * (4 * 4 * 3 * 6));
  MapperOptions o;
  o.min_utilization = 0.0;
  o.threads = 1;
  const Architecture arch = small_arch();
  const NetworkSearch s = search_network(net, arch, o);
  ASSERT_TRUE(s.complete());
  EXPECT_DOUBLE_EQ(s.metrics.offchip_bytes_per_inference,
                   static_cast<double>(s.total.offchip_bytes) / 2.0);  // batch 2, from G
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const CostResult model = evaluate(prepare(net.layers[i], arch), s.layers[i].result.mapping);
    const SimulatedCounts sim = simulate(net.layers[i], arch, s.layers[i].result.mapping);
    for (int l = 0; l < model.num_levels; ++l) {
      for (TensorId t : kAllTensors) {
        EXPECT_EQ(model.levels[l].accesses[t], sim.accesses[l][t]) << net.layers[i].name << " L" << l;
      }
    }
    for (TensorId t : kAllTensors) EXPECT_EQ(model.array_transfers[t], sim.array_transfers[t]);
  }
}

}  // namespace
}  // namespace dnnspace
