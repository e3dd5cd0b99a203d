#include "dnnspace/search/dse.hpp"

#include <functional>

#include "dnnspace/arch/area.hpp"
#include "dnnspace/search/network_search.hpp"
#include "dnnspace/search/pareto.hpp"

namespace dnnspace {

DesignPoint evaluate_design(const Network& network, const Architecture& arch, const MapperOptions& options,
                            std::string label, const NetworkSearchHooks& hooks) {
  NetworkSearch search = search_network(network, arch, options, hooks);
  DesignPoint point;
  point.label = std::move(label);
  point.arch = arch;
  point.area_mm2 = area_mm2(arch);
  for (LayerSearch& l : search.layers) {
    point.layers.push_back(std::move(l.result));
    point.layer_names.push_back(std::move(l.name));
  }
  point.energy_pj = search.total.energy_pj;
  point.cycles = search.total.cycles;
  point.macs = search.total.macs;
  point.level_energy_pj = std::move(search.total.level_energy_pj);
  point.layers_mapped = search.total.layers_mapped;
  point.complete = search.complete();
  point.interrupted = search.interrupted;
  return point;
}

namespace {

double level_share(const DesignPoint& p, int level) {
  return p.energy_pj > 0 ? p.level_energy_pj[static_cast<std::size_t>(level)] / p.energy_pj : 0.0;
}

bool better(Objective objective, const DesignPoint& a, const DesignPoint* b) {
  return a.complete && (!b || design_objective(objective, a) < design_objective(objective, *b));
}

}  // namespace

double design_objective(Objective objective, const DesignPoint& point) noexcept {
  switch (objective) {
    case Objective::Energy: return point.energy_pj;
    case Objective::Cycles: return static_cast<double>(point.cycles);
    case Objective::EnergyDelay: return point.energy_pj * static_cast<double>(point.cycles);
  }
  return point.energy_pj;
}

DesignFronts design_fronts(const std::vector<DesignPoint>& points) {
  std::vector<std::size_t> complete;
  std::vector<CostPair> by_area, by_cycles;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!points[i].complete) continue;
    complete.push_back(i);
    by_area.push_back({points[i].area_mm2, points[i].energy_pj});
    by_cycles.push_back({static_cast<double>(points[i].cycles), points[i].energy_pj});
  }
  DesignFronts fronts;
  for (std::size_t k : pareto_front(by_area)) fronts.energy_vs_area.push_back(complete[k]);
  for (std::size_t k : pareto_front(by_cycles)) fronts.energy_vs_cycles.push_back(complete[k]);
  return fronts;
}


Expected<AutoOptimizerResult> auto_optimize(const Network& network, const Architecture& base,
                                            const MapperOptions& options, const AutoOptimizerSpace& space) {
  // Observation 1: the dataflow does not matter much, so fix it to C|K. A layer C|K
  // cannot map (C = 3, depthwise) takes its replicated extensions when the options ask.
  Dataflow ck;
  ck.rows.push_back(Dim::C);
  ck.cols.push_back(Dim::K);
  MapperOptions ck_options = options;
  ck_options.dataflows = {ck};
  const auto stopped = [&] { return options.stop && options.stop->load(); };
  AutoOptimizerResult out;
  // Check that both keys apply before any search runs.
  for (SweepKey key : {SweepKey::RegFile, SweepKey::GlobalBuffer}) {
    SweepValue probe{key, 1024, 0, 0, false, false};
    if (Expected<Architecture> a = apply_sweep_point(base, {probe}); !a) return Error{"auto-optimizer: " + a.error().message};
  }
  if (const LevelRoles roles = level_roles(base); roles.rf2 >= 0) {
    return Error{"auto-optimizer: architecture '" + base.name + "' already has two per-PE levels ('" +
                 base.levels[static_cast<std::size_t>(roles.rf2)].name + "', '" +
                 base.levels[static_cast<std::size_t>(roles.rf)].name +
                 "'); its last step adds the second register file, so give a base with one"};
  }
  out.base = evaluate_design(network, base, ck_options, "base");

  // One nested search: `outer` sizes in increasing order, and for each the `inner` sizes
  // in increasing order; a size stops growing once its level holds more than the
  // dominant share of the energy (Observation 2). Returns the index of the best point.
  const auto search = [&](const std::vector<std::pair<SweepKey, std::vector<std::int64_t>>>& axes,
                          const SweepPoint& fixed, const std::function<bool(std::int64_t, std::int64_t)>& allowed,
                          int outer_level, int inner_level) -> Expected<std::optional<std::size_t>> {
    std::optional<std::size_t> best;
    for (std::int64_t outer : axes[0].second) {
      // Whether the outer level dominates is judged on the best design with this outer
      // size: at a too-small inner size the outer level takes the traffic the inner one
      // cannot shield, which says nothing against growing the outer one.
      std::optional<std::size_t> best_inner;
      for (std::int64_t inner : axes[1].second) {
        if (!allowed(outer, inner)) continue;
        if (stopped()) { out.interrupted = true; return best; }
        SweepPoint point = fixed;
        point.push_back({axes[0].first, outer, 0, 0, false, false});
        point.push_back({axes[1].first, inner, 0, 0, false, false});
        Expected<Architecture> arch = apply_sweep_point(base, point);
        if (!arch) return Error{"auto-optimizer: " + arch.error().message};
        DesignPoint p = evaluate_design(network, *arch, ck_options, sweep_point_label(point));
        if (p.interrupted) out.interrupted = true;
        const bool inner_dominates = level_share(p, inner_level) > space.dominant_share;
        out.explored.push_back(std::move(p));
        const std::size_t index = out.explored.size() - 1;
        if (!best_inner ||
            design_objective(options.objective, out.explored[index]) <
                design_objective(options.objective, out.explored[*best_inner])) {
          best_inner = index;
        }
        if (better(options.objective, out.explored[index], best ? &out.explored[*best] : nullptr)) best = index;
        if (out.interrupted) return best;
        if (inner_dominates) break;
      }
      if (best_inner && level_share(out.explored[*best_inner], outer_level) > space.dominant_share) break;
    }
    return best;
  };

  // Step 2 of 004: rf and gb in the three-level hierarchy (gb outer, rf inner).
  const int n = static_cast<int>(base.levels.size());
  const int gb_level = base.array.parent_level;
  Expected<std::optional<std::size_t>> one_rf = search(
      {{SweepKey::GlobalBuffer, space.gb_sizes_bytes}, {SweepKey::RegFile, space.rf_sizes_bytes}}, {},
      [&](std::int64_t gb, std::int64_t rf) { return gb >= space.min_size_ratio * rf; }, gb_level, n - 1);
  if (!one_rf) return one_rf.error();
  out.best_one_rf = *one_rf;

  // Step 3: keep the best gb, add a second register file and size both.
  if (out.best_one_rf && !out.interrupted) {
    const DesignPoint& best = out.explored[*out.best_one_rf];
    const std::int64_t gb = best.arch.levels[static_cast<std::size_t>(gb_level)].capacity_bytes;
    SweepPoint fixed = {{SweepKey::Levels, 0, 0, 0, true, false}, {SweepKey::GlobalBuffer, gb, 0, 0, false, false}};
    // With +rf2 the innermost level is still rf (index n), rf2 sits above it (n - 1).
    Expected<std::optional<std::size_t>> two_rf = search(
        {{SweepKey::RegFile, space.rf_sizes_bytes}, {SweepKey::RegFile2, space.rf_sizes_bytes}}, fixed,
        [&](std::int64_t rf, std::int64_t rf2) {
          return rf2 >= space.min_size_ratio * rf && gb >= space.min_size_ratio * rf2;
        },
        n, n - 1);
    if (!two_rf) return two_rf.error();
    out.best_two_rf = *two_rf;
  }

  const DesignPoint* chosen = out.base.complete ? &out.base : nullptr;
  out.base_chosen = chosen != nullptr;
  for (std::size_t i = 0; i < out.explored.size(); ++i) {
    if (better(options.objective, out.explored[i], chosen)) {
      chosen = &out.explored[i];
      out.chosen = i;
      out.base_chosen = false;
    }
  }
  return out;
}

}  // namespace dnnspace
