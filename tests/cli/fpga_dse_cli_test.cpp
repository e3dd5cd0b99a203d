// End-to-end tests of `dnnspace dse --target fpga:...`: Zhang et al.'s design on AlexNet
// worked by hand, the shared design's fit, the YAML target against the preset, the figure.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

using testing::run_cli;
using testing::slurp;

std::filesystem::path scratch() {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "fpga_dse_cli";
  std::filesystem::create_directories(dir);
  return dir;
}

// <64,7,13,13> on AlexNet's convolutions, cycles = groups x ceil(M/64) x ceil(N/7) x R x C
// x K x K: CONV1 (M 96, N 3, 55 x 55, 11 x 11) 2 x 1 x 3025 x 121 = 732,050; CONV3 (M 384,
// N 256, 13 x 13, 3 x 3) 6 x 37 x 169 x 9 = 337,662; CONV4 (2 groups of M 192, N 192)
// 2 x 3 x 28 x 169 x 9 = 255,528. At 100 MHz, compute-bound, each takes cycles / 1e8 s.
TEST(FpgaDseCli, ZhangsDesignOnAlexNetByHand) {
  const auto dir = scratch();
  const std::string json = (dir / "vc707.json").string(), svg = (dir / "conv5.svg").string();
  const auto r = run_cli("dse --target fpga:vc707 --network alexnet --design 64,7,13,13 --plot-layer conv5 --plot " +
                             svg + " --json " + json,
                         "fpga_dse_cli");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  EXPECT_EQ(j["batch"], 1);
  EXPECT_EQ(j["skipped"].size(), 3u);  // FC6-FC8
  const nlohmann::json& given = j["given"];
  ASSERT_TRUE(given.is_object());
  EXPECT_TRUE(given["fits"].get<bool>());
  EXPECT_EQ(given["resources"]["dsp"], 2240);
  const nlohmann::json& layers = given["layers"];
  ASSERT_EQ(layers.size(), 5u);
  EXPECT_EQ(layers[0]["cycles"], 732050);
  EXPECT_EQ(layers[2]["cycles"], 337662);
  EXPECT_EQ(layers[3]["cycles"], 255528);
  double time = 0.0, ops = 0.0;
  for (const auto& l : layers) {
    EXPECT_EQ(l["bound"], "compute");
    EXPECT_NEAR(l["time_s"].get<double>(), l["cycles"].get<double>() / 1e8, 1e-12);
    time += l["time_s"].get<double>();
    ops += l["ops"].get<double>();
  }
  EXPECT_NEAR(given["time_s"].get<double>(), time, 1e-12);
  EXPECT_NEAR(given["ops_per_s"].get<double>(), ops / time, 1.0);
  // The shared design fits the board and is no slower than Zhang et al.'s; each layer's own
  // best is no slower than the shared one on that layer.
  const nlohmann::json& shared = j["shared"];
  EXPECT_LE(shared["resources"]["dsp"].get<std::int64_t>(), 2800);
  EXPECT_LE(shared["resources"]["bram_18k"].get<std::int64_t>(), 2060);
  EXPECT_LE(shared["time_s"].get<double>(), given["time_s"].get<double>());
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_LE(j["best_per_layer"][i]["time_s"].get<double>(), shared["layers"][i]["time_s"].get<double>() * (1 + 1e-12));
  }
  const std::string figure = slurp(svg);
  EXPECT_EQ(figure.rfind("<svg", 0), 0u);
  EXPECT_NE(figure.find("given &lt;Tm,Tn,Tr,Tc&gt; = &lt;64,7,13,13&gt;"), std::string::npos);
  EXPECT_NE(figure.find("DRAM 4.5 GB/s"), std::string::npos);
}

// examples/fpga/vc707.yaml describes the built-in target: the same results.
TEST(FpgaDseCli, YamlTargetEqualsThePreset) {
  const auto dir = scratch();
  const std::string a = (dir / "preset.json").string(), b = (dir / "yaml.json").string();
  const std::string yaml = std::string(DNNSPACE_SOURCE_DIR) + "/examples/fpga/vc707.yaml";
  ASSERT_EQ(run_cli("dse --target fpga:vc707 --network lenet5 --json " + a, "fpga_dse_cli").exit_code, 0);
  ASSERT_EQ(run_cli("dse --target fpga:" + yaml + " --network lenet5 --json " + b, "fpga_dse_cli").exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(slurp(a)), nlohmann::json::parse(slurp(b)));
}

}  // namespace
}  // namespace dnnspace
