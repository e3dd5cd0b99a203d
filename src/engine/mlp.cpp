#include "dnnspace/engine/mlp.hpp"

#include <charconv>
#include <string>

namespace dnnspace::engine {

namespace {
constexpr std::int64_t kMaxWidth = std::int64_t{1} << 24;
}  // namespace

Expected<Sequential> make_mlp(std::span<const std::int64_t> sizes, ActivationKind activation, std::uint64_t seed) {
  if (sizes.size() < 2) return Error{"mlp: needs at least an input and an output width"};
  std::string name = "mlp";
  for (const std::int64_t s : sizes) {
    if (s < 1) return Error{"mlp: layer width " + std::to_string(s) + " must be >= 1"};
    name += "-" + std::to_string(s);
  }
  // The engine holds the weights, their gradients and momentum in memory: refuse sizes it
  // cannot hold before allocating them (widths are at most 2^24, so no product overflows).
  constexpr std::int64_t kMaxParameters = std::int64_t{1} << 28;
  std::int64_t parameters = 0;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    if (sizes[i] > kMaxWidth || sizes[i + 1] > kMaxWidth) break;
    parameters += sizes[i] * sizes[i + 1] + sizes[i + 1];
    if (parameters > kMaxParameters) break;
  }
  for (const std::int64_t s : sizes) {
    if (s > kMaxWidth) return Error{"mlp: layer width " + std::to_string(s) + " is past the limit of 16777216 (2^24)"};
  }
  if (parameters > kMaxParameters) {
    return Error{"network " + name + ": more than 268435456 (2^28) weights and biases, the engine's limit (1 GiB of fp32 "
                 "weights, held with their gradients and momentum)"};
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
    if (part.empty() || ec != std::errc{} || ptr != part.data() + part.size() || value < 1) return error;
    if (value > kMaxWidth) {
      return Error{"network '" + std::string(name) + "': layer width " + std::string(part) +
                   " is past the limit of 16777216 (2^24)"};
    }
    sizes.push_back(value);
    if (dash == std::string_view::npos) break;
    rest = rest.substr(dash + 1);
  }
  if (sizes.size() < 2) return error;
  return sizes;
}

}  // namespace dnnspace::engine
