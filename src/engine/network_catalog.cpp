#include "dnnspace/engine/network_catalog.hpp"

#include <string>

#include "dnnspace/engine/lenet.hpp"
#include "dnnspace/engine/mlp.hpp"

namespace dnnspace::engine {

ActivationKind default_activation(std::string_view name) noexcept {
  return name == "mlp-784-100-100-10" ? ActivationKind::Sigmoid : ActivationKind::Relu;
}

Expected<Sequential> make_network(std::string_view name, std::optional<ActivationKind> activation, std::uint64_t seed) {
  const ActivationKind kind = activation.value_or(default_activation(name));
  if (name == "lenet5") return make_lenet5(kind, seed);
  if (name.starts_with("mlp-")) {
    Expected<std::vector<std::int64_t>> sizes = parse_mlp_name(name);
    if (!sizes) return sizes.error();
    return make_mlp(*sizes, kind, seed);
  }
  return Error{"network '" + std::string(name) +
               "' is not known (allowed: mlp-784-100-100-10, mlp-784-256-256-256-10, lenet5, or any mlp-<widths>)"};
}

}  // namespace dnnspace::engine
