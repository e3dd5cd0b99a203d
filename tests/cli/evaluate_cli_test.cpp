// End-to-end tests of `dnnspace evaluate`: run the built command on good and bad inputs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../../src/cli/input_resolution.hpp"
#include "dnnspace/arch/presets.hpp"
#include "dnnspace/io/mapping_yaml.hpp"
#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using dnnspace::testing::CliRun;

std::string slurp(const fs::path& path) { return dnnspace::testing::slurp(path.string()); }

const std::string kSource = DNNSPACE_SOURCE_DIR;
const std::string kRsMapping = kSource + "/examples/mappings/alexnet_conv3_rs.yaml";
const std::string kCkMapping = kSource + "/examples/mappings/alexnet_conv3_ck.yaml";

// Each test gets its own directory for input files and captured output.
class EvaluateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) / "evaluate_cli_test" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  // Writes a file in the test directory and returns its path.
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Runs `dnnspace evaluate ARGS` (arguments are single-quoted by the caller as needed).
  CliRun evaluate(const std::string& args) {
    return dnnspace::testing::run_cli("evaluate " + args, (dir_ / "run").lexically_relative(::testing::TempDir()).string());
  }

  // exit 2, nothing on stdout, exactly one line on stderr containing every `needle`.
  void expect_error(const CliRun& r, std::initializer_list<std::string> needles) {
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_THAT(r.err, StartsWith("dnnspace: error: "));
    for (const std::string& n : needles) EXPECT_THAT(r.err, HasSubstr(n));
  }

  fs::path dir_;
};

// The RS mapping with one line replaced, for the bad-mapping tests.
std::string rs_mapping_with(const std::string& regfile_temporal) {
  return "mapping:\n"
         "  - level: DRAM\n"
         "    temporal: [N: 16, K: 12, C: 8]\n"
         "  - level: GlobalBuffer\n"
         "    temporal: [K: 4, C: 4]\n"
         "    spatial: {rows: [R: 3, C: 4], cols: [P: 13]}\n"
         "  - level: RegFile\n"
         "    temporal: " + regfile_temporal + "\n";
}

const char* const kConv3 = "--arch eyeriss --layer alexnet/conv3 --batch 16";

// ---- the built-in default ----------------------------------------------------------

TEST_F(EvaluateCli, NoArgumentsEvaluatesConv3) {
  const CliRun r = evaluate("");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_THAT(r.out, HasSubstr("arch      eyeriss:"));
  EXPECT_THAT(r.out, HasSubstr("layer     conv3 (conv): N=16 K=384 C=256 P=13 Q=13 R=3 S=3 pad=1\n"));
  // 16 x 384 x 256 x 13 x 13 x 3 x 3 = 16 x 149,520,384 = 2,392,326,144.
  EXPECT_THAT(r.out, HasSubstr("MACs      2,392,326,144\n"));
  // Rows carry R then C, columns P: "RC|P".
  EXPECT_THAT(r.out, HasSubstr("dataflow  RC|P\n"));
  for (const char* row : {"\nDRAM ", "\nGlobalBuffer ", "\nRegFile ", "\nArray ", "\nMAC ", "\ntotal ",
                          "\npJ/MAC ", "\ncycles ", "\ncompute cycles ", "\nutilization ", "\noff-chip bytes "}) {
    EXPECT_THAT(r.out, HasSubstr(row)) << row;
  }
  // 12 x 13 = 156 of 256 PEs busy every cycle: 156 / 256 = 60.9375%.
  EXPECT_THAT(r.out, HasSubstr("utilization     60.9% of 256 PEs\n"));
  EXPECT_THAT(r.out, HasSubstr("loop nest\n[DRAM] holds inputs weights outputs\nfor N in 0..16\n"));
}

TEST_F(EvaluateCli, ExampleRsFileEqualsTheEmbeddedDefault) {
  const Expected<Architecture> arch = arch_preset(cli::kDefaultArch);
  ASSERT_TRUE(arch);
  const Expected<Mapping> file = io::load_mapping_yaml(kRsMapping, *arch);
  ASSERT_TRUE(file) << file.error().message;
  const Expected<Mapping> embedded = io::parse_mapping_yaml(cli::kDefaultMappingYaml, "<embedded>", *arch);
  ASSERT_TRUE(embedded) << embedded.error().message;
  EXPECT_EQ(*file, *embedded);
  // And the mapping is the one of the brief: DRAM [N16 K12 C8], GlobalBuffer [K4 C4]
  // rows [R3 C4] cols [P13], RegFile [C2 K8 Q13 S3].
  ASSERT_EQ(file->levels.size(), 3u);
  EXPECT_EQ(file->levels[0].temporal.size(), 3u);
  EXPECT_EQ(file->levels[1].rows[0], (Loop{3, Dim::R}));
  EXPECT_EQ(file->levels[1].rows[1], (Loop{4, Dim::C}));
  EXPECT_EQ(file->levels[1].cols[0], (Loop{13, Dim::P}));
  EXPECT_EQ(file->levels[2].temporal[3], (Loop{3, Dim::S}));

  // Passing the file explicitly gives the same numbers as the bare command.
  const CliRun bare = evaluate("--json " + path("bare.json"));
  const CliRun explicit_run = evaluate(std::string(kConv3) + " --mapping " + kRsMapping + " --json " + path("file.json"));
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  ASSERT_EQ(explicit_run.exit_code, 0) << explicit_run.err;
  const auto a = nlohmann::json::parse(slurp(path("bare.json")));
  const auto b = nlohmann::json::parse(slurp(path("file.json")));
  EXPECT_EQ(a["energy_breakdown_pj"], b["energy_breakdown_pj"]);
  EXPECT_EQ(a["accesses"], b["accesses"]);
  EXPECT_EQ(a["mapping"], b["mapping"]);
}

// ---- JSON ----------------------------------------------------------------------------

TEST_F(EvaluateCli, JsonHasTheKeysAndConsistentEnergies) {
  const CliRun r = evaluate("--json " + path("out.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(slurp(path("out.json")));
  for (const char* key : {"arch", "layer", "energy_pj", "energy_breakdown_pj", "accesses", "cycles", "utilization",
                          "offchip_bytes", "mapping", "dataflow", "compute_cycles", "pj_per_mac",
                          "array_transfers"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["arch"], "eyeriss");
  EXPECT_EQ(j["layer"]["name"], "conv3");
  EXPECT_EQ(j["layer"]["macs"], 2392326144);
  EXPECT_EQ(j["layer"]["N"], 16);
  EXPECT_EQ(j["layer"]["K"], 384);
  EXPECT_EQ(j["dataflow"], "RC|P");
  for (const char* level : {"DRAM", "GlobalBuffer", "RegFile"}) {
    for (const char* t : {"inputs", "weights", "outputs"}) {
      EXPECT_TRUE(j["accesses"][level][t].contains("reads")) << level << t;
      EXPECT_TRUE(j["accesses"][level][t].contains("writes")) << level << t;
    }
  }
  double sum = 0.0;
  for (const char* key : {"DRAM", "GlobalBuffer", "RegFile", "MAC", "Array", "Leakage"}) {
    ASSERT_TRUE(j["energy_breakdown_pj"].contains(key)) << key;
    sum += j["energy_breakdown_pj"][key].get<double>();
  }
  EXPECT_EQ(j["energy_breakdown_pj"].size(), 6u);
  EXPECT_EQ(j["energy_breakdown_pj"]["Leakage"].get<double>(), 0.0);  // eyeriss gives no leakage
  EXPECT_EQ(j["refill_stall_cycles"], 0);
  // 128 KB of SRAM at 0.5 um^2/bit, 256 x 512 B of RF at 3 um^2/bit, 256 MACs of 1000 um^2:
  // 0.524288 + 3.145728 + 0.256 mm^2.
  EXPECT_NEAR(j["area_mm2"].get<double>(), 0.524288 + 3.145728 + 0.256, 1e-9);
  const double total = j["energy_pj"].get<double>();
  EXPECT_LE(std::abs(sum - total), 1e-9 * total);
  EXPECT_DOUBLE_EQ(j["pj_per_mac"].get<double>(), total / 2392326144.0);

  // DRAM traffic by hand. DRAM loops (outermost first): N 16, K 12, C 8.
  //  - weights (K, C relevant; N is outside them): every N step refetches all
  //    384*256*9 = 884,736 weights: 16 x 884,736 = 14,155,776 reads.
  //  - inputs (not K; K sits outside C): one GlobalBuffer tile per (n, k, c) step:
  //    32 channels x 15 x 15 padded plane = 7,200 words, 16*12*8 = 1,536 steps:
  //    11,059,200 reads.
  //  - outputs: the C loop is innermost at DRAM, so each output is finished in the
  //    buffer and written once, never read back: 16*384*13*13 = 1,038,336 writes.
  const auto& dram = j["accesses"]["DRAM"];
  EXPECT_EQ(dram["weights"]["reads"], 14155776);
  EXPECT_EQ(dram["inputs"]["reads"], 11059200);
  EXPECT_EQ(dram["outputs"]["reads"], 0);
  EXPECT_EQ(dram["outputs"]["writes"], 1038336);
  // (11,059,200 + 14,155,776 + 1,038,336) words x 2 B = 52,506,624 B.
  EXPECT_EQ(j["offchip_bytes"], 52506624);
  // Temporal loops: 16*12*8 x 4*4 x 2*8*13*3 = 1,536 x 16 x 624 = 15,335,424 cycles.
  EXPECT_EQ(j["compute_cycles"], 15335424);
  EXPECT_EQ(j["cycles"], 15335424);  // eyeriss has unlimited bandwidth
  EXPECT_DOUBLE_EQ(j["utilization"].get<double>(), 156.0 / 256.0);
  EXPECT_THAT(j["mapping"].get<std::string>(), StartsWith("[DRAM] holds inputs weights outputs\n"));
}

TEST_F(EvaluateCli, RefusesToOverwriteAnInput) {
  const std::string mapping = write("m.yaml", slurp(kRsMapping));
  const CliRun r = evaluate(std::string(kConv3) + " --mapping " + mapping + " --json " + mapping);
  expect_error(r, {"m.yaml", "--mapping", "overwrite"});
  EXPECT_EQ(slurp(mapping), slurp(kRsMapping));
  // Also through another spelling of the same path.
  const CliRun r2 = evaluate(std::string(kConv3) + " --mapping " + mapping + " --json " + dir_.string() + "/./m.yaml");
  expect_error(r2, {"overwrite"});
}

// ---- dataflows -------------------------------------------------------------------------

TEST_F(EvaluateCli, DataflowPrintsTheDefaultBlockingThatCanBeSaved) {
  const CliRun r = evaluate(std::string(kConv3) + " --mapping 'C|K' --json " + path("df.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("default blocking for dataflow C|K"));
  const std::size_t begin = r.out.find("mapping:\n");
  const std::size_t end = r.out.find("\n\n", begin);
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  EXPECT_THAT(r.out.substr(begin, end - begin), HasSubstr("spatial: {rows: [C: 16], cols: [K: 16]}"));
  // Saving the printed YAML and evaluating the file gives the same result.
  const std::string saved = write("ck.yaml", r.out.substr(begin, end - begin + 1));
  const CliRun again = evaluate(std::string(kConv3) + " --mapping " + saved + " --json " + path("file.json"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto a = nlohmann::json::parse(slurp(path("df.json")));
  const auto b = nlohmann::json::parse(slurp(path("file.json")));
  EXPECT_EQ(a["energy_pj"], b["energy_pj"]);
  EXPECT_EQ(a["accesses"], b["accesses"]);
  EXPECT_EQ(b["dataflow"], "C|K");
}

TEST_F(EvaluateCli, EyerissNameIsADataflow) {
  const CliRun r = evaluate(std::string(kConv3) + " --mapping RS");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("default blocking for dataflow R|P"));
}

TEST_F(EvaluateCli, CkExampleFromTheIssue) {
  const CliRun r = evaluate(std::string(kConv3) + " --mapping " + kCkMapping);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("dataflow  C|K\n"));
}

// ---- batch and layer resolution ---------------------------------------------------------

TEST_F(EvaluateCli, YamlLayerKeepsItsBatchUnlessGiven) {
  const std::string layer = write("l.yaml", "layer: {name: small, type: conv, N: 4, K: 8, C: 8, P: 4, Q: 4, R: 3, S: 3}\n");
  ASSERT_EQ(evaluate("--arch eyeriss --layer " + layer + " --mapping 'C|K' --json " + path("a.json")).exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(slurp(path("a.json")))["layer"]["N"], 4);
  ASSERT_EQ(evaluate("--arch eyeriss --layer " + layer + " --mapping 'C|K' --batch 2 --json " + path("b.json")).exit_code,
            0);
  EXPECT_EQ(nlohmann::json::parse(slurp(path("b.json")))["layer"]["N"], 2);
  // A zoo layer given explicitly defaults to N = 1.
  ASSERT_EQ(evaluate("--layer alexnet/conv3 --mapping 'C|K' --json " + path("c.json")).exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(slurp(path("c.json")))["layer"]["N"], 1);
}

// ---- bad inputs: exit 2, one line, naming the file and field ------------------------------

TEST_F(EvaluateCli, MalformedYaml) {
  const std::string m = write("broken.yaml", "mapping:\n  - level: DRAM\n    temporal: [N: 16, K: 12\n");
  expect_error(evaluate(std::string(kConv3) + " --mapping " + m), {"broken.yaml", "malformed YAML"});
}

TEST_F(EvaluateCli, UnknownDimensionLetter) {
  const std::string m = write("dim.yaml", rs_mapping_with("[C: 2, K: 8, Q: 13, X: 3]"));
  expect_error(evaluate(std::string(kConv3) + " --mapping " + m), {"dim.yaml", "RegFile.temporal", "'X'"});
}

TEST_F(EvaluateCli, UnknownLevel) {
  const std::string m = write("level.yaml", "mapping:\n  - level: L2\n    temporal: [N: 16]\n");
  expect_error(evaluate(std::string(kConv3) + " --mapping " + m), {"level.yaml", "'level'", "'L2'", "GlobalBuffer"});
}

TEST_F(EvaluateCli, ZeroFactor) {
  const std::string m = write("zero.yaml", rs_mapping_with("[C: 2, K: 8, Q: 13, S: 0]"));
  expect_error(evaluate(std::string(kConv3) + " --mapping " + m), {"zero.yaml", "RegFile.temporal", "in 1..144115188075855872 (2^57), got '0'"});
}

TEST_F(EvaluateCli, NegativeFactor) {
  const std::string m = write("neg.yaml", rs_mapping_with("[C: 2, K: 8, Q: 13, S: -3]"));
  expect_error(evaluate(std::string(kConv3) + " --mapping " + m), {"neg.yaml", "RegFile.temporal", "-3"});
}

TEST_F(EvaluateCli, ZeroLayerSize) {
  const std::string l = write("zero_layer.yaml", "layer: {name: bad, type: conv, K: 0, C: 8}\n");
  expect_error(evaluate("--arch eyeriss --layer " + l + " --mapping 'C|K'"), {"zero_layer.yaml", "'K'", ">= 1"});
}

TEST_F(EvaluateCli, NegativeLayerSize) {
  const std::string l = write("neg_layer.yaml", "layer: {name: bad, type: conv, K: 8, P: -4}\n");
  expect_error(evaluate("--arch eyeriss --layer " + l + " --mapping 'C|K'"), {"neg_layer.yaml", "'P'"});
}

TEST_F(EvaluateCli, MappingMissingADimension) {
  // Without S: 3 the factors of S multiply to 1 < 3.
  const std::string m = write("short.yaml", rs_mapping_with("[C: 2, K: 8, Q: 13]"));
  expect_error(evaluate(std::string(kConv3) + " --mapping " + m), {"short.yaml", "dimension S"});
}

TEST_F(EvaluateCli, MappingOverflowsTheRegFile) {
  // eyeriss-64b has a 64 B RegFile; the RS tile needs (30 + 48 + 104) words x 2 B = 364 B.
  const std::string m = write("rs.yaml", slurp(kRsMapping));
  expect_error(evaluate("--arch eyeriss-64b --layer alexnet/conv3 --batch 16 --mapping " + m),
               {"rs.yaml", "'RegFile'", "364 B", "capacity 64 B"});
}

TEST_F(EvaluateCli, MappingNeedsALargerArray) {
  // Columns K 16 x P 13 = 208 PEs on a 16-column array.
  const std::string m = write("wide.yaml",
                              "mapping:\n  - level: DRAM\n    temporal: [N: 16, K: 24, C: 16, Q: 13, R: 3, S: 3]\n"
                              "  - level: GlobalBuffer\n    spatial: {rows: [C: 16], cols: [K: 16, P: 13]}\n");
  expect_error(evaluate(std::string(kConv3) + " --mapping " + m), {"wide.yaml", "16x208", "16x16"});
}

TEST_F(EvaluateCli, MissingFile) {
  expect_error(evaluate(std::string(kConv3) + " --mapping " + path("nope.yaml")), {"nope.yaml", "cannot open"});
  expect_error(evaluate("--arch eyeriss --layer " + path("nolayer.yaml") + " --mapping 'C|K'"),
               {"nolayer.yaml", "cannot open"});
  expect_error(evaluate("--arch " + path("noarch.yaml") + " --layer alexnet/conv3 --mapping 'C|K'"), {"noarch.yaml"});
}

TEST_F(EvaluateCli, UnknownPresetAndZooNames) {
  expect_error(evaluate("--arch eyeris --layer alexnet/conv3 --mapping 'C|K'"), {"eyeris", "eyeriss-64b"});
  expect_error(evaluate("--arch eyeriss --layer alexnet/conv33 --mapping 'C|K'"), {"conv33", "conv3, conv4"});
  expect_error(evaluate("--arch eyeriss --layer alexnett/conv3 --mapping 'C|K'"), {"alexnett", "lenet5"});
}

TEST_F(EvaluateCli, UnknownDataflow) {
  expect_error(evaluate(std::string(kConv3) + " --mapping 'C|Z'"), {"--mapping", "C|Z", "'Z'", "WS, OS, RS, NLR"});
  expect_error(evaluate(std::string(kConv3) + " --mapping XS"), {"--mapping", "XS"});
}

TEST_F(EvaluateCli, BatchZero) {
  expect_error(evaluate("--batch 0"), {"--batch", ">= 1", "got '0'"});
  expect_error(evaluate(std::string(kConv3) + " --mapping 'C|K' --batch 0"), {"--batch"});
}

// The 64-bit limits end to end: a batch whose MACs pass 2^63 is an error naming the
// layer (it once gave wrong counts with exit 0); a bound above 2^31 is counted exactly
// (it once became a negative factor).
TEST_F(EvaluateCli, BatchPastSixtyFourBits) {
  expect_error(evaluate("--arch eyeriss --layer alexnet/conv3 --mapping 'C|K' --batch 4611686018427387904"),
               {"--batch 4611686018427387904", "layer 'conv3'", "its MACs exceed 2^63 - 1"});
}

TEST_F(EvaluateCli, BoundAboveTwoToTheThirtyOne) {
  const std::string l = write("big.yaml", "layer: {name: big, type: fc, N: 2147483649, C: 2, K: 2}\n");
  const std::string out = path("big.json");
  const CliRun r = evaluate("--arch eyeriss --layer " + l + " --mapping 'C|K' --json " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(slurp(out));
  // 2 x 2 MACs per image, 2^31 + 1 images; each of the 2 inputs per image is read from
  // DRAM once (the C|K blocking keeps all 4 weights on chip).
  EXPECT_EQ(j["layer"]["macs"].get<std::int64_t>(), 8'589'934'596);
  EXPECT_EQ(j["accesses"]["DRAM"]["inputs"]["reads"].get<std::int64_t>(), 4'294'967'298);
}

// At most 16 storage levels; 17 is one clear line (it once overflowed the stack).
TEST_F(EvaluateCli, SeventeenLevels) {
  std::string levels = "    - {name: DRAM, kind: dram}\n";
  for (int i = 1; i < 17; ++i) levels += "    - {name: L" + std::to_string(i) + ", kind: sram, capacity: 64KB}\n";
  const std::string a = write("deep.yaml", "architecture:\n  name: deep\n  word_bits: 16\n  technology: interstellar-28nm\n"
                                           "  levels:\n" + levels + "  array: {rows: 4, cols: 4, below: L16}\n");
  expect_error(evaluate("--arch " + a + " --layer alexnet/conv3 --mapping 'C|K'"),
               {"deep.yaml", "field 'levels'", "17 levels; at most 16 are allowed"});
}

// The backward passes of a zoo layer: the same MACs as the forward pass, tensors named by
// their role in the pass, and counts that differ from the forward pass's.
TEST_F(EvaluateCli, BackwardPasses) {
  auto run = [&](const std::string& pass) {
    const std::string out = path(pass + ".json");
    const CliRun r = evaluate("--arch eyeriss --layer alexnet/conv2 --batch 4 --mapping 'C|K' --pass " + pass +
                              " --json " + out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(slurp(out));
  };
  const auto fwd = run("forward"), dgrad = run("dgrad"), wgrad = run("wgrad");
  // AlexNet conv2 at N = 4: 4 x 2 groups x 128 x 48 x 27 x 27 x 5 x 5 = 895,795,200 MACs.
  for (const auto* j : {&fwd, &dgrad, &wgrad}) EXPECT_EQ((*j)["layer"]["macs"].get<std::int64_t>(), 895'795'200);
  EXPECT_EQ(fwd["layer"]["pass"], "forward");
  EXPECT_EQ(dgrad["layer"]["pass"], "dgrad");
  const auto& dram_d = dgrad["accesses"]["DRAM"];
  EXPECT_TRUE(dram_d.contains("output_grad") && dram_d.contains("weights") && dram_d.contains("input_grad")) << dram_d;
  const auto& dram_w = wgrad["accesses"]["DRAM"];
  EXPECT_TRUE(dram_w.contains("inputs") && dram_w.contains("output_grad") && dram_w.contains("weight_grad")) << dram_w;
  // Only dO is read whole from DRAM once in both: 4 x 2 x 128 x 27 x 27 = 746,496 words
  // under C|K's default blocking (it keeps every dO tile on chip across C).
  EXPECT_EQ(dram_d["output_grad"]["reads"].get<std::int64_t>(), 746'496);
  EXPECT_NE(dgrad["energy_pj"], fwd["energy_pj"]);
}

TEST_F(EvaluateCli, UnknownPass) {
  expect_error(evaluate(std::string(kConv3) + " --mapping 'C|K' --pass backward"),
               {"--pass", "unknown pass 'backward'", "forward, dgrad, wgrad"});
}

TEST_F(EvaluateCli, PartialArgumentsNeedAMapping) {
  expect_error(evaluate("--arch eyeriss"), {"--mapping", "dataflow"});
  expect_error(evaluate("--layer alexnet/conv3"), {"--mapping"});
}

TEST_F(EvaluateCli, BadArchYaml) {
  const std::string a = write("arch.yaml", "architecture: {name: x, levels: [}\n");
  expect_error(evaluate("--arch " + a + " --layer alexnet/conv3 --mapping 'C|K'"), {"arch.yaml"});
}

}  // namespace
}  // namespace dnnspace
