// Low-voltage SRAM faults in stored weights and their mitigation (001 Sec. 4.4.3, Minerva
// Stage 5): every bit of every stored word faults (reads flipped) independently with a
// given probability; Razor double-sampling tells which bits faulted, and the datapath
// masks them toward zero.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "dnnspace/engine/fixed_point.hpp"
#include "dnnspace/engine/rng.hpp"

namespace dnnspace::engine {

/// What the datapath does with a word whose faulty bits Razor flagged (001 Fig. 4.10).
///  - None: the word is used as read, its faulty bits flipped.
///  - WordMask: a word with any faulty bit reads as zero.
///  - BitMask: each faulty bit reads as the word's sign bit, which rounds the value toward
///    zero. A faulty sign bit leaves no sign to copy: that word reads as zero (our choice;
///    001 does not say), so no mask ever moves a value away from zero.
enum class FaultMitigation { None, WordMask, BitMask };

std::string_view mitigation_name(FaultMitigation mitigation) noexcept;  ///< "none", "word", "bit"
std::optional<FaultMitigation> parse_mitigation(std::string_view name) noexcept;

/// What one injection did.
struct FaultCounts {
  std::int64_t words = 0;         ///< words stored
  std::int64_t bits = 0;          ///< words x bits per word
  std::int64_t faulty_bits = 0;
  std::int64_t faulty_words = 0;  ///< words with at least one faulty bit

  FaultCounts& operator+=(const FaultCounts& other) noexcept {
    words += other.words;
    bits += other.bits;
    faulty_bits += other.faulty_bits;
    faulty_words += other.faulty_words;
    return *this;
  }
};

/// Faults the raw values `raw` of `format` (two's complement in m + n bits, as to_fixed
/// gives them) in place: each bit faults with probability `bit_fault_rate` (0..1),
/// independently (the positions are drawn by geometric skips, so a low rate costs little),
/// and `mitigation` is applied. The same `rng` state gives the same faults.
FaultCounts inject_sram_faults(std::span<std::int32_t> raw, FixedFormat format, double bit_fault_rate,
                               FaultMitigation mitigation, SplitMix64& rng);

/// One stored word as the datapath reads it: `raw` (m + n bits of `format`) whose bits in
/// `faulty` (a mask of bit positions, bit 0 the least significant) flipped, after
/// `mitigation`. The rule inject_sram_faults applies to each word.
std::int32_t read_faulty_word(std::int32_t raw, std::uint32_t faulty, FixedFormat format,
                              FaultMitigation mitigation) noexcept;

}  // namespace dnnspace::engine
