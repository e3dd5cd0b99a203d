// The report of `dnnspace dse --target fpga:...`: text, JSON and the design-space figure.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "dnnspace/search/fpga_dse.hpp"

namespace dnnspace::report {

/// A design the user asked about (--design), run on every layer.
struct GivenFpgaDesign {
  TiledConvDesign design;
  TiledConvResources resources;  ///< tiled_conv_resources over the layers
  std::vector<FpgaLayerRun> runs;
};

/// The target, the best design per layer, the one shared design with each layer on it
/// and the totals, then the given design if any. Ends with a newline.
std::string fpga_text(const FpgaTarget& target, const std::string& network, std::int64_t batch,
                      const FpgaExploration& exploration, const std::optional<GivenFpgaDesign>& given,
                      const std::vector<FpgaFrontierPoint>& frontier = {});

/// {"target": {...}, "best_per_layer": [run], "shared": {design, resources, layers: [run],
/// ops, time_s, ops_per_s}, "per_layer_time_s", "skipped",
/// "interrupted", "given": {design, resources, fits, layers, ops, time_s, ops_per_s} or
/// null}; a run is {name, design: {tm, tn, tr, tc}, ops, cycles, input_words,
/// weight_words, output_words, traffic_bytes, compute_roof_ops_per_s, ctc_ops_per_byte,
/// attainable_ops_per_s, time_s, bound ("compute" | "bandwidth"), dsp, bram_18k}.
/// "frontier": [{dsp_budget, design, resources, time_s, ops_per_s}].
nlohmann::json fpga_json(const FpgaTarget& target, const std::string& network, std::int64_t batch,
                         const FpgaExploration& exploration, const std::optional<GivenFpgaDesign>& given,
                         const std::vector<FpgaFrontierPoint>& frontier = {});

/// Zhang et al.'s design-space figure for one layer: attainable GFLOPS against CTC for
/// every legal design (one dot per distinct pair of values, binned to the pixel), the
/// bandwidth and peak roofs, and marked designs (name -> run) on top. SVG, self-contained.
std::string fpga_design_space_svg(const FpgaTarget& target, const ConvShape& shape, const std::string& title,
                                  const std::vector<std::pair<std::string, TiledConvCost>>& marked,
                                  const std::atomic<bool>* stop = nullptr);

}  // namespace dnnspace::report
