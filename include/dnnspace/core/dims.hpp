// Loop dimensions of a layer's nest and fixed-capacity per-dimension arrays.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace dnnspace {

/// The loop dimensions of a (grouped) convolution, after 003 Eq. 1 and 004 Alg. 1:
/// N batch, K output channels per group, C input channels per group, P/Q output
/// rows/cols, R/S filter rows/cols, G groups (1 for an ordinary layer).
enum class Dim : std::uint8_t { N, K, C, P, Q, R, S, G };

inline constexpr std::size_t kNumDims = 8;
inline constexpr std::array<Dim, kNumDims> kAllDims = {Dim::N, Dim::K, Dim::C, Dim::P,
                                                       Dim::Q, Dim::R, Dim::S, Dim::G};

/// The one-letter name of a dimension ("N", "K", ...).
constexpr char dim_letter(Dim d) noexcept {
  constexpr std::string_view kLetters = "NKCPQRSG";
  return kLetters[static_cast<std::size_t>(d)];
}

/// Parses a dimension letter; accepts upper or lower case. Nothing for other chars.
constexpr std::optional<Dim> dim_from_letter(char c) noexcept {
  switch (c) {
    case 'N': case 'n': return Dim::N;
    case 'K': case 'k': return Dim::K;
    case 'C': case 'c': return Dim::C;
    case 'P': case 'p': return Dim::P;
    case 'Q': case 'q': return Dim::Q;
    case 'R': case 'r': return Dim::R;
    case 'S': case 's': return Dim::S;
    case 'G': case 'g': return Dim::G;
    default: return std::nullopt;
  }
}

/// A value per loop dimension, indexed by Dim.
template <typename T>
struct PerDim {
  std::array<T, kNumDims> values{};

  constexpr T& operator[](Dim d) noexcept { return values[static_cast<std::size_t>(d)]; }
  constexpr const T& operator[](Dim d) const noexcept {
    return values[static_cast<std::size_t>(d)];
  }
  friend constexpr bool operator==(const PerDim&, const PerDim&) = default;
};

}  // namespace dnnspace
