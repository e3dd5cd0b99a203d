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

// --schedule instead of --mapping: on the same architecture the same design, byte for byte;
// without --arch the architecture the schedule implies (a 3x4 array, its unrolled loops).
TEST(GenerateCli, ASchedulesDesignIsItsMappingsDesign) {
  const std::string layer = " --layer " + kSource + "/examples/hardware/conv_small.yaml";
  const std::string arch = " --arch " + kSource + "/examples/hardware/ck_systolic_4x4.yaml";
  const std::string sched = " --schedule " + kSource + "/examples/hardware/conv_small_ck.sched";
  const auto from_mapping = scratch("from_mapping"), from_schedule = scratch("from_schedule");
  ASSERT_EQ(run_cli("generate " + kInputs + " --out " + from_mapping.string(), "generate_cli").exit_code, 0);
  const auto r = run_cli("generate" + arch + layer + sched + " --out " + from_schedule.string(), "generate_cli");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int files = 0;
  for (const auto& f : std::filesystem::directory_iterator(from_mapping)) {
    EXPECT_EQ(slurp((from_schedule / f.path().filename()).string()), slurp(f.path().string())) << f.path().filename();
    ++files;
  }
  EXPECT_EQ(files, 8);

  const auto implied = run_cli("generate" + layer + sched + " --out " + scratch("implied").string(), "generate_cli");
  ASSERT_EQ(implied.exit_code, 0) << implied.err;
  EXPECT_NE(implied.out.find("on the architecture the schedule implies"), std::string::npos) << implied.out;
  EXPECT_NE(implied.out.find("3x4 PEs (3x4 used), 36 folds x 16 steps"), std::string::npos) << implied.out;
  const auto rp = run_cli("generate" + layer + " --schedule " + kSource + "/examples/hardware/conv_small_rp.sched --out " +
                              scratch("rp").string(),
                          "generate_cli");
  ASSERT_EQ(rp.exit_code, 0) << rp.err;
  EXPECT_NE(rp.out.find("generated an R|P systolic accelerator"), std::string::npos) << rp.out;
  const auto tree = run_cli("generate" + layer + " --schedule " + kSource + "/examples/hardware/conv_small_tree.sched --out " +
                                scratch("tree").string(),
                            "generate_cli");
  ASSERT_EQ(tree.exit_code, 0) << tree.err;
  // C6 on six lanes; K8 x P4 x Q4 x R3 x S3 steps.
  EXPECT_NE(tree.out.find("1x6 PEs (1x6 used), 1 fold x 1152 steps"), std::string::npos) << tree.out;

  const auto both = run_cli("generate " + kInputs + sched + " --out " + scratch("both").string(), "generate_cli");
  EXPECT_NE(both.exit_code, 0);
  EXPECT_NE(both.err.find("excludes"), std::string::npos) << both.err;
  const auto no_arch = run_cli("generate" + layer + " --mapping " + kSource + "/examples/hardware/conv_small_ck.yaml --out " +
                                   scratch("no_arch").string(),
                               "generate_cli");
  EXPECT_EQ(no_arch.exit_code, 2);
  EXPECT_NE(no_arch.err.find("--mapping needs --arch"), std::string::npos) << no_arch.err;
}

}  // namespace
}  // namespace dnnspace
