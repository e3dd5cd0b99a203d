#include "dnnspace/model/roofline.hpp"

#include <algorithm>
#include <limits>

#include "dnnspace/core/checked.hpp"

namespace dnnspace {
namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

double LevelRoof::ctc_ops_per_byte(double ops) const noexcept {
  return traffic_bytes > 0 ? ops / static_cast<double>(traffic_bytes) : kInf;
}

double LevelRoof::bandwidth_bytes_per_s() const noexcept {
  return limited && time_s > 0.0 ? static_cast<double>(traffic_bytes) / time_s : 0.0;
}

double LevelRoof::roof_ops_per_s(double ops) const noexcept {
  return limited && time_s > 0.0 ? ops / time_s : kInf;
}

double Roofline::compute_roof_ops_per_s() const noexcept { return compute_s > 0.0 ? ops / compute_s : kInf; }

double Roofline::attainable_ops_per_s() const noexcept { return bound_s > 0.0 ? ops / bound_s : kInf; }

int Roofline::bound_by() const noexcept {
  std::size_t best = 0;
  for (std::size_t i = 1; i < binding_s.size(); ++i) {
    if (binding_s[i] > binding_s[best]) best = i;
  }
  return static_cast<int>(best) - 1;
}

double Roofline::achieved_ops_per_s() const noexcept { return run_s > 0.0 ? ops / run_s : 0.0; }

double Roofline::fraction_of_roof() const noexcept {
  return run_s > 0.0 ? bound_s / run_s : 0.0;
}

Roofline roofline(const Architecture& arch, const CostResult& cost) noexcept {
  Roofline r;
  r.ops = 2.0 * static_cast<double>(cost.macs);
  r.peak_ops_per_s = 2.0 * static_cast<double>(pe_count(arch)) * arch.clock_mhz * 1e6;
  r.compute_s = seconds_of_cycles(arch, static_cast<double>(cost.compute_cycles));
  r.run_s = seconds_of_cycles(arch, static_cast<double>(cost.cycles));
  r.bound_s = r.compute_s;
  std::size_t binding = 0;
  for (int l = 0; l < cost.num_levels; ++l) {
    const LevelCost& lc = cost.levels[static_cast<std::size_t>(l)];
    LevelRoof roof;
    roof.level = l;
    for (TensorId t : kTensorSlots) {
      const TensorAccesses& a = lc.accesses[t];
      const std::int64_t bytes = saturating_mul(saturating_add(a.reads, a.writes),
                                                tensor_bytes(arch, arch.levels[static_cast<std::size_t>(l)], t));
      roof.traffic_bytes = saturating_add(roof.traffic_bytes, bytes);
    }
    roof.time_s = seconds_of_cycles(arch, static_cast<double>(lc.cycles));
    roof.limited = lc.cycles > 0;
    // A level binds only when it needs longer than the compute and every outer level.
    if (roof.limited && roof.time_s > r.bound_s) {
      r.bound_s = roof.time_s;
      binding = static_cast<std::size_t>(l) + 1;
    }
    r.levels.push_back(roof);
  }
  r.binding_s[binding] = r.bound_s;
  return r;
}

Roofline roofline_sum(std::span<const Roofline> layers) noexcept {
  Roofline sum;
  for (const Roofline& r : layers) {
    sum.ops += r.ops;
    sum.peak_ops_per_s = std::max(sum.peak_ops_per_s, r.peak_ops_per_s);
    sum.compute_s += r.compute_s;
    sum.run_s += r.run_s;
    sum.bound_s += r.bound_s;
    for (std::size_t i = 0; i < sum.binding_s.size(); ++i) sum.binding_s[i] += r.binding_s[i];
    for (std::size_t l = 0; l < r.levels.size(); ++l) {
      if (sum.levels.size() <= l) {
        LevelRoof empty;
        empty.level = static_cast<int>(l);
        sum.levels.push_back(empty);
      }
      LevelRoof& s = sum.levels[l];
      s.traffic_bytes = saturating_add(s.traffic_bytes, r.levels[l].traffic_bytes);
      s.time_s += r.levels[l].time_s;
      s.limited = s.limited || r.levels[l].limited;
    }
  }
  return sum;
}

}  // namespace dnnspace
