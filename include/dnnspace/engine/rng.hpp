// SplitMix64: the engine's seeded random generator, specified bit for bit (unlike the
// std:: distributions) so that a seed gives the same weights and batch order everywhere.
#pragma once

#include <cstdint>

namespace dnnspace::engine {

/// Steele, Lea and Flood's SplitMix64 (the seeding generator of xoshiro): a 64-bit state
/// advanced by a constant and mixed. Deterministic, portable and cheap.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) noexcept : state_(seed) {}

  /// The next 64 random bits.
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Integer in [0, bound), bound >= 1, by remainder (bias below bound / 2^64, negligible for
  /// dataset-sized bounds).
  std::uint64_t below(std::uint64_t bound) noexcept { return next() % bound; }

 private:
  std::uint64_t state_;
};

}  // namespace dnnspace::engine
