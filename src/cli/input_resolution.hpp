// Resolving the CLI's input arguments: --layer, --network and --batch, each a built-in name or a YAML file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/io/resolve_input.hpp"
#include "dnnspace/workload/layer.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace::cli {

// The layer and network arguments resolve in io/ (shared with the Python module).
using io::check_batch_option;
using io::keep_only_layer;
using io::looks_like_file;
using io::resolve_layer;
using io::resolve_network;

/// The problem a bare `dnnspace evaluate` evaluates: AlexNet CONV3 at batch 16 (004
/// Sec. VI's batch) on the `eyeriss` preset, with a row-stationary mapping. The same
/// mapping is examples/mappings/alexnet_conv3_rs.yaml (a test checks they are equal).
inline constexpr std::string_view kDefaultArch = "eyeriss";
inline constexpr std::string_view kDefaultLayer = "alexnet/conv3";
inline constexpr std::int64_t kDefaultBatch = 16;
inline constexpr std::string_view kDefaultMappingOrigin = "built-in mapping (examples/mappings/alexnet_conv3_rs.yaml)";
inline constexpr std::string_view kDefaultMappingYaml = R"(mapping:
  - level: DRAM
    temporal: [N: 16, K: 12, C: 8]
  - level: GlobalBuffer
    temporal: [K: 4, C: 4]
    spatial: {rows: [R: 3, C: 4], cols: [P: 13]}
  - level: RegFile
    temporal: [C: 2, K: 8, Q: 13, S: 3]
)";

/// Registers --pass forward|dgrad|wgrad on `cmd`, bound to `pass`.
void add_pass_option(CLI::App& cmd, std::string& pass);
/// Parses a --pass value; the error names the option and the allowed values.
[[nodiscard]] Expected<Pass> pass_option(const std::string& pass);

/// Registers `--input-shape NAME=D0xD1x...` (repeatable) on `cmd`, bound to `shapes`.
void add_input_shape_option(CLI::App& cmd, std::vector<std::string>& shapes);

/// Registers `--density inputs=D[,weights=D]` on `cmd`, bound to `density`.
CLI::Option* add_density_option(CLI::App& cmd, std::string& density);
/// Parses a --density value: each operand at most once, each density in (0, 1].
/// Errors name the option, the part at fault and what is allowed.
[[nodiscard]] Expected<PerTensor<double>> density_option(const std::string& density);
/// Gives the layer the densities below 1 of a --density value (docs/model.md Sec. 11).
void apply_density(Layer& layer, const PerTensor<double>& density);
/// The same for every layer of the network.
void apply_density(Network& network, const PerTensor<double>& density);
/// Says on stderr when the architecture does nothing with zeros (no zero handling, no
/// compression): the densities then change no cost.
void note_dense_architecture(const Architecture& arch);

}  // namespace dnnspace::cli
