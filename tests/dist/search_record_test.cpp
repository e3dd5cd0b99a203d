// A search written as a record and read back is the same search: the mapping, the storage
// choice, the flags and counters, and a cost the model recomputes bit for bit.
#include <gtest/gtest.h>

#include <bit>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/dist/search_record.hpp"
#include "dnnspace/search/search_options.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace::dist {
namespace {

void expect_same_cost(const CostResult& a, const CostResult& b) {
  EXPECT_EQ(std::bit_cast<std::uint64_t>(a.energy_pj), std::bit_cast<std::uint64_t>(b.energy_pj));
  EXPECT_EQ(a.cycles, b.cycles);
  EXPECT_EQ(a.macs, b.macs);
  EXPECT_EQ(a.offchip_bytes, b.offchip_bytes);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(a.utilization), std::bit_cast<std::uint64_t>(b.utilization));
}

TEST(SearchRecord, RoundTripsTheMappersResultWithBypassAndBufferingSearched) {
  Architecture arch = *arch_preset("eyeriss");
  ASSERT_TRUE(apply_storage_search(arch, "search", "search"));
  const Network net = *zoo_network("alexnet", 1);
  MapperOptions options;
  options.threads = 1;
  for (const Layer& layer : {net.layers[4], net.layers[6]}) {  // CONV5 and FC7
    const MapperResult found = find_best_mapping(layer, arch, options);
    ASSERT_TRUE(found.found) << layer.name;
    const nlohmann::json record = nlohmann::json::parse(mapper_result_record(found, arch).dump());
    Expected<MapperResult> back = mapper_result_from_record(record, layer, arch, "test");
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->mapping, found.mapping);
    EXPECT_EQ(back->storage, found.storage);
    EXPECT_EQ(back->evaluated, found.evaluated);
    EXPECT_EQ(back->storage_choices_searched, found.storage_choices_searched);
    EXPECT_EQ(back->replicated, found.replicated);
    EXPECT_TRUE(back->proven_optimal());
    expect_same_cost(back->cost, found.cost);
  }
}

TEST(SearchRecord, RefusesARecordOfAnotherLayerOrArchitecture) {
  const Architecture arch = *arch_preset("eyeriss");
  const Network net = *zoo_network("alexnet", 1);
  MapperOptions options;
  options.threads = 1;
  const MapperResult found = find_best_mapping(net.layers[1], arch, options);
  const nlohmann::json record = mapper_result_record(found, arch);
  // CONV3 is not CONV2: the loops do not cover its dimensions.
  Expected<MapperResult> other = mapper_result_from_record(record, net.layers[2], arch, "ck.jsonl:4");
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("ck.jsonl:4: the recorded mapping does not fit layer 'conv3'"), std::string::npos)
      << other.error().message;
  const Architecture flat = *arch_preset("tpu-like");
  Expected<MapperResult> elsewhere = mapper_result_from_record(record, net.layers[1], flat, "ck.jsonl:4");
  ASSERT_FALSE(elsewhere);
  nlohmann::json broken = record;
  broken["mapping"][0]["temporal"][0][1] = 0;
  Expected<MapperResult> zero = mapper_result_from_record(broken, net.layers[1], arch, "ck.jsonl:4");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("factor below 1"), std::string::npos) << zero.error().message;
}

TEST(SearchRecord, RebuildsADesignPointExactly) {
  const Architecture arch = *arch_preset("eyeriss");
  const Network net = *zoo_network("lenet5", 4);
  MapperOptions options;
  options.threads = 1;
  options.min_utilization = 0.0;  // LeNet's small layers cannot fill the array
  const DesignPoint point = evaluate_design(net, arch, options, "rf=64B");
  ASSERT_TRUE(point.complete);
  const nlohmann::json record = nlohmann::json::parse(design_point_record(7, point).dump());
  EXPECT_EQ(*design_point_index(record, "r"), 7u);
  Expected<DesignPoint> back = design_point_from_record(record, net, arch, "rf=64B", options, "r");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(std::bit_cast<std::uint64_t>(back->energy_pj), std::bit_cast<std::uint64_t>(point.energy_pj));
  EXPECT_EQ(back->cycles, point.cycles);
  EXPECT_EQ(back->level_energy_pj, point.level_energy_pj);
  EXPECT_EQ(back->layers_mapped, point.layers_mapped);
  EXPECT_TRUE(back->complete);
  for (std::size_t i = 0; i < point.layers.size(); ++i) {
    EXPECT_EQ(back->layers[i].mapping, point.layers[i].mapping);
    expect_same_cost(back->layers[i].cost, point.layers[i].cost);
  }
  Expected<DesignPoint> relabelled = design_point_from_record(record, net, arch, "rf=32B", options, "ck:3");
  ASSERT_FALSE(relabelled);
  EXPECT_EQ(relabelled.error().message,
            "ck:3: the record is of design 'rf=64B', this run's is 'rf=32B' (was the checkpoint written by another run?)");
}

}  // namespace
}  // namespace dnnspace::dist
