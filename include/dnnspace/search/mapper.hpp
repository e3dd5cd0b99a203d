// The mapper: the best mapping of one layer on one architecture (004 Sec. VI).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/arch/storage_choice.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/search/work_share.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/workload/layer.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace {

/// What the mapper minimizes.
enum class Objective : std::uint8_t { Energy, Cycles, EnergyDelay };

/// The mapper's options, with the defaults of 004 Sec. VI.
struct MapperOptions {
  Objective objective = Objective::Energy;
  double min_utilization = 0.75;           ///< mappings below this PE utilization are skipped
  std::vector<Dataflow> dataflows;         ///< candidates; empty = the free search below
  /// The free search (no dataflows given) covers every U|V dataflow with up to this many
  /// loops per array axis (dataflow_space: 1 = the two-loop dataflows, 2 and 3 add
  /// replication, 004 Sec. III-C). 1..3.
  int max_loops_per_axis = 1;
  int threads = 0;                         ///< 0 = all hardware threads
  const std::atomic<bool>* stop = nullptr; ///< set to stop early (Ctrl-C); best so far is kept
  std::atomic<std::int64_t>* progress = nullptr;  ///< incremented once per finished work item
  /// A time budget for one find_best_mapping call, seconds (0 = none): past it the search
  /// stops and returns the best mapping found so far, marked `timed_out` (not proven
  /// optimal). Each call has its own: a network search gives it to every layer searched.
  double time_limit_s = 0.0;
  /// Skip the order choices of a blocking when a lower bound on their objective exceeds
  /// the best one known (docs/search.md, "Bounding"). The result is the same either way.
  bool prune = true;
  /// With given dataflows: when none of them has a mapping that meets the constraints,
  /// search their replicated extensions instead (replicated_extensions: one more loop on
  /// the axes they cannot fill), and if those have none either, the extensions of those
  /// (at most two rounds). 004 fixes C|K, which a first CONV layer (C = 3) cannot map at
  /// the 0.75 floor; with this, it is mapped with C and one more loop on the rows.
  bool replicate_if_unmapped = false;
  /// Split every search over the processes of an MPI run (work_share.hpp): each searches
  /// its share of the work items, and all end with the same result, the one a single
  /// process finds. Null: this process searches everything.
  WorkShare* share = nullptr;
};

/// The mapper's answer. `found` is false when no mapping satisfies the constraints.
struct MapperResult {
  bool found = false;
  bool interrupted = false;       ///< stopped early (`stop`): the result is the best seen so far
  /// Stopped by MapperOptions::time_limit_s: the result is the best of the part searched
  /// (work_items_searched of work_items, storage_choices_searched), not proven optimal.
  bool timed_out = false;
  /// The given dataflows had no mapping; this one uses a replicated extension of them
  /// (MapperOptions::replicate_if_unmapped). dataflow_of(mapping) says which.
  bool replicated = false;
  Mapping mapping;
  CostResult cost;
  double objective_value = 0.0;
  std::int64_t evaluated = 0;     ///< mappings evaluated (cost model calls)
  std::int64_t pruned = 0;        ///< blockings whose remaining order choices the bound skipped
  std::int64_t work_items = 0;    ///< parallel work items (for progress displays)
  /// Work items searched to their end (all of them unless stopped or timed out).
  std::int64_t work_items_searched = 0;
  /// Work items skipped whole: a lower bound on all their mappings was above the best
  /// objective of the earlier waves (docs/search.md, "Bounding a work item").
  std::int64_t skipped_items = 0;
  /// Blockings skipped before any of their orders was evaluated, and sub-trees of the
  /// factors of level 1 (when level 0 takes the rest) skipped before they were enumerated.
  std::int64_t skipped_blockings = 0;
  std::int64_t skipped_subtrees = 0;
  /// Cost model calls spent on those item bounds (not counted in `evaluated`).
  std::int64_t bound_evaluations = 0;
  /// What each level keeps and how it buffers in `mapping`'s cost: the architecture's own
  /// storage, or the mapper's choice where the architecture leaves it open (bypass or
  /// buffering `search`). with_storage(arch, storage) is the architecture costed.
  StorageChoice storage;
  /// Storage choices searched, and skipped because a lower bound on all their mappings
  /// was above the best found in another (docs/search.md, "Bypass and buffering").
  std::int64_t storage_choices_searched = 0;
  std::int64_t storage_choices_skipped = 0;

  /// The exact optimum of docs/search.md: found, and neither interrupted nor cut by a time limit.
  bool proven_optimal() const noexcept { return found && !interrupted && !timed_out; }
};

/// The most MACs the mapper searches, for one layer or a whole network's sum: its
/// candidates pad each spatially unrolled dimension to less than twice its bound (at
/// most 2 x kMaxSpatialLoops of them), so every candidate, and every network total,
/// stays within kMaxMappedIterations and every count within 64 bits. 2^49 = 5.6e14.
inline constexpr std::int64_t kMaxSearchedMacs = kMaxMappedIterations >> (2 * kMaxSpatialLoops);

/// Fails, naming the layer and the limit, when macs(layer) > kMaxSearchedMacs, or when a
/// workload of more than 5 tensors has loops irrelevant to more than 5 distinct sets of
/// its tensors, some to two or more (too many cost-distinct loop orders; docs/search.md).
Expected<void> check_searchable(const Layer& layer);
/// Fails when the network's total MACs exceed kMaxSearchedMacs, or a layer fails the
/// loop-order limit above.
Expected<void> check_searchable(const Network& network);

/// The value of an objective for a cost result.
double objective_value(Objective objective, const CostResult& cost) noexcept;

/// Every two-loop dataflow of the dimensions the layer actually has (bound > 1), as
/// "U|V" with U before V in N K C P Q R S G order: 21 for a full CONV layer (004).
std::vector<Dataflow> two_loop_dataflows(const Layer& layer);

/// Finds the mapping with the smallest objective over the mapspace of docs/search.md
/// (with no dataflows given, over dataflow_space(layer, max_loops_per_axis)):
/// for each candidate dataflow, every spatial factor of the unrolled dimensions that
/// fits the array (partial tiles allowed), every exact factorization of what remains
/// over the temporal levels, and the loop orders that can differ in cost (per level,
/// which tensor's irrelevant loops are innermost). Capacity and the utilization floor
/// are constraints. Exact over that space; deterministic for any thread count (ties
/// go to the first mapping in enumeration order). Precondition: check_searchable(layer)
/// passed (the CLI checks it); a layer past its loop-order limit is searched over a
/// truncated order set, not exactly.
MapperResult find_best_mapping(const Layer& layer, const Architecture& arch, const MapperOptions& options);

}  // namespace dnnspace
