// derive_level_energy: the number from the table (004 Table IV, 003 Fig. 22), the
// derivation and the report label set together, and nothing changed on error.
#include "dnnspace/arch/level_energy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dnnspace {
namespace {

constexpr double kTol = 1e-12;

StorageLevel level_of(std::int64_t capacity_bytes) {
  StorageLevel level;
  level.name = "L";
  level.capacity_bytes = capacity_bytes;
  return level;
}

TEST(LevelEnergy, SetsEnergyDerivationAndLabelTogether) {
  // 004 Table IV: a 128 KB SRAM costs 13.5 pJ per 16-bit access.
  StorageLevel buffer = level_of(128 * 1024);
  ASSERT_TRUE(derive_level_energy(buffer, {"interstellar-28nm", MemoryKind::Sram}, 16));
  EXPECT_NEAR(buffer.access_energy_pj, 13.5, kTol);
  EXPECT_EQ(buffer.energy_derivation, (EnergyDerivation{"interstellar-28nm", MemoryKind::Sram}));
  EXPECT_EQ(buffer.energy_source, "interstellar-28nm sram 128KB");
  // An 8-bit 64 B register file: 0.12 pJ x 8/16 (memory energy linear in width).
  StorageLevel rf = level_of(64);
  ASSERT_TRUE(derive_level_energy(rf, {"interstellar-28nm", MemoryKind::RegisterFile}, 8));
  EXPECT_NEAR(rf.access_energy_pj, 0.06, kTol);
  EXPECT_EQ(rf.energy_source, "interstellar-28nm regfile 64B @8b");
  // 003 Fig. 22: DRAM is 200 MAC units whatever its size; unbounded prints no size.
  StorageLevel dram = level_of(0);
  ASSERT_TRUE(derive_level_energy(dram, {"eyeriss-normalized", MemoryKind::Dram}, 16));
  EXPECT_NEAR(dram.access_energy_pj, 200.0, kTol);
  EXPECT_EQ(dram.energy_source, "eyeriss-normalized dram");
  EXPECT_EQ(dram.energy_derivation, (EnergyDerivation{"eyeriss-normalized", MemoryKind::Dram}));
}

TEST(LevelEnergy, ErrorsLeaveTheLevelUnchanged) {
  StorageLevel level = level_of(512);
  level.access_energy_pj = 3.0;
  level.energy_source = "given";
  const StorageLevel before = level;
  const Expected<void> table = derive_level_energy(level, {"tsmc-7nm", MemoryKind::Sram}, 16);
  ASSERT_FALSE(table);
  EXPECT_NE(table.error().message.find("unknown technology table 'tsmc-7nm'"), std::string::npos);
  EXPECT_EQ(level, before);
  StorageLevel empty = level_of(0);  // only DRAM may be unbounded
  ASSERT_FALSE(derive_level_energy(empty, {"interstellar-28nm", MemoryKind::Sram}, 16));
  EXPECT_FALSE(empty.energy_derivation.has_value());
  ASSERT_FALSE(derive_level_energy(level, {"interstellar-28nm", MemoryKind::Sram}, 65));  // width 1..64
  EXPECT_EQ(level, before);
}

}  // namespace
}  // namespace dnnspace
