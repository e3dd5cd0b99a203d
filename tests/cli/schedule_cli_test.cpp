// End-to-end tests of schedules on the command line: evaluate --schedule / --print-schedule
// and optimize --schedule / --print-schedule, against the same mappings given as YAML.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kSource = DNNSPACE_SOURCE_DIR;

class ScheduleCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / "schedule_cli_test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  testing::CliRun run(const std::string& args, const std::string& tag) {
    return testing::run_cli(args, "schedule_cli_test/" + tag);
  }
  // The JSON report without its "sources" (which name the inputs).
  static nlohmann::json costs(const std::string& file) {
    nlohmann::json j = nlohmann::json::parse(testing::slurp(file));
    j.erase("sources");
    j.erase("schedule");
    return j;
  }
  fs::path dir_;
};

TEST_F(ScheduleCli, ExampleScheduleEqualsExampleMapping) {
  const std::string common = "evaluate --arch eyeriss --layer alexnet/conv3 --batch 16 ";
  const auto m = run(common + "--mapping " + kSource + "/examples/mappings/alexnet_conv3_ck.yaml --json " + path("m.json"), "m");
  ASSERT_EQ(m.exit_code, 0) << m.err;
  const auto s = run(common + "--schedule " + kSource + "/examples/schedules/alexnet_conv3_ck.sched --json " + path("s.json"), "s");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_THAT(s.out, HasSubstr("with schedule " + kSource + "/examples/schedules/alexnet_conv3_ck.sched"));
  EXPECT_THAT(s.out, HasSubstr("dataflow  C|K"));
  EXPECT_EQ(costs(path("s.json")), costs(path("m.json")));
}

TEST_F(ScheduleCli, PrintedScheduleEvaluatesToTheSameCosts) {
  // The default mapping of evaluate, printed as a schedule, read back.
  const auto a = run("evaluate --print-schedule --json " + path("a.json"), "a");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  // The hint names every flag that gives the same layer and architecture back (the
  // defaults included: alexnet/conv3 at batch 16 on eyeriss).
  const std::string marker = "schedule (read back with --schedule FILE";
  const auto at = a.out.find(marker);
  ASSERT_NE(at, std::string::npos) << a.out;
  const auto end = a.out.find("):\n", at);
  ASSERT_NE(end, std::string::npos) << a.out;
  const std::string flags = a.out.substr(at + marker.size(), end - at - marker.size());
  EXPECT_EQ(flags, " --layer alexnet/conv3 --batch 16 --arch eyeriss");
  const std::string text = a.out.substr(end + 3);
  EXPECT_EQ(nlohmann::json::parse(testing::slurp(path("a.json")))["schedule"], text);
  std::ofstream(path("printed.sched")) << text;
  const auto b = run("evaluate --schedule " + path("printed.sched") + flags + " --json " + path("b.json"), "b");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(costs(path("b.json")), costs(path("a.json")));
}

TEST_F(ScheduleCli, Fig2bExampleGivesFig2cBuffers) {
  const auto r = run("evaluate --arch " + kSource + "/examples/arch/one-buffer.yaml --layer " + kSource +
                         "/examples/layers/fig2_conv.yaml --schedule " + kSource + "/examples/schedules/fig2b.sched",
                     "fig2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("[Buffer] tile: inputs 3072, weights 75, outputs 784 words"));
  EXPECT_THAT(r.out, HasSubstr("for K in 0..64\n  for P in 0..4\n    for Q in 0..4\n"));
}

TEST_F(ScheduleCli, WithoutArchTheScheduleImpliesOne) {
  const auto r = run("evaluate --layer " + kSource + "/examples/layers/fig2_conv.yaml --schedule " + kSource +
                         "/examples/schedules/fig2b.sched --json " + path("i.json"),
                     "implied");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("on the architecture the schedule implies"));
  EXPECT_THAT(r.out, HasSubstr("[L1] tile: inputs 3072, weights 75, outputs 784 words"));
  const nlohmann::json j = nlohmann::json::parse(testing::slurp(path("i.json")));
  EXPECT_EQ(j["feasible"], true);
}

TEST_F(ScheduleCli, OptimizeKeepsTheScheduledAcceleratorAndPrintsItsBestMapping) {
  // Weights bypass the register file; C|K systolic. The mapper chooses the factors.
  std::ofstream(path("ck.sched")) << "output.unroll(c, rows).unroll(k, cols).systolic()\n"
                                     "output.accelerate({inputs, weights})\n"
                                     "inputs.in(GlobalBuffer).compute_root()\n"
                                     "weights.in(GlobalBuffer).compute_root()\n"
                                     "outputs.in(GlobalBuffer).compute_root()\n"
                                     "inputs.in(RegFile).compute_at(output, c)\n"
                                     "outputs.in(RegFile).compute_at(output, c)\n";
  // The schedule unrolls all of C and K: legal on a layer small enough for the array.
  std::ofstream(path("layer.yaml")) << "layer: {name: small, type: conv, N: 2, K: 16, C: 8, P: 6, Q: 6, R: 3, S: 3}\n";
  const auto r = run("optimize --arch eyeriss --network " + path("layer.yaml") + " --schedule " + path("ck.sched") +
                         " --print-schedule --json " + path("o.json"),
                     "optimize");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("C|K"));
  const nlohmann::json o = nlohmann::json::parse(testing::slurp(path("o.json")));
  // The printed best mapping, evaluated, costs what optimize reported.
  const std::string start = "    # small on eyeriss\n";
  const auto at = r.out.find(start);
  ASSERT_NE(at, std::string::npos) << r.out;
  std::string text;
  for (std::size_t line = at; line < r.out.size() && r.out.compare(line, 4, "    ") == 0;) {
    const std::size_t end = r.out.find('\n', line);
    text += r.out.substr(line + 4, end - line - 3);
    line = end + 1;
  }
  EXPECT_THAT(text, HasSubstr("output.systolic()"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("weights.in(RegFile)")));
  std::ofstream(path("best.sched")) << text;
  const auto e = run("evaluate --arch eyeriss --layer " + path("layer.yaml") + " --schedule " + path("best.sched") +
                         " --json " + path("e.json"),
                     "evaluate");
  ASSERT_EQ(e.exit_code, 0) << e.err << text;
  const nlohmann::json ej = nlohmann::json::parse(testing::slurp(path("e.json")));
  ASSERT_TRUE(ej["energy_pj"].is_number() && ej["cycles"].is_number()) << ej.dump();
  EXPECT_EQ(ej["energy_pj"], o["layers"][0]["energy_pj"]);
  EXPECT_EQ(ej["cycles"], o["layers"][0]["cycles"]);
}

}  // namespace
}  // namespace dnnspace
