// Minerva's stage 2 (001, Reagen et al., Sec. 4.3.2): the accelerator design space of a
// fully connected network. Each design point is a minerva_architecture whose layers run
// Minerva's fixed schedule (each lane one neuron, its MACs consecutive inputs, the partial
// sums joined by the lane's adder tree), costed by the model; the power-performance Pareto
// frontier and a baseline chosen on it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "dnnspace/arch/minerva_datapath.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace {

/// The weights and the largest activation vector of a network of fully connected layers.
/// Errors: a layer that is not fully connected (Minerva's datapath runs MLPs).
[[nodiscard]] Expected<MinervaFootprint> minerva_footprint(const Network& network);

/// Minerva's schedule of a fully connected layer on a design: SRAM [N, K / lanes] with the
/// lanes over K (rows) and the MACs over C (cols); Acc [C / macs_per_lane] (each MAC sums
/// its share of the inputs in its accumulator, the adder tree joins the shares when the
/// neuron is done). Lanes and MACs beyond K and C stay idle.
Mapping minerva_mapping(const Layer& layer, const MinervaDatapath& design);

/// One design point run over a whole network, one inference (the network's batch).
struct MinervaEvaluation {
  MinervaDatapath design;
  Architecture arch;
  std::vector<CostResult> layers;  ///< in network order
  double energy_pj = 0.0;          ///< dynamic + leakage, every layer
  double leakage_pj = 0.0;
  std::int64_t cycles = 0;         ///< the layers one after another
  double seconds = 0.0;
  double power_mw = 0.0;           ///< energy / time
  double area_mm2 = 0.0;
};

/// Costs the network on the design. Errors: minerva_footprint's and minerva_architecture's.
[[nodiscard]] Expected<MinervaEvaluation> evaluate_minerva(const Network& network, const MinervaDatapath& design,
                                                           const MinervaTech& tech = {});

/// The swept parameters (every combination): 7 x 5 x 5 x 3 = 525 points by default.
struct MinervaSpace {
  std::vector<int> lanes = {1, 2, 4, 8, 16, 32, 64};
  std::vector<int> macs_per_lane = {1, 2, 4, 8, 16};
  std::vector<int> weight_banks_per_lane = {1, 2, 4, 8, 16};
  std::vector<double> clocks_mhz = {100.0, 250.0, 500.0};
};

/// The sweep: every point, the power-vs-time Pareto frontier (indices into points, by
/// time), and the chosen baseline: with a latency bound, the lowest-power frontier point
/// within it; else the knee, the frontier point farthest from the straight line joining
/// the frontier's ends in log time and log power.
struct MinervaSweep {
  std::vector<MinervaEvaluation> points;
  std::vector<std::size_t> front;
  std::size_t chosen = 0;
};

/// Sweeps `space` on `base` (its widths, voltage and options; the swept fields replaced).
/// Errors: an empty list in the space, evaluate_minerva's, or no point within
/// `max_latency_us`.
[[nodiscard]] Expected<MinervaSweep> minerva_sweep(const Network& network, const MinervaSpace& space,
                                                   const MinervaDatapath& base = {}, const MinervaTech& tech = {},
                                                   std::optional<double> max_latency_us = std::nullopt);

/// The knee of a frontier (x and y both minimized, sorted by x): the index of the point
/// farthest below the chord joining the first and the last in log x and log y; the first
/// with fewer than three points.
std::size_t frontier_knee(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace dnnspace
