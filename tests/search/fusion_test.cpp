// Tensors kept on chip between layers (search_network_fused, docs/search.md "Keeping tensors
// on chip"): never worse than searching layer by layer, and the off-chip traffic of a kept
// tensor counted by hand.
#include <gtest/gtest.h>

#include <utility>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/model/residency.hpp"
#include "dnnspace/search/network_search.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

Layer fc(const char* name, std::int64_t n, std::int64_t c, std::int64_t k) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::FullyConnected;
  l.bounds[Dim::N] = n;
  l.bounds[Dim::C] = c;
  l.bounds[Dim::K] = k;
  return l;
}

// The C|K dataflow (with the replicated extension where a layer cannot fill the array), or
// the free search.
MapperOptions options_for(const char* dataflow) {
  MapperOptions o;
  o.min_utilization = 0.0;
  if (dataflow) {
    o.dataflows = {parse_dataflow(dataflow).value()};
    o.replicate_if_unmapped = true;
  }
  return o;
}

// The choice of every boundary includes keeping none: the fused network's summed objective
// is at most the layer-by-layer one, on several networks and architectures.
TEST(Fusion, NeverWorseThanLayerByLayer) {
  // (AlexNet on tpu-like's four levels at a utilization floor of 0 takes minutes: left out.)
  const std::pair<const char*, const char*> cases[] = {
      {"eyeriss", "lenet5"}, {"eyeriss", "alexnet"}, {"eyeriss", "mlp-m"}, {"tpu-like", "lenet5"}, {"tpu-like", "mlp-m"}};
  for (const auto& [arch_name, net] : cases) {
    const Architecture arch = arch_preset(arch_name).value();
    {
      const Network network = zoo_network(net, 1).value();
      const MapperOptions options = options_for("C|K");
      const NetworkSearch plain = search_network(network, arch, options);
      const NetworkSearch fused = search_network_fused(network, arch, options);
      ASSERT_EQ(fused.layers.size(), plain.layers.size()) << net;
      EXPECT_LE(fused.total.energy_pj, plain.total.energy_pj * (1 + 1e-12)) << arch_name << " " << net;
      EXPECT_EQ(fused.total.macs, plain.total.macs);
      ASSERT_EQ(fused.boundaries.size(), network.layers.size() - 1);
      // The two sides of a kept boundary agree: its producer writes nothing of its output to
      // DRAM and its consumer reads nothing of its input from there; a boundary not kept
      // moves its tensor through DRAM on both sides.
      for (std::size_t i = 0; i < fused.boundaries.size(); ++i) {
        const CostResult& producer = fused.layers[i].result.cost;
        const CostResult& consumer = fused.layers[i + 1].result.cost;
        const bool resident = fused.boundaries[i].resident;
        EXPECT_EQ(producer.levels[0].accesses[TensorId::Outputs].writes == 0, resident) << net << " boundary " << i;
        EXPECT_EQ(consumer.levels[0].accesses[TensorId::Inputs].reads == 0, resident) << net << " boundary " << i;
      }
    }
  }
}

// Two small fully connected layers on eyeriss: everything fits the global buffer, so each
// tensor crosses DRAM once. Kept on chip, the 4 x 32 words between them are neither written
// to DRAM by the first (256 B at 16 bits) nor read back by the second (256 B).
TEST(Fusion, TheTensorBetweenTwoLayersNoLongerCrossesDram) {
  const Architecture arch = arch_preset("eyeriss").value();
  Network network{"two", {fc("fc1", 4, 64, 32), fc("fc2", 4, 32, 16)}};
  network.sole_reader = {true};
  const MapperOptions options = options_for(nullptr);
  const NetworkSearch plain = search_network(network, arch, options);
  const NetworkSearch fused = search_network_fused(network, arch, options);
  ASSERT_EQ(fused.boundaries.size(), 1u);
  const LayerBoundary& b = fused.boundaries[0];
  EXPECT_TRUE(b.connected);
  EXPECT_TRUE(b.fits);
  EXPECT_TRUE(b.resident);
  EXPECT_EQ(b.tensor_bytes, 4 * 32 * 2);
  EXPECT_EQ(b.dram_bytes_saved, 2 * 4 * 32 * 2);
  EXPECT_EQ(plain.total.offchip_bytes - fused.total.offchip_bytes, b.dram_bytes_saved);
  EXPECT_LT(fused.total.energy_pj, plain.total.energy_pj);
  // The producer writes its outputs into the level, the consumer reads them from it: the
  // outermost level moves none of them.
  EXPECT_EQ(fused.layers[0].result.cost.levels[0].accesses[TensorId::Outputs].writes, 0);
  EXPECT_EQ(fused.layers[1].result.cost.levels[0].accesses[TensorId::Inputs].reads, 0);
}

// Only a boundary whose consumer is the sole reader of its producer's output may keep it:
// ResNet's blocks add a shortcut to their output (read again after the next layer), so the
// zoo's ResNet-50, a list without its edges, keeps nothing; the ONNX ResNet-18 knows its
// graph, and only the boundary inside each of its 8 basic blocks (conv1 -> BN -> ReLU ->
// conv2) has a sole reader.
TEST(Fusion, OnlyASoleReaderLetsATensorStay) {
  const Network resnet50 = zoo_network("resnet50", 1).value();
  EXPECT_TRUE(resnet50.sole_reader.empty());
  EXPECT_EQ(zoo_network("alexnet", 1).value().sole_reader, std::vector<bool>(7, true));
  Network two{"two", {fc("fc1", 4, 64, 32), fc("fc2", 4, 32, 16)}};  // says nothing
  const NetworkSearch unknown = search_network_fused(two, arch_preset("eyeriss").value(), options_for(nullptr));
  ASSERT_EQ(unknown.boundaries.size(), 1u);
  EXPECT_FALSE(unknown.boundaries[0].connected);
}

TEST(Fusion, ConnectedLayersAreThoseThatFeedEachOther) {
  const Network alexnet = zoo_network("alexnet", 1).value();
  EXPECT_TRUE(feeds(alexnet.layers[0], alexnet.layers[1]));   // conv1 -> pool -> conv2
  EXPECT_TRUE(feeds(alexnet.layers[4], alexnet.layers[5]));   // conv5 -> pool -> flatten -> fc6
  EXPECT_FALSE(feeds(alexnet.layers[1], alexnet.layers[0]));  // 256 channels into 3
  EXPECT_FALSE(feeds(fc("a", 4, 8, 16), fc("b", 2, 16, 4)));  // another batch
  EXPECT_EQ(residency_level(arch_preset("eyeriss").value()), 1);
}

}  // namespace
}  // namespace dnnspace
