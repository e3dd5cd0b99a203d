// Loop dimensions of a workload's nest and per-dimension arrays.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dnnspace {

/// A loop dimension, named by one letter. The first eight are the grouped convolution's
/// of 003 Eq. 1 and 004 Alg. 1: N batch, K output channels per group, C input channels
/// per group, P/Q output rows/cols, R/S filter rows/cols, G groups. A workload given as
/// data (docs/workloads.md) names its dimensions with any letters; the other eighteen
/// follow in alphabetical order, so that every letter is one dimension everywhere
/// (dataflow strings, mapping files) and the conv letters keep their order.
enum class Dim : std::uint8_t { N, K, C, P, Q, R, S, G, A, B, D, E, F, H, I, J, L, M, O, T, U, V, W, X, Y, Z };

/// Every dimension letter: the size of a per-dimension array.
inline constexpr std::size_t kNumDims = 26;
/// The conv dimensions, in their order.
inline constexpr std::size_t kNumConvDims = 8;

namespace detail {
inline constexpr std::string_view kDimLetters = "NKCPQRSGABDEFHIJLMOTUVWXYZ";
constexpr std::array<Dim, kNumDims> all_dims() noexcept {
  std::array<Dim, kNumDims> out{};
  for (std::size_t i = 0; i < kNumDims; ++i) out[i] = static_cast<Dim>(i);
  return out;
}
}  // namespace detail

/// Every dimension, conv letters first. Most code iterates a layer's own dimensions
/// (Layer::dims) instead.
inline constexpr std::array<Dim, kNumDims> kAllDims = detail::all_dims();

/// The conv dimensions N K C P Q R S G, in their order.
inline constexpr std::array<Dim, kNumConvDims> kConvDims = {Dim::N, Dim::K, Dim::C, Dim::P,
                                                           Dim::Q, Dim::R, Dim::S, Dim::G};

/// The one-letter name of a dimension ("N", "K", ...).
constexpr char dim_letter(Dim d) noexcept { return detail::kDimLetters[static_cast<std::size_t>(d)]; }

/// Parses a dimension letter; accepts upper or lower case. Nothing for other chars.
constexpr std::optional<Dim> dim_from_letter(char c) noexcept {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  const std::size_t i = detail::kDimLetters.find(c);
  if (i == std::string_view::npos) return std::nullopt;
  return static_cast<Dim>(i);
}

/// The letters of some dimensions, space-separated ("N K C P Q R S G"), for messages.
template <typename Dims>
std::string dim_letters_text(const Dims& dims) {
  std::string out;
  for (Dim d : dims) {
    if (!out.empty()) out += ' ';
    out += dim_letter(d);
  }
  return out;
}

/// A value per loop dimension, indexed by Dim.
template <typename T>
struct PerDim {
  std::array<T, kNumDims> values{};

  /// Every entry set to v (e.g. bounds or extents of 1).
  static constexpr PerDim filled(T v) noexcept {
    PerDim out;
    out.values.fill(v);
    return out;
  }
  constexpr T& operator[](Dim d) noexcept { return values[static_cast<std::size_t>(d)]; }
  constexpr const T& operator[](Dim d) const noexcept {
    return values[static_cast<std::size_t>(d)];
  }
  friend constexpr bool operator==(const PerDim&, const PerDim&) = default;
};

}  // namespace dnnspace
