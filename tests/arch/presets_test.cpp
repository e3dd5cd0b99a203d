// Presets: each built-in architecture has the sizes and energies its paper states.
#include "dnnspace/arch/presets.hpp"

#include <gtest/gtest.h>

#include <string>

#include "dnnspace/arch/validate.hpp"

namespace dnnspace {
namespace {

constexpr double kTol = 1e-9;

Architecture preset(std::string_view name) {
  Expected<Architecture> arch = arch_preset(name);
  EXPECT_TRUE(arch.has_value()) << name;
  return arch ? *arch : Architecture{};
}

TEST(Presets, NamesAreStableAndAllBuildAndValidate) {
  const auto names = arch_preset_names();
  ASSERT_EQ(names.size(), 5u);
  EXPECT_EQ(names[0], "eyeriss");
  EXPECT_EQ(names[1], "eyeriss-64b");
  EXPECT_EQ(names[2], "eyeriss-flat");
  EXPECT_EQ(names[3], "eyeriss-chip");
  EXPECT_EQ(names[4], "tpu-like");
  for (std::string_view name : names) {
    const Architecture arch = preset(name);
    EXPECT_EQ(arch.name, name);
    Expected<void> ok = validate_architecture(arch);
    EXPECT_TRUE(ok.has_value()) << (ok ? "" : ok.error().message);
  }
}

TEST(Presets, UnknownNameListsAllowed) {
  Expected<Architecture> arch = arch_preset("eyeriss2");
  ASSERT_FALSE(arch.has_value());
  EXPECT_NE(arch.error().message.find("eyeriss2"), std::string::npos);
  EXPECT_NE(arch.error().message.find("eyeriss, eyeriss-64b, eyeriss-flat, eyeriss-chip, tpu-like"),
            std::string::npos);
}

// 004 Sec. VI-A: 512 B RF per PE, 128 KB global buffer, 16x16 PEs, 16 bits; Table IV
// energies: DRAM 200, 128 KB SRAM 13.5, 512 B RF 0.96, MAC 0.075 pJ.
TEST(Presets, Eyeriss) {
  const Architecture a = preset("eyeriss");
  ASSERT_EQ(a.levels.size(), 3u);
  EXPECT_EQ(a.levels[0].name, "DRAM");
  EXPECT_EQ(a.levels[1].name, "GlobalBuffer");
  EXPECT_EQ(a.levels[2].name, "RegFile");
  EXPECT_EQ(a.levels[0].capacity_bytes, 0);
  EXPECT_EQ(a.levels[1].capacity_bytes, 128 * 1024);
  EXPECT_EQ(a.levels[2].capacity_bytes, 512);
  EXPECT_TRUE(a.levels[1].double_buffered);
  EXPECT_FALSE(a.levels[2].double_buffered);
  for (const StorageLevel& l : a.levels) {
    EXPECT_EQ(l.holds, PerTensor<bool>::filled(true)) << l.name;
  }
  EXPECT_NEAR(a.levels[0].access_energy_pj, 200.0, kTol);
  EXPECT_NEAR(a.levels[1].access_energy_pj, 13.5, kTol);
  EXPECT_NEAR(a.levels[2].access_energy_pj, 0.96, kTol);
  EXPECT_EQ(a.levels[0].energy_source, "interstellar-28nm dram");
  EXPECT_EQ(a.levels[1].energy_source, "interstellar-28nm sram 128KB");
  EXPECT_EQ(a.levels[2].energy_source, "interstellar-28nm regfile 512B");
  // The derivation a sweep re-derives from: the table and each level's kind.
  EXPECT_EQ(a.levels[0].energy_derivation, (EnergyDerivation{"interstellar-28nm", MemoryKind::Dram}));
  EXPECT_EQ(a.levels[1].energy_derivation, (EnergyDerivation{"interstellar-28nm", MemoryKind::Sram}));
  EXPECT_EQ(a.levels[2].energy_derivation, (EnergyDerivation{"interstellar-28nm", MemoryKind::RegisterFile}));
  EXPECT_NEAR(a.mac_energy_pj, 0.075, kTol);
  EXPECT_EQ(a.word_bits, 16);
  EXPECT_EQ(a.array.rows, 16);
  EXPECT_EQ(a.array.cols, 16);
  EXPECT_EQ(a.array.parent_level, 1);
  EXPECT_EQ(a.array.cost_style, ArrayCostStyle::PerHop);
  EXPECT_NEAR(a.array.hop_energy_pj, 0.035, kTol);
  EXPECT_EQ(pe_count(a), 256);
}

// 004 Fig. 7 green: 64 B RF = 0.12 pJ; everything else as eyeriss.
TEST(Presets, Eyeriss64b) {
  const Architecture a = preset("eyeriss-64b");
  const Architecture base = preset("eyeriss");
  ASSERT_EQ(a.levels.size(), 3u);
  EXPECT_EQ(a.levels[2].capacity_bytes, 64);
  EXPECT_NEAR(a.levels[2].access_energy_pj, 0.12, kTol);
  EXPECT_EQ(a.levels[1], base.levels[1]);
  EXPECT_EQ(a.array, base.array);
}

// 004 Fig. 7 red: flat array cost = 0.035 x 10.625 hops = 0.371875 pJ.
TEST(Presets, EyerissFlat) {
  const Architecture a = preset("eyeriss-flat");
  const Architecture base = preset("eyeriss");
  EXPECT_EQ(a.levels, base.levels);
  EXPECT_EQ(a.array.cost_style, ArrayCostStyle::Flat);
  EXPECT_NEAR(a.array.flat_energy_pj, 0.371875, kTol);
}

// 003 Sec. V-B: 14x12 = 168 PEs, 108 KB buffer, 0.5 KB RF, 64-bit DRAM bus = 4 words;
// Fig. 22 costs: DRAM 200, buffer 6, RF 1, array 2, MAC 1.
TEST(Presets, EyerissChip) {
  const Architecture a = preset("eyeriss-chip");
  ASSERT_EQ(a.levels.size(), 3u);
  EXPECT_EQ(pe_count(a), 168);
  EXPECT_EQ(a.array.rows, 12);
  EXPECT_EQ(a.array.cols, 14);
  EXPECT_EQ(a.levels[1].capacity_bytes, 108 * 1024);
  EXPECT_EQ(a.levels[2].capacity_bytes, 512);
  EXPECT_NEAR(a.levels[0].bandwidth_words_per_cycle, 4.0, kTol);
  EXPECT_NEAR(a.levels[0].access_energy_pj, 200.0, kTol);
  EXPECT_NEAR(a.levels[1].access_energy_pj, 6.0, kTol);
  EXPECT_NEAR(a.levels[2].access_energy_pj, 1.0, kTol);
  EXPECT_NEAR(a.mac_energy_pj, 1.0, kTol);
  EXPECT_EQ(a.array.cost_style, ArrayCostStyle::Flat);
  EXPECT_NEAR(a.array.flat_energy_pj, 2.0, kTol);
  EXPECT_EQ(a.levels[1].energy_source, "eyeriss-normalized sram 108KB");
  EXPECT_EQ(a.levels[1].energy_derivation, (EnergyDerivation{"eyeriss-normalized", MemoryKind::Sram}));
  EXPECT_EQ(a.levels[2].energy_derivation, (EnergyDerivation{"eyeriss-normalized", MemoryKind::RegisterFile}));
}

// 004 Sec. VI-C: 32x32 PEs, 8 B RF, 64 KB first-level and 28 MB second-level buffers.
// Energies: 28 MB = 30.375 + 4.5 * (sqrt(56) - 1) = 59.5499165; 64 KB = 9; 8 B = 0.015.
TEST(Presets, TpuLike) {
  const Architecture a = preset("tpu-like");
  ASSERT_EQ(a.levels.size(), 4u);
  EXPECT_EQ(a.levels[1].name, "GlobalBuffer2");
  EXPECT_EQ(a.levels[2].name, "GlobalBuffer");
  EXPECT_EQ(a.levels[1].capacity_bytes, 28LL * 1024 * 1024);
  EXPECT_EQ(a.levels[2].capacity_bytes, 64 * 1024);
  EXPECT_EQ(a.levels[3].capacity_bytes, 8);
  EXPECT_NEAR(a.levels[1].access_energy_pj, 59.5499165, 1e-6);
  EXPECT_NEAR(a.levels[2].access_energy_pj, 9.0, kTol);
  EXPECT_NEAR(a.levels[3].access_energy_pj, 0.015, kTol);
  EXPECT_EQ(a.array.parent_level, 2);
  EXPECT_EQ(pe_count(a), 1024);
  EXPECT_EQ(a.array.cost_style, ArrayCostStyle::PerHop);
}

}  // namespace
}  // namespace dnnspace
