// SRAM fault injection and masking (001 Sec. 4.4.3): the masks on hand-worked words, bit
// masking never moving a value away from zero (every 8-bit word and fault pattern), and the
// injected fault counts within binomial bounds at low and high rates.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "dnnspace/engine/sram_faults.hpp"

namespace dnnspace::engine {
namespace {

constexpr FixedFormat kQ2_6{2, 6};  // 8 bits: the sign is bit 7

TEST(SramFaults, MasksOnHandWorkedWords) {
  // +44 = 0b0010'1100 (0.6875 in Q2.6).
  EXPECT_EQ(read_faulty_word(44, 0x20, kQ2_6, FaultMitigation::None), 12);      // bit 5 (a 1) flips
  EXPECT_EQ(read_faulty_word(44, 0x40, kQ2_6, FaultMitigation::None), 108);     // bit 6 (a 0) flips: 1.6875
  EXPECT_EQ(read_faulty_word(44, 0x80, kQ2_6, FaultMitigation::None), -84);     // the sign flips: 0b1010'1100
  EXPECT_EQ(read_faulty_word(44, 0x42, kQ2_6, FaultMitigation::WordMask), 0);
  EXPECT_EQ(read_faulty_word(44, 0x00, kQ2_6, FaultMitigation::WordMask), 44);  // no fault, no mask
  EXPECT_EQ(read_faulty_word(44, 0x20, kQ2_6, FaultMitigation::BitMask), 12);   // bit 5 takes the sign, 0
  EXPECT_EQ(read_faulty_word(44, 0x42, kQ2_6, FaultMitigation::BitMask), 44);   // bits 6 and 1 were 0 already
  EXPECT_EQ(read_faulty_word(44, 0x80, kQ2_6, FaultMitigation::BitMask), 0);    // a faulty sign: zero
  // -44 = 0b1101'0100.
  EXPECT_EQ(read_faulty_word(-44, 0x01, kQ2_6, FaultMitigation::None), -43);
  EXPECT_EQ(read_faulty_word(-44, 0x04, kQ2_6, FaultMitigation::None), -48);    // away from zero
  EXPECT_EQ(read_faulty_word(-44, 0x04, kQ2_6, FaultMitigation::BitMask), -44); // bit 2 takes the sign, 1
  EXPECT_EQ(read_faulty_word(-44, 0x01, kQ2_6, FaultMitigation::BitMask), -43); // toward zero
  EXPECT_EQ(read_faulty_word(-44, 0x28, kQ2_6, FaultMitigation::BitMask), -4);  // 0b1111'1100
  EXPECT_EQ(read_faulty_word(-44, 0x80, kQ2_6, FaultMitigation::None), 84);
  // 32-bit words: every bit, the sign included.
  EXPECT_EQ(read_faulty_word(-1, 0x80000000u, FixedFormat{16, 16}, FaultMitigation::None), 0x7FFFFFFF);
  EXPECT_EQ(read_faulty_word(5, 0x80000000u, FixedFormat{16, 16}, FaultMitigation::BitMask), 0);
}

TEST(SramFaults, BitMaskingNeverMovesAValueAwayFromZero) {
  for (int raw = -128; raw < 128; ++raw) {
    for (std::uint32_t faulty = 0; faulty < 256; ++faulty) {
      const std::int32_t bit = read_faulty_word(raw, faulty, kQ2_6, FaultMitigation::BitMask);
      if (raw >= 0) {
        EXPECT_TRUE(bit >= 0 && bit <= raw) << raw << " " << faulty << " -> " << bit;
      } else {
        EXPECT_TRUE(bit <= 0 && bit >= raw) << raw << " " << faulty << " -> " << bit;
      }
      // Unmasked, the read is the flipped pattern, sign-extended.
      const auto flipped = static_cast<std::int32_t>(static_cast<std::int8_t>(static_cast<std::uint8_t>(raw) ^ faulty));
      EXPECT_EQ(read_faulty_word(raw, faulty, kQ2_6, FaultMitigation::None), flipped);
      EXPECT_EQ(read_faulty_word(raw, faulty, kQ2_6, FaultMitigation::WordMask), faulty ? 0 : raw);
    }
  }
}

// The count of faulty bits among n bits at rate p is binomial: within 5 standard deviations.
void expect_binomial(std::int64_t count, std::int64_t n, double p, const char* what) {
  const double mean = static_cast<double>(n) * p;
  const double sd = std::sqrt(static_cast<double>(n) * p * (1.0 - p));
  EXPECT_NEAR(static_cast<double>(count), mean, 5.0 * sd + 1e-9) << what << ": n " << n << ", p " << p;
}

TEST(SramFaults, InjectedFaultsFollowTheBitFaultRate) {
  const FixedFormat q6_10{6, 10};
  for (double p : {1e-4, 1e-3, 0.05, 0.25}) {
    std::vector<std::int32_t> words(200000, 0);
    SplitMix64 rng(7);
    const FaultCounts c = inject_sram_faults(words, q6_10, p, FaultMitigation::None, rng);
    EXPECT_EQ(c.words, 200000);
    EXPECT_EQ(c.bits, 3200000);
    expect_binomial(c.faulty_bits, c.bits, p, "faulty bits");
    expect_binomial(c.faulty_words, c.words, 1.0 - std::pow(1.0 - p, 16), "faulty words");
    // All words were 0, unmasked: each faulty bit is a 1 now, so the popcounts add up.
    std::int64_t ones = 0;
    std::vector<std::int64_t> per_position(16, 0);
    for (std::int32_t w : words) {
      for (int b = 0; b < 16; ++b) {
        const bool set = (static_cast<std::uint32_t>(w) >> b) & 1u;
        ones += set ? 1 : 0;
        per_position[static_cast<std::size_t>(b)] += set ? 1 : 0;
      }
    }
    EXPECT_EQ(ones, c.faulty_bits);
    for (std::int64_t count : per_position) expect_binomial(count, 200000, p, "faults at one bit position");
  }
}

TEST(SramFaults, RatesZeroAndOneAndTheSeed) {
  std::vector<std::int32_t> words = {1, -2, 3, -4};
  SplitMix64 rng(1);
  EXPECT_EQ(inject_sram_faults(words, kQ2_6, 0.0, FaultMitigation::None, rng).faulty_bits, 0);
  EXPECT_EQ(words, (std::vector<std::int32_t>{1, -2, 3, -4}));
  const FaultCounts all = inject_sram_faults(words, kQ2_6, 1.0, FaultMitigation::None, rng);
  EXPECT_EQ(all.faulty_bits, 32);
  EXPECT_EQ(all.faulty_words, 4);
  EXPECT_EQ(words, (std::vector<std::int32_t>{-2, 1, -4, 3}));  // every bit flipped: ~x
  std::vector<std::int32_t> a(5000, 17), b(5000, 17);
  SplitMix64 ra(99), rb(99);
  inject_sram_faults(a, kQ2_6, 0.01, FaultMitigation::BitMask, ra);
  inject_sram_faults(b, kQ2_6, 0.01, FaultMitigation::BitMask, rb);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, std::vector<std::int32_t>(5000, 17));
  EXPECT_EQ(parse_mitigation("bit"), FaultMitigation::BitMask);
  EXPECT_FALSE(parse_mitigation("parity"));
}

}  // namespace
}  // namespace dnnspace::engine
