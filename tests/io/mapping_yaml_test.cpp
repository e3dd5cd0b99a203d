// Reading mappings from YAML, and every way a mapping file can be wrong.
#include <gtest/gtest.h>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/io/mapping_yaml.hpp"
#include "dnnspace/mapping/print.hpp"

namespace dnnspace {
namespace {

const char* kIssueMapping = R"(mapping:
  - level: DRAM
    temporal: [N: 16, K: 12, C: 8]
  - level: GlobalBuffer
    temporal: [P: 13, Q: 13]
    spatial: {rows: [C: 16], cols: [K: 16]}
  - level: RegFile
    temporal: [K: 2, C: 2, R: 3, S: 3]
)";

TEST(MappingYaml, ParsesTheIssueExample) {
  const Architecture arch = *arch_preset("eyeriss");
  const auto m = io::parse_mapping_yaml(kIssueMapping, "m.yaml", arch);
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->levels.size(), 3u);
  EXPECT_EQ(m->levels[0].temporal.size(), 3u);
  EXPECT_EQ(m->levels[0].temporal[1], (Loop{12, Dim::K}));
  EXPECT_EQ(m->levels[1].rows[0], (Loop{16, Dim::C}));
  EXPECT_EQ(m->levels[1].cols[0], (Loop{16, Dim::K}));
  EXPECT_EQ(m->levels[2].temporal[3], (Loop{3, Dim::S}));
}

TEST(MappingYaml, PrintedYamlReadsBackEqual) {
  const Architecture arch = *arch_preset("eyeriss");
  const Mapping m = *io::parse_mapping_yaml(kIssueMapping, "m.yaml", arch);
  const auto again = io::parse_mapping_yaml(format_mapping_yaml(arch, m), "printed", arch);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, m);
}

struct BadCase {
  const char* text;
  const char* expected;  // a fragment the message must contain
};

TEST(MappingYaml, ErrorsNameFileFieldAndAllowedValues) {
  const Architecture arch = *arch_preset("eyeriss");
  const BadCase cases[] = {
      {"mapping: [", "m.yaml:1"},
      {"mapping:\n  - level: Dram\n    temporal: [N: 16]\n", "unknown level 'Dram' (architecture 'eyeriss' has: DRAM, GlobalBuffer, RegFile)"},
      {"mapping:\n  - level: DRAM\n    temporal: [X: 16]\n", "unknown dimension 'X' (allowed: N K C P Q R S G)"},
      {"mapping:\n  - level: DRAM\n    temporal: [N: 0]\n", "factor must be a whole number in 1..144115188075855872 (2^57), got '0'"},
      {"mapping:\n  - level: DRAM\n    temporal: [N: -2]\n", "got '-2'"},
      {"mapping:\n  - level: DRAM\n    temporal: [N: two]\n", "got 'two'"},
      {"mapping:\n  - level: DRAM\n    temporal: N\n", "expected a list of DIM: FACTOR pairs"},
      {"mapping:\n  - level: DRAM\n  - level: DRAM\n", "listed twice"},
      {"mapping:\n  - level: DRAM\n    temporal: [N: 1]\n    tempral: [K: 2]\n", "unknown field 'tempral'"},
      {"mapping:\n  - level: GlobalBuffer\n    spatial: {row: [C: 16]}\n", "unknown field 'row' (allowed: rows, cols)"},
      {"levels: []\n", "expected a top-level 'mapping:' list"},
      {"mapping:\n  - temporal: [N: 1]\n", "field 'level': missing"},
  };
  for (const BadCase& c : cases) {
    const auto r = io::parse_mapping_yaml(c.text, "m.yaml", arch);
    ASSERT_FALSE(r) << c.text;
    EXPECT_NE(r.error().message.find(c.expected), std::string::npos) << "got: " << r.error().message;
    EXPECT_EQ(r.error().message.rfind("m.yaml", 0), 0u) << r.error().message;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
  }
}

TEST(MappingYaml, MissingFile) {
  const Architecture arch = *arch_preset("eyeriss");
  const auto r = io::load_mapping_yaml("/nonexistent/m.yaml", arch);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "/nonexistent/m.yaml: cannot open file");
}

}  // namespace
}  // namespace dnnspace
