// The report of `dnnspace roofline`: text, JSON and an SVG figure.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/model/roofline.hpp"

namespace dnnspace::report {

/// One layer of a roofline report: its roofline, or none when the layer has no mapping.
struct RooflineRow {
  std::string name;
  bool found = false;
  Roofline roofline;
};

/// Per layer and for the sum of the mapped ones: achieved and attainable Gop/s, the
/// binding roof, the fraction of it achieved, the compute roof, and each level's CTC
/// ratio and roof; then each level's bandwidth as the traffic saw it. Ends with a newline.
std::string roofline_text(const Architecture& arch, const std::vector<RooflineRow>& rows, const Roofline& total);

/// {"peak_ops_per_s", "levels": [names], "layers": [{name, found, ...roofline_json}],
/// "total": roofline_json} where a roofline is {ops, achieved_ops_per_s,
/// attainable_ops_per_s, bound_by ("compute" or a level name), fraction_of_roof,
/// compute_roof_ops_per_s, compute_s, run_s, levels: [{name, traffic_bytes,
/// ctc_ops_per_byte (null without traffic), bandwidth_bytes_per_s and roof_ops_per_s (null
/// when unlimited), time_s}]}.
nlohmann::json roofline_json(const Architecture& arch, const std::vector<RooflineRow>& rows, const Roofline& total);

/// A self-contained SVG (log-log axes): the peak compute roof, each bandwidth-limited
/// level's roof at the bandwidth the network's traffic saw, and one point per mapped
/// layer and level at (CTC, achieved Gop/s), labelled with the layer's name.
std::string roofline_svg(const Architecture& arch, const std::vector<RooflineRow>& rows, const Roofline& total,
                         const std::string& title);

}  // namespace dnnspace::report
