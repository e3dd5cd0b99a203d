// `dnnspace minerva --quick` end to end (docs/minerva.md): every stage's files, power that
// falls stage by stage, every error within the ITN bound the run reports, a resume that
// reproduces the run without training, and bad invocations refused before any work.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json(const fs::path& p) { return json::parse(testing::slurp(p.string())); }

std::size_t csv_rows(const fs::path& p) {
  std::istringstream in(testing::slurp(p.string()));
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) n += line.empty() ? 0 : 1;
  return n - 1;  // the header
}

TEST(MinervaCli, QuickRunWritesEveryStageWithinTheBoundAndResumes) {
  const fs::path dir = fs::path(::testing::TempDir()) / "minerva_quick";
  fs::remove_all(dir);
  const auto r = testing::run_cli("minerva --quick --threads 2 --out " + dir.string(), "minerva_quick");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string stem : {"stage1", "stage2", "stage3", "stage4", "stage5", "final"}) {
    for (const std::string ext : {".json", ".csv", ".png"}) {
      EXPECT_TRUE(fs::is_regular_file(dir / (stem + ext))) << stem + ext;
    }
  }
  const json s1 = read_json(dir / "stage1.json");
  const double bound = s1.at("bound").get<double>();
  // Stage 1: the quick space's 4 networks, the ITN over 3 seeds, and the bound it reports:
  // the chosen network's error plus the seeds' standard deviation.
  ASSERT_EQ(s1.at("points").size(), 4u);
  EXPECT_EQ(csv_rows(dir / "stage1.csv"), 4u);
  EXPECT_EQ(s1.at("itn").at("runs"), 3);
  const auto& errors = s1.at("itn").at("errors");
  double mean = 0.0;
  for (const auto& e : errors) mean += e.get<double>() / 3.0;
  double var = 0.0;
  for (const auto& e : errors) var += (e.get<double>() - mean) * (e.get<double>() - mean) / 2.0;
  EXPECT_NEAR(bound, s1.at("test_error").get<double>() + std::sqrt(var), 1e-12);
  EXPECT_DOUBLE_EQ(errors[0].get<double>(), s1.at("test_error").get<double>());  // seed 1 is the chosen network
  // The chosen network is on the frontier and has its lowest error.
  const std::size_t chosen = s1.at("chosen").get<std::size_t>();
  bool on_front = false;
  for (const auto& i : s1.at("front")) on_front = on_front || i.get<std::size_t>() == chosen;
  EXPECT_TRUE(on_front);
  for (const auto& p : s1.at("points")) EXPECT_GE(p.at("test_error").get<double>() + 1e-15, s1.at("test_error").get<double>());

  // Stages 2-5: power never rises, every error within the bound, the files agree.
  const json s2 = read_json(dir / "stage2.json");
  EXPECT_EQ(csv_rows(dir / "stage2.csv"), s2.at("points").size());
  EXPECT_EQ(s2.at("points").size(), 3u * 2 * 2);
  double previous = s2.at("power_mw").get<double>();
  EXPECT_GT(previous, 0.0);
  for (int k = 3; k <= 5; ++k) {
    const json s = read_json(dir / ("stage" + std::to_string(k) + ".json"));
    EXPECT_LE(s.at("power_mw").get<double>(), previous + 1e-12) << "stage " << k;
    EXPECT_LE(s.at("test_error").get<double>(), bound) << "stage " << k;
    previous = s.at("power_mw").get<double>();
  }
  const json s3 = read_json(dir / "stage3.json");
  EXPECT_EQ(csv_rows(dir / "stage3.csv"), 4u);  // 3 hidden layers and the output layer
  EXPECT_LT(s3.at("design").at("weight_bits").get<int>(), 16);  // fewer bits than Q6.10
  const json s4 = read_json(dir / "stage4.json");
  EXPECT_EQ(csv_rows(dir / "stage4.csv"), 4u);
  // Threshold 0 already prunes the zero activations (the image's zero pixels, ReLU's zeros).
  EXPECT_GT(s4.at("sweep")[0].at("pruned_fraction").get<double>(), 0.0);
  const json s5 = read_json(dir / "stage5.json");
  EXPECT_EQ(csv_rows(dir / "stage5.csv"), 3u * 3);  // 3 rates x 3 mitigations
  // Bit masking tolerates at least what word masking does, which tolerates at least no mask.
  const auto& t = s5.at("tolerated_fault_rate");
  EXPECT_GE(t.at("bit").get<double>(), t.at("word").get<double>());
  EXPECT_GE(t.at("word").get<double>(), t.at("none").get<double>());
  const json fin = read_json(dir / "final.json");
  ASSERT_EQ(fin.at("stages").size(), 4u);
  EXPECT_NEAR(fin.at("total_factor").get<double>(), s2.at("power_mw").get<double>() / s5.at("power_mw").get<double>(), 1e-9);
  EXPECT_NE(r.out.find("001 MNIST"), std::string::npos);

  // Run again: every stage comes from the checkpoint, the files are the same.
  const std::string before = testing::slurp((dir / "stage5.json").string()) + testing::slurp((dir / "final.json").string());
  const auto again = testing::run_cli("minerva --quick --threads 1 --out " + dir.string(), "minerva_quick_again");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("resumed from"), std::string::npos);
  EXPECT_EQ(testing::slurp((dir / "stage5.json").string()) + testing::slurp((dir / "final.json").string()), before);

  // Another latency bound for the finished stage 2 is refused, naming both.
  const auto latency = testing::run_cli("minerva --quick --latency-us 50 --out " + dir.string(), "minerva_quick_latency");
  EXPECT_EQ(latency.exit_code, 2);
  EXPECT_NE(latency.err.find("chose its baseline by the knee, this run asks for --latency-us 50"), std::string::npos)
      << latency.err;
  // Other settings on the same directory are refused, naming the setting.
  const auto other = testing::run_cli("minerva --quick --budget 3 --out " + dir.string(), "minerva_quick_other");
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("'budget' was 4, now 3"), std::string::npos) << other.err;
}

TEST(MinervaCli, BadInvocationsFailBeforeAnyWork) {
  const fs::path dir = fs::path(::testing::TempDir()) / "minerva_bad";
  fs::remove_all(dir);
  const auto later = testing::run_cli("minerva --quick --stages 2-3 --out " + dir.string(), "minerva_bad_stages");
  EXPECT_EQ(later.exit_code, 2);
  EXPECT_NE(later.err.find("stage 3 needs stage 1's results"), std::string::npos) << later.err;
  EXPECT_FALSE(fs::exists(dir));
  const auto range = testing::run_cli("minerva --stages 0-6 --out " + dir.string(), "minerva_bad_range");
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_NE(range.err.find("give stages 1 to 5"), std::string::npos) << range.err;
  const fs::path file = fs::path(::testing::TempDir()) / "minerva_not_a_dir";
  std::ofstream(file) << "mine\n";
  const auto onto_file = testing::run_cli("minerva --quick --out " + file.string(), "minerva_bad_out");
  EXPECT_EQ(onto_file.exit_code, 2);
  EXPECT_NE(onto_file.err.find("is not a directory"), std::string::npos) << onto_file.err;
  EXPECT_EQ(testing::slurp(file.string()), "mine\n");  // never written over
  // Someone's directory with a file of the names the run writes is not written into.
  const fs::path theirs = fs::path(::testing::TempDir()) / "minerva_theirs";
  fs::remove_all(theirs);
  fs::create_directories(theirs);
  std::ofstream(theirs / "stage1.json") << "{}\n";
  const auto into_theirs = testing::run_cli("minerva --quick --out " + theirs.string(), "minerva_bad_theirs");
  EXPECT_EQ(into_theirs.exit_code, 2);
  EXPECT_NE(into_theirs.err.find("holds stage1.json but no checkpoint.jsonl"), std::string::npos) << into_theirs.err;
  EXPECT_EQ(testing::slurp((theirs / "stage1.json").string()), "{}\n");
  // A latency no design meets stops the run after stage 1; another bound goes on from there.
  const fs::path slow = fs::path(::testing::TempDir()) / "minerva_latency";
  fs::remove_all(slow);
  const auto too_fast = testing::run_cli("minerva --quick --stages 1-2 --latency-us 0.001 --out " + slow.string(), "minerva_too_fast");
  EXPECT_EQ(too_fast.exit_code, 2);
  EXPECT_NE(too_fast.err.find("no design point runs an inference within"), std::string::npos) << too_fast.err;
  const auto relaxed = testing::run_cli("minerva --quick --stages 1-2 --latency-us 1000 --out " + slow.string(), "minerva_relaxed");
  EXPECT_EQ(relaxed.exit_code, 0) << relaxed.err;
  EXPECT_NE(relaxed.out.find("resumed from"), std::string::npos);  // stage 1 was kept
  EXPECT_NE(relaxed.out.find("lowest power within 1000 us"), std::string::npos);
  const auto missing = testing::run_cli("minerva --quick --dataset /nonexistent/dir --out " + dir.string(), "minerva_bad_data");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/dir"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace dnnspace
