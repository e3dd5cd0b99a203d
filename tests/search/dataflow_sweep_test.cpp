// The dataflow space of 004 Sec. III-C (counted and enumerated independently by brute
// force) and the dataflow sweep (its best equals the mapper's free search).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/search/dataflow_sweep.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

std::set<std::string> names(const std::vector<Dataflow>& dataflows) {
  std::set<std::string> out;
  for (const Dataflow& df : dataflows) out.insert(dataflow_name(df));
  return out;
}

// Brute force: give every present dimension a slot (unused, or position 0..r-1 on the
// rows or the columns); keep the assignments whose positions on each axis are 0..k-1
// with no gap or repeat and both axes used; fold U|V and V|U by putting the axis whose
// first dimension comes first in N K C P Q R S G order on the rows.
std::set<std::string> brute_force_space(const Layer& layer, int r) {
  std::vector<Dim> dims;
  for (Dim d : conv_dims()) if (layer.bounds[d] > 1) dims.push_back(d);
  const int slots = 2 * r + 1;
  std::vector<int> slot(dims.size(), 0);
  std::set<std::string> out;
  while (true) {
    std::vector<int> row_pos(static_cast<std::size_t>(r), -1), col_pos(static_cast<std::size_t>(r), -1);
    bool ok = true;
    for (std::size_t i = 0; i < dims.size() && ok; ++i) {
      if (slot[i] == 0) continue;
      auto& axis = slot[i] <= r ? row_pos : col_pos;
      const std::size_t pos = static_cast<std::size_t>(slot[i] <= r ? slot[i] - 1 : slot[i] - 1 - r);
      if (axis[pos] >= 0) ok = false;
      axis[pos] = static_cast<int>(i);
    }
    const auto contiguous = [](const std::vector<int>& axis) {
      std::size_t used = 0;
      while (used < axis.size() && axis[used] >= 0) ++used;
      for (std::size_t k = used; k < axis.size(); ++k) if (axis[k] >= 0) return std::size_t{0};
      return used;
    };
    const std::size_t nr = contiguous(row_pos), nc = contiguous(col_pos);
    if (ok && nr > 0 && nc > 0) {
      std::string u, v;
      for (std::size_t k = 0; k < nr; ++k) u += dim_letter(dims[static_cast<std::size_t>(row_pos[k])]);
      for (std::size_t k = 0; k < nc; ++k) v += dim_letter(dims[static_cast<std::size_t>(col_pos[k])]);
      if (row_pos[0] > col_pos[0]) std::swap(u, v);  // dims are in N K C P Q R S G order
      out.insert(u + "|" + v);
    }
    std::size_t i = 0;
    while (i < slot.size() && ++slot[i] == slots) slot[i++] = 0;
    if (i == slot.size()) break;
  }
  return out;
}

TEST(DataflowSpace, FullConvLayerHas21TwoLoopDataflowsAsIn004) {
  // AlexNet CONV3 at batch 16: all seven dimensions N K C P Q R S exceed 1, G = 1.
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  const auto space = dataflow_space(layer, 1);
  ASSERT_TRUE(space);
  EXPECT_EQ(space->size(), 21u);  // 004 Sec. III-C: C(7, 2)
  EXPECT_EQ(*space, two_loop_dataflows(layer));
  // Every unordered pair of distinct dimensions, each once.
  std::set<std::string> pairs;
  const std::string letters = "NKCPQRS";
  for (std::size_t i = 0; i < letters.size(); ++i) {
    for (std::size_t j = i + 1; j < letters.size(); ++j) pairs.insert(std::string(1, letters[i]) + "|" + letters[j]);
  }
  EXPECT_EQ(names(*space), pairs);
  EXPECT_EQ(names(*space), brute_force_space(layer, 1));
}

TEST(DataflowSpace, ReplicationCountsMatchBruteForceAndTheFormula) {
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  // (1/2) sum_{a,b} 7!/(7-a)! (7-a)!/(7-a-b)!: 651 with two loops per axis, 6531 with three.
  for (auto [r, expected] : {std::pair{2, 651u}, std::pair{3, 6531u}}) {
    const auto space = dataflow_space(layer, r);
    ASSERT_TRUE(space);
    EXPECT_EQ(space->size(), expected) << r;
    const std::set<std::string> unique = names(*space);
    EXPECT_EQ(unique.size(), space->size()) << "duplicates with r = " << r;
    EXPECT_EQ(unique, brute_force_space(layer, r)) << r;
    // The two-loop dataflows come first within their group: the list starts N|K, NK|...
    EXPECT_EQ(dataflow_name(space->front()), "N|K");
  }
}

TEST(DataflowSpace, FcLayerAndBadCounts) {
  // An FC layer at batch 1 has only K and C: one dataflow; at batch 4, C(3, 2) = 3.
  EXPECT_EQ(names(*dataflow_space(*zoo_layer("alexnet/fc7", 1), 1)), (std::set<std::string>{"K|C"}));
  EXPECT_EQ(dataflow_space(*zoo_layer("alexnet/fc7", 4), 1)->size(), 3u);
  EXPECT_FALSE(dataflow_space(*zoo_layer("alexnet/fc7", 1), 0));
  EXPECT_FALSE(dataflow_space(*zoo_layer("alexnet/fc7", 1), 4));
}

// A small CONV layer with six dimensions (15 two-loop dataflows) that searches fast.
Layer small_conv() {
  Layer layer;
  layer.name = "small";
  layer.bounds[Dim::K] = 8;
  layer.bounds[Dim::C] = 4;
  layer.bounds[Dim::P] = 4;
  layer.bounds[Dim::Q] = 4;
  layer.bounds[Dim::R] = 2;
  layer.bounds[Dim::S] = 2;
  return layer;
}

TEST(DataflowSweep, BestDataflowEqualsTheFreeSearch) {
  // With up to r loops per array axis (r = 1: the 15 two-loop dataflows of this layer;
  // r = 2 adds replication), the free search equals the best of the sweep over the space.
  const Layer layer = small_conv();
  Architecture arch = *arch_preset("eyeriss");
  arch.array.rows = 4;  // small, so that the search takes milliseconds
  arch.array.cols = 4;
  for (int r : {1, 2}) {
    MapperOptions options;
    options.min_utilization = 0.5;
    options.threads = 1;
    const auto space = dataflow_space(layer, r);
    ASSERT_TRUE(space);
    const auto points = sweep_dataflows(layer, arch, *space, options);
    ASSERT_TRUE(points) << points.error().message;
    if (r == 1) {
      ASSERT_EQ(points->size(), 15u);
    }
    MapperOptions free_search = options;
    free_search.max_loops_per_axis = r;
    const MapperResult free = find_best_mapping(layer, arch, free_search);
    ASSERT_TRUE(free.found);
    double best = std::numeric_limits<double>::infinity();
    Dataflow best_dataflow;
    int mapped = 0;
    for (const DataflowPoint& p : *points) {
      if (!p.result.found) continue;
      ++mapped;
      EXPECT_EQ(dataflow_of(p.result.mapping, arch), p.dataflow);
      if (p.result.objective_value < best) {
        best = p.result.objective_value;
        best_dataflow = p.dataflow;
      }
    }
    EXPECT_GE(mapped, 5) << r;  // a comparison among several dataflows
    EXPECT_DOUBLE_EQ(best, free.objective_value) << r;
    EXPECT_EQ(dataflow_of(free.mapping, arch), best_dataflow) << r;
  }
}

TEST(DataflowSweep, ReplicatedDataflowsKeepTheirLoops) {
  const Layer layer = small_conv();
  Architecture arch = *arch_preset("eyeriss");
  arch.array.rows = 4;
  arch.array.cols = 4;
  MapperOptions options;
  options.min_utilization = 0.5;
  options.threads = 1;
  const std::vector<Dataflow> dfs = {*parse_dataflow("CK|P"), *parse_dataflow("K|PQ")};
  const auto points = sweep_dataflows(layer, arch, dfs, options);
  ASSERT_TRUE(points) << points.error().message;
  for (const DataflowPoint& p : *points) {
    ASSERT_TRUE(p.result.found) << dataflow_name(p.dataflow);
    EXPECT_EQ(dataflow_name(dataflow_of(p.result.mapping, arch)), dataflow_name(p.dataflow));
  }
}

}  // namespace
}  // namespace dnnspace
