// Resolving a layer or network argument (the CLI's --layer, --network and --batch, and the
// Python module's): a built-in zoo name, a YAML file or an ONNX model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/workload/layer.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace::io {

/// Checks a --batch value: nothing (not given) or a number >= 1. The error names the
/// option and the value.
[[nodiscard]] Expected<void> check_batch_option(std::optional<std::int64_t> batch);

/// Whether an argument names a file rather than a built-in: it exists as a regular file,
/// or it ends in .yaml/.yml (so that a mistyped path fails as "cannot open file" instead
/// of as an unknown built-in name).
bool looks_like_file(std::string_view arg);

/// A --layer argument: "network/layer" from the zoo or a layer YAML file (a file wins
/// when both could match). Zoo layers get N = batch, or `zoo_default_batch` without
/// --batch; a YAML layer keeps its N unless --batch is given. Errors are one line naming
/// the file and field (from io/) or the zoo network/layer with the allowed names.
[[nodiscard]] Expected<Layer> resolve_layer(std::string_view spec, std::optional<std::int64_t> batch,
                                            std::int64_t zoo_default_batch = 1);

/// A --network argument: a zoo name, a network YAML file or an ONNX model (a path ending
/// in .onnx, io/onnx_network); batch as for resolve_layer (zoo networks default to N = 1,
/// YAML networks keep their N unless --batch is given, an ONNX model's symbolic or unit
/// batch dimension becomes --batch or 1). `input_shapes` are --input-shape values (NAME=D0xD1x...), for
/// ONNX models only (an error for the others).
[[nodiscard]] Expected<Network> resolve_network(std::string_view spec, std::optional<std::int64_t> batch,
                                                const std::vector<std::string>& input_shapes = {});

/// --layer NAME: keeps only that layer of `network`. Errors: an empty name; a name the
/// network does not have (the message lists the names it has).
[[nodiscard]] Expected<void> keep_only_layer(Network& network, const std::string& name);

}  // namespace dnnspace::io
