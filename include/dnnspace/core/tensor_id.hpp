// The tensor slots of a layer and fixed-capacity per-tensor arrays.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace dnnspace {

/// A tensor slot of a layer. Every layer has the three named ones: input activations
/// (the first operand), weights (the second), output activations (which are also the
/// partial sums while they are being reduced). A workload given as data may have more
/// operands, in slots 3, 4, ... up to kMaxTensors - 1 (TensorId{3}, ...).
enum class TensorId : std::uint8_t { Inputs, Weights, Outputs };

/// The three slots every layer has (the built-in layers have no others).
inline constexpr std::size_t kNumTensors = 3;
inline constexpr std::array<TensorId, kNumTensors> kAllTensors = {
    TensorId::Inputs, TensorId::Weights, TensorId::Outputs};

/// Most tensors one layer may have: the output and up to seven operands (docs/model.md
/// Sec. 8).
inline constexpr std::size_t kMaxTensors = 8;

/// Every slot, in order; tensor_slots(n) is a layer's first n.
inline constexpr std::array<TensorId, kMaxTensors> kTensorSlots = {
    TensorId::Inputs, TensorId::Weights, TensorId::Outputs, TensorId{3},
    TensorId{4},      TensorId{5},       TensorId{6},       TensorId{7}};
constexpr std::span<const TensorId> tensor_slots(std::size_t n) noexcept { return {kTensorSlots.data(), n}; }

/// The lower-case name used in YAML and JSON: "inputs", "weights", "outputs".
constexpr std::string_view tensor_name(TensorId t) noexcept {
  switch (t) {
    case TensorId::Inputs: return "inputs";
    case TensorId::Weights: return "weights";
    case TensorId::Outputs: return "outputs";
  }
  return "operand";  // a further operand of a workload given as data
}

/// Parses "inputs"/"weights"/"outputs" (also the singular forms).
constexpr std::optional<TensorId> tensor_from_name(std::string_view s) noexcept {
  if (s == "inputs" || s == "input") return TensorId::Inputs;
  if (s == "weights" || s == "weight") return TensorId::Weights;
  if (s == "outputs" || s == "output") return TensorId::Outputs;
  return std::nullopt;
}

/// A value per tensor slot, indexed by TensorId.
template <typename T>
struct PerTensor {
  std::array<T, kMaxTensors> values{};

  static constexpr PerTensor filled(const T& value) noexcept {
    PerTensor out;
    out.values.fill(value);
    return out;
  }

  constexpr T& operator[](TensorId t) noexcept { return values[static_cast<std::size_t>(t)]; }
  constexpr const T& operator[](TensorId t) const noexcept {
    return values[static_cast<std::size_t>(t)];
  }
  friend constexpr bool operator==(const PerTensor&, const PerTensor&) = default;
};

}  // namespace dnnspace
