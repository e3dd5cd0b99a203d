// The three data spaces of a layer and fixed-capacity per-tensor arrays.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace dnnspace {

/// The tensors a layer touches: input activations, weights, output activations
/// (which are also the partial sums while they are being reduced).
enum class TensorId : std::uint8_t { Inputs, Weights, Outputs };

inline constexpr std::size_t kNumTensors = 3;
inline constexpr std::array<TensorId, kNumTensors> kAllTensors = {
    TensorId::Inputs, TensorId::Weights, TensorId::Outputs};

/// The lower-case name used in YAML and JSON: "inputs", "weights", "outputs".
constexpr std::string_view tensor_name(TensorId t) noexcept {
  switch (t) {
    case TensorId::Inputs: return "inputs";
    case TensorId::Weights: return "weights";
    case TensorId::Outputs: return "outputs";
  }
  return "?";
}

/// Parses "inputs"/"weights"/"outputs" (also the singular forms).
constexpr std::optional<TensorId> tensor_from_name(std::string_view s) noexcept {
  if (s == "inputs" || s == "input") return TensorId::Inputs;
  if (s == "weights" || s == "weight") return TensorId::Weights;
  if (s == "outputs" || s == "output") return TensorId::Outputs;
  return std::nullopt;
}

/// A value per tensor, indexed by TensorId.
template <typename T>
struct PerTensor {
  std::array<T, kNumTensors> values{};

  constexpr T& operator[](TensorId t) noexcept { return values[static_cast<std::size_t>(t)]; }
  constexpr const T& operator[](TensorId t) const noexcept {
    return values[static_cast<std::size_t>(t)];
  }
  friend constexpr bool operator==(const PerTensor&, const PerTensor&) = default;
};

}  // namespace dnnspace
