#include "dnnspace/engine/mlp.hpp"

#include <charconv>
#include <string>

namespace dnnspace::engine {

Expected<Sequential> make_mlp(std::span<const std::int64_t> sizes, ActivationKind activation, std::uint64_t seed) {
  if (sizes.size() < 2) return Error{"mlp: needs at least an input and an output width"};
  std::string name = "mlp";
  for (const std::int64_t s : sizes) {
    if (s < 1) return Error{"mlp: layer width " + std::to_string(s) + " must be >= 1"};
    name += "-" + std::to_string(s);
  }
  std::vector<Layer> layers;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    layers.emplace_back(DenseLayer{"fc" + std::to_string(i + 1), sizes[i], sizes[i + 1]});
    if (i + 2 < sizes.size()) layers.emplace_back(ActivationLayer{activation});
  }
  return make_sequential(std::move(name), activation, Shape{sizes[0]}, std::move(layers), seed);
}

Expected<std::vector<std::int64_t>> parse_mlp_name(std::string_view name) {
  const Error error{"network '" + std::string(name) +
                    "' is not an MLP name (allowed: mlp-<inputs>-<hidden>...-<classes>, e.g. mlp-784-100-100-10)"};
  if (!name.starts_with("mlp-")) return error;
  std::vector<std::int64_t> sizes;
  std::string_view rest = name.substr(4);
  while (true) {
    const std::size_t dash = rest.find('-');
    const std::string_view part = rest.substr(0, dash);
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc{} || ptr != part.data() + part.size() || value < 1 || value > (1 << 24)) {
      return error;
    }
    sizes.push_back(value);
    if (dash == std::string_view::npos) break;
    rest = rest.substr(dash + 1);
  }
  if (sizes.size() < 2) return error;
  return sizes;
}

}  // namespace dnnspace::engine
