// End-to-end tests of `dnnspace optimize`: results agree with `evaluate` of the mapping
// they report, and bad options fail with one line and exit code 2.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

using testing::run_cli;

TEST(OptimizeCli, OneLayerJsonAgreesWithEvaluateOfItsMapping) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "optimize_cli";
  std::filesystem::create_directories(dir);
  const std::string json_path = (dir / "opt.json").string();
  const auto r = run_cli("optimize --network lenet5 --layer conv2 --batch 2 --dataflow \"K|P\" --min-util 0.5 --threads 1 --json " +
                             json_path, "optimize_cli");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("conv2"), std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(testing::slurp(json_path));
  EXPECT_EQ(j["network"], "lenet5");
  EXPECT_EQ(j["arch"], "eyeriss");
  ASSERT_EQ(j["layers"].size(), 1u);
  const auto& layer = j["layers"][0];
  EXPECT_EQ(layer["name"], "conv2");
  EXPECT_EQ(layer["dataflow"], "K|P");
  EXPECT_GE(layer["utilization"].get<double>(), 0.5);
  // LeNet-5 conv2 at batch 2: 2 x 16 x 6 x 10 x 10 x 5 x 5 = 480,000 MACs.
  EXPECT_EQ(layer["layer"]["macs"], 480000);
  EXPECT_EQ(j["total"]["macs"], 480000);
  EXPECT_DOUBLE_EQ(j["total"]["energy_pj"].get<double>(), layer["energy_pj"].get<double>());

  // The reported mapping, evaluated on its own, costs exactly what optimize reported.
  const std::string mapping_path = (dir / "best.yaml").string();
  std::ofstream(mapping_path) << layer["mapping_yaml"].get<std::string>();
  const std::string eval_json = (dir / "eval.json").string();
  const auto e = run_cli("evaluate --layer lenet5/conv2 --batch 2 --mapping " + mapping_path + " --json " + eval_json,
                         "optimize_cli_eval");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const nlohmann::json ej = nlohmann::json::parse(testing::slurp(eval_json));
  EXPECT_DOUBLE_EQ(ej["energy_pj"].get<double>(), layer["energy_pj"].get<double>());
  EXPECT_EQ(ej["cycles"], layer["cycles"]);
}

TEST(OptimizeCli, BadOptionsFailWithOneLine) {
  const char* cases[][2] = {
      {"optimize --network lenet5 --objective speed", "--objective 'speed': allowed: energy, cycles, edp"},
      {"optimize --network lenet5 --dataflow \"X|K\"", "--dataflow: dataflow 'X|K'"},
      {"optimize --network lenet5 --min-util 1.5", "--min-util"},
      {"optimize --network nosuchnet", "nosuchnet"},
      {"optimize --network lenet5 --layer conv9", "--layer 'conv9': network 'lenet5' has: conv1, conv2, fc3, fc4, fc5"},
      {"optimize --network lenet5 --batch 0", "--batch"},
      {"optimize --arch nosuch.yaml --network lenet5", "nosuch.yaml: cannot open file"},
  };
  for (const auto& c : cases) {
    const auto r = run_cli(c[0], "optimize_cli_bad");
    EXPECT_EQ(r.exit_code, 2) << c[0] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c[0] << ": " << r.err;
    EXPECT_NE(r.err.find(c[1]), std::string::npos) << c[0] << ": " << r.err;
  }
}

}  // namespace
}  // namespace dnnspace
