// End-to-end tests of `dnnspace generate`: the files written and their summary (against the
// library's generator on the same inputs), the JSON summary, and the refusals (an existing
// file, an unsupported mapping, bad widths), each one line with exit code 2.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

using testing::run_cli;
using testing::slurp;

const std::string kSource = DNNSPACE_SOURCE_DIR;
const std::string kInputs = "--arch " + kSource + "/examples/hardware/ck_systolic_4x4.yaml --layer " + kSource +
                            "/examples/hardware/conv_small.yaml --mapping " + kSource +
                            "/examples/hardware/conv_small_ck.yaml";

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "generate_cli" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir.parent_path());
  return dir;
}

TEST(GenerateCli, WritesTheDesignAndItsSummary) {
  const auto dir = scratch("ck");
  const std::string json = (dir.parent_path() / "ck.json").string();
  std::filesystem::remove(json);
  const auto r = run_cli("generate " + kInputs + " --out " + dir.string() + " --json " + json, "generate_cli");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("generated a C|K systolic accelerator"), std::string::npos) << r.out;
  // conv_small: K 8, C 6, P = Q = 4, R = S = 3, pad 1 (a 6x6 plane); C3 x K4 on the 4x4 array.
  EXPECT_NE(r.out.find("4x4 PEs (3x4 used), 36 folds x 16 steps"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("inputs 216, weights 432, outputs 128 words"), std::string::npos) << r.out;
  for (const char* f : {"dnnspace_pe.v", "dnnspace_bank.v", "dnnspace_systolic_array.v", "dnnspace_systolic_ctrl.v",
                        "dnnspace_systolic_accel.v", "dnnspace_accel_top.v", "dnnspace_tb.sv", "config.hex"}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(dir / f)) << f;
  }
  EXPECT_NE(slurp((dir / "dnnspace_accel_top.v").string()).find("module dnnspace_accel_top"), std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  EXPECT_EQ(j["family"], "C|K systolic");
  EXPECT_EQ(j["array"]["used_rows"], 3);
  EXPECT_EQ(j["bank_words"]["weights"], 432);
  EXPECT_EQ(j["operand_bits"], 8);
  EXPECT_EQ(j["files"].size(), 8U);

  // Never over existing files: the second run refuses before writing anything.
  const auto again = run_cli("generate " + kInputs + " --out " + dir.string(), "generate_cli");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("dnnspace_pe.v exists"), std::string::npos) << again.err;
  EXPECT_EQ(again.err.find('\n'), again.err.size() - 1) << again.err;
}

TEST(GenerateCli, WidthsAreOptions) {
  const auto dir = scratch("widths");
  const auto r = run_cli("generate " + kInputs + " --out " + dir.string() + " --operand-bits 4 --accumulator-bits 12",
                         "generate_cli");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4-bit signed operands, 12-bit accumulators"), std::string::npos) << r.out;
  const auto bad = run_cli("generate " + kInputs + " --out " + scratch("bad").string() + " --operand-bits 8 --accumulator-bits 16",
                           "generate_cli");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("accumulator bits 16 (supported: 2 x operand bits + 1 = 17 .. 64)"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(scratch("bad") / "dnnspace_pe.v"));
}

TEST(GenerateCli, RefusesAnUnsupportedMappingInOneLine) {
  // AlexNet conv3's C|K mapping on eyeriss: four levels, DRAM loops, weights and psums in the
  // register file: not the template.
  const auto dir = scratch("refused");
  const auto r = run_cli("generate --arch eyeriss --layer " + kSource + "/examples/layers/alexnet_conv3.yaml --mapping " +
                             kSource + "/examples/mappings/alexnet_conv3_ck.yaml --out " + dir.string(),
                         "generate_cli");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("hardware generator:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("supported: C|K systolic"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(GenerateCli, JsonNeverReplacesAnInput) {
  const auto r = run_cli("generate " + kInputs + " --out " + scratch("json").string() + " --json " + kSource +
                             "/examples/hardware/conv_small.yaml",
                         "generate_cli");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--json"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace dnnspace
