// Sweep parsing, and sweep points applied to a base: energies re-derived from the
// technology table (checked against 004 Table IV and against the presets, which derive
// theirs independently).
#include <gtest/gtest.h>

#include <cmath>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/arch/tech_table.hpp"
#include "dnnspace/search/arch_variant.hpp"

namespace dnnspace {
namespace {

std::vector<std::int64_t> sizes(const SweepAxis& axis) {
  std::vector<std::int64_t> out;
  for (const SweepValue& v : axis.values) out.push_back(v.size_bytes);
  return out;
}

Architecture apply(const Architecture& base, const std::vector<std::string>& sweeps) {
  SweepPoint point;
  for (const std::string& s : sweeps) {
    Expected<SweepAxis> axis = parse_sweep(s);
    EXPECT_TRUE(axis) << s;
    if (!axis) return base;
    EXPECT_EQ(axis->values.size(), 1u) << s;
    point.push_back(axis->values.front());
  }
  Expected<Architecture> arch = apply_sweep_point(base, point);
  EXPECT_TRUE(arch) << (arch ? "" : arch.error().message);
  return arch ? *arch : base;
}

std::string error_of(const Architecture& base, const std::vector<std::string>& sweeps) {
  SweepPoint point;
  for (const std::string& s : sweeps) point.push_back(parse_sweep(s)->values.front());
  Expected<Architecture> arch = apply_sweep_point(base, point);
  return arch ? std::string("no error") : arch.error().message;
}

TEST(SweepParse, SizesRangesArraysLevels) {
  // The size rule itself is tested in tests/arch/size_units_test.cpp; here, that the sweep uses it.
  EXPECT_EQ(sizes(*parse_sweep("rf=512,64kb,2MiB,1G")), (std::vector<std::int64_t>{512, 65536, 2097152, 1073741824}));
  EXPECT_EQ(sizes(*parse_sweep("rf=16..512")), (std::vector<std::int64_t>{16, 32, 64, 128, 256, 512}));
  EXPECT_EQ(sizes(*parse_sweep("gb=64K,128K,256K,512K,1M")),
            (std::vector<std::int64_t>{65536, 131072, 262144, 524288, 1048576}));
  EXPECT_EQ(sizes(*parse_sweep("gb=32K..128K,1M")), (std::vector<std::int64_t>{32768, 65536, 131072, 1048576}));
  const SweepAxis array = *parse_sweep("array=16x16,32X8");
  ASSERT_EQ(array.values.size(), 2u);
  EXPECT_EQ(array.values[1].rows, 32);
  EXPECT_EQ(array.values[1].cols, 8);
  const SweepAxis levels = *parse_sweep("levels=base,+rf2,+gb2,+rf2+gb2");
  ASSERT_EQ(levels.values.size(), 4u);
  EXPECT_FALSE(levels.values[0].add_rf2 || levels.values[0].add_gb2);
  EXPECT_TRUE(levels.values[3].add_rf2 && levels.values[3].add_gb2);
  EXPECT_EQ(sweep_value_text(levels.values[3]), "+rf2+gb2");
}

TEST(SweepParse, ErrorsNameTheKeyAndWhatIsAllowed) {
  const std::pair<const char*, const char*> cases[] = {
      {"foo=1", "unknown key 'foo' (allowed: rf, rf2, gb, gb2, array, levels)"},
      {"rf", "expected KEY=VALUES"},
      {"rf=16,abc", "key rf: 'abc' is not a size (allowed: a positive size such as 512"},
      {"gb=1.5K", "key gb: '1.5K' is not a size"},
      {"rf=abc", "; a range of powers of two such as 16..512 is allowed too"},
      {"gb=64K..1073741824G", "key gb: '1073741824G' is too large a size (at most 1152921504606846975 bytes"},
      {"rf=16,,32", "key rf: empty value"},
      {"rf=24..512", "key rf: range '24..512' must run from a power of two"},
      {"rf=512..16", "must run from a power of two to a larger"},
      {"rf=16,16B", "key rf: value 16B is listed twice"},
      {"array=16", "key array: '16' is not an array shape (allowed: ROWSxCOLS"},
      {"array=0x4", "not an array shape"},
      {"levels=+rf3", "key levels: unknown value '+rf3' (allowed: base, +rf2, +gb2, +rf2+gb2)"},
  };
  for (const auto& [text, message] : cases) {
    Expected<SweepAxis> axis = parse_sweep(text);
    ASSERT_FALSE(axis) << text;
    EXPECT_NE(axis.error().message.find(message), std::string::npos) << text << ": " << axis.error().message;
    EXPECT_EQ(axis.error().message.find('\n'), std::string::npos);
  }
  EXPECT_FALSE(check_sweep_axes({*parse_sweep("rf=16"), *parse_sweep("rf=32")}));
  EXPECT_FALSE(check_sweep_axes({*parse_sweep("levels=base,+rf2"), *parse_sweep("rf2=128")}));
  EXPECT_TRUE(check_sweep_axes({*parse_sweep("levels=+rf2,+rf2+gb2"), *parse_sweep("rf2=128")}));
  EXPECT_TRUE(check_sweep_axes({*parse_sweep("rf2=128")}));
}

TEST(SweepPoints, CrossProductFirstAxisSlowest) {
  const auto points = sweep_points({*parse_sweep("rf=16,32,64"), *parse_sweep("gb=64K,128K")});
  ASSERT_EQ(points.size(), 6u);
  EXPECT_EQ(sweep_point_label(points[0]), "rf=16B gb=64KB");
  EXPECT_EQ(sweep_point_label(points[1]), "rf=16B gb=128KB");
  EXPECT_EQ(sweep_point_label(points[5]), "rf=64B gb=128KB");
  EXPECT_EQ(sweep_points({}).size(), 1u);
}

TEST(ArchVariant, SizesTakeTheTableEnergies) {
  const Architecture eyeriss = *arch_preset("eyeriss");
  // 004 Table IV: a 64 B register file costs 0.12 pJ, a 256 KB SRAM 20.25 pJ (16-bit).
  const Architecture a = apply(eyeriss, {"rf=64", "gb=256K"});
  EXPECT_DOUBLE_EQ(a.levels[2].access_energy_pj, 0.12);
  EXPECT_EQ(a.levels[2].capacity_bytes, 64);
  EXPECT_DOUBLE_EQ(a.levels[1].access_energy_pj, 20.25);
  EXPECT_EQ(a.levels[1].energy_source, "interstellar-28nm sram 256KB");
  EXPECT_EQ(a.levels[0], eyeriss.levels[0]);
  EXPECT_EQ(a.name, "eyeriss [rf=64B gb=256KB]");
  // The preset eyeriss-64b is eyeriss with a 64 B register file, built independently.
  Architecture b = apply(eyeriss, {"rf=64"});
  b.name = "eyeriss-64b";
  EXPECT_EQ(b, *arch_preset("eyeriss-64b"));
  // Unchanged sizes keep their energies.
  EXPECT_EQ(apply(eyeriss, {"rf=512"}).levels, eyeriss.levels);
}

TEST(ArchVariant, EnergiesFollowTheRecordedDerivationNotTheLabel) {
  // The label is for reports only: a base whose labels say something else still derives
  // from energy_derivation, and the result carries the table's own label again.
  Architecture base = *arch_preset("eyeriss");
  base.levels[2].energy_source = "hand-written note";
  const Architecture a = apply(base, {"rf=64"});
  EXPECT_EQ(a.levels[2], arch_preset("eyeriss-64b")->levels[2]);
  EXPECT_EQ(a.levels[2].energy_source, "interstellar-28nm regfile 64B");
  // The derivation picks the rule: an RF recorded as an SRAM of the same table gets
  // Table IV's SRAM rule below 32 KB (6 pJ / 1.5 per halving: 32K -> 64 B is 9 halvings).
  base.levels[2].energy_derivation->kind = MemoryKind::Sram;
  const Architecture s = apply(base, {"rf=64"});
  EXPECT_NEAR(s.levels[2].access_energy_pj, 6.0 / std::pow(1.5, 9), 1e-9);
  EXPECT_EQ(s.levels[2].energy_source, "interstellar-28nm sram 64B");
}

TEST(ArchVariant, AddedLevelsAndArrayGiveTheTpuLikePreset) {
  // tpu-like (004 Sec. VI-C) = eyeriss with a second buffer of 28 MB, a 64 KB first
  // buffer, 8 B register files and a 32 x 32 array.
  Architecture a = apply(*arch_preset("eyeriss"), {"levels=+gb2", "gb2=28M", "gb=64K", "rf=8", "array=32x32"});
  a.name = "tpu-like";
  EXPECT_EQ(a, *arch_preset("tpu-like"));
}

TEST(ArchVariant, SecondRegisterFile) {
  const Architecture a = apply(*arch_preset("eyeriss"), {"levels=+rf2", "rf=8"});
  ASSERT_EQ(a.levels.size(), 4u);
  EXPECT_EQ(a.levels[2].name, "RegFile2");
  EXPECT_EQ(a.levels[3].name, "RegFile");
  EXPECT_EQ(a.array.parent_level, 1);  // both register files are private to each PE
  // Default size 16 x rf = 128 B: 0.24 pJ; the 8 B RF: 0.03 x 8/16 = 0.015 pJ (docs/arch.md).
  EXPECT_EQ(a.levels[2].capacity_bytes, 128);
  EXPECT_DOUBLE_EQ(a.levels[2].access_energy_pj, 0.24);
  EXPECT_DOUBLE_EQ(a.levels[3].access_energy_pj, 0.015);
  // Sizing rf2 without a levels key adds the level too.
  const Architecture b = apply(*arch_preset("eyeriss"), {"rf2=256"});
  ASSERT_EQ(b.levels.size(), 4u);
  EXPECT_DOUBLE_EQ(b.levels[2].access_energy_pj, 0.48);
}

TEST(ArchVariant, FlatArrayEnergyFollowsTheShape) {
  const Architecture a = apply(*arch_preset("eyeriss-flat"), {"array=32x8"});
  // 0.035 pJ per hop x mean Manhattan distance (L^2 - 1) / 3L per axis.
  const double expected = 0.035 * ((32.0 * 32 - 1) / 96 + (8.0 * 8 - 1) / 24);
  EXPECT_NEAR(a.array.flat_energy_pj, expected, 1e-12);
  EXPECT_EQ(a.array.rows, 32);
  EXPECT_EQ(a.array.cols, 8);
}

TEST(ArchVariant, AFlatArrayEnergyGivenAsANumberIsNeverReplaced) {
  // Levels derived from a table, but the flat array energy given as a number (as io/
  // arch_yaml records `flat_energy_pj: 2.5`): a new shape cannot re-derive the user's
  // number, so the sweep refuses it; with per-hop costs the flat number is unused and kept.
  Architecture given = *arch_preset("eyeriss-flat");
  given.array.flat_energy_pj = 2.5;
  given.array.flat_energy_table.clear();
  EXPECT_NE(error_of(given, {"array=32x8"}).find("the base's flat array energy was given as a number"),
            std::string::npos)
      << error_of(given, {"array=32x8"});
  given.array.cost_style = ArrayCostStyle::PerHop;
  EXPECT_EQ(apply(given, {"array=32x8"}).array.flat_energy_pj, 2.5);
  EXPECT_EQ(apply(*arch_preset("eyeriss-flat"), {"rf=64"}).array, arch_preset("eyeriss-flat")->array);
}

TEST(ArchVariant, ErrorsNameTheLevel) {
  const Architecture eyeriss = *arch_preset("eyeriss");
  EXPECT_NE(error_of(eyeriss, {"gb2=1M", "levels=base"}).find("key gb2: the architecture has no second shared buffer"),
            std::string::npos)
      << error_of(eyeriss, {"gb2=1M", "levels=base"});
  EXPECT_NE(error_of(*arch_preset("tpu-like"), {"levels=+gb2"}).find("already has a second buffer 'GlobalBuffer2'"),
            std::string::npos);
  Architecture given = eyeriss;
  given.levels[2].access_energy_pj = 0.5;  // as io/arch_yaml records a given energy
  given.levels[2].energy_source = "given";
  given.levels[2].energy_derivation.reset();
  EXPECT_NE(error_of(given, {"rf=64"}).find("level 'RegFile' has a given access_energy_pj"), std::string::npos);
  // 16 x 2^56 B = 2^60 B, one byte over the largest size: the default size of the added level overflows.
  EXPECT_NE(error_of(eyeriss, {"levels=+gb2", "gb=67108864G"})
                .find("gb2: the added level's default size, 16 x 67108864GB, is larger than the largest size"),
            std::string::npos)
      << error_of(eyeriss, {"levels=+gb2", "gb=67108864G"});
  Architecture no_rf = eyeriss;
  no_rf.levels.pop_back();  // the PEs have no private storage
  EXPECT_NE(error_of(no_rf, {"rf=64"}).find("key rf: the architecture has no per-PE register file"), std::string::npos)
      << error_of(no_rf, {"rf=64"});
}

}  // namespace
}  // namespace dnnspace
