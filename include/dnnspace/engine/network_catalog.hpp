// The networks `dnnspace train` and `infer` know by name, with their default activations.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/sequential.hpp"

namespace dnnspace::engine {

/// The hidden activation a named network uses unless told otherwise: sigmoid for
/// mlp-784-100-100-10 (002's network), ReLU for every other name (mlp-784-256-256-256-10,
/// lenet5, any mlp-...).
[[nodiscard]] ActivationKind default_activation(std::string_view name) noexcept;

/// Builds "lenet5" or any "mlp-<widths>" network with `activation` (default_activation(name)
/// when empty), parameters from `seed`. An Error lists the allowed names otherwise.
[[nodiscard]] Expected<Sequential> make_network(std::string_view name, std::optional<ActivationKind> activation,
                                                std::uint64_t seed);

}  // namespace dnnspace::engine
