#include "dnnspace/engine/sram_faults.hpp"

#include <cassert>
#include <cmath>
#include <limits>

namespace dnnspace::engine {

std::string_view mitigation_name(FaultMitigation mitigation) noexcept {
  switch (mitigation) {
    case FaultMitigation::None: return "none";
    case FaultMitigation::WordMask: return "word";
    case FaultMitigation::BitMask: return "bit";
  }
  return "none";
}

std::optional<FaultMitigation> parse_mitigation(std::string_view name) noexcept {
  for (FaultMitigation m : {FaultMitigation::None, FaultMitigation::WordMask, FaultMitigation::BitMask}) {
    if (name == mitigation_name(m)) return m;
  }
  return std::nullopt;
}

std::int32_t read_faulty_word(std::int32_t raw, std::uint32_t faulty, FixedFormat format,
                              FaultMitigation mitigation) noexcept {
  const int width = total_bits(format);
  const std::uint32_t all = width >= 32 ? 0xFFFFFFFFu : (std::uint32_t{1} << width) - 1;
  faulty &= all;
  if (faulty == 0) return raw;
  const std::uint32_t sign_bit = std::uint32_t{1} << (width - 1);
  const auto bits = static_cast<std::uint32_t>(raw) & all;
  std::uint32_t read = 0;
  switch (mitigation) {
    case FaultMitigation::None: read = bits ^ faulty; break;
    case FaultMitigation::WordMask: return 0;
    case FaultMitigation::BitMask:
      if (faulty & sign_bit) return 0;
      read = (bits & sign_bit) ? (bits | faulty) : (bits & ~faulty);
      break;
  }
  // Sign-extend the width-bit pattern.
  if (read & sign_bit) read |= ~all;
  return static_cast<std::int32_t>(read);
}

FaultCounts inject_sram_faults(std::span<std::int32_t> raw, FixedFormat format, double bit_fault_rate,
                               FaultMitigation mitigation, SplitMix64& rng) {
  assert(is_valid(format) && bit_fault_rate >= 0.0 && bit_fault_rate <= 1.0);
  const int width = total_bits(format);
  FaultCounts counts;
  counts.words = static_cast<std::int64_t>(raw.size());
  counts.bits = counts.words * width;
  if (!(bit_fault_rate > 0.0) || raw.empty()) return counts;
  // The gap to the next faulty bit is geometric: P(gap = k) = (1-p)^k p, drawn by inversion.
  const double log_keep = std::log1p(-bit_fault_rate);
  const auto next_gap = [&]() -> std::int64_t {
    if (bit_fault_rate >= 1.0) return 0;
    const double u = 1.0 - rng.uniform();  // in (0, 1]
    const double gap = std::floor(std::log(u) / log_keep);
    return gap >= static_cast<double>(std::numeric_limits<std::int64_t>::max() / 2)
               ? std::numeric_limits<std::int64_t>::max() / 2
               : static_cast<std::int64_t>(gap);
  };
  std::int64_t position = next_gap();
  while (position < counts.bits) {
    const std::int64_t word = position / width;
    std::uint32_t faulty = 0;
    while (position < counts.bits && position / width == word) {
      faulty |= std::uint32_t{1} << (position % width);
      ++counts.faulty_bits;
      position += 1 + next_gap();
    }
    ++counts.faulty_words;
    auto& value = raw[static_cast<std::size_t>(word)];
    value = read_faulty_word(value, faulty, format, mitigation);
  }
  return counts;
}

}  // namespace dnnspace::engine
