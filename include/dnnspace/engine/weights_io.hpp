// Saving and loading a network's parameters in dnnspace's small binary weights format
// (documented in docs/engine.md, "Numerics and training").
#pragma once

#include <string>
#include <string_view>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/sequential.hpp"

namespace dnnspace::engine {

/// The file's first 8 bytes.
inline constexpr std::string_view kWeightsMagic = "DNNSWTS1";

/// The weights file bytes of `net`: magic, network name, activation name, parameter count,
/// then per parameter its name, rank, int64 extents and float32 values (all little-endian).
[[nodiscard]] std::string serialize_weights(const Sequential& net);

/// Rebuilds the network a weights file describes (via make_network with the stored name and
/// activation) and fills in its parameters. Errors name `origin` and the problem: bad magic,
/// truncated data, unknown network, a parameter whose name or shape differs from the network's,
/// trailing bytes.
[[nodiscard]] Expected<Sequential> deserialize_weights(std::string_view bytes, const std::string& origin);

/// Reads and deserializes a weights file; "PATH: cannot open file" if it cannot be read.
[[nodiscard]] Expected<Sequential> load_weights_file(const std::string& path);

}  // namespace dnnspace::engine
