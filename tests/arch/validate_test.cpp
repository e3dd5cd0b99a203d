// validate_architecture: every rule rejects a bad spec with a message naming level and field.
#include "dnnspace/arch/validate.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "dnnspace/arch/presets.hpp"

namespace dnnspace {
namespace {

Architecture eyeriss() { return *arch_preset("eyeriss"); }

// Asserts that validation fails and the message contains every fragment.
void expect_error(const Architecture& arch, std::initializer_list<std::string_view> fragments) {
  Expected<void> ok = validate_architecture(arch);
  ASSERT_FALSE(ok.has_value());
  for (std::string_view f : fragments) {
    EXPECT_NE(ok.error().message.find(f), std::string::npos)
        << "missing '" << f << "' in: " << ok.error().message;
  }
}

TEST(Validate, PresetIsValid) { EXPECT_TRUE(validate_architecture(eyeriss()).has_value()); }

TEST(Validate, EmptyArchitectureName) {
  Architecture a = eyeriss();
  a.name.clear();
  expect_error(a, {"field 'name'", "empty"});
}

TEST(Validate, NoLevels) {
  Architecture a = eyeriss();
  a.levels.clear();
  a.array.parent_level = 0;
  expect_error(a, {"architecture 'eyeriss'", "field 'levels'", "at least one"});
}

TEST(Validate, EmptyLevelName) {
  Architecture a = eyeriss();
  a.levels[1].name.clear();
  expect_error(a, {"level 1", "field 'name'", "empty"});
}

TEST(Validate, DuplicateLevelName) {
  Architecture a = eyeriss();
  a.levels[2].name = "GlobalBuffer";
  expect_error(a, {"level 2 'GlobalBuffer'", "field 'name'", "level 1"});
}

TEST(Validate, NegativeCapacity) {
  Architecture a = eyeriss();
  a.levels[1].capacity_bytes = -1;
  expect_error(a, {"level 1 'GlobalBuffer'", "field 'capacity_bytes'", ">= 0"});
}

TEST(Validate, UnboundedInnerLevel) {
  Architecture a = eyeriss();
  a.levels[2].capacity_bytes = 0;
  expect_error(a, {"level 2 'RegFile'", "field 'capacity_bytes'", "outermost"});
}

TEST(Validate, BoundedOutermostIsFine) {
  Architecture a = eyeriss();
  a.levels[0].capacity_bytes = 1LL << 30;
  EXPECT_TRUE(validate_architecture(a).has_value());
}

TEST(Validate, NegativeAccessEnergy) {
  Architecture a = eyeriss();
  a.levels[0].access_energy_pj = -200.0;
  expect_error(a, {"level 0 'DRAM'", "field 'access_energy_pj'"});
}

TEST(Validate, NonFiniteAccessEnergy) {
  Architecture a = eyeriss();
  a.levels[1].access_energy_pj = std::numeric_limits<double>::quiet_NaN();
  expect_error(a, {"level 1 'GlobalBuffer'", "field 'access_energy_pj'", "finite"});
}

TEST(Validate, NegativeBandwidth) {
  Architecture a = eyeriss();
  a.levels[1].bandwidth_words_per_cycle = -1.0;
  expect_error(a, {"level 1 'GlobalBuffer'", "field 'bandwidth_words_per_cycle'"});
}

TEST(Validate, OutermostMustHoldEveryTensor) {
  Architecture a = eyeriss();
  a.levels[0].holds[TensorId::Weights] = false;
  expect_error(a, {"level 0 'DRAM'", "field 'holds'", "weights"});
}

TEST(Validate, InnerLevelMayBypass) {
  Architecture a = eyeriss();
  a.levels[1].holds[TensorId::Weights] = false;
  EXPECT_TRUE(validate_architecture(a).has_value());
}

TEST(Validate, LevelHoldingNothing) {
  Architecture a = eyeriss();
  for (TensorId t : kAllTensors) a.levels[2].holds[t] = false;
  expect_error(a, {"level 2 'RegFile'", "field 'holds'", "no tensor"});
}

TEST(Validate, WordBits) {
  Architecture a = eyeriss();
  a.word_bits = 0;
  expect_error(a, {"field 'word_bits'", "1..64"});
  a.word_bits = 65;
  expect_error(a, {"field 'word_bits'", "65"});
}

TEST(Validate, ClockMustBePositive) {
  Architecture a = eyeriss();
  a.clock_mhz = 0.0;
  expect_error(a, {"field 'clock_mhz'", ">= 1e-6"});
  a.clock_mhz = 1e-300;  // leakage per cycle would overflow
  expect_error(a, {"field 'clock_mhz'", ">= 1e-6 (1 Hz), got 1e-300"});
}

TEST(Validate, NegativeMacEnergy) {
  Architecture a = eyeriss();
  a.mac_energy_pj = -0.1;
  expect_error(a, {"field 'mac_energy_pj'"});
}

TEST(Validate, ArrayRowsAndCols) {
  Architecture a = eyeriss();
  a.array.rows = 0;
  expect_error(a, {"array", "field 'rows'", "must be in 1..65536, got 0"});
  a = eyeriss();
  a.array.cols = -3;
  expect_error(a, {"array", "field 'cols'", "-3"});
  // The axis limit: 65,536 is accepted, 65,537 is not (rows x cols stays below 2^33).
  a = eyeriss();
  a.array.rows = 65536;
  a.array.cols = 65536;
  EXPECT_TRUE(validate_architecture(a));
  a.array.cols = 65537;
  expect_error(a, {"array", "field 'cols'", "must be in 1..65536, got 65537"});
}

// At most 16 storage levels: 16 validate, 17 fail with the count and the limit.
TEST(Validate, LevelCountLimit) {
  Architecture a = eyeriss();
  const StorageLevel rf = a.levels.back();
  while (a.levels.size() < 16) {
    StorageLevel extra = rf;
    extra.name = "RF" + std::to_string(a.levels.size());
    a.levels.push_back(extra);
  }
  EXPECT_TRUE(validate_architecture(a));
  StorageLevel extra = rf;
  extra.name = "RF16";
  a.levels.push_back(extra);
  expect_error(a, {"field 'levels'", "17 levels; at most 16 are allowed"});
}

TEST(Validate, ParentLevelOutOfRange) {
  Architecture a = eyeriss();
  a.array.parent_level = 3;
  expect_error(a, {"array", "field 'parent_level'", "0..2", "got 3"});
  a.array.parent_level = -1;
  expect_error(a, {"field 'parent_level'"});
}

// The array may hang below the innermost level: PEs without private storage (003's NLR).
TEST(Validate, ParentMayBeInnermost) {
  Architecture a = eyeriss();
  a.array.parent_level = 2;
  EXPECT_TRUE(validate_architecture(a).has_value());
}

TEST(Validate, NegativeArrayEnergies) {
  Architecture a = eyeriss();
  a.array.hop_energy_pj = -1.0;
  expect_error(a, {"array", "field 'hop_energy_pj'"});
  a = eyeriss();
  a.array.flat_energy_pj = -1.0;
  expect_error(a, {"array", "field 'flat_energy_pj'"});
}

}  // namespace
}  // namespace dnnspace
