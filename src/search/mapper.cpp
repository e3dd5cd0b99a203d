#include "dnnspace/search/mapper.hpp"

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <type_traits>
#include <thread>

#include "dnnspace/core/checked.hpp"
#include "dnnspace/mapping/footprint.hpp"
#include "dnnspace/model/sparsity.hpp"
#include "dnnspace/search/dataflow_sweep.hpp"
#include "loop_orders.hpp"
#include "order_bound.hpp"

namespace dnnspace {
namespace {

using Factors = PerDim<std::int64_t>;

std::vector<std::int64_t> divisors(std::int64_t n) {
  std::vector<std::int64_t> small, large;
  for (std::int64_t d = 1; d * d <= n; ++d) {
    if (n % d) continue;
    small.push_back(d);
    if (d * d != n) large.push_back(n / d);
  }
  small.insert(small.end(), large.rbegin(), large.rend());
  return small;
}


// One way to unroll a dataflow's dimensions on the array.
struct SpatialChoice {
  FixedVector<Loop, kMaxSpatialLoops> rows;
  FixedVector<Loop, kMaxSpatialLoops> cols;
  Factors product = Factors::filled(1);
};

void spatial_choices(const Layer& layer, const Architecture& arch, const Dataflow& df, double min_util,
                     std::vector<SpatialChoice>& out) {
  for (Dim d : df.rows) if (layer.bounds[d] < 2) return;  // the dataflow needs the dimension
  for (Dim d : df.cols) if (layer.bounds[d] < 2) return;
  const double pes = static_cast<double>(pe_count(arch));
  const double mac_count = static_cast<double>(macs(layer));
  // Recursive over the rows dims, then the cols dims; each takes 2..min(room, bound).
  std::vector<Dim> dims(df.rows.begin(), df.rows.end());
  dims.insert(dims.end(), df.cols.begin(), df.cols.end());
  const std::size_t nrows = df.rows.size();
  SpatialChoice cur;
  auto rec = [&](auto&& self, std::size_t i, std::int64_t room_rows, std::int64_t room_cols) -> void {
    if (i == dims.size()) {
      // Every blocking factors ceil(bound / spatial) exactly over the levels, so every
      // mapping of this choice has the same compute cycles, hence the same utilization:
      // computed here as evaluate() computes it, a choice below the floor has no
      // admissible mapping at all.
      std::int64_t compute_cycles = 1;
      for (Dim d : layer.dims) compute_cycles *= ceil_div(layer.bounds[d], cur.product[d]);
      const double utilization = mac_count / (static_cast<double>(compute_cycles) * pes);
      if (utilization + 1e-12 >= min_util) out.push_back(cur);
      return;
    }
    const bool row = i < nrows;
    const std::int64_t room = row ? room_rows : room_cols;
    const Dim d = dims[i];
    for (std::int64_t f = std::min(room, layer.bounds[d]); f >= 2; --f) {
      auto& axis = row ? cur.rows : cur.cols;
      axis.push_back({f, d});
      cur.product[d] = f;
      self(self, i + 1, row ? room_rows / f : room_rows, row ? room_cols : room_cols / f);
      axis.pop_back();
      cur.product[d] = 1;
    }
  };
  rec(rec, 0, arch.array.rows, arch.array.cols);
}

using detail::LevelOrders;

// Each tensor slot's relevant-dimension mask, for LoopOrderSpace.
std::span<const std::uint32_t> relevant_masks(const Projection& projection, std::span<const TensorId> tensors) {
  thread_local std::array<std::uint32_t, kMaxTensors> masks;  // read at once by the caller
  for (TensorId t : tensors) masks[static_cast<std::size_t>(t)] = projection[t].relevant;
  return {masks.data(), tensors.size()};
}

struct Best {
  bool found = false;
  double value = std::numeric_limits<double>::infinity();
  Mapping mapping;
  CostResult cost;
  std::int64_t evaluated = 0;
  std::int64_t pruned = 0;  // blockings whose order choices the bound skipped
  std::int64_t skipped_items = 0;      // 1 when the item bound skipped the whole item
  std::int64_t skipped_blockings = 0;  // blockings the item's bound skipped unevaluated
  std::int64_t skipped_subtrees = 0;   // sub-trees of level 1's factors it skipped
  std::int64_t bound_evaluations = 0;  // cost model calls for the item bound
};


class Search {
 public:
  Search(const Layer& layer, const Architecture& arch, const MapperOptions& options)
      : layer_(layer), arch_(arch), options_(options), problem_(prepare(layer, arch)), tensors_(layer_tensors(layer)),
        order_space_(layer_dims(layer), relevant_masks(problem_.projection, tensors_)),
        n_(static_cast<int>(arch.levels.size())), array_level_(arch.array.parent_level),
        // The bounds assume dense accounting (docs/search.md): a sparse problem is
        // searched without them, exactly but slower.
        bound_(options.prune && detail::order_bound_applies(arch) && !problem_.sparse),
        item_bound_(bound_ && detail::item_bound_applies(arch)),
        per_pe_bound_(bound_ && !item_bound_ && array_level_ >= 0 && n_ - 1 - array_level_ >= 2),
        mac_pj_(static_cast<double>(macs(layer)) * problem_.mac_energy_pj),
        floor_pj_(detail::tensor_energy_floor_pj(layer, arch)), bound_energy_(layer, arch) {
    for (std::size_t i = 0; i < layer.dims.size(); ++i) dim_position_[layer.dims[i]] = static_cast<std::uint8_t>(i);
  }

  // The loop orders to try on a level with factors f (loop_orders.hpp).
  void orders_of(const Factors& f, LevelOrders& out) const { order_space_.orders(f, out); }

  // The fewest cycles of a blocking: the product of every level's temporal factors, and
  // on a systolic array each fold's least fill and drain (cycles_floor).
  double compute_cycles_of(const std::array<Factors, kMaxLevels>& f) const {
    std::int64_t cycles = 1, folds = 1;
    for (int l = 0; l < n_; ++l) {
      for (Dim d : layer_.dims) {
        cycles *= f[static_cast<std::size_t>(l)][d];
        if (l <= array_level_) folds *= f[static_cast<std::size_t>(l)][d];
      }
    }
    return static_cast<double>(cycles_floor(problem_.min_fill_drain_per_fold, cycles, folds));
  }

  // The same from a blocking's compute cycles when only its per-PE levels (below the
  // array) are set: the folds are what the levels above run, compute / per-PE steps.
  double cycles_floor_of(std::int64_t compute_cycles, const std::array<Factors, kMaxLevels>& f) const {
    if (problem_.min_fill_drain_per_fold == 0) return static_cast<double>(compute_cycles);
    std::int64_t steps = 1;
    for (int l = array_level_ + 1; l < n_; ++l) for (Dim d : layer_.dims) steps *= f[static_cast<std::size_t>(l)][d];
    return static_cast<double>(cycles_floor(problem_.min_fill_drain_per_fold, compute_cycles, compute_cycles / steps));
  }

  // Footprint of level l in bytes, given the factors of levels >= l and the spatial ones.
  bool fits(int l, const std::array<Factors, kMaxLevels>& f, const SpatialChoice& sp) const {
    const StorageLevel& spec = arch_.levels[static_cast<std::size_t>(l)];
    if (spec.capacity_bytes <= 0) return true;
    Factors extent = Factors::filled(1);
    for (int k = l; k < n_; ++k) for (Dim d : layer_.dims) extent[d] *= f[static_cast<std::size_t>(k)][d];
    if (l <= array_level_) for (Dim d : layer_.dims) extent[d] *= sp.product[d];
    std::int64_t bytes = 0;
    for (TensorId t : tensors_) {
      if (holds_tensor(spec, t)) {
        bytes += footprint_words(problem_.projection[t], layer_.bounds, extent) * problem_.word_bytes[static_cast<std::size_t>(l)][t];
      }
    }
    return bytes * (spec.double_buffered ? 2 : 1) <= spec.capacity_bytes;
  }

  // All factor choices of level l over the remaining extents, largest tiles pruned by capacity.
  void level_choices(int l, const Factors& remaining, std::array<Factors, kMaxLevels>& f,
                     const SpatialChoice& sp, std::vector<Factors>& out) const {
    for_each_level_choice(l, remaining, f, sp, [&] { out.push_back(f[static_cast<std::size_t>(l)]); },
                          [](std::size_t) { return false; });
  }

  // Calls visit() with f[l] set to each factor choice of level l, in the order of
  // level_choices; skip(di) is asked once dimensions 0..di of f[l] are set (and fit),
  // and true skips every choice with those values.
  template <typename Visit, typename Skip>
  void for_each_level_choice(int l, const Factors& remaining, std::array<Factors, kMaxLevels>& f,
                             const SpatialChoice& sp, Visit&& visit, Skip&& skip) const {
    const auto& dims = layer_.dims;
    std::array<std::vector<std::int64_t>, kMaxWorkloadDims> divs;
    for (std::size_t di = 0; di < dims.size(); ++di) divs[di] = divisors(remaining[dims[di]]);
    auto rec = [&](auto&& self, std::size_t di) -> void {
      if (di == dims.size()) { visit(); return; }
      const Dim d = dims[di];
      for (std::int64_t v : divs[di]) {
        f[static_cast<std::size_t>(l)][d] = v;
        if (!fits(l, f, sp)) break;  // footprints grow with every factor
        if (di + 1 < dims.size() && divs[di].size() > 1 && skip(di)) continue;
        self(self, di + 1);
      }
      f[static_cast<std::size_t>(l)][d] = 1;
    };
    rec(rec, 0);
  }

  void build_items(const std::vector<Dataflow>& dataflows) {
    for (const Dataflow& df : dataflows) spatial_choices(layer_, arch_, df, options_.min_utilization, spatial_);
    // The innermost level's choices depend on the extents left after the spatial factors,
    // and, when that level is not below the array, on the spatial factors themselves:
    // spatial choices with the same key share one list.
    const bool spatial_in_key = n_ - 1 <= array_level_;
    std::map<std::vector<std::int64_t>, std::uint32_t> list_of_key;
    item_offset_.assign(1, 0);
    item_list_.reserve(spatial_.size());
    for (std::size_t s = 0; s < spatial_.size(); ++s) {
      Factors remaining = Factors::filled(1);
      for (Dim d : layer_.dims) remaining[d] = ceil_div(layer_.bounds[d], spatial_[s].product[d]);
      std::vector<std::int64_t> key;
      for (Dim d : layer_.dims) key.push_back(remaining[d]);
      if (spatial_in_key) for (Dim d : layer_.dims) key.push_back(spatial_[s].product[d]);
      auto [it, added] = list_of_key.emplace(std::move(key), static_cast<std::uint32_t>(lists_.size()));
      if (added) {
        InnerList& list = lists_.emplace_back();
        if (n_ == 1) {
          list.factors.assign(layer_.dims.size(), 1);
          list.count = 1;
        } else {
          std::array<Factors, kMaxLevels> f;
          for (auto& level : f) level = Factors::filled(1);
          for_each_level_choice(n_ - 1, remaining, f, spatial_[s], [&] {
            for (Dim d : layer_.dims) list.factors.push_back(f[static_cast<std::size_t>(n_ - 1)][d]);
            ++list.count;
          }, [](std::size_t) { return false; });
        }
      }
      item_list_.push_back(it->second);
      item_offset_.push_back(item_offset_.back() + lists_[it->second].count);
    }
  }

  // Work items: a spatial choice and one choice of the innermost level's factors, in that
  // order. Millions of them at a utilization floor of 0 (94 million on AlexNet CONV3 with
  // replication), so they are not stored one by one: item i belongs to the spatial choice
  // whose range of item_offset_ holds it, and is the (i - offset)-th entry of its list.
  std::size_t item_count() const { return static_cast<std::size_t>(item_offset_.back()); }

  std::pair<std::size_t, Factors> item(std::size_t index) const {
    const auto after = std::upper_bound(item_offset_.begin(), item_offset_.end(), static_cast<std::uint64_t>(index));
    const auto s = static_cast<std::size_t>(after - item_offset_.begin()) - 1;
    const std::size_t k = index - static_cast<std::size_t>(item_offset_[s]);
    const std::vector<std::int64_t>& list = lists_[item_list_[s]].factors;
    Factors inner = Factors::filled(1);
    for (std::size_t i = 0; i < layer_.dims.size(); ++i) inner[layer_.dims[i]] = list[k * layer_.dims.size() + i];
    return {s, inner};
  }

  // The best mapping of one work item. `bound` is the objective of a mapping found
  // elsewhere in the mapspace: the item is skipped when a lower bound on all its
  // mappings exceeds it, and order choices whose lower bound exceeds it are skipped.
  Best run_item(std::size_t index, double bound) const {
    Best best;
    const auto [spatial, inner] = item(index);
    const SpatialChoice& sp = spatial_[spatial];
    std::array<Factors, kMaxLevels> f;
    for (auto& level : f) level = Factors::filled(1);
    Factors remaining = Factors::filled(1);
    for (Dim d : layer_.dims) remaining[d] = ceil_div(layer_.bounds[d], sp.product[d]);
    if (n_ > 1) {
      f[static_cast<std::size_t>(n_ - 1)] = inner;
      for (Dim d : layer_.dims) remaining[d] /= inner[d];
    }
    // Lower bounds on each tensor's energy in every mapping of the item: they skip the
    // item when their sum is above `bound`, and bound each blocking before it is ordered.
    std::optional<detail::ItemBound> item_bound;
    if (item_bound_) {
      double compute_cycles = 0.0;
      item_bound.emplace(per_pe_bound(sp, f, remaining, compute_cycles, best));
      if (detail::order_lower_bound(options_.objective, item_bound->item_pj(), mac_pj_, compute_cycles) > bound) {
        best.skipped_items = 1;
        return best;
      }
    }
    middle_levels(n_ - 2, remaining, f, sp, bound, item_bound ? &*item_bound : nullptr, floor_pj_, best);
    return best;
  }

  // The costs of the relaxed mappings of a sub-tree (docs/search.md, "Two per-PE levels" and
  // "Bounding a level above the array"): the levels below `relaxed` have their factors in f,
  // `outer` is what is left for `relaxed` and the levels above; for each tensor, all of
  // `outer` on level `relaxed`, nothing above, and on it and every level below but the
  // innermost (whose order costs nothing) the tensor's irrelevant loops innermost. One
  // evaluation per distinct set of orders. Every count of a tensor in its relaxed mapping
  // is at most its count in any mapping of the sub-tree.
  PerTensor<const CostResult*> relaxed_costs(int relaxed, const SpatialChoice& sp,
                                             const std::array<Factors, kMaxLevels>& f, const Factors& outer,
                                             Best& best) const {
    const auto factors_of = [&](int l) -> const Factors& { return l == relaxed ? outer : f[static_cast<std::size_t>(l)]; };
    const int last_ordered = relaxed < n_ - 1 ? n_ - 1 : n_;  // the innermost level keeps one order
    thread_local std::array<LevelOrders, kMaxLevels> orders;  // large: kept per thread, not re-made per call
    for (int l = relaxed; l < last_ordered; ++l) orders_of(factors_of(l), orders[static_cast<std::size_t>(l)]);
    Mapping m;
    m.levels.resize(static_cast<std::size_t>(n_));
    m.levels[static_cast<std::size_t>(array_level_)].rows = sp.rows;
    m.levels[static_cast<std::size_t>(array_level_)].cols = sp.cols;
    if (last_ordered < n_) {
      for (Dim d : layer_.dims) {
        const std::int64_t v = f[static_cast<std::size_t>(n_ - 1)][d];
        if (v > 1) m.levels[static_cast<std::size_t>(n_ - 1)].temporal.push_back({v, d});
      }
    }
    thread_local std::array<CostResult, kMaxTensors> costs;  // consumed before the caller recurses
    PerTensor<const CostResult*> of_tensor{};
    for (TensorId t : tensors_) {
      auto same_orders = [&](TensorId u) {
        for (int l = relaxed; l < last_ordered; ++l) {
          const LevelOrders& o = orders[static_cast<std::size_t>(l)];
          if (o.of_tensor[u] != o.of_tensor[t]) return false;
        }
        return true;
      };
      for (TensorId u : tensors_) {
        if (u == t) break;
        if (same_orders(u)) { of_tensor[t] = of_tensor[u]; break; }
      }
      if (of_tensor[t]) continue;
      for (int l = relaxed; l < last_ordered; ++l) {
        auto& temporal = m.levels[static_cast<std::size_t>(l)].temporal;
        temporal.clear();
        const LevelOrders& o = orders[static_cast<std::size_t>(l)];
        for (Dim d : o.orders[o.of_tensor[t]]) temporal.push_back({factors_of(l)[d], d});
      }
      CostResult& cost = costs[static_cast<std::size_t>(t)];
      evaluate_into(problem_, m, cost);
      ++best.bound_evaluations;
      of_tensor[t] = &cost;
    }
    return of_tensor;
  }

  // The bounds of every mapping whose per-PE levels (below the array) have the factors in
  // f, `outer` being what is left for the levels above (docs/search.md, "Bounding a work
  // item" for one per-PE level, "Two per-PE levels" for more), from relaxed_costs at the
  // level feeding the array. Also gives the compute cycles, the same for all of them.
  detail::ItemBound per_pe_bound(const SpatialChoice& sp, const std::array<Factors, kMaxLevels>& f,
                                 const Factors& outer, double& compute_cycles, Best& best) const {
    Factors per_pe = Factors::filled(1);
    for (int l = array_level_ + 1; l < n_; ++l) for (Dim d : layer_.dims) per_pe[d] *= f[static_cast<std::size_t>(l)][d];
    const PerTensor<const CostResult*> relaxed = relaxed_costs(array_level_, sp, f, outer, best);
    compute_cycles = cycles_floor_of(relaxed[TensorId::Inputs]->compute_cycles, f);
    return detail::ItemBound(layer_, problem_.projection, arch_, relaxed, sp.product, per_pe, floor_pj_, bound_energy_,
                             order_space_);
  }

  // `floors`: lower bounds on each tensor's energy in every mapping below this call.
  void middle_levels(int l, const Factors& remaining, std::array<Factors, kMaxLevels>& f,
                     const SpatialChoice& sp, double bound, const detail::ItemBound* item_bound,
                     const PerTensor<double>& floors, Best& best) const {
    if (options_.stop && options_.stop->load(std::memory_order_relaxed)) return;
    if (per_pe_bound_ && l == array_level_) {
      // Every per-PE level is set: bound all the blockings of the levels above at once.
      double compute_cycles = 0.0;
      const detail::ItemBound per_pe = per_pe_bound(sp, f, remaining, compute_cycles, best);
      if (detail::order_lower_bound(options_.objective, per_pe.item_pj(), mac_pj_, compute_cycles) >
          std::min(bound, best.value)) {
        ++best.skipped_subtrees;
        return;
      }
      level_choices_from(l, remaining, f, sp, bound, &per_pe, per_pe.item_pj(), best);
      return;
    }
    if (item_bound && l >= 1 && l == array_level_ - 1) {
      // The level feeding the array is set too (4 levels or more, as tpu-like): bound all
      // the blockings of the levels above it at once (docs/search.md, "Bounding a level
      // above the array").
      const PerTensor<const CostResult*> relaxed = relaxed_costs(l, sp, f, remaining, best);
      PerTensor<double> low = floors;
      for (TensorId t : tensors_) low[t] = std::max(low[t], bound_energy_(*relaxed[t], t));
      const double cycles = cycles_floor_of(relaxed[TensorId::Inputs]->compute_cycles, f);
      if (detail::order_lower_bound(options_.objective, low, mac_pj_, cycles) >
          std::min(bound, best.value)) {
        ++best.skipped_subtrees;
        return;
      }
      level_choices_from(l, remaining, f, sp, bound, item_bound, low, best);
      return;
    }
    level_choices_from(l, remaining, f, sp, bound, item_bound, floors, best);
  }

  // The factor choices of level l (level 0 takes the rest), then of the levels above.
  void level_choices_from(int l, const Factors& remaining, std::array<Factors, kMaxLevels>& f,
                          const SpatialChoice& sp, double bound, const detail::ItemBound* item_bound,
                          const PerTensor<double>& floors, Best& best) const {
    if (l <= 0) {
      f[0] = remaining;
      if (!fits(0, f, sp)) return;
      if (!item_bound) {
        orders_and_evaluate(f, sp, bound, floors, best);
        return;
      }
      PerTensor<double> low_pj = item_bound->blocking_pj(f);
      for (TensorId t : tensors_) low_pj[t] = std::max(low_pj[t], floors[t]);
      const double incumbent = std::min(bound, best.value);
      const double cycles = compute_cycles_of(f);
      bool skip = detail::order_lower_bound(options_.objective, low_pj, mac_pj_, cycles) > incumbent;
      if (!skip) {  // add the refetches level 0's order forces (costlier to compute)
        PerTensor<double> with_refetch = low_pj;
        with_refetch[TensorId::Inputs] += item_bound->blocking_refetch_pj(f);
        skip = detail::order_lower_bound(options_.objective, with_refetch, mac_pj_, cycles) > incumbent;
      }
      if (skip) {
        ++best.skipped_blockings;
        return;
      }
      orders_and_evaluate(f, sp, bound, low_pj, best);
      return;
    }
    if (l == 1 && item_bound) {
      // Level 0 takes the rest: bound the sub-trees of level 1's enumeration (docs/search.md,
      // "Bounding a work item"). With dimensions 0..di of level 1 set, the partial blocking
      // with the others on neither level 0 nor 1 has bounds below every completion's.
      double cycles = 1.0;
      for (Dim d : layer_.dims) cycles *= static_cast<double>(remaining[d] * f[2][d]);
      for (int k = 3; k < n_; ++k) for (Dim d : layer_.dims) cycles *= static_cast<double>(f[static_cast<std::size_t>(k)][d]);
      auto skip = [&](std::size_t di) {
        // Level 0 is free until visit() sets it: hold the partial blocking there (a copy
        // of all of f would be 3 kB per call) and put it back.
        const Factors level0 = f[0];
        for (std::size_t i = 0; i < layer_.dims.size(); ++i) {
          const Dim d = layer_.dims[i];
          f[0][d] = i <= di ? remaining[d] / f[1][d] : 1;
        }
        PerTensor<double> low_pj = item_bound->blocking_pj(f);
        low_pj[TensorId::Inputs] += item_bound->blocking_refetch_pj(f);
        f[0] = level0;
        if (detail::order_lower_bound(options_.objective, low_pj, mac_pj_, cycles) <= std::min(bound, best.value)) {
          return false;
        }
        ++best.skipped_subtrees;
        return true;
      };
      auto visit = [&] {
        Factors rest = remaining;
        for (Dim d : layer_.dims) rest[d] /= f[1][d];
        middle_levels(0, rest, f, sp, bound, item_bound, floors, best);
      };
      for_each_level_choice(1, remaining, f, sp, visit, skip);
      return;
    }
    std::vector<Factors> choices;
    level_choices(l, remaining, f, sp, choices);
    for (const Factors& c : choices) {
      f[static_cast<std::size_t>(l)] = c;
      Factors rest = remaining;
      for (Dim d : layer_.dims) rest[d] /= c[d];
      middle_levels(l - 1, rest, f, sp, bound, item_bound, floors, best);
    }
    f[static_cast<std::size_t>(l)] = Factors::filled(1);
  }

  // Every cost-distinct order choice of one blocking, keeping the first best in a fixed
  // order (level 0's choice varies fastest). With the bound on (docs/search.md,
  // "Bounding"), choices are evaluated best-first by a lower bound built from the
  // choices already evaluated, and the search of this blocking stops when the smallest
  // bound left is strictly above the best objective known: the skipped choices are all
  // strictly worse than an evaluated mapping, so the result is the one full evaluation
  // gives.
  void orders_and_evaluate(const std::array<Factors, kMaxLevels>& f, const SpatialChoice& sp, double bound,
                           const PerTensor<double>& low_pj, Best& best) const {
    // Orders matter only on levels with a level below them (docs/search.md).
    thread_local std::array<LevelOrders, kMaxLevels> orders;  // large: kept per thread, not re-made per call
    std::size_t combos = 1;
    for (int l = 0; l < n_; ++l) {
      auto& o = orders[static_cast<std::size_t>(l)];
      orders_of(f[static_cast<std::size_t>(l)], o);
      if (l + 1 == n_) o.keep_first();  // the innermost level: one order
      // Saturates: beyond kMaxBoundedCombos only "more than that" matters.
      combos = std::min<std::size_t>(combos * o.orders.size(), std::size_t{1} << 40);
    }
    Mapping m;
    m.levels.resize(static_cast<std::size_t>(n_));
    m.levels[static_cast<std::size_t>(array_level_)].rows = sp.rows;
    m.levels[static_cast<std::size_t>(array_level_)].cols = sp.cols;
    using Choice = std::array<std::uint16_t, kMaxLevels>;
    auto build = [&](const Choice& choice) {
      for (int l = 0; l < n_; ++l) {
        auto& temporal = m.levels[static_cast<std::size_t>(l)].temporal;
        temporal.clear();
        const auto& level_orders = orders[static_cast<std::size_t>(l)].orders;
        for (Dim d : level_orders[choice[static_cast<std::size_t>(l)]]) {
          temporal.push_back({f[static_cast<std::size_t>(l)][d], d});
        }
      }
    };
    auto admissible = [&](const CostResult& cost) {
      return cost.feasible() && cost.utilization + 1e-12 >= options_.min_utilization;
    };
    auto consider = [&](const CostResult& cost) {
      if (admissible(cost)) {
        const double v = objective_value(options_.objective, cost);
        if (v < best.value) {
          best.found = true;
          best.value = v;
          best.mapping = m;
          best.cost = cost;
        }
      }
    };
    auto next = [&](Choice& choice) {  // odometer, level 0 fastest; false after the last
      for (int l = 0; l < n_; ++l) {
        auto& c = choice[static_cast<std::size_t>(l)];
        if (++c < orders[static_cast<std::size_t>(l)].orders.size()) return true;
        c = 0;
      }
      return false;
    };

    constexpr std::size_t kMaxBoundedCombos = 27;  // up to three levels with a free order
    if (!bound_ || combos <= 1 || combos > kMaxBoundedCombos) {
      Choice choice{};
      do {
        build(choice);
        thread_local CostResult scratch;  // large: kept per thread, reset by evaluate_into
        evaluate_into(problem_, m, scratch);
        const CostResult& cost = scratch;
        ++best.evaluated;
        // Capacity, array size and utilization do not depend on the orders.
        if (!admissible(cost)) return;
        consider(cost);
      } while (next(choice));
      return;
    }

    // The choices in enumeration order, and for each tensor the loops each choice keeps
    // resident at each level (the tensor-irrelevant loops after its last relevant one),
    // 16 bits per level (a bit per position in the layer's dimensions). A tensor's counts depend on the orders only through these
    // sets, and only fall as they grow (docs/search.md).
    // resident_at[l][o][t]: the loops order o of level l keeps resident for tensor t.
    // A level with one order adds the same set to every choice, so only the levels with
    // a choice get 16 bits: at most four (2^5 > kMaxBoundedCombos).
    thread_local std::array<std::array<PerTensor<std::uint64_t>, kMaxBoundedCombos>, kMaxLevels> resident_at;
    int byte = 0;
    for (int l = 0; l < n_; ++l) {
      const auto& level_orders = orders[static_cast<std::size_t>(l)].orders;
      const bool has_choice = level_orders.size() > 1;
      for (std::size_t o = 0; o < level_orders.size(); ++o) {
        for (TensorId t : tensors_) {
          std::uint64_t set = 0;
          for (Dim d : level_orders[o]) {
            set = is_relevant(problem_.projection[t], d) ? 0 : set | (1u << dim_position_[d]);
          }
          resident_at[static_cast<std::size_t>(l)][o][t] = has_choice ? set << (16 * byte) : 0;
        }
      }
      if (has_choice) ++byte;
    }
    struct Candidate {
      Choice choice;
      PerTensor<std::uint64_t> resident;  // all levels' sets, 16 bits each
      PerTensor<double> low_pj;           // lower bound on each tensor's energy
      std::uint8_t cost;                  // index into `costs` once evaluated
      bool evaluated;
    };
    thread_local std::array<Candidate, kMaxBoundedCombos> cand;  // every field used is set below
    {
      Choice c{};
      std::size_t i = 0;
      do {
        Candidate& k = cand[i++];
        k.choice = c;
        k.low_pj = low_pj;
        k.evaluated = false;
        k.cost = 0;
        for (TensorId t : tensors_) {
          std::uint64_t set = 0;
          for (int l = 0; l < n_; ++l) set |= resident_at[static_cast<std::size_t>(l)][c[static_cast<std::size_t>(l)]][t];
          k.resident[t] = set;
        }
      } while (next(c));
    }
    // Costs live in per-thread scratch: a CostResult is large and zeroed on construction.
    thread_local std::vector<CostResult> costs(kMaxBoundedCombos);
    std::size_t num_costs = 0;
    double incumbent = std::min(bound, best.value);
    double mac_pj = 0.0, compute_cycles = 0.0;
    while (true) {
      // The candidate with the smallest bound that is not evaluated yet (the first one
      // in enumeration order among equals).
      std::size_t pick = combos;
      double pick_bound = std::numeric_limits<double>::infinity();
      for (std::size_t i = 0; i < combos; ++i) {
        if (cand[i].evaluated) continue;
        const double b = detail::order_lower_bound(options_.objective, cand[i].low_pj, mac_pj, compute_cycles);
        if (pick == combos || b < pick_bound) { pick = i; pick_bound = b; }
      }
      if (pick == combos || pick_bound > incumbent) break;
      Candidate& c = cand[pick];
      build(c.choice);
      CostResult& cost = costs[num_costs];
      evaluate_into(problem_, m, cost);
      c.cost = static_cast<std::uint8_t>(num_costs++);
      ++best.evaluated;
      c.evaluated = true;
      mac_pj = cost.mac_energy_pj;  // the same for every choice, as are compute cycles
      // Fill and drain too: folds and the per-PE loops are the blocking's.
      compute_cycles = static_cast<double>(cycles_floor(problem_.min_fill_drain_per_fold, cost.compute_cycles, cost.folds));
      if (!admissible(cost)) return;  // nor does any other choice of this blocking fit
      incumbent = std::min(incumbent, objective_value(options_.objective, cost));
      // A choice whose resident sets for t are within this one's costs t at least as much.
      for (TensorId t : tensors_) {
        const double e = bound_energy_(cost, t);
        const std::uint64_t mine = c.resident[t];
        for (std::size_t i = 0; i < combos; ++i) {
          if ((mine & cand[i].resident[t]) == cand[i].resident[t]) cand[i].low_pj[t] = std::max(cand[i].low_pj[t], e);
        }
      }
    }
    std::size_t evaluated = 0;
    for (std::size_t i = 0; i < combos; ++i) {
      if (!cand[i].evaluated) continue;
      ++evaluated;
      build(cand[i].choice);
      consider(costs[cand[i].cost]);
    }
    if (evaluated < combos) ++best.pruned;
  }


 private:
  const Layer& layer_;
  const Architecture& arch_;
  const MapperOptions& options_;
  PreparedProblem problem_;
  PerDim<std::uint8_t> dim_position_{};  // index of each dimension in layer_.dims
  std::span<const TensorId> tensors_;  // the layer's tensor slots
  detail::LoopOrderSpace order_space_;
  int n_;
  int array_level_;
  bool bound_;
  bool item_bound_;  // work items are bounded before they are enumerated
  bool per_pe_bound_;  // several per-PE levels: each choice of their factors is bounded
  double mac_pj_;      // MAC energy: the same in every mapping of the layer
  PerTensor<double> floor_pj_;
  detail::BoundEnergy bound_energy_;
  std::vector<SpatialChoice> spatial_;
  struct InnerList {
    std::vector<std::int64_t> factors;  // per choice, one factor per dimension in layer_.dims
    std::uint64_t count = 0;            // choices (also when the layer has no dimension)
  };
  std::vector<InnerList> lists_;                   // innermost-level choices
  std::vector<std::uint32_t> item_list_;           // per spatial choice: its list
  std::vector<std::uint64_t> item_offset_;         // per spatial choice: its first item; then the count
};

}  // namespace

namespace {

// The loop orders of one level stay within detail::kMaxLevelOrders: at most one per
// ranking of the tensors (5! = 120 for 5 tensors), and at most one per weak ordering of
// the irrelevance classes of the loops (541 for 5 classes; loop_orders.hpp).
Expected<void> check_order_count(const Layer& layer) {
  const std::span<const TensorId> tensors = layer_tensors(layer);
  if (tensors.size() <= 5) return {};
  const Projection projection = projection_of(layer);
  std::array<std::uint32_t, kMaxTensors> relevant{};
  for (TensorId t : tensors) relevant[static_cast<std::size_t>(t)] = projection[t].relevant;
  FixedVector<Dim, kMaxWorkloadDims> looped;  // dimensions that can have a loop
  for (Dim d : layer.dims) if (layer.bounds[d] > 1) looped.push_back(d);
  const std::size_t classes =
      detail::distinct_irrelevance_classes({looped.begin(), looped.size()}, {relevant.data(), tensors.size()});
  if (classes <= 5) return {};
  return Error{"layer '" + layer.name + "': " + std::to_string(tensors.size()) + " tensors whose dimensions fall into " +
               std::to_string(classes) + " sets of tensors they do not index, some dimension into two or more; " +
               "with more than 5 tensors the mapper handles at most 5 such sets (" +
               std::to_string(detail::kMaxLevelOrders) + " loop orders per level)"};
}

}  // namespace

Expected<void> check_searchable(const Layer& layer) {
  if (auto ok = check_order_count(layer); !ok) return ok;
  if (macs(layer) <= kMaxSearchedMacs) return {};
  return Error{"layer '" + layer.name + "': " + std::to_string(macs(layer)) + " MACs; the mapper searches at most 2^49 = " +
               std::to_string(kMaxSearchedMacs) + " (use a smaller batch)"};
}

Expected<void> check_searchable(const Network& network) {
  for (const Layer& layer : network.layers) {
    if (auto ok = check_order_count(layer); !ok) return ok;
  }
  const std::int64_t all = total_macs(network);
  if (all <= kMaxSearchedMacs) return {};
  return Error{"network '" + network.name + "': " + std::to_string(all) +
               " MACs in all; the mapper searches at most 2^49 = " + std::to_string(kMaxSearchedMacs) +
               " per network (use a smaller batch)"};
}

double objective_value(Objective objective, const CostResult& cost) noexcept {
  switch (objective) {
    case Objective::Energy: return cost.energy_pj;
    case Objective::Cycles: return static_cast<double>(cost.cycles);
    case Objective::EnergyDelay: return cost.energy_pj * static_cast<double>(cost.cycles);
  }
  return cost.energy_pj;
}

std::vector<Dataflow> two_loop_dataflows(const Layer& layer) {
  std::vector<Dataflow> out;
  for (std::size_t i = 0; i < layer.dims.size(); ++i) {
    for (std::size_t j = i + 1; j < layer.dims.size(); ++j) {
      const Dim u = layer.dims[i], v = layer.dims[j];
      if (layer.bounds[u] < 2 || layer.bounds[v] < 2) continue;
      Dataflow df;
      df.rows.push_back(u);
      df.cols.push_back(v);
      out.push_back(df);
    }
  }
  return out;
}

namespace {

// One exact search over `dataflows` on an architecture with nothing left open. Mappings
// whose objective is above `incumbent` (the best found on another storage choice) may be
// skipped: found is false when every mapping is.
MapperResult search_dataflows(const Layer& layer, const Architecture& arch, const MapperOptions& options,
                              const std::vector<Dataflow>& dataflows, double incumbent) {
  Search search(layer, arch, options);
  search.build_items(dataflows);
  const std::size_t item_count = search.item_count();
  MapperResult result;
  result.work_items = static_cast<std::int64_t>(item_count);
  // Per item only its objective is kept (the waves' bounds need it); the best mapping is
  // reduced on the fly, keeping the smallest objective and among equals the smallest item
  // index, which is what a reduction in item order with a strict < keeps. Keeping every
  // item's Best (a Mapping and a CostResult) would cost gigabytes on layers with millions
  // of items.
  constexpr double kNone = std::numeric_limits<double>::infinity();
  // The waves' bounds read only the items of the first two waves, every 16th.
  constexpr std::size_t kKept = 16;
  std::vector<double> values(item_count / kKept + 1, kNone);
  std::mutex best_mutex;
  Best best;
  std::size_t best_index = item_count;
  std::atomic<std::int64_t> evaluated{0}, pruned{0}, skipped_items{0}, skipped_blockings{0}, skipped_subtrees{0},
      bound_evaluations{0}, items_searched{0};
  const int threads = options.threads > 0 ? options.threads
                                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  // Waves, so that the bound every item prunes against is the same whatever the thread
  // count (and so are the result and the evaluation count): first every 256th item with
  // no outside bound, then every 16th of the others against the best objective found so
  // far, then the rest against the best of both. The first wave's items are searched
  // without the work-item bound, so it is kept small; the second tightens the bound for
  // the bulk.
  constexpr std::array<std::size_t, 3> kStrides{256, 16, 1};
  static_assert(kStrides[0] % kKept == 0 && kStrides[1] % kKept == 0, "the waves' bounds read every kKept-th item");
  // Split over processes (options.share), a wave's items are dealt out in turn; a stop in
  // one process reaches the others at the end of the wave.
  WorkShare* const share = options.share;
  const std::size_t processes = share ? static_cast<std::size_t>(share->size()) : 1;
  const std::size_t process = share ? static_cast<std::size_t>(share->rank()) : 0;
  bool stopped_elsewhere = false;
  const auto stopping = [&] {
    return stopped_elsewhere || (options.stop && options.stop->load(std::memory_order_relaxed));
  };
  auto wave = [&](std::size_t w, double bound) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, item_count), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t i = r.begin(); i != r.end(); ++i) {
        if (i % kStrides[w] != 0 || (w > 0 && i % kStrides[w - 1] == 0)) continue;
        if ((i / kStrides[w]) % processes != process) continue;
        if (stopping()) return;
        Best b = search.run_item(i, bound);
        if (!stopping()) items_searched.fetch_add(1, std::memory_order_relaxed);
        evaluated.fetch_add(b.evaluated, std::memory_order_relaxed);
        pruned.fetch_add(b.pruned, std::memory_order_relaxed);
        skipped_items.fetch_add(b.skipped_items, std::memory_order_relaxed);
        skipped_blockings.fetch_add(b.skipped_blockings, std::memory_order_relaxed);
        skipped_subtrees.fetch_add(b.skipped_subtrees, std::memory_order_relaxed);
        bound_evaluations.fetch_add(b.bound_evaluations, std::memory_order_relaxed);
        if (b.found) {
          if (i % kKept == 0) values[i / kKept] = b.value;
          const std::lock_guard<std::mutex> lock(best_mutex);
          if (!best.found || b.value < best.value || (b.value == best.value && i < best_index)) {
            best = std::move(b);
            best_index = i;
          }
        }
        if (options.progress) options.progress->fetch_add(1, std::memory_order_relaxed);
      }
    });
  };
  double best_so_far = incumbent;
  for (std::size_t w = 0; w < kStrides.size(); ++w) {
    wave(w, best_so_far);
    if (w + 1 == kStrides.size()) break;  // the last wave's bound is not needed
    for (std::size_t i = 0; i < item_count; i += kStrides[w]) best_so_far = std::min(best_so_far, values[i / kKept]);
    if (share) {  // every process's items: the bound of the next wave, and whether one stopped
      std::array<double, 2> shared{best_so_far, stopping() ? 0.0 : 1.0};
      share->min_all(shared);
      best_so_far = shared[0];
      stopped_elsewhere = shared[1] == 0.0;
    }
  }
  std::array<std::int64_t, 7> counts{evaluated.load(),        pruned.load(),           skipped_items.load(),
                                     skipped_blockings.load(), skipped_subtrees.load(), bound_evaluations.load(),
                                     items_searched.load()};
  result.interrupted = stopping();
  if (share) {
    share->sum_all(counts);
    // The best of all processes: the smallest objective, among equals the smallest item
    // index (as in one process); its owner sends the mapping and its cost.
    std::array<double, 2> value{best.found ? best.value : kNone, result.interrupted ? 0.0 : 1.0};
    share->min_all(value);
    result.interrupted = value[1] == 0.0;
    const bool mine = best.found && best.value == value[0];
    std::array<double, 1> index{mine ? static_cast<double>(best_index) : kNone};  // item indices are below 2^53
    share->min_all(index);
    std::array<double, 1> owner{mine && static_cast<double>(best_index) == index[0] ? static_cast<double>(process) : kNone};
    share->min_all(owner);
    if (owner[0] != kNone) {
      static_assert(std::is_trivially_copyable_v<Mapping> && std::is_trivially_copyable_v<CostResult>);
      const int root = static_cast<int>(owner[0]);
      share->broadcast(std::as_writable_bytes(std::span(&best.mapping, 1)), root);
      share->broadcast(std::as_writable_bytes(std::span(&best.cost, 1)), root);
      best.found = true;
      best.value = value[0];
    }
  }
  result.evaluated = counts[0];
  result.pruned = counts[1];
  result.skipped_items = counts[2];
  result.skipped_blockings = counts[3];
  result.skipped_subtrees = counts[4];
  result.bound_evaluations = counts[5];
  result.work_items_searched = counts[6];
  if (best.found) {
    result.found = true;
    result.objective_value = best.value;
    result.mapping = std::move(best.mapping);
    result.cost = best.cost;
  }
  return result;
}

// Adds the work counts of `other` to `into`.
void add_counts(MapperResult& into, const MapperResult& other) {
  into.evaluated += other.evaluated;
  into.pruned += other.pruned;
  into.work_items += other.work_items;
  into.skipped_items += other.skipped_items;
  into.skipped_blockings += other.skipped_blockings;
  into.skipped_subtrees += other.skipped_subtrees;
  into.bound_evaluations += other.bound_evaluations;
  into.work_items_searched += other.work_items_searched;
  into.storage_choices_searched += other.storage_choices_searched;
  into.storage_choices_skipped += other.storage_choices_skipped;
}

// The storage choices of an architecture that leaves some open, as the mapper visits them
// (docs/search.md, "Bypass and buffering"): the most promising first (smallest lower
// bound on the energy of all their mappings), each with that bound.
struct StorageCandidate {
  std::size_t index;  // in storage_choices order: ties between choices go to the smaller
  StorageChoice choice;
  Architecture arch;
  double floor;       // order_lower_bound of the tensor floors: no mapping is below it
};

std::vector<StorageCandidate> storage_candidates(const Layer& layer, const Architecture& arch,
                                                 const MapperOptions& options) {
  std::vector<StorageChoice> choices = storage_choices(arch);
  std::vector<StorageCandidate> out;
  out.reserve(choices.size());
  // Double buffering only halves a level's capacity and hides its refill stalls: any
  // mapping that fits it double-buffered fits it single-buffered with the same counts.
  // So single buffering is at least as good (and only it is kept) on a level without a
  // bandwidth limit (no stalls to hide), and on every level when energy is the objective
  // and nothing leaks (energy then does not depend on cycles).
  const bool energy_only = options.objective == Objective::Energy && !has_leakage(arch);
  std::vector<bool> single_suffices(arch.levels.size());
  for (std::size_t l = 0; l < arch.levels.size(); ++l) {
    const StorageLevel& level = arch.levels[l];
    const bool unlimited = level.bandwidth_words_per_cycle <= 0.0 && level.read_bandwidth_words_per_cycle <= 0.0 &&
                           level.write_bandwidth_words_per_cycle <= 0.0;
    single_suffices[l] = level.buffering_searched && (energy_only || unlimited);
  }
  for (std::size_t i = 0; i < choices.size(); ++i) {
    bool dominated = false;
    for (std::size_t l = 0; l < arch.levels.size(); ++l) {
      dominated = dominated || (single_suffices[l] && choices[i].levels[l].double_buffered);
    }
    if (dominated) continue;
    Architecture variant = with_storage(arch, choices[i]);
    const PerTensor<double> floors = detail::tensor_energy_floor_pj(layer, variant);
    const double mac_pj = static_cast<double>(macs(layer)) * mac_energy_per_mac_pj(variant);
    const double floor = detail::order_lower_bound(options.objective, floors, mac_pj, 0.0);
    out.push_back({i, std::move(choices[i]), std::move(variant), floor});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const StorageCandidate& a, const StorageCandidate& b) { return a.floor < b.floor; });
  return out;
}

// The best mapping over `dataflows` and every storage choice: one exact search per choice,
// each bounded by the best of those before it.
MapperResult search_storage(const Layer& layer, const std::vector<StorageCandidate>& candidates,
                            const MapperOptions& options, const std::vector<Dataflow>& dataflows) {
  MapperResult best;
  std::size_t best_index = 0;
  for (const StorageCandidate& c : candidates) {
    const double incumbent = best.found ? best.objective_value : std::numeric_limits<double>::infinity();
    if (options.prune && !sparsity_applies(layer, c.arch) && c.floor > incumbent) {
      ++best.storage_choices_skipped;
      continue;
    }
    MapperResult r = search_dataflows(layer, c.arch, options, dataflows, incumbent);
    ++r.storage_choices_searched;
    if (r.found && (!best.found || r.objective_value < best.objective_value ||
                    (r.objective_value == best.objective_value && c.index < best_index))) {
      add_counts(r, best);
      r.replicated = false;
      best = std::move(r);
      best.storage = c.choice;
      best_index = c.index;
    } else {
      add_counts(best, r);
      best.interrupted = best.interrupted || r.interrupted;
    }
    // Split over processes, r.interrupted is what all agreed; a flag read now might not be.
    best.interrupted = best.interrupted || r.interrupted || (!options.share && options.stop && options.stop->load());
    if (best.interrupted) break;
  }
  return best;
}

// The search itself (find_best_mapping without a time limit).
MapperResult find_best_mapping_unlimited(const Layer& layer, const Architecture& arch, const MapperOptions& options) {
  std::vector<StorageCandidate> candidates;
  if (leaves_storage_open(arch)) {
    candidates = storage_candidates(layer, arch, options);
  } else {
    candidates.push_back({0, storage_of(arch), arch, -std::numeric_limits<double>::infinity()});
  }
  // Without a mapping the storage reported is the architecture's own.
  const auto with_own_storage = [&](MapperResult r) {
    if (!r.found) r.storage = storage_of(arch);
    return r;
  };
  if (options.dataflows.empty()) {
    // In 1..3 dataflow_space cannot fail; with 1 it is two_loop_dataflows.
    return with_own_storage(search_storage(layer, candidates, options,
                                           *dataflow_space(layer, std::clamp(options.max_loops_per_axis, 1, 3))));
  }
  MapperResult result = search_storage(layer, candidates, options, options.dataflows);
  if (result.found || result.interrupted || !options.replicate_if_unmapped) return with_own_storage(std::move(result));
  constexpr int kRounds = 2;  // a third round multiplies the dataflows again, for little
  std::vector<Dataflow> current = options.dataflows;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<Dataflow> next;
    for (const Dataflow& df : current) {
      for (Dataflow& ext : replicated_extensions(df, layer, arch.array)) {
        if (std::find(next.begin(), next.end(), ext) == next.end()) next.push_back(std::move(ext));
      }
    }
    if (next.empty()) break;
    const MapperResult before = result;
    result = search_storage(layer, candidates, options, next);
    add_counts(result, before);  // the work counts cover every round
    result.replicated = result.found;
    if (result.found || result.interrupted) break;
    current = std::move(next);
  }
  return with_own_storage(std::move(result));
}

}  // namespace

bool stop_requested(const MapperOptions& options) {
  const bool here = options.stop && options.stop->load();
  if (!options.share) return here;
  std::array<double, 1> running{here ? 0.0 : 1.0};
  options.share->min_all(running);
  return running[0] == 0.0;
}

MapperResult find_best_mapping(const Layer& layer, const Architecture& arch, const MapperOptions& options) {
  if (!(options.time_limit_s > 0.0)) return find_best_mapping_unlimited(layer, arch, options);
  // A watcher sets a stop flag of this search's own when the budget runs out, or when
  // the caller's stop flag is set (Ctrl-C), and is woken when the search ends first.
  std::atomic<bool> stop{false};
  bool timed_out = false, done = false;
  std::mutex mutex;
  std::condition_variable wake;
  const std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(std::min(options.time_limit_s, 1e7)));  // 116 days: no overflow
  std::thread watcher_thread([&] {
    std::unique_lock<std::mutex> lock(mutex);
    while (!done) {
      if (options.stop && options.stop->load()) {
        stop = true;
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        timed_out = true;
        stop = true;
        break;
      }
      // Wakes at the deadline, when the search ends, or every 50 ms to see the caller's flag.
      wake.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
    }
  });
  // Ends the watcher however the search ends (an exception too: a joinable thread must
  // not be destroyed).
  struct Join {
    std::thread& thread;
    std::mutex& mutex;
    std::condition_variable& wake;
    bool& done;
    ~Join() {
      {
        const std::lock_guard<std::mutex> lock(mutex);
        done = true;
      }
      wake.notify_all();
      thread.join();
    }
  };
  MapperResult result;
  {
    const Join join{watcher_thread, mutex, wake, done};
    MapperOptions inner = options;
    inner.stop = &stop;
    inner.time_limit_s = 0.0;
    result = find_best_mapping_unlimited(layer, arch, inner);
  }
  // Only a search that saw the stop was cut short; the watcher may have fired after it ended.
  const bool cut = result.interrupted;
  if (options.share) {  // whether any process ran out of time, so that all say the same
    std::array<double, 1> in_time{timed_out ? 0.0 : 1.0};
    options.share->min_all(in_time);
    timed_out = in_time[0] == 0.0;
  }
  result.timed_out = cut && timed_out;
  result.interrupted = cut && !timed_out;
  return result;
}

}  // namespace dnnspace
