// SCALE-Sim's files through `dnnspace evaluate|optimize --scalesim-config --scalesim-topology`:
// its own example runs reproduced cycle for cycle (docs/scalesim.md).
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
using dnnspace::testing::CliRun;
using dnnspace::testing::run_cli;

const std::string kSource = DNNSPACE_SOURCE_DIR;
const std::string kConfig = kSource + "/examples/scalesim/scale.cfg";
const std::string kGemm = kSource + "/examples/scalesim/gemm.csv";
const std::string kAlexnet = kSource + "/examples/scalesim/alexnet.csv";

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / "scalesim_cli_test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The example configuration with another dataflow.
std::string config_with(const fs::path& dir, const std::string& dataflow) {
  std::ifstream in(kConfig);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string from = "Dataflow : os";
  text.replace(text.find(from), from.size(), "Dataflow : " + dataflow);
  const fs::path p = dir / ("scale_" + dataflow + ".cfg");
  std::ofstream(p) << text;
  return p.string();
}

nlohmann::json evaluate_json(const fs::path& dir, const std::string& config, const std::string& topology) {
  const std::string json = (dir / "out.json").string();
  const CliRun r = run_cli("evaluate --scalesim-config '" + config + "' --scalesim-topology '" + topology +
                               "' --json '" + json + "'",
                           "scalesim_cli_test/" + dir.filename().string() + "/run");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(json);
  return nlohmann::json::parse(in);
}

// SCALE-Sim v2's own regression runs of an M = 256, N = 128, K = 256 GEMM on its 32x32
// array (its test/general/golden_trace_user_{os,ws,is}/COMPUTE_REPORT.csv) report Total
// Cycles 52447, 52447 and 19984 with Stall Cycles 42272, 41248 and 5777 (its USER bandwidth
// stalls): without stalls, 10175, 11199 and 14207. By hand: os 8 x 4 folds of 256 + 32 + 32
// - 2 = 318 cycles = 10176; ws 8 x 4 folds of 2 x 32 + 32 + 256 - 2 = 350 = 11200; is 8 x 8
// folds of 2 x 32 + 32 + 128 - 2 = 222 = 14208; SCALE-Sim reports the last cycle's index.
TEST(ScaleSimCli, ReproducesScaleSimsGemmRunsInEveryDataflow) {
  const fs::path dir = scratch("gemm");
  const struct {
    const char* dataflow;
    std::int64_t reported;
  } cases[] = {{"os", 52447 - 42272}, {"ws", 52447 - 41248}, {"is", 19984 - 5777}};
  for (const auto& c : cases) {
    const nlohmann::json j = evaluate_json(dir, config_with(dir, c.dataflow), kGemm);
    ASSERT_EQ(j["layers"].size(), 1u) << c.dataflow;
    EXPECT_EQ(j["layers"][0]["scalesim_total_cycles"], c.reported) << c.dataflow;
    EXPECT_EQ(j["layers"][0]["cycles"], c.reported + 1) << c.dataflow;
    EXPECT_EQ(j["total"]["cycles"], c.reported + 1) << c.dataflow;
    EXPECT_EQ(j["layers"][0]["compute_cycles"], 256 * 128 * 256 / 1024) << c.dataflow;  // every PE busy
    EXPECT_EQ(j["dataflow"], c.dataflow);
  }
}

// SCALE-Sim v2's first regression run: AlexNet's first layer (224 x 224, 11 x 11 x 3, 96
// filters, stride 4) weight stationary on 32x32 (its test/golden_trace/COMPUTE_REPORT.csv):
// 112283 cycles, no stall, overall utilization 91.68309650614964 %. By hand: ceil((224 - 11
// + 4) / 4) = 55 rows and columns of output, 3025 pixels streamed through each of ceil(363
// / 32) x ceil(96 / 32) = 36 folds of 2 x 32 + 32 + 3025 - 2 = 3119 cycles: 112284.
TEST(ScaleSimCli, ReproducesScaleSimsAlexnetConv1Run) {
  const fs::path dir = scratch("alexnet_conv1");
  const fs::path topology = dir / "alexnet_part.csv";
  std::ofstream(topology) << "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
                             "Strides,\nConv1,  224, 224,    11, 11,    3,      96,     4,\n";
  const nlohmann::json j = evaluate_json(dir, config_with(dir, "ws"), topology.string());
  ASSERT_EQ(j["layers"].size(), 1u);
  const nlohmann::json& l = j["layers"][0];
  EXPECT_EQ(l["scalesim_total_cycles"], 112283);
  EXPECT_EQ(l["folds"], 36);
  EXPECT_EQ(l["fill_drain_cycles"], 36 * (2 * 32 + 32 - 2));
  // SCALE-Sim's overall utilization, 91.68309650614964 %, is these MACs over its reported
  // cycles times 1024 PEs.
  EXPECT_EQ(l["layer"]["macs"], 3025 * 363 * 96);
}

// A fully connected layer at batch 1, weight stationary: one pixel streams through each
// fold, but every fold still loads its weights first (SCALE-Sim's 2R + C + T - 2, T = 1):
// ceil(4096 / 32) x ceil(1000 / 32) = 4096 folds of 64 + 32 + 1 - 2 = 95 cycles.
TEST(ScaleSimCli, AWeightStationaryFoldOfOnePixelStillLoadsItsWeights) {
  const fs::path dir = scratch("fc_batch1");
  const fs::path topology = dir / "fc.csv";
  std::ofstream(topology) << "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
                             "Strides,\nFC, 1, 1, 1, 1, 4096, 1000, 1,\n";
  const nlohmann::json j = evaluate_json(dir, config_with(dir, "ws"), topology.string());
  ASSERT_EQ(j["layers"].size(), 1u);
  EXPECT_EQ(j["layers"][0]["folds"], 4096);
  EXPECT_EQ(j["layers"][0]["cycles"], 4096 * 95);
}

// The whole example topology output stationary, by hand for Conv1 and Conv3: Conv1 has
// 3025 pixels (95 folds of 32 rows) x 96 filters (3 folds), a window of 363: 285 x (363 +
// 62) = 121125; Conv3 (13 x 13 x 256 -> 384 with 3 x 3 filters, no padding in SCALE-Sim's
// form) has 11 x 11 = 121 pixels (4 folds) x 384 filters (12 folds), a window of 2304: 48 x
// (2304 + 62) = 113568.
TEST(ScaleSimCli, EvaluatesEveryLayerOfATopology) {
  const fs::path dir = scratch("alexnet");
  const nlohmann::json j = evaluate_json(dir, kConfig, kAlexnet);
  ASSERT_EQ(j["layers"].size(), 5u);
  EXPECT_EQ(j["layers"][0]["name"], "Conv1");
  EXPECT_EQ(j["layers"][0]["cycles"], 121125);
  EXPECT_EQ(j["layers"][2]["cycles"], 113568);
  std::int64_t sum = 0;
  for (const auto& l : j["layers"]) sum += l["cycles"].get<std::int64_t>();
  EXPECT_EQ(j["total"]["cycles"], sum);
}

// optimize searches its own mappings on the same systolic architecture; the JSON carries
// layers[i].cycles and total.cycles, and minimizing cycles finds SCALE-Sim's os run's
// 10176 or better.
TEST(ScaleSimCli, OptimizeSearchesTheSystolicArchitecture) {
  const fs::path dir = scratch("optimize");
  const std::string json = (dir / "out.json").string();
  const CliRun r = run_cli("optimize --scalesim-config '" + kConfig + "' --scalesim-topology '" + kGemm +
                               "' --objective cycles --json '" + json + "'",
                           "scalesim_cli_test/optimize/run");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(json);
  const nlohmann::json j = nlohmann::json::parse(in);
  ASSERT_EQ(j["layers"].size(), 1u);
  EXPECT_EQ(j["layers"][0]["array_timing"], "systolic");
  EXPECT_LE(j["layers"][0]["cycles"].get<std::int64_t>(), 10176);
  EXPECT_GE(j["layers"][0]["cycles"].get<std::int64_t>(), 8192);  // every PE busy every cycle at best
  EXPECT_EQ(j["total"]["cycles"], j["layers"][0]["cycles"]);
}

TEST(ScaleSimCli, FlagsComeTogetherAndAloneOfArchAndNetwork) {
  CliRun r = run_cli("evaluate --scalesim-config '" + kConfig + "'", "scalesim_cli_test/flags/a");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--scalesim-topology"));
  r = run_cli("optimize --scalesim-config '" + kConfig + "' --scalesim-topology '" + kGemm + "' --arch eyeriss",
              "scalesim_cli_test/flags/b");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("excludes"));
}

}  // namespace
}  // namespace dnnspace
