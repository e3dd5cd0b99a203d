// Every numeric key of every YAML reader, fed every kind of bad value: each is rejected
// with one line naming the file and the key (docs/reliability.md), never accepted,
// never a crash. The good value of each key is loaded first, so that a template that no
// longer parses cannot make the test pass vacuously.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/mapping_yaml.hpp"
#include "dnnspace/io/numerics_yaml.hpp"
#include "dnnspace/io/workload_yaml.hpp"

namespace dnnspace {
namespace {

constexpr const char* kArch = R"(architecture:
  name: a
  word_bits: @word_bits@
  clock_mhz: @clock_mhz@
  mac_energy_pj: @mac_energy_pj@
  levels:
    - {name: DRAM, kind: dram, access_energy_pj: @dram_energy@, word_bits: {inputs: @in_bits@, outputs: 24}}
    - {name: Buffer, kind: sram, capacity: @capacity@, access_energy_pj: 6.0,
       bandwidth_words_per_cycle: @bandwidth@, read_energy_pj: @read@, write_energy_pj: @write@,
       word_bits: @level_bits@, read_bandwidth_words_per_cycle: @read_bw@, write_bandwidth_words_per_cycle: @write_bw@,
       leakage_mw: @leakage@, area_mm2: @area@, access_width_words: @width@}
  array: {rows: @rows@, cols: @cols@, below: Buffer, cost: per_hop, hop_energy_pj: @hop@}
)";

constexpr const char* kLayer = R"(layer: {name: l, type: conv, N: @N@, K: @K@, C: @C@, P: @P@, Q: 4, R: @R@, S: 3,
  G: @G@, stride: @stride@, pad: @pad@, dilation: @dilation@}
)";

constexpr const char* kWorkload = R"(workload:
  name: w
  dims: {M: @M@, K: 8, N: 2}
  tensors:
    - {name: A, role: operand, index: [M, "@index@"]}
    - {name: B, role: operand, index: [K, N]}
    - {name: C, role: output, index: [M, N]}
)";

constexpr const char* kNumerics = R"(default:
  arithmetic: fixed
  weights: Q2.8
  activations: Q2.6
  products: Q6.10
  sigmoid_lut: {entries: @entries@, min: @min@, max: @max@}
)";

constexpr const char* kMapping = R"(mapping:
  - level: DRAM
    temporal: [K: @factor@, C: 1]
)";

struct Key {
  const char* placeholder;  // @...@ in the template
  const char* good;         // a valid value
  const char* field;        // what the message must name
  bool integer;             // whole numbers only
  bool positive;            // 0 is rejected too
  bool signed_ok = false;   // negative values are valid (a LUT's range)
};

std::string fill(std::string text, const std::vector<Key>& keys, const Key& bad, const std::string& value) {
  for (const Key& k : keys) {
    const std::string ph = std::string("@") + k.placeholder + "@";
    for (std::size_t pos; (pos = text.find(ph)) != std::string::npos;) {
      text.replace(pos, ph.size(), k.placeholder == bad.placeholder ? value : k.good);
    }
  }
  return text;
}

using Load = std::function<std::string(const std::string&)>;  // "" when accepted, else the error

void check_keys(const char* what, const char* tmpl, const std::vector<Key>& keys, const Load& load) {
  const Key none{"", "", "", false, false};
  ASSERT_EQ(load(fill(tmpl, keys, none, "")), "") << what << ": the good values must load";
  for (const Key& k : keys) {
    std::vector<std::string> bad = {".nan", ".inf", "-.inf", "abc", "[1, 2]", "{a: 1}", "~", "1e400", "-1e400"};
    if (!k.signed_ok) bad.push_back("-1");
    if (k.integer) {
      bad.insert(bad.end(), {"2.5", "9223372036854775808", "-9223372036854775809", "99999999999999999999999", "0x",
                             "0x10", "+4", "1_000"});
    }
    if (k.positive) bad.push_back("0");
    for (const std::string& value : bad) {
      const std::string text = fill(tmpl, keys, k, value);
      const std::string err = load(text);
      EXPECT_NE(err, "") << what << " accepted " << k.placeholder << " = " << value;
      if (err.empty()) continue;
      EXPECT_EQ(err.find('\n'), std::string::npos) << err;
      EXPECT_EQ(err.rfind("f.yaml", 0), 0u) << err;
      EXPECT_NE(err.find(k.field), std::string::npos) << k.placeholder << " = " << value << ": " << err;
    }
  }
}

TEST(NumericKeys, Architecture) {
  const std::vector<Key> keys = {
      {"word_bits", "16", "word_bits", true, true},       {"clock_mhz", "400", "clock_mhz", false, true},
      {"mac_energy_pj", "0.5", "mac_energy_pj", false, false}, {"dram_energy", "200", "access_energy_pj", false, false},
      {"capacity", "64KB", "capacity", true, true},        {"bandwidth", "4", "bandwidth_words_per_cycle", false, false},
      {"rows", "8", "rows", true, true},                   {"cols", "8", "cols", true, true},
      {"hop", "0.1", "hop_energy_pj", false, false},
      {"read", "5.5", "read_energy_pj", false, false},     {"write", "7.25", "write_energy_pj", false, false},
      {"in_bits", "8", "inputs", true, true},              {"level_bits", "12", "word_bits", true, true},
      {"read_bw", "2", "read_bandwidth_words_per_cycle", false, false},
      {"write_bw", "0.5", "write_bandwidth_words_per_cycle", false, false},
      {"leakage", "1.5", "leakage_mw", false, false},
      {"area", "0.25", "area_mm2", false, false},
      {"width", "4", "access_width_words", true, true},
  };
  check_keys("architecture", kArch, keys, [](const std::string& text) {
    const auto a = io::parse_arch_yaml(text, "f.yaml");
    return a ? std::string() : a.error().message;
  });
}

TEST(NumericKeys, Layer) {
  const std::vector<Key> keys = {
      {"N", "2", "'N'", true, true},       {"K", "4", "'K'", true, true},     {"C", "3", "'C'", true, true},
      {"P", "4", "'P'", true, true},       {"R", "3", "'R'", true, true},     {"G", "1", "'G'", true, true},
      {"stride", "1", "stride", true, true}, {"pad", "1", "pad", true, false}, {"dilation", "1", "dilation", true, true},
  };
  check_keys("layer", kLayer, keys, [](const std::string& text) {
    const auto l = io::load_layer_yaml_text(text, "f.yaml");
    return l ? std::string() : l.error().message;
  });
}

TEST(NumericKeys, Workload) {
  const std::vector<Key> keys = {{"M", "4", "'M'", true, true}, {"index", "K", "'index'", true, true}};
  check_keys("workload dims", kWorkload, keys, [](const std::string& text) {
    const auto l = io::load_layer_yaml_text(text, "f.yaml");
    return l ? std::string() : l.error().message;
  });
  // Coefficients inside index expressions.
  for (const char* index : {"K*-1", "K*0", "K*2.5", "K*1e3", "K*99999999999999999999", "K*nan", "K*inf", "-K"}) {
    const std::string text = fill(kWorkload, {{"M", "4", "", true, true}, {"index", index, "", true, true}},
                                  Key{"", "", "", false, false}, "");
    const auto l = io::load_layer_yaml_text(text, "f.yaml");
    EXPECT_FALSE(l) << index;
    if (!l) {
      EXPECT_NE(l.error().message.find("field 'index'"), std::string::npos) << l.error().message;
    }
  }
}

TEST(NumericKeys, Numerics) {
  const std::vector<Key> keys = {{"entries", "256", "entries", true, true},
                                 {"min", "-8", "min", false, false, true},
                                 {"max", "8", "max", false, false, true}};
  check_keys("numerics", kNumerics, keys, [](const std::string& text) {
    const auto n = io::parse_numerics_text(text, "f.yaml");
    return n ? std::string() : n.error().message;
  });
}

TEST(NumericKeys, MappingFactors) {
  const std::vector<Key> keys = {{"factor", "4", "factor", true, true}};
  Architecture arch;
  arch.name = "a";
  arch.levels.resize(1);
  arch.levels[0].name = "DRAM";
  check_keys("mapping", kMapping, keys, [&](const std::string& text) {
    const auto m = io::parse_mapping_yaml(text, "f.yaml", arch);
    return m ? std::string() : m.error().message;
  });
}

}  // namespace
}  // namespace dnnspace
