// Zhang et al.'s FPGA design-space exploration (FPGA 2015, as 000 Sec. V-C describes it):
// every legal <Tm, Tn, Tr, Tc> under a target's DSPs and BRAMs, the best per layer by the
// roofline, and the best single design for all layers (their cross-layer optimization).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "dnnspace/arch/fpga_target.hpp"
#include "dnnspace/model/tiled_conv.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace {

/// A layer on one design.
struct FpgaLayerRun {
  std::string name;
  ConvShape shape;
  TiledConvDesign design;
  TiledConvCost cost;
  TiledConvResources resources;  ///< what the design needs for this layer alone
};

/// The result of explore_fpga.
struct FpgaExploration {
  std::vector<FpgaLayerRun> best_per_layer;  ///< each layer's own best legal design
  TiledConvDesign shared;                    ///< the best one design for every layer
  TiledConvResources shared_resources;       ///< sized for the largest tile any layer loads
  std::vector<FpgaLayerRun> on_shared;       ///< each layer on it
  std::vector<std::string> skipped;          ///< "fc6: ..." layers the engine does not run
  /// (design, layer) pairs costed: the bounds skip what cannot win, and what they skip
  /// depends on which thread found what first, so this count varies; the result does not.
  std::int64_t designs_evaluated = 0;
  bool found = false;                        ///< some design fits the target
  bool interrupted = false;                  ///< stopped: the best so far

  double ops() const noexcept;
  double shared_time_s() const noexcept;     ///< the layers one after another on `shared`
  double per_layer_time_s() const noexcept;  ///< each on its own best design (a bound: one bitstream per layer)
};

/// Explores every design with 1 <= Tm <= M, 1 <= Tn <= N, 1 <= Tr <= R, 1 <= Tc <= C (the
/// largest of the network's for the shared design) that fits `target`: per layer the one
/// with the highest attainable throughput, and the one design with the least total time;
/// ties go to the least DRAM traffic, then the fewest BRAMs, then DSPs, then the smallest
/// factors. Layers the engine does not run (conv_shape errors) are listed in `skipped`.
/// Errors: no layer it runs; a layer no design fits (even <1,1,1,1> needs more BRAMs or
/// DSPs than the target has). `stop` ends the search early with the best so far.
/// `whole_network`: every layer engine_shape accepts runs (GEMMs as 1 x 1 convolutions,
/// gradient passes with their forward shape), not only the forward convolutions.
[[nodiscard]] Expected<FpgaExploration> explore_fpga(const Network& network, const FpgaTarget& target,
                                                     const std::atomic<bool>* stop = nullptr,
                                                     bool whole_network = false);

/// One point of the performance-resources frontier: the best shared design within a DSP
/// budget.
struct FpgaFrontierPoint {
  std::int64_t dsp_budget = 0;
  TiledConvDesign design;
  TiledConvResources resources;
  double time_s = 0.0;  ///< the layers one after another
  double ops = 0.0;
};

/// The frontier of time against DSPs: for each budget (ascending), the best design for
/// every layer within it (exactly as explore_fpga's shared design), kept when it is
/// faster than the last point kept. Errors as explore_fpga's.
[[nodiscard]] Expected<std::vector<FpgaFrontierPoint>> fpga_frontier(const Network& network, const FpgaTarget& target,
                                                                     std::span<const std::int64_t> dsp_budgets,
                                                                     const std::atomic<bool>* stop = nullptr,
                                                                     bool whole_network = false);

/// Every layer the engine runs on one given design (e.g. Zhang et al.'s <64,7,13,13>),
/// whether or not it fits the target (check fits(tiled_conv_resources(...))).
[[nodiscard]] Expected<std::vector<FpgaLayerRun>> run_on_design(const Network& network, const TiledConvDesign& design,
                                                                const FpgaTarget& target);

/// Calls f(design, cost, resources) for every design of one layer that fits the target
/// (the cloud of Zhang et al.'s design-space figure), until `stop` is set.
void for_each_legal_design(const ConvShape& shape, const FpgaTarget& target,
                           const std::function<void(const TiledConvDesign&, const TiledConvCost&,
                                                    const TiledConvResources&)>& f,
                           const std::atomic<bool>* stop = nullptr);

}  // namespace dnnspace
