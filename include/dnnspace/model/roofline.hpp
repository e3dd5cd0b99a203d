// The roofline of a mapped layer (Williams et al.; Zhang et al. for accelerators, as 000
// Sec. V-A describes it): attainable throughput = min(compute roof, CTC ratio x bandwidth)
// at each memory boundary, from the model's own counts and cycles.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/fixed_vector.hpp"
#include "dnnspace/model/cost.hpp"

namespace dnnspace {

/// One level's roof: the traffic through its ports and the rate its bandwidth moves it.
struct LevelRoof {
  int level = 0;
  std::int64_t traffic_bytes = 0;  ///< reads + writes at the level, all instances, each tensor at its width
  /// The time the level's bandwidth needs for that traffic (LevelCost::cycles at the
  /// clock); 0 when its bandwidth is unlimited.
  double time_s = 0.0;
  bool limited = false;  ///< some bandwidth of the level is set (and it moves something)

  /// Computation-to-communication ratio: ops per byte through the level (infinite
  /// without traffic).
  double ctc_ops_per_byte(double ops) const noexcept;
  /// traffic / time: the bandwidth this traffic sees (per-tensor widths and separate read
  /// and write bandwidths included); 0 when unlimited.
  double bandwidth_bytes_per_s() const noexcept;
  /// ctc x bandwidth = ops / time: what the level allows; infinite when unlimited.
  double roof_ops_per_s(double ops) const noexcept;
};

/// Which roof binds a roofline.
inline constexpr int kComputeBound = -1;

/// A layer's (or a network's, roofline_sum) roofline. An op is a multiply or an add: a
/// MAC is 2 ops, as in Zhang et al.'s GFLOPS.
struct Roofline {
  double ops = 0.0;
  double peak_ops_per_s = 0.0;  ///< 2 x PEs x clock: the hardware's compute roof
  /// The compute cycles at the clock: 2 x MACs / that is the mapping's compute roof, the
  /// peak times its spatial utilization (partial tiles and idle PEs included).
  double compute_s = 0.0;
  /// The model's cycles at the clock: compute, a systolic array's fill and drain,
  /// single-buffer refills, or a level's bandwidth, whichever the model says.
  double run_s = 0.0;
  FixedVector<LevelRoof, kMaxLevels> levels;
  /// The time at the binding roof: the longest of compute_s and the levels' times (for a
  /// sum, each layer's added: the layers run one after another, each under its own roof).
  double bound_s = 0.0;
  /// Of bound_s, the time each roof binds: [0] the compute roof, [l + 1] level l.
  std::array<double, kMaxLevels + 1> binding_s{};

  double compute_roof_ops_per_s() const noexcept;
  /// ops / bound_s: for one layer min(compute roof, every level's roof).
  double attainable_ops_per_s() const noexcept;
  /// The roof that binds the most of bound_s: kComputeBound or a level index (compute
  /// before levels, outer levels before inner ones on a tie).
  int bound_by() const noexcept;
  /// ops / run_s: what the mapping achieves in the model.
  double achieved_ops_per_s() const noexcept;
  /// achieved / attainable, in (0, 1]: below 1 when the model's cycles exceed the binding
  /// roof's (fill and drain, refill stalls).
  double fraction_of_roof() const noexcept;
};

/// The roofline of one evaluated mapping on `arch` (the architecture the cost was
/// evaluated on).
Roofline roofline(const Architecture& arch, const CostResult& cost) noexcept;

/// Layers run one after another: ops, traffic and times add up, so each sum's ratios are
/// the network's (its CTC at a level is all ops over all traffic there).
Roofline roofline_sum(std::span<const Roofline> layers) noexcept;

}  // namespace dnnspace
