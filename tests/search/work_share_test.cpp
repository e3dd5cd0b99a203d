// A search split over processes (MapperOptions::share) finds what one process finds: the
// same mapping, cost and every counter, for 2 and 3 "processes" simulated by threads that
// reduce through shared memory, on AlexNet and VGG layers, with bypass and buffering
// searched, with replication, and over a whole network (search_network).
#include <gtest/gtest.h>

#include <barrier>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/search/network_search.hpp"
#include "dnnspace/search/search_options.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

// What the processes share: each writes its slot, all meet, each reads every slot, all meet.
struct Meeting {
  explicit Meeting(int processes) : size(processes), barrier(processes), slots(static_cast<std::size_t>(processes)) {}
  int size;
  std::barrier<> barrier;
  std::vector<std::vector<std::byte>> slots;
};

class ThreadShare final : public WorkShare {
 public:
  ThreadShare(Meeting& meeting, int rank) : meeting_(meeting), rank_(rank) {}
  int rank() const noexcept override { return rank_; }
  int size() const noexcept override { return meeting_.size; }
  void min_all(std::span<double> values) override {
    combine(values, [](double a, double b) { return std::min(a, b); });
  }
  void sum_all(std::span<std::int64_t> values) override {
    combine(values, [](std::int64_t a, std::int64_t b) { return a + b; });
  }
  void broadcast(std::span<std::byte> bytes, int root) override {
    if (rank_ == root) meeting_.slots[static_cast<std::size_t>(root)].assign(bytes.begin(), bytes.end());
    meeting_.barrier.arrive_and_wait();
    if (rank_ != root) std::memcpy(bytes.data(), meeting_.slots[static_cast<std::size_t>(root)].data(), bytes.size());
    meeting_.barrier.arrive_and_wait();
  }

 private:
  template <typename T, typename Op>
  void combine(std::span<T> values, Op op) {
    const auto bytes = std::as_bytes(values);
    meeting_.slots[static_cast<std::size_t>(rank_)].assign(bytes.begin(), bytes.end());
    meeting_.barrier.arrive_and_wait();
    for (int r = 0; r < meeting_.size; ++r) {
      if (r == rank_) continue;
      const auto* other = reinterpret_cast<const T*>(meeting_.slots[static_cast<std::size_t>(r)].data());
      for (std::size_t i = 0; i < values.size(); ++i) values[i] = op(values[i], other[i]);
    }
    meeting_.barrier.arrive_and_wait();
  }
  Meeting& meeting_;
  int rank_;
};

void expect_same(const MapperResult& shared, const MapperResult& alone, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(shared.found, alone.found);
  EXPECT_EQ(shared.mapping, alone.mapping);
  EXPECT_EQ(shared.storage, alone.storage);
  EXPECT_EQ(shared.cost.energy_pj, alone.cost.energy_pj);
  EXPECT_EQ(shared.cost.cycles, alone.cost.cycles);
  EXPECT_EQ(shared.objective_value, alone.objective_value);
  EXPECT_EQ(shared.evaluated, alone.evaluated);
  EXPECT_EQ(shared.pruned, alone.pruned);
  EXPECT_EQ(shared.work_items, alone.work_items);
  EXPECT_EQ(shared.work_items_searched, alone.work_items_searched);
  EXPECT_EQ(shared.skipped_items, alone.skipped_items);
  EXPECT_EQ(shared.skipped_blockings, alone.skipped_blockings);
  EXPECT_EQ(shared.skipped_subtrees, alone.skipped_subtrees);
  EXPECT_EQ(shared.bound_evaluations, alone.bound_evaluations);
  EXPECT_EQ(shared.storage_choices_searched, alone.storage_choices_searched);
  EXPECT_EQ(shared.storage_choices_skipped, alone.storage_choices_skipped);
  EXPECT_EQ(shared.replicated, alone.replicated);
  EXPECT_FALSE(shared.interrupted);
}

// Runs `search` in `size` threads, each a process with its share; returns each one's result.
template <typename Search>
auto split(int size, Search search) {
  Meeting meeting(size);
  std::vector<decltype(search(static_cast<WorkShare*>(nullptr)))> results(static_cast<std::size_t>(size));
  std::vector<std::thread> threads;
  for (int r = 0; r < size; ++r) {
    threads.emplace_back([&, r] {
      ThreadShare share(meeting, r);
      results[static_cast<std::size_t>(r)] = search(&share);
    });
  }
  for (std::thread& t : threads) t.join();
  return results;
}

TEST(WorkShare, ALayerSplitOverProcessesFindsWhatOneProcessFinds) {
  const Network alexnet = *zoo_network("alexnet", 4);
  const Network single = *zoo_network("alexnet", 1);
  Architecture open = *arch_preset("eyeriss");
  ASSERT_TRUE(apply_storage_search(open, "search", "search"));
  Architecture bypass = *arch_preset("eyeriss");
  ASSERT_TRUE(apply_storage_search(bypass, "search", "fixed"));
  struct Case {
    std::string name;
    Layer layer;
    Architecture arch;
    int loops_per_axis;
  };
  std::vector<Case> cases = {{"conv3 eyeriss", alexnet.layers[2], *arch_preset("eyeriss"), 1},
                             {"fc6 bypass+buffering searched", alexnet.layers[5], open, 1},
                             {"conv1 tpu-like", alexnet.layers[0], *arch_preset("tpu-like"), 1}};
#if !defined(__SANITIZE_ADDRESS__)  // a few seconds here, minutes instrumented
  cases.push_back({"conv3 batch 1 replication 2 (160,006 items)", single.layers[2], *arch_preset("eyeriss"), 2});
  cases.push_back({"conv5 batch 1 bypass searched", single.layers[4], bypass, 1});
#endif
  for (const Case& c : cases) {
    MapperOptions options;
    options.threads = 1;
    options.max_loops_per_axis = c.loops_per_axis;
    const MapperResult alone = find_best_mapping(c.layer, c.arch, options);
    for (int size : {2, 3}) {
      const auto results = split(size, [&](WorkShare* share) {
        MapperOptions o = options;
        o.share = share;
        return find_best_mapping(c.layer, c.arch, o);
      });
      for (int r = 0; r < size; ++r) {
        expect_same(results[static_cast<std::size_t>(r)], alone,
                    c.name + ", process " + std::to_string(r) + " of " + std::to_string(size));
      }
    }
  }
}

TEST(WorkShare, AFixedDataflowWithItsReplicationFallback) {
  const Layer conv1 = zoo_network("alexnet", 4)->layers[0];  // C = 3: C|K cannot map it at 0.75
  const Architecture arch = *arch_preset("eyeriss");
  MapperOptions options;
  options.threads = 1;
  ASSERT_TRUE(apply_dataflow_choice(options, "C|K", "replicate", 1, conv1.dims));
  const MapperResult alone = find_best_mapping(conv1, arch, options);
  ASSERT_TRUE(alone.replicated);
  const auto results = split(2, [&](WorkShare* share) {
    MapperOptions o = options;
    o.share = share;
    return find_best_mapping(conv1, arch, o);
  });
  for (const MapperResult& r : results) expect_same(r, alone, "conv1 C|K replicated");
}

TEST(WorkShare, ANetworkSplitOverProcessesHasTheSameTotals) {
  const Network net = *zoo_network("alexnet", 2);
  const Architecture arch = *arch_preset("eyeriss");
  MapperOptions options;
  options.threads = 1;
  const NetworkSearch alone = search_network(net, arch, options);
  const auto results = split(3, [&](WorkShare* share) {
    MapperOptions o = options;
    o.share = share;
    return search_network(net, arch, o);
  });
  for (const NetworkSearch& s : results) {
    EXPECT_EQ(s.total.energy_pj, alone.total.energy_pj);
    EXPECT_EQ(s.total.cycles, alone.total.cycles);
    EXPECT_EQ(s.total.mappings_evaluated, alone.total.mappings_evaluated);
    EXPECT_FALSE(s.interrupted);
    ASSERT_EQ(s.layers.size(), alone.layers.size());
    for (std::size_t i = 0; i < s.layers.size(); ++i) expect_same(s.layers[i].result, alone.layers[i].result, s.layers[i].name);
  }
}

// A stop seen by one process only reaches the others at the next reduction: every process
// ends the search marked interrupted, none waits for another.
TEST(WorkShare, AStopInOneProcessStopsAll) {
  const Layer conv3 = zoo_network("alexnet", 1)->layers[2];
  const Architecture arch = *arch_preset("eyeriss");
  std::atomic<bool> stop{true};  // process 0 was stopped before it began
  const auto results = split(2, [&](WorkShare* share) {
    MapperOptions o;
    o.threads = 1;
    o.share = share;
    if (share->rank() == 0) o.stop = &stop;
    return find_best_mapping(conv3, arch, o);
  });
  for (const MapperResult& r : results) EXPECT_TRUE(r.interrupted);
}

}  // namespace
}  // namespace dnnspace
