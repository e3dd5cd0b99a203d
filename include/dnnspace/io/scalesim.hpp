// SCALE-Sim's input files (its .cfg configuration and topology .csv), read into a
// dnnspace architecture, network and mappings (docs/scalesim.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace::io {

/// SCALE-Sim's three dataflows (its `Dataflow : os|ws|is`).
enum class SystolicDataflow : std::uint8_t { OutputStationary, WeightStationary, InputStationary };

/// "os", "ws", "is".
std::string_view systolic_dataflow_name(SystolicDataflow dataflow) noexcept;

/// What dnnspace reads from a SCALE-Sim configuration file. Its other keys (address
/// offsets, SRAM banks and ports, layouts) do not change the compute cycles and are not read.
struct ScaleSimConfig {
  std::string run_name;
  std::int64_t rows = 0;  ///< ArrayHeight
  std::int64_t cols = 0;  ///< ArrayWidth
  std::int64_t ifmap_sram_kb = 0;
  std::int64_t filter_sram_kb = 0;
  std::int64_t ofmap_sram_kb = 0;
  SystolicDataflow dataflow = SystolicDataflow::OutputStationary;
  /// InterfaceBandwidth: USER takes `Bandwidth` (words per cycle to DRAM); CALC (SCALE-Sim's
  /// default) lets the interface supply whatever the array needs, so nothing stalls.
  bool user_bandwidth = false;
  double bandwidth_words_per_cycle = 0.0;
};

/// One row of a topology file, convolution form (GEMM rows are read as SCALE-Sim does:
/// M x K inputs, a 1 x K filter over 1 channel, N filters).
struct ScaleSimLayer {
  std::string name;
  std::int64_t ifmap_h = 0, ifmap_w = 0, filter_h = 0, filter_w = 0, channels = 0, filters = 0;
  std::int64_t stride_h = 1, stride_w = 1;
  /// A depthwise row (SCALE-Sim: the name contains "DP"): run once per channel, each a
  /// one-channel convolution with all the filters.
  bool depthwise = false;
};

/// Reads a SCALE-Sim configuration (INI: `[section]`, `Key : value` or `Key = value`, keys
/// case-insensitive). Errors name the file, the line and the key.
[[nodiscard]] Expected<ScaleSimConfig> load_scalesim_config(const std::string& path);
[[nodiscard]] Expected<ScaleSimConfig> parse_scalesim_config(std::string_view text, const std::string& origin);

/// Reads a SCALE-Sim topology: a header, then one layer per row, either the convolution
/// form (name, IFMAP height, width, filter height, width, channels, filters, stride[,
/// stride width]) or, when the header is `Layer name, M, N, K`, the GEMM form.
[[nodiscard]] Expected<std::vector<ScaleSimLayer>> load_scalesim_topology(const std::string& path);
[[nodiscard]] Expected<std::vector<ScaleSimLayer>> parse_scalesim_topology(std::string_view text,
                                                                           const std::string& origin);

/// The architecture of a configuration: DRAM, the ifmap, filter and ofmap SRAMs (each
/// double-buffered, holding its one tensor), the rows x cols systolic array and a one-word
/// register per PE holding the dataflow's stationary operand. 8-bit words (SCALE-Sim's),
/// energies from the interstellar-28nm table, a 1 GHz clock (SCALE-Sim has none).
[[nodiscard]] Expected<Architecture> scalesim_architecture(const ScaleSimConfig& config);

/// The network of a topology, each layer in the matrix form SCALE-Sim computes (im2col):
/// P = output pixels, C = the filter window (height x width x channels), K = filters, and
/// G = channels for a depthwise row. Names as in the file; `name` is the network's.
[[nodiscard]] Expected<Network> scalesim_network(const std::vector<ScaleSimLayer>& topology, std::string name);

/// SCALE-Sim's own mapping of a layer of scalesim_network onto scalesim_architecture:
/// os puts output pixels on the rows, filters on the columns and the window in time; ws
/// the window on the rows, filters on the columns, pixels in time; is the window on the
/// rows, pixels on the columns, filters in time. Folds (ceil(extent / array side)) are
/// DRAM loops, columns outermost, as SCALE-Sim walks them.
Mapping scalesim_mapping(const Layer& layer, const Architecture& arch, SystolicDataflow dataflow);

/// The number SCALE-Sim's COMPUTE_REPORT prints as Total Cycles for a layer that runs
/// `cycles` cycles without stalls: the index of its last cycle, counted from 0.
constexpr std::int64_t scalesim_reported_cycles(std::int64_t cycles) noexcept { return cycles - 1; }

}  // namespace dnnspace::io
