// Architecture YAML: examples equal the presets, energies are derived or given, and every
// bad input fails with one line naming the file and the field.
#include "dnnspace/io/arch_yaml.hpp"

#include <gtest/gtest.h>

#include <string>

#include "dnnspace/arch/presets.hpp"

namespace dnnspace::io {
namespace {

constexpr double kTol = 1e-9;
const std::string kOrigin = "spec.yaml";

std::string example_path(std::string_view name) {
  return std::string(DNNSPACE_SOURCE_DIR) + "/examples/arch/" + std::string(name) + ".yaml";
}

// A valid spec every error case below breaks in exactly one place.
const std::string kBase = R"(architecture:
  name: test
  word_bits: 16
  clock_mhz: 200
  technology: interstellar-28nm
  levels:
    - name: DRAM
      kind: dram
    - name: GlobalBuffer
      kind: sram
      capacity: 128KB
      double_buffered: true
      bandwidth_words_per_cycle: 16
      holds: [inputs, weights, outputs]
    - name: RegFile
      kind: regfile
      capacity: 512B
  array:
    rows: 16
    cols: 16
    below: GlobalBuffer
    cost: per_hop
)";

// kBase with one occurrence of `from` replaced by `to` (the test fails if it is absent).
std::string with(const std::string& from, const std::string& to, std::string text = kBase) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture does not contain '" << from << "'";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Parses `text` and expects an error naming the file plus every fragment, on one line.
void expect_error(const std::string& text, std::initializer_list<std::string_view> fragments) {
  Expected<Architecture> arch = parse_arch_yaml(text, kOrigin);
  ASSERT_FALSE(arch.has_value()) << "parsed although it should fail:\n" << text;
  const std::string& message = arch.error().message;
  EXPECT_EQ(message.rfind(kOrigin, 0), 0u) << "does not start with the file: " << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
  for (std::string_view f : fragments) {
    EXPECT_NE(message.find(f), std::string::npos) << "missing '" << f << "' in: " << message;
  }
}

TEST(ArchYaml, EveryExampleEqualsItsPreset) {
  for (std::string_view name : arch_preset_names()) {
    Expected<Architecture> loaded = load_arch_yaml(example_path(name));
    ASSERT_TRUE(loaded.has_value()) << name << ": " << loaded.error().message;
    Expected<Architecture> preset = arch_preset(name);
    ASSERT_TRUE(preset.has_value());
    EXPECT_EQ(*loaded, *preset) << name;
  }
}

TEST(ArchYaml, DerivesEnergiesFromTheTable) {
  Expected<Architecture> arch = parse_arch_yaml(kBase, kOrigin);
  ASSERT_TRUE(arch.has_value()) << arch.error().message;
  ASSERT_EQ(arch->levels.size(), 3u);
  // 004 Table IV: DRAM 200, 128 KB SRAM 13.5, 512 B RF 0.96, MAC 0.075 pJ.
  EXPECT_NEAR(arch->levels[0].access_energy_pj, 200.0, kTol);
  EXPECT_NEAR(arch->levels[1].access_energy_pj, 13.5, kTol);
  EXPECT_NEAR(arch->levels[2].access_energy_pj, 0.96, kTol);
  EXPECT_EQ(arch->levels[1].energy_source, "interstellar-28nm sram 128KB");
  EXPECT_EQ(arch->levels[0].energy_derivation, (EnergyDerivation{"interstellar-28nm", MemoryKind::Dram}));
  EXPECT_EQ(arch->levels[1].energy_derivation, (EnergyDerivation{"interstellar-28nm", MemoryKind::Sram}));
  EXPECT_EQ(arch->levels[2].energy_derivation, (EnergyDerivation{"interstellar-28nm", MemoryKind::RegisterFile}));
  EXPECT_NEAR(arch->mac_energy_pj, 0.075, kTol);
  EXPECT_EQ(arch->levels[0].capacity_bytes, 0);
  EXPECT_EQ(arch->levels[1].capacity_bytes, 131072);
  EXPECT_TRUE(arch->levels[1].double_buffered);
  EXPECT_NEAR(arch->levels[1].bandwidth_words_per_cycle, 16.0, kTol);
  EXPECT_NEAR(arch->clock_mhz, 200.0, kTol);
  EXPECT_EQ(arch->array.parent_level, 1);
  EXPECT_NEAR(arch->array.hop_energy_pj, 0.035, kTol);
}

TEST(ArchYaml, GivenEnergiesAreRecordedAsGiven) {
  std::string text = with("    - name: DRAM\n      kind: dram\n",
                          "    - name: DRAM\n      kind: dram\n      access_energy_pj: 160\n");
  text = with("  technology: interstellar-28nm\n",
              "  technology: interstellar-28nm\n  mac_energy_pj: 0.5\n", text);
  text = with("    cost: per_hop\n", "    cost: per_hop\n    hop_energy_pj: 0.1\n", text);
  Expected<Architecture> arch = parse_arch_yaml(text, kOrigin);
  ASSERT_TRUE(arch.has_value()) << arch.error().message;
  EXPECT_NEAR(arch->levels[0].access_energy_pj, 160.0, kTol);
  EXPECT_EQ(arch->levels[0].energy_source, "given");
  EXPECT_FALSE(arch->levels[0].energy_derivation.has_value());  // nothing to re-derive from
  EXPECT_EQ(arch->levels[1].energy_source, "interstellar-28nm sram 128KB");
  EXPECT_EQ(arch->levels[1].energy_derivation, (EnergyDerivation{"interstellar-28nm", MemoryKind::Sram}));
  EXPECT_NEAR(arch->mac_energy_pj, 0.5, kTol);
  EXPECT_NEAR(arch->array.hop_energy_pj, 0.1, kTol);
}

// read_energy_pj and write_energy_pj split a level's access energy; either defaults to
// access_energy_pj (derived here from the table: 128KB SRAM), and the other keeps it.
TEST(ArchYaml, ReadAndWriteEnergiesOverrideTheAccessEnergy) {
  const std::string text = with("      double_buffered: true\n",
                                "      double_buffered: true\n      write_energy_pj: 9.5\n");
  Expected<Architecture> arch = parse_arch_yaml(text, kOrigin);
  ASSERT_TRUE(arch.has_value()) << arch.error().message;
  const StorageLevel& buffer = arch->levels[1];
  EXPECT_EQ(buffer.write_energy_pj, 9.5);
  EXPECT_FALSE(buffer.read_energy_pj.has_value());
  EXPECT_EQ(read_energy_pj(buffer), buffer.access_energy_pj);
  EXPECT_EQ(write_energy_pj(buffer), 9.5);
  EXPECT_EQ(read_energy_pj(arch->levels[0]), arch->levels[0].access_energy_pj);
  const auto bad = parse_arch_yaml(with("      double_buffered: true\n",
                                        "      double_buffered: true\n      read_energy_pj: -1\n"),
                                   kOrigin);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("read_energy_pj"), std::string::npos) << bad.error().message;
}

// word_bits on a level: one width for every tensor, or a map per tensor (the others keep
// the architecture's word_bits); 65 bits and unknown tensors are errors.
TEST(ArchYaml, PerTensorWordWidths) {
  const auto parse = [](const std::string& widths) {
    return parse_arch_yaml(with("      double_buffered: true\n", "      double_buffered: true\n      word_bits: " + widths + "\n"),
                           kOrigin);
  };
  const Expected<Architecture> one = parse("12");
  ASSERT_TRUE(one.has_value()) << one.error().message;
  for (TensorId t : kAllTensors) EXPECT_EQ(tensor_bits(*one, one->levels[1], t), 12);
  EXPECT_EQ(tensor_bytes(*one, one->levels[1], TensorId::Weights), 2);
  EXPECT_EQ(tensor_bits(*one, one->levels[0], TensorId::Weights), 16);  // the architecture's
  const Expected<Architecture> map = parse("{inputs: 8, outputs: 24}");
  ASSERT_TRUE(map.has_value()) << map.error().message;
  EXPECT_EQ(tensor_bits(*map, map->levels[1], TensorId::Inputs), 8);
  EXPECT_EQ(tensor_bits(*map, map->levels[1], TensorId::Weights), 16);
  EXPECT_EQ(tensor_bits(*map, map->levels[1], TensorId::Outputs), 24);
  EXPECT_EQ(tensor_bits(*map, map->levels[1], TensorId{3}), 8);  // further operands: the inputs' width
  // The buffer's energy is derived (128KB SRAM at 16 bits): 24-bit outputs pay 1.5 x it.
  EXPECT_DOUBLE_EQ(tensor_access_energy_pj(*map, map->levels[1], TensorId::Outputs),
                   map->levels[1].access_energy_pj * 24.0 / 16.0);
  for (const auto& [widths, message] : {std::pair{"65", "must be in 1..64, got 65"},
                                        std::pair{"{outputs: 65}", "must be in 1..64, got 65"},
                                        std::pair{"{psums: 24}", "psums"}, std::pair{"0", "word_bits"},
                                        std::pair{"{}", "an empty map"}}) {
    const Expected<Architecture> bad = parse(widths);
    ASSERT_FALSE(bad.has_value()) << widths;
    EXPECT_NE(bad.error().message.find(message), std::string::npos) << bad.error().message;
    EXPECT_EQ(bad.error().message.rfind(kOrigin, 0), 0u) << bad.error().message;
  }
}

TEST(ArchYaml, EverythingGivenNeedsNoTechnology) {
  const std::string text = R"(architecture:
  name: given
  mac_energy_pj: 1
  levels:
    - {name: DRAM, kind: dram, access_energy_pj: 200}
    - {name: Buf, kind: sram, capacity: 1KB, access_energy_pj: 6, holds: [weights]}
  array: {rows: 2, cols: 3, below: DRAM, cost: flat, flat_energy_pj: 2}
)";
  Expected<Architecture> arch = parse_arch_yaml(text, kOrigin);
  ASSERT_TRUE(arch.has_value()) << arch.error().message;
  EXPECT_EQ(arch->word_bits, 16);              // default
  EXPECT_NEAR(arch->clock_mhz, 1000.0, kTol);  // default
  EXPECT_FALSE(arch->levels[1].holds[TensorId::Inputs]);
  EXPECT_TRUE(arch->levels[1].holds[TensorId::Weights]);
  EXPECT_FALSE(arch->levels[1].holds[TensorId::Outputs]);
  EXPECT_EQ(arch->array.cost_style, ArrayCostStyle::Flat);
  EXPECT_NEAR(arch->array.flat_energy_pj, 2.0, kTol);
  EXPECT_NEAR(arch->array.hop_energy_pj, 0.0, kTol);  // unused, no table to derive it
  EXPECT_EQ(arch->array.parent_level, 0);
  EXPECT_EQ(arch->array.flat_energy_table, "");  // given: a new shape cannot re-derive it
  EXPECT_EQ(arch->array.timing, ArrayTiming::Ideal);  // default
  std::string systolic = text;
  systolic.replace(systolic.find("cost: flat,"), 11, "cost: flat, timing: systolic,");
  Expected<Architecture> s = parse_arch_yaml(systolic, kOrigin);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->array.timing, ArrayTiming::Systolic);
}

TEST(ArchYaml, TheArrayRecordsWhereItsFlatEnergyCameFrom) {
  // Derived from the technology when not given (a shape sweep re-derives it), the user's
  // number when given, even with a technology named.
  const std::string derived = R"(architecture:
  name: derived
  technology: interstellar-28nm
  levels:
    - {name: DRAM, kind: dram}
    - {name: Buf, kind: sram, capacity: 1KB}
  array: {rows: 2, cols: 3, below: DRAM, cost: flat}
)";
  Expected<Architecture> a = parse_arch_yaml(derived, kOrigin);
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->array.flat_energy_table, "interstellar-28nm");
  std::string given = derived;
  given.replace(given.find("cost: flat}"), 11, "cost: flat, flat_energy_pj: 2.5}");
  Expected<Architecture> b = parse_arch_yaml(given, kOrigin);
  ASSERT_TRUE(b.has_value()) << b.error().message;
  EXPECT_EQ(b->array.flat_energy_table, "");
  EXPECT_NEAR(b->array.flat_energy_pj, 2.5, kTol);
}

TEST(ArchYaml, ResolvePresetName) {
  Expected<Architecture> arch = resolve_arch("tpu-like");
  ASSERT_TRUE(arch.has_value());
  EXPECT_EQ(*arch, *arch_preset("tpu-like"));
}

TEST(ArchYaml, ResolvePath) {
  Expected<Architecture> arch = resolve_arch(example_path("eyeriss-64b"));
  ASSERT_TRUE(arch.has_value()) << arch.error().message;
  EXPECT_EQ(arch->name, "eyeriss-64b");
}

TEST(ArchYaml, ResolveNeither) {
  Expected<Architecture> arch = resolve_arch("eyriss");
  ASSERT_FALSE(arch.has_value());
  EXPECT_NE(arch.error().message.find("'eyriss'"), std::string::npos);
  EXPECT_NE(arch.error().message.find("neither a built-in architecture"), std::string::npos);
  EXPECT_NE(arch.error().message.find("eyeriss, eyeriss-64b"), std::string::npos);
}

TEST(ArchYaml, ResolveBrokenFileReportsTheFileError) {
  Expected<Architecture> arch = resolve_arch(std::string(DNNSPACE_SOURCE_DIR) + "/CMakeLists.txt");
  ASSERT_FALSE(arch.has_value());
  EXPECT_NE(arch.error().message.find("CMakeLists.txt"), std::string::npos);
}

// ---- one test per error case ---------------------------------------------------------

TEST(ArchYamlError, MissingFile) {
  Expected<Architecture> arch = load_arch_yaml("/nonexistent/arch.yaml");
  ASSERT_FALSE(arch.has_value());
  EXPECT_EQ(arch.error().message, "/nonexistent/arch.yaml: cannot open file");
}

TEST(ArchYamlError, MalformedYaml) {
  expect_error("architecture:\n  name: [unclosed\n", {"malformed YAML"});
}

TEST(ArchYamlError, MissingArchitectureRoot) {
  expect_error("{}\n", {"field 'architecture'", "missing"});
}

TEST(ArchYamlError, UnknownTopLevelKey) {
  expect_error(kBase + "mapping: {}\n", {"top level", "unknown field 'mapping'", "allowed: architecture"});
}

TEST(ArchYamlError, UnknownArchitectureKey) {
  expect_error(with("  word_bits: 16", "  word_width: 16"),
               {":3:", "unknown field 'word_width'", "allowed:", "word_bits"});
}

TEST(ArchYamlError, UnknownLevelKey) {
  expect_error(with("      capacity: 512B", "      capacty: 512B"),
               {"level 2", "unknown field 'capacty'", "capacity"});
}

TEST(ArchYamlError, UnknownArrayKey) {
  expect_error(with("    rows: 16", "    rowz: 16"), {"array", "unknown field 'rowz'", "rows"});
}

TEST(ArchYamlError, MissingName) {
  expect_error(with("  name: test\n", ""), {"field 'name'", "missing"});
}

TEST(ArchYamlError, WordBitsZero) {
  expect_error(with("word_bits: 16", "word_bits: 0"), {"field 'word_bits'", ">= 1"});
}

TEST(ArchYamlError, WordBitsTooWide) {
  expect_error(with("word_bits: 16", "word_bits: 65"), {"field 'word_bits'", "1..64"});
}

TEST(ArchYamlError, ClockNotPositive) {
  expect_error(with("clock_mhz: 200", "clock_mhz: 0"), {"field 'clock_mhz'", "> 0"});
}

TEST(ArchYamlError, UnknownTechnology) {
  expect_error(with("technology: interstellar-28nm", "technology: tsmc-7nm"),
               {":5:", "field 'technology'", "unknown technology 'tsmc-7nm'",
                "allowed: interstellar-28nm, eyeriss-normalized"});
}

TEST(ArchYamlError, MissingTechnologyAndEnergy) {
  expect_error(with("  technology: interstellar-28nm\n", ""),
               {"field 'mac_energy_pj'", "no 'technology'", "interstellar-28nm"});
}

TEST(ArchYamlError, MissingTechnologyForALevel) {
  expect_error(with("  technology: interstellar-28nm\n", "  mac_energy_pj: 0.075\n"),
               {"level 0 'DRAM'", "field 'access_energy_pj'", "no 'technology'"});
}

TEST(ArchYamlError, NegativeGivenEnergy) {
  expect_error(with("      kind: dram\n", "      kind: dram\n      access_energy_pj: -1\n"),
               {"level 0 'DRAM'", "field 'access_energy_pj'", ">= 0"});
}

TEST(ArchYamlError, LevelsMissing) {
  const std::string text = R"(architecture:
  name: x
  technology: interstellar-28nm
  array: {rows: 1, cols: 1, below: DRAM}
)";
  expect_error(text, {"field 'levels'", "non-empty list"});
}

TEST(ArchYamlError, LevelsEmpty) {
  const std::string text = R"(architecture:
  name: x
  technology: interstellar-28nm
  levels: []
  array: {rows: 1, cols: 1, below: DRAM}
)";
  expect_error(text, {"field 'levels'", "non-empty list"});
}

TEST(ArchYamlError, UnknownKind) {
  expect_error(with("kind: regfile", "kind: cache"),
               {"level 2 'RegFile'", "field 'kind'", "unknown kind 'cache'", "dram, sram, regfile"});
}

TEST(ArchYamlError, ZeroCapacity) {
  expect_error(with("capacity: 512B", "capacity: 0"),
               {"level 2 'RegFile'", "field 'capacity'", "positive size", "'0'"});
}

TEST(ArchYamlError, NegativeCapacity) {
  expect_error(with("capacity: 128KB", "capacity: -128KB"),
               {"level 1 'GlobalBuffer'", "field 'capacity'", "positive size"});
}

TEST(ArchYamlError, BadCapacityUnit) {
  expect_error(with("capacity: 128KB", "capacity: 128XB"),
               {"level 1 'GlobalBuffer'", "field 'capacity'", "128KB or 28MB"});
}

TEST(ArchYaml, CapacityTakesEveryUnitSpelling) {
  // The rule is parse_size_bytes' (tests/arch/size_units_test.cpp); here, that YAML uses it.
  for (const auto& [text, bytes] : {std::pair<const char*, std::int64_t>{"131072", 131072}, {"128kib", 131072},
                                    {"128K", 131072}, {"1G", 1073741824}}) {
    Expected<Architecture> arch = parse_arch_yaml(with("capacity: 128KB", std::string("capacity: ") + text), kOrigin);
    ASSERT_TRUE(arch.has_value()) << text << ": " << arch.error().message;
    EXPECT_EQ(arch->levels[1].capacity_bytes, bytes) << text;
  }
}

TEST(ArchYamlError, CapacityFractionOrTooLarge) {
  expect_error(with("capacity: 128KB", "capacity: 1.5KB"),
               {":11:", "level 1 'GlobalBuffer'", "field 'capacity'", "'1.5KB' is not a size", "whole number"});
  expect_error(with("capacity: 128KB", "capacity: 1073741824G"),
               {"level 1 'GlobalBuffer'", "field 'capacity'", "'1073741824G' is too large a size", "2^60 - 1"});
}

TEST(ArchYamlError, CapacityMissingOnSram) {
  expect_error(with("      capacity: 128KB\n", ""),
               {":9:", "level 1 'GlobalBuffer'", "field 'capacity'", "missing", "only dram"});
}

TEST(ArchYamlError, CapacityMissingOnInnerDram) {
  expect_error(with("      kind: sram\n      capacity: 128KB\n", "      kind: dram\n"),
               {"level 1 'GlobalBuffer'", "field 'capacity'", "only the outermost"});
}

TEST(ArchYamlError, UnknownTensorInHolds) {
  expect_error(with("holds: [inputs, weights, outputs]", "holds: [inputs, filters]"),
               {":14:", "level 1 'GlobalBuffer'", "field 'holds'", "unknown tensor 'filters'",
                "inputs, weights, outputs"});
}

TEST(ArchYamlError, DuplicateTensorInHolds) {
  expect_error(with("holds: [inputs, weights, outputs]", "holds: [inputs, inputs]"),
               {"field 'holds'", "listed twice"});
}

TEST(ArchYamlError, EmptyHolds) {
  expect_error(with("holds: [inputs, weights, outputs]", "holds: []"),
               {"field 'holds'", "non-empty list"});
}

TEST(ArchYamlError, BadBool) {
  expect_error(with("double_buffered: true", "double_buffered: maybe"),
               {"level 1 'GlobalBuffer'", "field 'double_buffered'", "true or false"});
}

TEST(ArchYamlError, NegativeBandwidth) {
  expect_error(with("bandwidth_words_per_cycle: 16", "bandwidth_words_per_cycle: -2"),
               {"level 1 'GlobalBuffer'", "field 'bandwidth_words_per_cycle'", ">= 0"});
}

TEST(ArchYamlError, ArrayMissing) {
  const std::size_t at = kBase.find("  array:");
  expect_error(kBase.substr(0, at), {"field 'array'", "missing"});
}

TEST(ArchYamlError, ArrayRowsZero) {
  expect_error(with("rows: 16", "rows: 0"), {"array", "field 'rows'", ">= 1"});
}

TEST(ArchYamlError, ArrayColsMissing) {
  expect_error(with("    cols: 16\n", ""), {"array", "field 'cols'", "missing"});
}

TEST(ArchYamlError, UnknownLevelInBelow) {
  expect_error(with("below: GlobalBuffer", "below: L2"),
               {":21:", "array", "field 'below'", "unknown level 'L2'",
                "allowed: DRAM, GlobalBuffer, RegFile"});
}

TEST(ArchYamlError, UnknownCostStyle) {
  expect_error(with("cost: per_hop", "cost: mesh"),
               {"array", "field 'cost'", "unknown cost style 'mesh'", "per_hop, flat"});
}

TEST(ArchYamlError, UnknownArrayTiming) {
  expect_error(with("cost: per_hop", "cost: per_hop\n    timing: wavefront"),
               {"array", "field 'timing'", "unknown timing 'wavefront'", "allowed: ideal, systolic"});
}

// Cross-field rules come from validate_architecture, prefixed with the file.
TEST(ArchYamlError, DuplicateLevelName) {
  expect_error(with("    - name: RegFile", "    - name: GlobalBuffer"),
               {"spec.yaml: architecture 'test'", "level 2 'GlobalBuffer'", "field 'name'"});
}

TEST(ArchYamlError, OutermostBypassesATensor) {
  expect_error(with("      kind: dram\n", "      kind: dram\n      holds: [inputs, outputs]\n"),
               {"level 0 'DRAM'", "field 'holds'", "weights"});
}

// Bypass and buffering left to the mapper: `bypass: search`, `buffering: search`, and the
// explicit `buffering: single|double` next to the older `double_buffered`.
TEST(ArchYaml, BypassAndBufferingSearch) {
  Expected<Architecture> arch = parse_arch_yaml(
      with("      double_buffered: true\n", "      buffering: search\n      bypass: search\n"), kOrigin);
  ASSERT_TRUE(arch.has_value()) << arch.error().message;
  EXPECT_TRUE(arch->levels[1].bypass_searched);
  EXPECT_TRUE(arch->levels[1].buffering_searched);
  EXPECT_FALSE(arch->levels[2].bypass_searched);
  EXPECT_FALSE(arch->levels[2].buffering_searched);
  Expected<Architecture> single = parse_arch_yaml(with("double_buffered: true", "buffering: single"), kOrigin);
  ASSERT_TRUE(single.has_value()) << single.error().message;
  EXPECT_FALSE(single->levels[1].double_buffered);
  EXPECT_FALSE(single->levels[1].buffering_searched);
  Expected<Architecture> twice = parse_arch_yaml(with("double_buffered: true", "buffering: double"), kOrigin);
  ASSERT_TRUE(twice.has_value()) << twice.error().message;
  EXPECT_TRUE(twice->levels[1].double_buffered);
}

TEST(ArchYaml, BadBypassAndBuffering) {
  expect_error(with("      kind: dram\n", "      kind: dram\n      bypass: search\n"),
               {"level 0 'DRAM'", "field 'bypass'", "outermost level holds every tensor"});
  expect_error(with("      kind: dram\n", "      kind: dram\n      buffering: search\n"),
               {"level 0 'DRAM'", "field 'buffering'", "needs a level with a capacity"});
  expect_error(with("      double_buffered: true\n", "      bypass: weights\n"),
               {"field 'bypass'", "unknown value 'weights'", "allowed: search", "holds"});
  expect_error(with("      double_buffered: true\n", "      buffering: triple\n"),
               {"field 'buffering'", "unknown value 'triple'", "allowed: single, double, search"});
  expect_error(with("      double_buffered: true\n", "      double_buffered: true\n      buffering: single\n"),
               {"field 'buffering'", "either 'buffering' or 'double_buffered'"});
}

// Per-tensor read and write energies, and vector-wide accesses with a given energy.
TEST(ArchYaml, PerTensorEnergiesAndAccessWidth) {
  Expected<Architecture> arch = parse_arch_yaml(
      with("      capacity: 512B\n",
           "      capacity: 512B\n      access_energy_pj: 2.0\n      access_width_words: 4\n"
           "      read_energy_pj: {weights: 1.0}\n      write_energy_pj: 3.0\n"),
      kOrigin);
  ASSERT_TRUE(arch.has_value()) << arch.error().message;
  const StorageLevel& rf = arch->levels[2];
  EXPECT_EQ(rf.access_width_words, 4);
  ASSERT_TRUE(rf.tensor_read_energy_pj[TensorId::Weights].has_value());
  EXPECT_FALSE(rf.tensor_read_energy_pj[TensorId::Inputs].has_value());
  EXPECT_DOUBLE_EQ(read_energy_pj(*arch, rf, TensorId::Weights), 0.25);
  EXPECT_DOUBLE_EQ(read_energy_pj(*arch, rf, TensorId::Inputs), 0.5);
  EXPECT_DOUBLE_EQ(write_energy_pj(*arch, rf, TensorId::Outputs), 0.75);
}

TEST(ArchYaml, BadPerTensorEnergiesAndAccessWidth) {
  expect_error(with("      capacity: 512B\n", "      capacity: 512B\n      access_width_words: 4\n"),
               {"field 'access_width_words'", "needs the energy of one access", "access_energy_pj"});
  expect_error(with("      capacity: 512B\n",
                    "      capacity: 512B\n      access_energy_pj: 1\n      access_width_words: 0\n"),
               {"field 'access_width_words'", "1..4096", "got '0'"});
  expect_error(with("      capacity: 512B\n",
                    "      capacity: 512B\n      access_energy_pj: 1\n      access_width_words: 5000\n"),
               {"field 'access_width_words'", "1..4096"});
  expect_error(with("      capacity: 512B\n", "      capacity: 512B\n      read_energy_pj: {filters: 1}\n"),
               {"read_energy_pj", "unknown field 'filters'"});
  expect_error(with("      capacity: 512B\n", "      capacity: 512B\n      read_energy_pj: {}\n"),
               {"field 'read_energy_pj'", "an empty map"});
  expect_error(with("      capacity: 512B\n", "      capacity: 512B\n      write_energy_pj: {outputs: -1}\n"),
               {"field 'outputs'", ">= 0"});
  // An energy for a tensor the level never holds would be silently unused.
  expect_error(with("      capacity: 512B\n",
                    "      capacity: 512B\n      holds: [weights]\n      read_energy_pj: {inputs: 1}\n"),
               {"level 2 'RegFile'", "field 'read_energy_pj'", "never holds inputs"});
  expect_error(with("      double_buffered: true\n", "      bypass:\n"), {"field 'bypass'", "(empty)", "allowed: search"});
}

}  // namespace
}  // namespace dnnspace::io
