// Multi-layer perceptrons such as 002's 784-100-100-10 network: dense layers fc1..fcN with a
// hidden activation between them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/sequential.hpp"

namespace dnnspace::engine {

/// An MLP with layer widths `sizes` (inputs first, classes last; at least two entries, each
/// 1 to 2^24): dense layers fc1, fc2, ... with `activation` after every one but the last. Named
/// "mlp-<sizes joined by ->". Parameters initialised from `seed` (see make_sequential). An
/// Error past 2^28 weights and biases in all, before anything is allocated.
[[nodiscard]] Expected<Sequential> make_mlp(std::span<const std::int64_t> sizes, ActivationKind activation,
                                            std::uint64_t seed);

/// The widths of an "mlp-784-100-100-10" name; an Error if the name is not of that form or a
/// width is past 2^24.
[[nodiscard]] Expected<std::vector<std::int64_t>> parse_mlp_name(std::string_view name);

}  // namespace dnnspace::engine
