// End-to-end tests of `dnnspace roofline`: its numbers against `optimize`'s counts of the
// same mapping worked through by hand, the --bandwidth flag, and the SVG figure.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

using testing::run_cli;
using testing::slurp;

std::filesystem::path scratch() {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "roofline_cli";
  std::filesystem::create_directories(dir);
  return dir;
}

// AlexNet FC6 at batch 1 on eyeriss-chip (4 16-bit words per cycle from DRAM, 168 PEs at
// 200 MHz): the weights stream from DRAM once, so DRAM binds. From optimize's counts:
// ops = 2 x MACs, CTC = ops / (DRAM words x 2 B), roof = ops / (ceil(words / 4) cycles at
// 200 MHz), peak = 2 x 168 x 200 MHz.
TEST(RooflineCli, Fc6IsBoundByDramAsOptimizesCountsSay) {
  const auto dir = scratch();
  const std::string opt = (dir / "opt.json").string(), roof = (dir / "roof.json").string(),
                    svg = (dir / "roof.svg").string();
  const std::string layer = "--arch eyeriss-chip --network alexnet --layer fc6 --batch 1 --threads 1";
  ASSERT_EQ(run_cli("optimize " + layer + " --json " + opt, "roofline_cli").exit_code, 0);
  const auto r = run_cli("roofline " + layer + " --json " + roof + " --plot " + svg, "roofline_cli");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json o = nlohmann::json::parse(slurp(opt))["layers"][0];
  const nlohmann::json j = nlohmann::json::parse(slurp(roof));
  std::int64_t words = 0;
  for (const auto& [tensor, a] : o["accesses"]["DRAM"].items()) words += a["reads"].get<std::int64_t>() + a["writes"].get<std::int64_t>();
  const double ops = 2.0 * o["layer"]["macs"].get<double>();
  const double dram_s = std::ceil(static_cast<double>(words) / 4.0) / 200e6;
  const nlohmann::json& l = j["layers"][0];
  EXPECT_EQ(l["name"], "fc6");
  EXPECT_DOUBLE_EQ(l["ops"].get<double>(), ops);
  EXPECT_EQ(l["bound_by"], "DRAM");
  const nlohmann::json& dram = l["levels"][0];
  EXPECT_EQ(dram["name"], "DRAM");
  EXPECT_EQ(dram["traffic_bytes"].get<std::int64_t>(), words * 2);
  EXPECT_NEAR(dram["ctc_ops_per_byte"].get<double>(), ops / (2.0 * static_cast<double>(words)), 1e-9);
  EXPECT_NEAR(dram["roof_ops_per_s"].get<double>() / (ops / dram_s), 1.0, 1e-12);
  EXPECT_NEAR(l["attainable_ops_per_s"].get<double>() / (ops / dram_s), 1.0, 1e-12);
  EXPECT_NEAR(dram["bandwidth_bytes_per_s"].get<double>() / 1.6e9, 1.0, 1e-6);  // 4 words x 2 B x 200 MHz
  EXPECT_TRUE(l["levels"][1]["roof_ops_per_s"].is_null());  // the global buffer has no bandwidth limit
  EXPECT_DOUBLE_EQ(j["peak_ops_per_s"].get<double>(), 2.0 * 168 * 200e6);
  EXPECT_NEAR(l["achieved_ops_per_s"].get<double>() / (ops / (o["cycles"].get<double>() / 200e6)), 1.0, 1e-12);
  EXPECT_EQ(j["total"]["ops"], l["ops"]);
  const std::string figure = slurp(svg);
  EXPECT_EQ(figure.rfind("<svg", 0), 0u);
  EXPECT_NE(figure.find(">fc6<"), std::string::npos);
  EXPECT_NE(figure.find("DRAM 1.60 GB/s"), std::string::npos);
}

// --bandwidth DRAM=3.2 (GB/s) doubles the 1.6 GB/s bus: 8 words per cycle, the same
// traffic in half the time, so twice the roof.
TEST(RooflineCli, BandwidthFlagSetsTheRoof) {
  const auto dir = scratch();
  const std::string a = (dir / "a.json").string(), b = (dir / "b.json").string();
  const std::string layer = "--arch eyeriss-chip --network alexnet --layer fc6 --batch 1 --threads 1";
  ASSERT_EQ(run_cli("roofline " + layer + " --json " + a, "roofline_cli").exit_code, 0);
  ASSERT_EQ(run_cli("roofline " + layer + " --bandwidth DRAM=3.2 --json " + b, "roofline_cli").exit_code, 0);
  const nlohmann::json ja = nlohmann::json::parse(slurp(a))["layers"][0]["levels"][0];
  const nlohmann::json jb = nlohmann::json::parse(slurp(b))["layers"][0]["levels"][0];
  ASSERT_EQ(ja["traffic_bytes"], jb["traffic_bytes"]);
  const double words = ja["traffic_bytes"].get<double>() / 2.0;
  EXPECT_NEAR(jb["time_s"].get<double>(), std::ceil(words / 8.0) / 200e6, 1e-15);
  EXPECT_NEAR(jb["bandwidth_bytes_per_s"].get<double>() / 3.2e9, 1.0, 1e-6);
}

// --gpu k20m: FC6 at batch 128 as tests/model/gpu_roofline_test works it by hand, compute-
// bound at 13 x 192 x 706 MHz x 0.75; --efficiency 0.5 stretches the compute time by 1.5.
TEST(RooflineCli, GpuLayerByHand) {
  const auto dir = scratch();
  const std::string a = (dir / "gpu.json").string(), b = (dir / "gpu-half.json").string();
  const std::string args = "roofline --gpu k20m --network alexnet --layer fc6 --batch 128 --json ";
  ASSERT_EQ(run_cli(args + a, "roofline_cli").exit_code, 0);
  ASSERT_EQ(run_cli(args + b + " --efficiency 0.5", "roofline_cli").exit_code, 0);
  const nlohmann::json ja = nlohmann::json::parse(slurp(a)), jb = nlohmann::json::parse(slurp(b));
  const double macs = 128.0 * 9216.0 * 4096.0;
  ASSERT_EQ(ja["layers"].size(), 1u);
  EXPECT_EQ(ja["layers"][0]["bound"], "compute");
  EXPECT_NEAR(ja["layers"][0]["time_s"].get<double>(), macs / (13.0 * 192.0 * 706e6 * 0.75), 1e-12);
  EXPECT_NEAR(jb["layers"][0]["compute_s"].get<double>() / ja["layers"][0]["compute_s"].get<double>(), 1.5, 1e-12);
  EXPECT_EQ(ja["precision"], "fp32");
  EXPECT_NEAR(ja["total"]["energy_j"].get<double>(), 225.0 * ja["total"]["time_s"].get<double>(), 1e-12);
}

}  // namespace
}  // namespace dnnspace
