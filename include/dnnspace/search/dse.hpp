// Hardware design-space exploration over a whole network (004 Sec. VI-B and VI-C): one
// architecture shared by all layers, each layer with its optimal mapping on it, and the
// auto-optimizer that sizes the memory hierarchy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/search/arch_variant.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/search/network_search.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace {

/// One architecture evaluated on a network.
struct DesignPoint {
  std::string label;                   ///< what was swept ("rf=64B gb=256KB"), "base" for the base
  Architecture arch;
  std::vector<MapperResult> layers;    ///< one per network layer reached, in order
  std::vector<std::string> layer_names;
  double energy_pj = 0.0;              ///< sum over the mapped layers
  std::int64_t cycles = 0;             ///< sum over the mapped layers (layers run one after another)
  std::int64_t macs = 0;               ///< sum over the mapped layers
  double area_mm2 = 0.0;               ///< area_mm2(arch)
  std::vector<double> level_energy_pj; ///< per storage level, summed over the mapped layers
  int layers_mapped = 0;
  bool complete = false;               ///< every layer of the network has a mapping, none interrupted
  bool interrupted = false;
};

/// The value of the network-level objective: total energy, total cycles, or their product.
double design_objective(Objective objective, const DesignPoint& point) noexcept;

/// search_network of `network` on `arch` (the options as given: dataflows, utilization
/// floor, objective, threads, stop, progress) as a design point. When `options.stop` is
/// set the remaining layers are skipped and the point is marked interrupted. `hooks` as
/// search_network's (a checkpoint's known results).
DesignPoint evaluate_design(const Network& network, const Architecture& arch, const MapperOptions& options,
                            std::string label = "base", const NetworkSearchHooks& hooks = {});

/// The Pareto frontiers of a set of design points (indices into it), over the complete
/// points only: a point with an unmapped layer has no comparable total.
struct DesignFronts {
  std::vector<std::size_t> energy_vs_area;
  std::vector<std::size_t> energy_vs_cycles;
};
DesignFronts design_fronts(const std::vector<DesignPoint>& points);

/// The knobs of the auto-optimizer (004 Sec. VI-C); the defaults are 004's ranges: the
/// register-file sizes of Table IV extended down to 004's optimal 8 B, the SRAM sizes of
/// Table IV.
struct AutoOptimizerSpace {
  std::vector<std::int64_t> rf_sizes_bytes = {8, 16, 32, 64, 128, 256, 512};
  std::vector<std::int64_t> gb_sizes_bytes = {32 * 1024, 64 * 1024, 128 * 1024, 256 * 1024, 512 * 1024};
  /// Observation 3: adjacent on-chip levels differ in size by at least this factor.
  std::int64_t min_size_ratio = 8;
  /// Observation 2: a level whose share of the total energy exceeds this dominates; a
  /// larger size of that level is not tried.
  double dominant_share = 0.5;
};

/// What the auto-optimizer found.
struct AutoOptimizerResult {
  DesignPoint base;                     ///< the base with dataflow C|K
  std::vector<DesignPoint> explored;    ///< every design evaluated, step 1 then step 2
  std::optional<std::size_t> best_one_rf;  ///< index in explored: best of step 1
  std::optional<std::size_t> best_two_rf;  ///< index in explored: best of step 2
  /// The chosen design: the best complete design of all evaluated, base included;
  /// nullopt when none is complete. Index into explored, or nullopt with base_chosen.
  std::optional<std::size_t> chosen;
  bool base_chosen = false;
  bool interrupted = false;
};

/// 004 Sec. VI-C: (1) the dataflow is fixed to C|K (Observation 1; with
/// options.replicate_if_unmapped, a layer C|K cannot map above the floor, e.g. a first
/// CONV layer with C = 3 or a depthwise one, takes C|K's replicated extensions); (2) the sizes of the
/// register file (rf) and the buffer feeding the array (gb) are searched over the space's
/// sizes that satisfy Observation 3 (gb >= min_size_ratio x rf), each size list in
/// increasing order, and a size is not grown further once its level dominates the energy
/// (Observation 2: the inner size, of the design just evaluated; the outer size, of the
/// best design with that outer size, since at a too-small inner size the outer level takes
/// the traffic the inner one cannot shield); (3) with that gb fixed, a second register file is added (+rf2) and
/// both register-file sizes are searched the same way (rf2 >= min_size_ratio x rf,
/// gb >= min_size_ratio x rf2). Designs are compared by design_objective. Errors: the
/// base has no per-PE register file, already has two, or has no buffer feeding the
/// array, or a size cannot be applied (apply_sweep_point's errors).
[[nodiscard]] Expected<AutoOptimizerResult> auto_optimize(const Network& network, const Architecture& base,
                                                          const MapperOptions& options,
                                                          const AutoOptimizerSpace& space = {});

}  // namespace dnnspace
