// End-to-end tests of `dnnspace dataflows`: the ranked list, its best entry against
// `optimize` (an independent run of the free search), replication, and bad options.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

using testing::run_cli;
using testing::slurp;

// eyeriss with a 4 x 4 array, and small layers, so that every search takes milliseconds.
constexpr const char* kSmallArch = R"(architecture:
  name: small
  technology: interstellar-28nm
  levels:
    - {name: DRAM, kind: dram}
    - {name: GlobalBuffer, kind: sram, capacity: 128KB, double_buffered: true}
    - {name: RegFile, kind: regfile, capacity: 512B}
  array: {rows: 4, cols: 4, below: GlobalBuffer}
)";
constexpr const char* kSmallConv = "layer: {name: small, type: conv, N: 1, K: 8, C: 4, P: 4, Q: 4, R: 3, S: 3}\n";
constexpr const char* kSmallConvNet =
    "network:\n  name: one\n  layers:\n    - {name: small, type: conv, K: 8, C: 4, P: 4, Q: 4, R: 3, S: 3}\n";
// Three dimensions (K C P): 9 dataflows with up to two loops per axis.
constexpr const char* kThreeDims = "layer: {name: three, type: conv, N: 1, K: 4, C: 4, P: 4, Q: 1, R: 1, S: 1}\n";

std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::path(dir) / name).string();
  std::ofstream(path) << text;
  return path;
}

std::string scratch() {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "dataflows_cli";
  std::filesystem::create_directories(dir);
  return dir.string();
}

TEST(DataflowsCli, RankedListAndItsBestEqualsOptimize) {
  const std::string dir = scratch();
  const std::string arch = write(dir, "small.yaml", kSmallArch);
  const std::string layer = write(dir, "layer.yaml", kSmallConv);
  const std::string json = dir + "/dataflows.json";
  const auto r = run_cli("dataflows --arch " + arch + " --layer " + layer + " --min-util 0.5 --threads 1 --json " + json,
                         "dataflows_cli");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("15 of 15 dataflows searched"), std::string::npos) << r.out;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(j["dataflows"].size(), 15u);  // C(6, 2): N = G = 1
  EXPECT_EQ(j["dataflows_total"], 15);
  double previous = 0;
  std::int64_t found = 0;
  for (const auto& d : j["dataflows"]) {
    if (!d["found"].get<bool>()) continue;
    ++found;
    EXPECT_GE(d["energy_pj"].get<double>(), previous) << d["dataflow"];  // sorted by energy
    previous = d["energy_pj"].get<double>();
    EXPECT_GE(d["utilization"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ(d["relative_energy"].get<double>(),
                     d["energy_pj"].get<double>() / j["dataflows"][0]["energy_pj"].get<double>());
    EXPECT_FALSE(d["mapping"].get<std::string>().empty());
  }
  ASSERT_GT(found, 1);
  std::int64_t binned = 0;
  for (const auto& b : j["distribution"]) binned += b["count"].get<std::int64_t>();
  EXPECT_EQ(binned, found);

  const std::string net = write(dir, "net.yaml", kSmallConvNet);
  const std::string opt_json = dir + "/optimize.json";
  const auto o = run_cli("optimize --arch " + arch + " --network " + net + " --min-util 0.5 --threads 1 --json " + opt_json,
                         "dataflows_cli_optimize");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const nlohmann::json oj = nlohmann::json::parse(slurp(opt_json));
  EXPECT_DOUBLE_EQ(oj["layers"][0]["energy_pj"].get<double>(), j["dataflows"][0]["energy_pj"].get<double>());
}

TEST(DataflowsCli, ReplicationListsMultiLoopDataflows) {
  const std::string dir = scratch();
  const std::string arch = write(dir, "small.yaml", kSmallArch);
  const std::string layer = write(dir, "three.yaml", kThreeDims);
  const std::string json = dir + "/replication.json";
  const auto r = run_cli("dataflows --arch " + arch + " --layer " + layer +
                             " --replication 2 --min-util 0.25 --threads 1 --json " + json,
                         "dataflows_cli_replication");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  // K|C K|P C|P, KC|P KP|C CP|K and the reversed inner orders CK|P PK|C PC|K: 9.
  EXPECT_EQ(j["dataflows"].size(), 9u);
  EXPECT_EQ(j["loops_per_axis"], 2);
  bool multi = false;
  for (const auto& d : j["dataflows"]) {
    const std::string name = d["dataflow"];
    if (name.size() > 3 && d["found"].get<bool>()) multi = true;
  }
  EXPECT_TRUE(multi) << r.out;
}

TEST(DataflowsCli, BadOptionsFailWithOneLine) {
  const char* cases[][2] = {
      {"dataflows --layer lenet5/conv2 --replication 4", "--replication 4: allowed: 2 or 3"},
      {"dataflows --layer lenet5/conv2 --replication 1", "--replication 1: allowed: 2 or 3"},
      {"dataflows --layer lenet5/conv2 --objective speed", "--objective 'speed': allowed: energy, cycles, edp"},
      {"dataflows --layer lenet5/conv9", "conv9"},
      {"dataflows --layer lenet5/conv2 --min-util 2", "--min-util"},
      {"dataflows --layer lenet5/conv2 --batch 0", "--batch"},
      {"dataflows --arch nosuch.yaml --layer lenet5/conv2", "nosuch.yaml: cannot open file"},
  };
  for (const auto& c : cases) {
    const auto r = run_cli(c[0], "dataflows_cli_bad");
    EXPECT_EQ(r.exit_code, 2) << c[0] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c[0] << ": " << r.err;
    EXPECT_NE(r.err.find(c[1]), std::string::npos) << c[0] << ": " << r.err;
  }
}

}  // namespace
}  // namespace dnnspace
