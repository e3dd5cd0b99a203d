#include "dnnspace/search/minerva_dse.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "dnnspace/arch/area.hpp"
#include "dnnspace/search/pareto.hpp"

namespace dnnspace {

Expected<MinervaFootprint> minerva_footprint(const Network& network) {
  MinervaFootprint out;
  if (network.layers.empty()) return Error{"minerva: the network has no layers"};
  for (const Layer& layer : network.layers) {
    if (layer.kind != LayerKind::FullyConnected) {
      return Error{"minerva: layer '" + layer.name + "' is not fully connected; Minerva's datapath runs MLPs"};
    }
    out.weight_words += weight_count(layer);
    out.max_activation_words = std::max({out.max_activation_words, layer.bounds[Dim::C], layer.bounds[Dim::K]});
  }
  return out;
}

Mapping minerva_mapping(const Layer& layer, const MinervaDatapath& design) {
  const auto ceil_div = [](std::int64_t a, std::int64_t b) { return (a + b - 1) / b; };
  const std::int64_t k = layer.bounds[Dim::K], c = layer.bounds[Dim::C], n = layer.bounds[Dim::N];
  const std::int64_t lanes = std::min<std::int64_t>(design.lanes, k);
  const std::int64_t macs = std::min<std::int64_t>(design.macs_per_lane, c);
  Mapping m;
  m.levels.resize(2);
  if (n > 1) m.levels[0].temporal.push_back({n, Dim::N});
  if (ceil_div(k, lanes) > 1) m.levels[0].temporal.push_back({ceil_div(k, lanes), Dim::K});
  if (lanes > 1) m.levels[0].rows.push_back({lanes, Dim::K});
  if (macs > 1) m.levels[0].cols.push_back({macs, Dim::C});
  if (ceil_div(c, macs) > 1) m.levels[1].temporal.push_back({ceil_div(c, macs), Dim::C});
  return m;
}

Expected<MinervaEvaluation> evaluate_minerva(const Network& network, const MinervaDatapath& design,
                                             const MinervaTech& tech) {
  Expected<MinervaFootprint> footprint = minerva_footprint(network);
  if (!footprint) return footprint.error();
  Expected<Architecture> arch = minerva_architecture(design, *footprint, tech);
  if (!arch) return arch.error();
  MinervaEvaluation out{design, *arch, {}, 0.0, 0.0, 0, 0.0, 0.0, area_mm2(*arch)};
  for (const Layer& layer : network.layers) {
    CostResult cost = evaluate(prepare(layer, *arch), minerva_mapping(layer, design));
    out.energy_pj += cost.energy_pj;
    out.leakage_pj += cost.leakage_energy_pj;
    out.cycles += cost.cycles;
    out.layers.push_back(cost);
  }
  out.seconds = seconds_of_cycles(*arch, static_cast<double>(out.cycles));
  out.power_mw = out.seconds > 0.0 ? out.energy_pj * 1e-12 / out.seconds * 1e3 : 0.0;
  return out;
}

std::size_t frontier_knee(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 3) return 0;
  const double x0 = std::log(x.front()), y0 = std::log(y.front()), x1 = std::log(x[n - 1]), y1 = std::log(y[n - 1]);
  const double dx = x1 - x0, dy = y1 - y0, length = std::hypot(dx, dy);
  if (length <= 0.0) return 0;
  std::size_t best = 0;
  double best_distance = 1e-9 * length;  // rounding noise of a straight frontier is no knee
  for (std::size_t i = 1; i + 1 < n; ++i) {
    // Signed distance below the chord (toward smaller x and y): positive is better.
    const double distance = (dy * (std::log(x[i]) - x0) - dx * (std::log(y[i]) - y0)) / length;
    if (distance > best_distance) {
      best_distance = distance;
      best = i;
    }
  }
  return best;
}

Expected<MinervaSweep> minerva_sweep(const Network& network, const MinervaSpace& space, const MinervaDatapath& base,
                                     const MinervaTech& tech, std::optional<double> max_latency_us) {
  if (space.lanes.empty() || space.macs_per_lane.empty() || space.weight_banks_per_lane.empty() || space.clocks_mhz.empty()) {
    return Error{"minerva: every swept list (lanes, MACs per lane, banks per lane, clocks) needs a value"};
  }
  MinervaSweep out;
  for (int lanes : space.lanes) {
    for (int macs : space.macs_per_lane) {
      for (int banks : space.weight_banks_per_lane) {
        for (double clock : space.clocks_mhz) {
          MinervaDatapath d = base;
          d.lanes = lanes;
          d.macs_per_lane = macs;
          d.weight_banks_per_lane = banks;
          d.clock_mhz = clock;
          Expected<MinervaEvaluation> e = evaluate_minerva(network, d, tech);
          if (!e) return e.error();
          out.points.push_back(std::move(*e));
        }
      }
    }
  }
  std::vector<CostPair> costs;
  for (const MinervaEvaluation& p : out.points) costs.push_back({p.seconds, p.power_mw});
  out.front = pareto_front(costs);
  std::vector<double> xs, ys;
  for (std::size_t i : out.front) {
    xs.push_back(out.points[i].seconds);
    ys.push_back(out.points[i].power_mw);
  }
  if (max_latency_us) {
    std::optional<std::size_t> pick;
    for (std::size_t i : out.front) {
      if (out.points[i].seconds * 1e6 > *max_latency_us) continue;
      if (!pick || out.points[i].power_mw < out.points[*pick].power_mw) pick = i;
    }
    if (!pick) return Error{"minerva: no design point runs an inference within " + std::to_string(*max_latency_us) + " us"};
    out.chosen = *pick;
  } else {
    out.chosen = out.front[frontier_knee(xs, ys)];
  }
  return out;
}

}  // namespace dnnspace
