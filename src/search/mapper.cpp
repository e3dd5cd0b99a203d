#include "dnnspace/search/mapper.hpp"

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <limits>
#include <thread>

#include "dnnspace/mapping/footprint.hpp"

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

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// One way to unroll a dataflow's dimensions on the array.
struct SpatialChoice {
  FixedVector<Loop, kMaxSpatialLoops> rows;
  FixedVector<Loop, kMaxSpatialLoops> cols;
  Factors product{{1, 1, 1, 1, 1, 1, 1, 1}};
};

void spatial_choices(const Layer& layer, const Architecture& arch, const Dataflow& df, double min_util,
                     std::vector<SpatialChoice>& out) {
  for (Dim d : df.rows) if (layer.bounds[d] < 2) return;  // the dataflow needs the dimension
  for (Dim d : df.cols) if (layer.bounds[d] < 2) return;
  const double pes = static_cast<double>(pe_count(arch));
  // Recursive over the rows dims, then the cols dims; each takes 2..min(room, bound).
  std::vector<Dim> dims(df.rows.begin(), df.rows.end());
  dims.insert(dims.end(), df.cols.begin(), df.cols.end());
  const std::size_t nrows = df.rows.size();
  SpatialChoice cur;
  auto rec = [&](auto&& self, std::size_t i, std::int64_t room_rows, std::int64_t room_cols) -> void {
    if (i == dims.size()) {
      std::int64_t used = 1;
      for (Dim d : kAllDims) used *= cur.product[d];
      // Utilization can be no higher than the fraction of PEs the unrolling uses.
      if (static_cast<double>(used) / pes + 1e-12 >= min_util) out.push_back(cur);
      return;
    }
    const bool row = i < nrows;
    const std::int64_t room = row ? room_rows : room_cols;
    const Dim d = dims[i];
    for (std::int64_t f = std::min(room, layer.bounds[d]); f >= 2; --f) {
      auto& axis = row ? cur.rows : cur.cols;
      axis.push_back({static_cast<std::int32_t>(f), d});
      cur.product[d] = f;
      self(self, i + 1, row ? room_rows / f : room_rows, row ? room_cols : room_cols / f);
      axis.pop_back();
      cur.product[d] = 1;
    }
  };
  rec(rec, 0, arch.array.rows, arch.array.cols);
}

// Cost-distinct loop orders of one level: for each tensor, its irrelevant loops
// innermost (docs/search.md). Orders are lists of dims, outermost first.
std::vector<FixedVector<Dim, kNumDims>> canonical_orders(const Factors& f) {
  std::vector<FixedVector<Dim, kNumDims>> orders;
  for (TensorId s : kAllTensors) {
    FixedVector<Dim, kNumDims> order;
    for (bool inner : {false, true}) {
      for (Dim d : kAllDims) {
        if (f[d] > 1 && is_relevant(s, d) != inner) order.push_back(d);
      }
    }
    if (std::find(orders.begin(), orders.end(), order) == orders.end()) orders.push_back(order);
  }
  return orders;
}

struct Best {
  bool found = false;
  double value = std::numeric_limits<double>::infinity();
  Mapping mapping;
  CostResult cost;
  std::int64_t evaluated = 0;
  std::size_t item = 0;  // for deterministic tie-breaking across work items
};

struct WorkItem {
  std::size_t spatial;  // index into the spatial choices
  Factors inner;        // innermost level's factors (when it is not level 0)
};

class Search {
 public:
  Search(const Layer& layer, const Architecture& arch, const MapperOptions& options)
      : layer_(layer), arch_(arch), options_(options), problem_(prepare(layer, arch)),
        n_(static_cast<int>(arch.levels.size())), array_level_(arch.array.parent_level) {}

  // Footprint of level l in bytes, given the factors of levels >= l and the spatial ones.
  bool fits(int l, const std::array<Factors, kMaxLevels>& f, const SpatialChoice& sp) const {
    const StorageLevel& spec = arch_.levels[static_cast<std::size_t>(l)];
    if (spec.capacity_bytes <= 0) return true;
    Factors extent{{1, 1, 1, 1, 1, 1, 1, 1}};
    for (int k = l; k < n_; ++k) for (Dim d : kAllDims) extent[d] *= f[static_cast<std::size_t>(k)][d];
    if (l <= array_level_) for (Dim d : kAllDims) extent[d] *= sp.product[d];
    std::int64_t words = 0;
    for (TensorId t : kAllTensors) if (spec.holds[t]) words += footprint_words(layer_, extent, t);
    return words * word_bytes(arch_) * (spec.double_buffered ? 2 : 1) <= spec.capacity_bytes;
  }

  // All factor choices of level l over the remaining extents, largest tiles pruned by capacity.
  void level_choices(int l, const Factors& remaining, std::array<Factors, kMaxLevels>& f,
                     const SpatialChoice& sp, std::vector<Factors>& out) const {
    auto rec = [&](auto&& self, std::size_t di) -> void {
      if (di == kNumDims) { out.push_back(f[static_cast<std::size_t>(l)]); return; }
      const Dim d = kAllDims[di];
      for (std::int64_t v : divisors(remaining[d])) {
        f[static_cast<std::size_t>(l)][d] = v;
        if (!fits(l, f, sp)) break;  // footprints grow with every factor
        self(self, di + 1);
      }
      f[static_cast<std::size_t>(l)][d] = 1;
    };
    rec(rec, 0);
  }

  void build_items(const std::vector<Dataflow>& dataflows) {
    for (const Dataflow& df : dataflows) spatial_choices(layer_, arch_, df, options_.min_utilization, spatial_);
    for (std::size_t s = 0; s < spatial_.size(); ++s) {
      Factors remaining;
      for (Dim d : kAllDims) remaining[d] = ceil_div(layer_.bounds[d], spatial_[s].product[d]);
      if (n_ == 1) { items_.push_back({s, Factors{{1, 1, 1, 1, 1, 1, 1, 1}}}); continue; }
      std::array<Factors, kMaxLevels> f;
      for (auto& level : f) level = Factors{{1, 1, 1, 1, 1, 1, 1, 1}};
      std::vector<Factors> inner;
      level_choices(n_ - 1, remaining, f, spatial_[s], inner);
      for (const Factors& c : inner) items_.push_back({s, c});
    }
  }

  Best run_item(std::size_t index) const {
    Best best;
    best.item = index;
    const WorkItem& item = items_[index];
    const SpatialChoice& sp = spatial_[item.spatial];
    std::array<Factors, kMaxLevels> f;
    for (auto& level : f) level = Factors{{1, 1, 1, 1, 1, 1, 1, 1}};
    Factors remaining;
    for (Dim d : kAllDims) remaining[d] = ceil_div(layer_.bounds[d], sp.product[d]);
    if (n_ > 1) {
      f[static_cast<std::size_t>(n_ - 1)] = item.inner;
      for (Dim d : kAllDims) remaining[d] /= item.inner[d];
    }
    middle_levels(n_ - 2, remaining, f, sp, best);
    return best;
  }

  void middle_levels(int l, const Factors& remaining, std::array<Factors, kMaxLevels>& f,
                     const SpatialChoice& sp, Best& best) const {
    if (options_.stop && options_.stop->load(std::memory_order_relaxed)) return;
    if (l <= 0) {
      f[0] = remaining;
      if (!fits(0, f, sp)) return;
      orders_and_evaluate(f, sp, best);
      return;
    }
    std::vector<Factors> choices;
    level_choices(l, remaining, f, sp, choices);
    for (const Factors& c : choices) {
      f[static_cast<std::size_t>(l)] = c;
      Factors rest = remaining;
      for (Dim d : kAllDims) rest[d] /= c[d];
      middle_levels(l - 1, rest, f, sp, best);
    }
    f[static_cast<std::size_t>(l)] = Factors{{1, 1, 1, 1, 1, 1, 1, 1}};
  }

  void orders_and_evaluate(const std::array<Factors, kMaxLevels>& f, const SpatialChoice& sp, Best& best) const {
    // Orders matter only on levels with a level below them (docs/search.md).
    std::array<std::vector<FixedVector<Dim, kNumDims>>, kMaxLevels> orders;
    for (int l = 0; l < n_; ++l) {
      const auto& fl = f[static_cast<std::size_t>(l)];
      orders[static_cast<std::size_t>(l)] = l + 1 < n_ ? canonical_orders(fl)
                                                        : std::vector<FixedVector<Dim, kNumDims>>{canonical_orders(fl)[0]};
    }
    Mapping m;
    m.levels.resize(static_cast<std::size_t>(n_));
    m.levels[static_cast<std::size_t>(array_level_)].rows = sp.rows;
    m.levels[static_cast<std::size_t>(array_level_)].cols = sp.cols;
    std::array<std::size_t, kMaxLevels> choice{};
    while (true) {
      for (int l = 0; l < n_; ++l) {
        auto& temporal = m.levels[static_cast<std::size_t>(l)].temporal;
        temporal.clear();
        for (Dim d : orders[static_cast<std::size_t>(l)][choice[static_cast<std::size_t>(l)]]) {
          temporal.push_back({static_cast<std::int32_t>(f[static_cast<std::size_t>(l)][d]), d});
        }
      }
      const CostResult cost = evaluate(problem_, m);
      ++best.evaluated;
      if (cost.feasible() && cost.utilization + 1e-12 >= options_.min_utilization) {
        const double v = objective_value(options_.objective, cost);
        if (v < best.value) {
          best.found = true;
          best.value = v;
          best.mapping = m;
          best.cost = cost;
        }
      }
      int l = 0;
      for (; l < n_; ++l) {
        auto& c = choice[static_cast<std::size_t>(l)];
        if (++c < orders[static_cast<std::size_t>(l)].size()) break;
        c = 0;
      }
      if (l == n_) return;
    }
  }

  const std::vector<WorkItem>& items() const { return items_; }

 private:
  const Layer& layer_;
  const Architecture& arch_;
  const MapperOptions& options_;
  PreparedProblem problem_;
  int n_;
  int array_level_;
  std::vector<SpatialChoice> spatial_;
  std::vector<WorkItem> items_;
};

}  // namespace

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
  for (std::size_t i = 0; i < kNumDims; ++i) {
    for (std::size_t j = i + 1; j < kNumDims; ++j) {
      const Dim u = kAllDims[i], v = kAllDims[j];
      if (layer.bounds[u] < 2 || layer.bounds[v] < 2) continue;
      Dataflow df;
      df.rows.push_back(u);
      df.cols.push_back(v);
      out.push_back(df);
    }
  }
  return out;
}

MapperResult find_best_mapping(const Layer& layer, const Architecture& arch, const MapperOptions& options) {
  Search search(layer, arch, options);
  search.build_items(options.dataflows.empty() ? two_loop_dataflows(layer) : options.dataflows);
  const auto& items = search.items();
  MapperResult result;
  result.work_items = static_cast<std::int64_t>(items.size());
  std::vector<Best> bests(items.size());
  const int threads = options.threads > 0 ? options.threads
                                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, items.size()), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      if (options.stop && options.stop->load(std::memory_order_relaxed)) return;
      bests[i] = search.run_item(i);
      if (options.progress) options.progress->fetch_add(1, std::memory_order_relaxed);
    }
  });
  // Reduce in item order: deterministic whatever the thread count.
  for (const Best& b : bests) {
    result.evaluated += b.evaluated;
    if (b.found && (!result.found || b.value < result.objective_value)) {
      result.found = true;
      result.objective_value = b.value;
      result.mapping = b.mapping;
      result.cost = b.cost;
    }
  }
  result.interrupted = options.stop && options.stop->load();
  return result;
}

}  // namespace dnnspace
