#include "dnnspace/search/fpga_dse.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <limits>
#include <span>
#include <tuple>

#include "dnnspace/core/checked.hpp"

namespace dnnspace {
namespace {

// What ranks two designs: smaller is better, the factors last so that ties are broken
// the same way whatever the order of evaluation.
using Rank = std::tuple<double, double, std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t>;

Rank rank_of(double primary, double traffic, const TiledConvResources& r, const TiledConvDesign& d) noexcept {
  return {primary, traffic, r.bram_18k, r.dsp, d.tm, d.tn, d.tr, d.tc};
}

struct Best {
  bool found = false;
  Rank rank{};
  TiledConvDesign design;
  std::int64_t evaluated = 0;

  void offer(const Rank& r, const TiledConvDesign& d) noexcept {
    if (!found || r < rank) {
      found = true;
      rank = r;
      design = d;
    }
  }
  void merge(const Best& other) noexcept {
    evaluated += other.evaluated;
    if (other.found) offer(other.rank, other.design);
  }
};

bool same_shape(const ConvShape& a, const ConvShape& b) noexcept {
  return std::tie(a.m, a.n, a.r, a.c, a.kh, a.kw, a.stride_h, a.stride_w, a.dilation_h, a.dilation_w, a.repeats) ==
         std::tie(b.m, b.n, b.r, b.c, b.kh, b.kw, b.stride_h, b.stride_w, b.dilation_h, b.dilation_w, b.repeats);
}

void raise_to(std::atomic<double>& x, double value) noexcept {
  for (double seen = x.load(); value > seen && !x.compare_exchange_weak(seen, value);) {
  }
}

void lower_to(std::atomic<double>& x, double value) noexcept {
  for (double seen = x.load(); value < seen && !x.compare_exchange_weak(seen, value);) {
  }
}

// The skips compare bounds with a margin far above rounding: a time summed in another
// order may differ in its last bits, and a tied design must never be skipped.
constexpr double kSkipMargin = 1e-9;

// The largest Tn for a Tm within the DSPs (and N).
std::int64_t max_tn(std::int64_t tm, std::int64_t n, const FpgaTarget& t) noexcept {
  return std::min(n, t.dsp_slices / saturating_mul(tm, t.dsp_per_mac));  // >= 1 per the loop's check
}

// The one design with the least total time over `shapes` (the ranking of rank_of).
Best best_shared(const std::vector<ConvShape>& shapes, const FpgaTarget& target, const std::atomic<bool>* stop) {
  const auto stopped = [&] { return stop && stop->load(std::memory_order_relaxed); };
  std::int64_t max_m = 0, max_n = 0, max_r = 0, max_c = 0;
  for (const ConvShape& s : shapes) {
    max_m = std::max(max_m, s.m);
    max_n = std::max(max_n, s.n);
    max_r = std::max(max_r, s.r);
    max_c = std::max(max_c, s.c);
  }
  // A pair (Tm, Tn) takes at least its time floor on every layer whatever Tr and Tc: a
  // pair slower than the best total found so far cannot hold the best design or a tie.
  std::atomic<double> best_time{std::numeric_limits<double>::infinity()};
  Best shared = tbb::parallel_reduce(
      tbb::blocked_range<std::int64_t>(1, max_m + 1), Best{},
      [&](const tbb::blocked_range<std::int64_t>& tms, Best acc) {
        for (std::int64_t tm = tms.begin(); tm != tms.end() && !stopped(); ++tm) {
          if (saturating_mul(tm, target.dsp_per_mac) > target.dsp_slices) break;
          for (std::int64_t tn = 1; tn <= max_tn(tm, max_n, target); ++tn) {
            double least_s = 0.0;
            for (const ConvShape& s : shapes) least_s += tiled_conv_time_floor(s, tm, tn, target);
            if (least_s > best_time.load() * (1.0 + kSkipMargin)) continue;
            for (std::int64_t tr = 1; tr <= max_r; ++tr) {
              for (std::int64_t tc = 1; tc <= max_c; ++tc) {
                const TiledConvDesign d{tm, tn, tr, tc};
                const TiledConvResources res = tiled_conv_resources(d, shapes, target);
                if (!fits(res, target)) break;
                double time = 0.0, traffic = 0.0;
                for (const ConvShape& s : shapes) {
                  const TiledConvCost c = tiled_conv_cost(s, d, target);
                  time += c.time_s;
                  traffic += c.traffic_bytes;
                }
                acc.evaluated += static_cast<std::int64_t>(shapes.size());
                acc.offer(rank_of(time, traffic, res, d), d);
                lower_to(best_time, time);
              }
            }
          }
        }
        return acc;
      },
      [](Best a, const Best& b) { a.merge(b); return a; });
  return shared;
}

}  // namespace

double FpgaExploration::ops() const noexcept {
  double sum = 0.0;
  for (const FpgaLayerRun& r : on_shared) sum += r.cost.ops;
  return sum;
}

double FpgaExploration::shared_time_s() const noexcept {
  double sum = 0.0;
  for (const FpgaLayerRun& r : on_shared) sum += r.cost.time_s;
  return sum;
}

double FpgaExploration::per_layer_time_s() const noexcept {
  double sum = 0.0;
  for (const FpgaLayerRun& r : best_per_layer) sum += r.cost.time_s;
  return sum;
}

void for_each_legal_design(const ConvShape& s, const FpgaTarget& target,
                           const std::function<void(const TiledConvDesign&, const TiledConvCost&,
                                                    const TiledConvResources&)>& f,
                           const std::atomic<bool>* stop) {
  const std::span<const ConvShape> one(&s, 1);
  for (std::int64_t tm = 1; tm <= s.m && saturating_mul(tm, target.dsp_per_mac) <= target.dsp_slices; ++tm) {
    if (stop && stop->load(std::memory_order_relaxed)) return;
    for (std::int64_t tn = 1; tn <= max_tn(tm, s.n, target); ++tn) {
      for (std::int64_t tr = 1; tr <= s.r; ++tr) {
        for (std::int64_t tc = 1; tc <= s.c; ++tc) {
          const TiledConvDesign d{tm, tn, tr, tc};
          const TiledConvResources res = tiled_conv_resources(d, one, target);
          if (!fits(res, target)) break;  // BRAMs only grow with Tc
          f(d, tiled_conv_cost(s, d, target), res);
        }
      }
    }
  }
}

Expected<std::vector<FpgaLayerRun>> run_on_design(const Network& network, const TiledConvDesign& design,
                                                  const FpgaTarget& target) {
  if (auto ok = validate_fpga_target(target); !ok) return ok.error();
  std::vector<FpgaLayerRun> runs;
  for (const Layer& layer : network.layers) {
    const Expected<ConvShape> shape = conv_shape(layer);
    if (!shape) continue;
    runs.push_back({layer.name, *shape, design, tiled_conv_cost(*shape, design, target),
                    tiled_conv_resources(design, std::span(&*shape, 1), target)});
  }
  if (runs.empty()) return Error{"network '" + network.name + "' has no convolution for the tiled engine to run"};
  return runs;
}

Expected<FpgaExploration> explore_fpga(const Network& network, const FpgaTarget& target, const std::atomic<bool>* stop,
                                       bool whole_network) {
  if (auto ok = validate_fpga_target(target); !ok) return ok.error();
  FpgaExploration out;
  std::vector<ConvShape> shapes;
  std::vector<std::string> names;
  for (const Layer& layer : network.layers) {
    const Expected<ConvShape> shape = whole_network ? engine_shape(layer) : conv_shape(layer);
    if (!shape) {
      out.skipped.push_back(shape.error().message);
      continue;
    }
    shapes.push_back(*shape);
    names.push_back(layer.name);
  }
  if (shapes.empty()) return Error{"network '" + network.name + "' has no convolution for the tiled engine to run"};
  const auto stopped = [&] { return stop && stop->load(std::memory_order_relaxed); };

  // Each layer alone: the highest attainable throughput. A layer of the same shape as an
  // earlier one gets its design.
  for (std::size_t i = 0; i < shapes.size() && !stopped(); ++i) {
    const ConvShape& s = shapes[i];
    bool repeated = false;
    for (const FpgaLayerRun& done : out.best_per_layer) {
      if (same_shape(done.shape, s)) {
        out.best_per_layer.push_back({names[i], s, done.design, done.cost, done.resources});
        repeated = true;
        break;
      }
    }
    if (repeated) continue;
    // A pair whose time floor (tiled_conv_time_floor) is above the time of the best
    // design found so far (by any thread) cannot hold the best design or a tie.
    std::atomic<double> best_attainable{0.0};
    const double ops = tiled_conv_cost(s, {1, 1, 1, 1}, target).ops;
    Best best = tbb::parallel_reduce(
        tbb::blocked_range<std::int64_t>(1, s.m + 1), Best{},
        [&](const tbb::blocked_range<std::int64_t>& tms, Best acc) {
          for (std::int64_t tm = tms.begin(); tm != tms.end() && !stopped(); ++tm) {
            if (saturating_mul(tm, target.dsp_per_mac) > target.dsp_slices) break;
            for (std::int64_t tn = 1; tn <= max_tn(tm, s.n, target); ++tn) {
              // No Tr, Tc does better than this pair's time floor.
              if (ops / tiled_conv_time_floor(s, tm, tn, target) < best_attainable.load() * (1.0 - kSkipMargin)) continue;
              for (std::int64_t tr = 1; tr <= s.r; ++tr) {
                for (std::int64_t tc = 1; tc <= s.c; ++tc) {
                  const TiledConvDesign d{tm, tn, tr, tc};
                  const TiledConvResources res = tiled_conv_resources(d, std::span(&s, 1), target);
                  if (!fits(res, target)) break;
                  const TiledConvCost c = tiled_conv_cost(s, d, target);
                  ++acc.evaluated;
                  acc.offer(rank_of(-c.attainable_ops_per_s, c.traffic_bytes, res, d), d);
                  raise_to(best_attainable, c.attainable_ops_per_s);
                }
              }
            }
          }
          return acc;
        },
        [](Best a, const Best& b) { a.merge(b); return a; });
    out.designs_evaluated += best.evaluated;
    if (!best.found) {
      if (stopped()) break;
      const TiledConvResources least = tiled_conv_resources({1, 1, 1, 1}, std::span(&s, 1), target);
      return Error{"layer '" + names[i] + "': no design of the tiled engine fits " + target.name +
                   ": even <1,1,1,1> needs " + std::to_string(least.dsp) + " DSPs and " + std::to_string(least.bram_18k) +
                   " BRAM-18K (it has " + std::to_string(target.dsp_slices) + " and " + std::to_string(target.bram_18k) + ")"};
    }
    out.best_per_layer.push_back({names[i], s, best.design, tiled_conv_cost(s, best.design, target),
                                  tiled_conv_resources(best.design, std::span(&s, 1), target)});
  }

  // One design for every layer: the least total time (Zhang et al.'s cross-layer choice).
  const Best shared = best_shared(shapes, target, stop);
  out.designs_evaluated += shared.evaluated;
  out.interrupted = stopped();
  out.found = shared.found;
  if (shared.found) {
    out.shared = shared.design;
    out.shared_resources = tiled_conv_resources(shared.design, shapes, target);
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      out.on_shared.push_back({names[i], shapes[i], shared.design, tiled_conv_cost(shapes[i], shared.design, target),
                               tiled_conv_resources(shared.design, std::span(&shapes[i], 1), target)});
    }
  }
  return out;
}

Expected<std::vector<FpgaFrontierPoint>> fpga_frontier(const Network& network, const FpgaTarget& target,
                                                       std::span<const std::int64_t> dsp_budgets,
                                                       const std::atomic<bool>* stop, bool whole_network) {
  if (auto ok = validate_fpga_target(target); !ok) return ok.error();
  std::vector<ConvShape> shapes;
  for (const Layer& layer : network.layers) {
    if (Expected<ConvShape> shape = whole_network ? engine_shape(layer) : conv_shape(layer)) shapes.push_back(*shape);
  }
  if (shapes.empty()) return Error{"network '" + network.name + "' has no convolution for the tiled engine to run"};
  std::vector<FpgaFrontierPoint> out;
  for (std::int64_t budget : dsp_budgets) {
    if (stop && stop->load()) break;
    FpgaTarget within = target;
    within.dsp_slices = std::min(budget, target.dsp_slices);
    const Best best = best_shared(shapes, within, stop);
    if (!best.found || (stop && stop->load())) continue;
    FpgaFrontierPoint p{within.dsp_slices, best.design, tiled_conv_resources(best.design, shapes, target), 0.0, 0.0};
    for (const ConvShape& s : shapes) {
      const TiledConvCost c = tiled_conv_cost(s, best.design, target);
      p.time_s += c.time_s;
      p.ops += c.ops;
    }
    // A larger budget whose best design is no faster adds nothing to the frontier.
    if (!out.empty() && p.time_s >= out.back().time_s) continue;
    out.push_back(p);
  }
  return out;
}

}  // namespace dnnspace
