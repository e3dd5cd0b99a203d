// The YAML reader every spec goes through: duplicate keys and absurd nesting are errors
// with the file and line, in any map of the tree.
#include <gtest/gtest.h>

#include <string>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/mapping_yaml.hpp"
#include "dnnspace/io/workload_yaml.hpp"
#include "dnnspace/io/yaml_util.hpp"

namespace dnnspace {
namespace {

std::string error_of(const std::string& text) {
  const Expected<YAML::Node> n = io::parse_yaml_text(text, "f.yaml");
  EXPECT_FALSE(n.has_value()) << text;
  return n ? std::string() : n.error().message;
}

TEST(YamlUtil, DuplicateKeysNameBothLines) {
  EXPECT_EQ(error_of("a: 1\nb: 2\na: 3\n"), "f.yaml:3: duplicate key 'a' (first at line 1); each key may appear once");
  // Nested in a list of maps, as a network's layers are.
  EXPECT_EQ(error_of("network:\n  layers:\n    - {name: x, K: 4,\n       K: 8}\n"),
            "f.yaml:4: duplicate key 'K' (first at line 3); each key may appear once");
  // The same key in two different maps is fine.
  EXPECT_TRUE(io::parse_yaml_text("- {K: 1}\n- {K: 2}\n", "f.yaml").has_value());
}

TEST(YamlUtil, DuplicateKeysInEverySpecReader) {
  const Expected<Layer> l = io::load_layer_yaml_text("layer: {name: a, type: conv, K: 4, K: 8}\n", "l.yaml");
  ASSERT_FALSE(l.has_value());
  EXPECT_NE(l.error().message.find("l.yaml:1: duplicate key 'K'"), std::string::npos) << l.error().message;
  const Expected<Architecture> a =
      io::parse_arch_yaml("architecture:\n  name: x\n  name: y\n", "a.yaml");
  ASSERT_FALSE(a.has_value());
  EXPECT_NE(a.error().message.find("a.yaml:3: duplicate key 'name' (first at line 2)"), std::string::npos)
      << a.error().message;
}

// An empty value (`key:` and nothing after it) has no position of its own in yaml-cpp: the
// error names the key's line.
TEST(YamlUtil, AnEmptyValueIsLocatedByItsKey) {
  const Expected<Architecture> a =
      io::parse_arch_yaml("architecture:\n  name: x\n  word_bits:\n  levels: []\n", "a.yaml");
  ASSERT_FALSE(a.has_value());
  EXPECT_NE(a.error().message.find("a.yaml:3: field 'word_bits': expected a whole number, got 'nothing (the field is empty)'"),
            std::string::npos)
      << a.error().message;
  const Expected<Architecture> b = io::parse_arch_yaml("architecture:\n  name:\n", "b.yaml");
  ASSERT_FALSE(b.has_value());
  EXPECT_NE(b.error().message.find("b.yaml:2: field 'name'"), std::string::npos) << b.error().message;
}

// Found by fuzz/mapping_yaml_fuzz: a list used as a key reached a reader that converts
// keys to text, and yaml-cpp's exception ended the program.
TEST(YamlUtil, KeysMustBeNames) {
  EXPECT_EQ(error_of("spatial: {rows: 3, [R :: 4], cols: [P: 13]}\n"), "f.yaml:1: a key must be a name, got a list");
  EXPECT_EQ(error_of("a:\n  ? {x: 1}\n  : 2\n"), "f.yaml:2: a key must be a name, got a map");
  const Architecture eyeriss = *arch_preset("eyeriss");
  const Expected<Mapping> m = io::parse_mapping_yaml(
      "mapping:\n  - level: GlobalBuffer\n    spatial: {rows: 3, [R :: 4], cols: [P: 13]}\n", "m.yaml", eyeriss);
  ASSERT_FALSE(m.has_value());
  EXPECT_NE(m.error().message.find("m.yaml:3: a key must be a name"), std::string::npos) << m.error().message;
}

// 64 levels of nesting below the root are allowed; one more is an error.
TEST(YamlUtil, NestingLimit) {
  auto nested = [](int n) { return std::string(static_cast<std::size_t>(n), '[') + std::string(static_cast<std::size_t>(n), ']'); };
  EXPECT_TRUE(io::parse_yaml_text(nested(65), "f.yaml").has_value());
  EXPECT_EQ(error_of(nested(66)), "f.yaml:1: nested deeper than 64 levels");
}

}  // namespace
}  // namespace dnnspace
