// End-to-end tests of `dnnspace zoo list` and `dnnspace zoo show`: run the built command.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/cli_run.hpp"

namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using dnnspace::testing::CliRun;
using dnnspace::testing::slurp;

CliRun run(const std::string& args) { return dnnspace::testing::run_cli(args, "zoo_cli_test"); }

void expect_one_line_error(const CliRun& r) {
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, StartsWith("dnnspace: error: "));
}

TEST(ZooList, OneLinePerNetworkWithTotals) {
  const CliRun r = run("zoo list");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty());
  // A header plus the 24 networks of zoo_names().
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 25) << r.out;
  EXPECT_THAT(r.out, StartsWith("network"));
  // LeNet-5 by hand (docs/zoo.md): MACs conv1 6*1*28*28*5*5 = 117,600, conv2
  // 16*6*10*10*5*5 = 240,000, fc 400*120 + 120*84 + 84*10 = 48,000 + 10,080 + 840;
  // total 416,520. Weights 150 + 2,400 + 48,000 + 10,080 + 840 = 61,470.
  std::istringstream lines(r.out);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    if (line.rfind("lenet5 ", 0) != 0) continue;
    found = true;
    std::istringstream fields(line);
    std::string name, layers, macs, weights;
    fields >> name >> layers >> macs >> weights;
    EXPECT_EQ(layers, "5");
    EXPECT_EQ(macs, "416,520");
    EXPECT_EQ(weights, "61,470");
    EXPECT_THAT(line, HasSubstr("LeNet-5"));
  }
  EXPECT_TRUE(found) << r.out;
  EXPECT_THAT(r.out, HasSubstr("\nalexnet "));
  EXPECT_THAT(r.out, HasSubstr("\nmlp-784-256-256-256-10 "));
}

TEST(ZooShow, TableWithPerGroupNote) {
  const CliRun r = run("zoo show alexnet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("network alexnet\n"));
  EXPECT_THAT(r.out, HasSubstr("K and C are per group"));
  // conv2 of the two-group AlexNet: G=2, K=128 and C=48 per group; MACs at N=1:
  // 2*128*48*27*27*5*5 = 223,948,800; weights 2*128*48*5*5 = 307,200.
  std::istringstream lines(r.out);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    if (line.rfind("conv2 ", 0) != 0) continue;
    found = true;
    std::istringstream fields(line);
    std::string name, type, n, k, c, p, q, rr, s, stride, pad, g, macs, weights;
    fields >> name >> type >> n >> k >> c >> p >> q >> rr >> s >> stride >> pad >> g >> macs >> weights;
    EXPECT_EQ(type, "conv");
    EXPECT_EQ(n + " " + k + " " + c + " " + p + " " + q + " " + rr + " " + s, "1 128 48 27 27 5 5");
    EXPECT_EQ(stride, "1");
    EXPECT_EQ(pad, "2");
    EXPECT_EQ(g, "2");
    EXPECT_EQ(macs, "223,948,800");
    EXPECT_EQ(weights, "307,200");
  }
  EXPECT_TRUE(found) << r.out;
  EXPECT_THAT(r.out, HasSubstr("total (8 layers)"));
}

TEST(ZooShow, JsonWithBatch) {
  const CliRun r = run("zoo show lenet5 --batch 2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["network"], "lenet5");
  EXPECT_EQ(j["batch"], 2);
  ASSERT_EQ(j["layers"].size(), 5u);
  const auto& conv1 = j["layers"][0];
  EXPECT_EQ(conv1["name"], "conv1");
  EXPECT_EQ(conv1["type"], "conv");
  for (const char* key : {"N", "K", "C", "P", "Q", "R", "S", "G", "stride", "pad", "macs", "weights"}) {
    EXPECT_TRUE(conv1.contains(key)) << key;
  }
  EXPECT_EQ(conv1["N"], 2);
  EXPECT_EQ(conv1["K"], 6);
  EXPECT_EQ(conv1["macs"], 235200);  // 2 x 117,600
  EXPECT_EQ(conv1["weights"], 150);  // 6*1*5*5, independent of the batch
  EXPECT_EQ(j["total"]["macs"], 833040);   // 2 x 416,520
  EXPECT_EQ(j["total"]["weights"], 61470);
}

TEST(ZooShow, NetworkYamlFile) {
  const CliRun r = run(std::string("zoo show ") + DNNSPACE_SOURCE_DIR + "/examples/networks/tiny_cnn.yaml --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["network"], "tiny_cnn");
  // conv1: 16*3*32*32*3*3 = 442,368 MACs at N = 1 (the file's default).
  EXPECT_EQ(j["layers"][0]["macs"], 442368);
  EXPECT_EQ(j["batch"], 1);
}

TEST(ZooShow, UnknownNetworkListsTheNetworks) {
  const CliRun r = run("zoo show alexnett");
  expect_one_line_error(r);
  EXPECT_THAT(r.err, HasSubstr("alexnett"));
  EXPECT_THAT(r.err, HasSubstr("lenet5, alexnet"));
}

TEST(ZooShow, BatchZeroIsAnError) {
  const CliRun r = run("zoo show alexnet --batch 0");
  expect_one_line_error(r);
  EXPECT_THAT(r.err, HasSubstr("--batch"));
}

// Totals are exact up to 2^63 - 1: LeNet-5's 416,520 MACs per image x 2^40 =
// 457,968,583,201,259,520. At 2^62 the first layer's MACs overflow: an error, never 0.
TEST(ZooShow, HugeBatchesAreExactOrAnError) {
  const CliRun r = run("zoo show lenet5 --batch 1099511627776 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["total"]["macs"].get<std::int64_t>(), 457'968'583'201'259'520);
  const CliRun bad = run("zoo show lenet5 --batch 4611686018427387904");
  expect_one_line_error(bad);
  EXPECT_THAT(bad.err, HasSubstr("layer 'conv1': its MACs exceed 2^63 - 1"));
}

TEST(Zoo, MissingSubcommandIsAUsageError) {
  const CliRun r = run("zoo");
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
