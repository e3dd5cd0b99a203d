// Technology tables: 004 Table IV points, the size rules around them, 003's normalized costs.
#include "dnnspace/arch/tech_table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

namespace dnnspace {
namespace {

constexpr std::string_view kT = "interstellar-28nm";
constexpr std::string_view kN = "eyeriss-normalized";
constexpr std::int64_t kKiB = 1024;
constexpr std::int64_t kMiB = 1024 * kKiB;
constexpr double kTol = 1e-9;

double energy(MemoryKind kind, std::int64_t size, int bits = 16) {
  Expected<double> e = access_energy_pj(kT, kind, size, bits);
  EXPECT_TRUE(e.has_value()) << (e ? "" : e.error().message);
  return e ? *e : -1.0;
}

TEST(TechTable, Names) {
  const auto names = tech_table_names();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "interstellar-28nm");
  EXPECT_EQ(names[1], "eyeriss-normalized");
}

TEST(TechTable, MemoryKindNamesRoundTrip) {
  for (MemoryKind k : {MemoryKind::RegisterFile, MemoryKind::Sram, MemoryKind::Dram}) {
    EXPECT_EQ(memory_kind_from_name(memory_kind_name(k)), k);
  }
  EXPECT_FALSE(memory_kind_from_name("cache").has_value());
}

// 004 Table IV, "Reg. Size" column, exactly at the table points.
TEST(TechTable, RegisterFileTablePoints) {
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 16), 0.03, kTol);
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 32), 0.06, kTol);
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 64), 0.12, kTol);
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 128), 0.24, kTol);
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 256), 0.48, kTol);
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 512), 0.96, kTol);
}

// 004 Table IV, "SRAM Size" column, exactly at the table points.
TEST(TechTable, SramTablePoints) {
  EXPECT_NEAR(energy(MemoryKind::Sram, 32 * kKiB), 6.0, kTol);
  EXPECT_NEAR(energy(MemoryKind::Sram, 64 * kKiB), 9.0, kTol);
  EXPECT_NEAR(energy(MemoryKind::Sram, 128 * kKiB), 13.5, kTol);
  EXPECT_NEAR(energy(MemoryKind::Sram, 256 * kKiB), 20.25, kTol);
  EXPECT_NEAR(energy(MemoryKind::Sram, 512 * kKiB), 30.375, kTol);
}

// 004 Table IV bottom row: MAC 0.075 pJ, DRAM 200 pJ (any size, 0 = unbounded).
TEST(TechTable, MacAndDram) {
  EXPECT_NEAR(*mac_energy_pj(kT, 16), 0.075, kTol);
  EXPECT_NEAR(energy(MemoryKind::Dram, 0), 200.0, kTol);
  EXPECT_NEAR(energy(MemoryKind::Dram, 4 * 1024 * kMiB), 200.0, kTol);
}

// Between register-file points the rule is linear in size (the column doubles per
// doubling): 24 B = 0.03 * 24/16 = 0.045; 100 B = 0.03 * 100/16 = 0.1875.
TEST(TechTable, RegisterFileBetweenPointsIsLinearInSize) {
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 24), 0.045, kTol);
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 100), 0.1875, kTol);
}

// Below 16 B: linear, 8 B = 0.03 / 2 = 0.015, 1 B = 0.03 / 16 = 0.001875.
TEST(TechTable, RegisterFileBelowTableIsLinear) {
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 8), 0.015, kTol);
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 1), 0.001875, kTol);
}

// Above 512 B: x1.5 per doubling from 0.96: 1 KB = 1.44, 2 KB = 0.96 * 2.25 = 2.16.
TEST(TechTable, RegisterFileAboveTableGrowsLikeSram) {
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 1024), 1.44, kTol);
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 2048), 2.16, kTol);
}

// Between SRAM points: x1.5 per doubling on log2(size).
// 48 KB: log2(48/32) = 0.5849625; 1.5^0.5849625 = 1.2676717; 6 * 1.2676717 = 7.6060300.
// 96 KB: 9 * 1.2676717 = 11.4090450.
TEST(TechTable, SramBetweenPoints) {
  EXPECT_NEAR(energy(MemoryKind::Sram, 48 * kKiB), 7.6060300, 1e-6);
  EXPECT_NEAR(energy(MemoryKind::Sram, 96 * kKiB), 11.4090450, 1e-6);
}

// Below 32 KB: the x1.5 per doubling continued down. 16 KB = 6/1.5 = 4;
// 512 B = 6 / 1.5^6 = 6 / 11.390625 = 0.5267490.
TEST(TechTable, SramBelowTable) {
  EXPECT_NEAR(energy(MemoryKind::Sram, 16 * kKiB), 4.0, kTol);
  EXPECT_NEAR(energy(MemoryKind::Sram, 512), 0.5267490, 1e-6);
}

// Beyond 512 KB: n = size / 512 KB banks, 30.375 + 4.5 * (sqrt(n) - 1).
// 1 MB: n = 2: 30.375 + 4.5 * 0.4142136 = 32.2389610.
TEST(TechTable, SramBeyondTableIsBanked) {
  EXPECT_NEAR(energy(MemoryKind::Sram, kMiB), 32.2389610, 1e-6);
}

// 28 MB (004's TPU-like second-level buffer): n = 28 * 1024 / 512 = 56 banks;
// sqrt(56) = 7.4833148; 30.375 + 4.5 * 6.4833148 = 59.5499165. Well below DRAM's 200 pJ
// and above the largest table entry.
TEST(TechTable, TwentyEightMegabyteBuffer) {
  const double e = energy(MemoryKind::Sram, 28 * kMiB);
  EXPECT_NEAR(e, 59.5499165, 1e-6);
  EXPECT_LT(e, 200.0);
  EXPECT_GT(e, 30.375);
}

// The rules are continuous at the table's ends and never decrease with size.
TEST(TechTable, MonotonicAndContinuous) {
  for (MemoryKind kind : {MemoryKind::RegisterFile, MemoryKind::Sram}) {
    double previous = 0.0;
    for (std::int64_t size = 1; size <= std::int64_t{1} << 32; size = size * 5 / 4 + 1) {
      const double e = energy(kind, size);
      EXPECT_GE(e, previous) << memory_kind_name(kind) << " size " << size;
      previous = e;
    }
  }
  EXPECT_NEAR(energy(MemoryKind::Sram, 512 * kKiB + 1), 30.375, 1e-4);
  EXPECT_NEAR(energy(MemoryKind::Sram, 32 * kKiB - 1), 6.0, 1e-3);
  EXPECT_NEAR(energy(MemoryKind::RegisterFile, 513), 0.96, 1e-2);
}

// Width scaling: memory linear in bits (003 Sec. VII-A), MAC quadratic.
// 8-bit 128 KB SRAM = 13.5 / 2 = 6.75; 32-bit = 27. 8-bit MAC = 0.075 / 4 = 0.01875.
TEST(TechTable, WordBitsScaling) {
  EXPECT_NEAR(energy(MemoryKind::Sram, 128 * kKiB, 8), 6.75, kTol);
  EXPECT_NEAR(energy(MemoryKind::Sram, 128 * kKiB, 32), 27.0, kTol);
  EXPECT_NEAR(*mac_energy_pj(kT, 8), 0.01875, kTol);
  EXPECT_NEAR(*mac_energy_pj(kT, 32), 0.3, kTol);
  EXPECT_NEAR(*array_hop_energy_pj(kT, 8), 0.0175, kTol);
}

// Array costs (assumptions, see tech_table.cpp): hop 0.035 pJ; flat = hop x mean PE
// distance: 16x16: 2 * (256 - 1) / 48 = 10.625 hops -> 0.371875 pJ.
TEST(TechTable, ArrayCosts) {
  EXPECT_NEAR(*array_hop_energy_pj(kT, 16), 0.035, kTol);
  EXPECT_NEAR(*array_flat_energy_pj(kT, 16, 16, 16), 0.371875, kTol);
  EXPECT_NEAR(*array_flat_energy_pj(kT, 1, 1, 16), 0.0, kTol);
  EXPECT_FALSE(array_flat_energy_pj(kT, 0, 16, 16).has_value());
}

// 003 Fig. 22: MAC 1, RF 1, array 2, global buffer 6, DRAM 200, any size.
TEST(TechTable, EyerissNormalized) {
  EXPECT_NEAR(*mac_energy_pj(kN, 16), 1.0, kTol);
  EXPECT_NEAR(*access_energy_pj(kN, MemoryKind::RegisterFile, 512, 16), 1.0, kTol);
  EXPECT_NEAR(*access_energy_pj(kN, MemoryKind::Sram, 108 * kKiB, 16), 6.0, kTol);
  EXPECT_NEAR(*access_energy_pj(kN, MemoryKind::Sram, 28 * kMiB, 16), 6.0, kTol);
  EXPECT_NEAR(*access_energy_pj(kN, MemoryKind::Dram, 0, 16), 200.0, kTol);
  EXPECT_NEAR(*array_hop_energy_pj(kN, 16), 2.0, kTol);
  EXPECT_NEAR(*array_flat_energy_pj(kN, 12, 14, 16), 2.0, kTol);
}

TEST(TechTable, UnknownTableListsAllowedNames) {
  Expected<double> e = access_energy_pj("tsmc-7nm", MemoryKind::Sram, 1024, 16);
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message.find("tsmc-7nm"), std::string::npos);
  EXPECT_NE(e.error().message.find("interstellar-28nm, eyeriss-normalized"), std::string::npos);
  EXPECT_FALSE(mac_energy_pj("x", 16).has_value());
  EXPECT_FALSE(array_hop_energy_pj("x", 16).has_value());
  EXPECT_FALSE(array_flat_energy_pj("x", 4, 4, 16).has_value());
}

TEST(TechTable, BadArguments) {
  EXPECT_FALSE(access_energy_pj(kT, MemoryKind::Sram, 0, 16).has_value());
  EXPECT_FALSE(access_energy_pj(kT, MemoryKind::RegisterFile, -8, 16).has_value());
  EXPECT_FALSE(access_energy_pj(kT, MemoryKind::Dram, -1, 16).has_value());
  EXPECT_FALSE(access_energy_pj(kT, MemoryKind::Sram, 1024, 0).has_value());
  EXPECT_FALSE(access_energy_pj(kT, MemoryKind::Sram, 1024, 65).has_value());
  EXPECT_FALSE(mac_energy_pj(kT, 0).has_value());
}

TEST(TechTable, Labels) {
  EXPECT_EQ(energy_source_label(kT, MemoryKind::Sram, 128 * kKiB, 16), "interstellar-28nm sram 128KB");
  EXPECT_EQ(energy_source_label(kT, MemoryKind::Dram, 0, 16), "interstellar-28nm dram");
  EXPECT_EQ(energy_source_label(kT, MemoryKind::RegisterFile, 64, 8), "interstellar-28nm regfile 64B @8b");
}

}  // namespace
}  // namespace dnnspace
