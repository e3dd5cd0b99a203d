// End-to-end tests of `dnnspace dse`: sweep points against `optimize` on the same
// hardware written as YAML (whose energies the YAML reader derives on its own), the
// Pareto flags against brute force, the auto-optimizer's gain, and bad options.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/cli_run.hpp"

namespace dnnspace {
namespace {

using testing::run_cli;
using testing::slurp;

std::string small_arch(const std::string& rf, const std::string& gb) {
  return "architecture:\n  name: small\n  technology: interstellar-28nm\n  levels:\n    - {name: DRAM, kind: dram}\n"
         "    - {name: GlobalBuffer, kind: sram, capacity: " + gb + ", double_buffered: true}\n"
         "    - {name: RegFile, kind: regfile, capacity: " + rf + "}\n"
         "  array: {rows: 4, cols: 4, below: GlobalBuffer}\n";
}

constexpr const char* kTinyNet = R"(network:
  name: tiny
  layers:
    - {name: conv, type: conv, K: 8, C: 4, P: 4, Q: 4, R: 3, S: 1}
    - {name: fc, type: fc, K: 8, C: 32}
)";

std::string scratch() {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "dse_cli";
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string write(const std::string& name, const std::string& text) {
  const std::string path = scratch() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) { cells.push_back(cell); cell.clear(); }
    else cell += c;
  }
  cells.push_back(cell);
  return cells;
}

TEST(DseCli, SweepPointsEqualOptimizeOnTheSameHardwareAndFrontsAreParetoOptimal) {
  const std::string base = write("base.yaml", small_arch("512B", "128KB"));
  const std::string net = write("tiny.yaml", kTinyNet);
  const std::string csv = scratch() + "/dse.csv", json = scratch() + "/dse.json";
  const auto r = run_cli("dse --network " + net + " --base " + base +
                             " --sweep rf=16,64 --sweep gb=32K,64K --min-util 0.5 --threads 1 --csv " + csv + " --json " + json,
                         "dse_cli");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Pareto frontier, energy vs area"), std::string::npos) << r.out;

  std::istringstream lines(slurp(csv));
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line,
            "label,rf_bytes,rf2_bytes,gb_bytes,gb2_bytes,array_rows,array_cols,energy_pj,cycles,macs,area_mm2,"
            "layers_mapped,complete,pareto_energy_area,pareto_energy_cycles");
  std::vector<std::vector<std::string>> rows;
  while (std::getline(lines, line)) rows.push_back(split(line));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][0], "rf=16B gb=32KB");
  EXPECT_EQ(rows[3][0], "rf=64B gb=64KB");
  // Pareto flags against brute force over the rows.
  for (auto [x, flag] : {std::pair{10, 13}, std::pair{8, 14}}) {
    for (const auto& a : rows) {
      bool dominated = false;
      for (const auto& b : rows) {
        const double ax = std::stod(a[static_cast<std::size_t>(x)]), bx = std::stod(b[static_cast<std::size_t>(x)]);
        const double ae = std::stod(a[7]), be = std::stod(b[7]);
        dominated = dominated || (bx <= ax && be <= ae && (bx < ax || be < ae));
      }
      EXPECT_EQ(a[static_cast<std::size_t>(flag)], dominated ? "0" : "1") << a[0] << " column " << flag;
    }
  }

  // The point rf=64B gb=32KB, written as its own YAML file, optimized directly.
  const std::string variant = write("variant.yaml", small_arch("64B", "32KB"));
  const std::string opt_json = scratch() + "/optimize.json";
  const auto o = run_cli("optimize --arch " + variant + " --network " + net + " --min-util 0.5 --threads 1 --json " + opt_json,
                         "dse_cli_optimize");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const nlohmann::json oj = nlohmann::json::parse(slurp(opt_json));
  const nlohmann::json dj = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(dj["points"].size(), 4u);
  const auto& point = dj["points"][2];
  EXPECT_EQ(point["label"], "rf=64B gb=32KB");
  EXPECT_DOUBLE_EQ(point["energy_pj"].get<double>(), oj["total"]["energy_pj"].get<double>());
  EXPECT_EQ(point["cycles"], oj["total"]["cycles"]);
  EXPECT_DOUBLE_EQ(std::stod(rows[2][7]), oj["total"]["energy_pj"].get<double>());
}

TEST(DseCli, AutoOptimizerReportsTheChosenHierarchyAndItsGain) {
  const std::string base = write("base.yaml", small_arch("512B", "128KB"));
  const std::string net = write("tiny.yaml", kTinyNet);
  const std::string json = scratch() + "/auto.json";
  const auto r = run_cli("dse --network " + net + " --base " + base + " --auto --min-util 0.5 --threads 1 --json " + json,
                         "dse_cli_auto");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("chosen: "), std::string::npos) << r.out;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  ASSERT_FALSE(j["chosen"].is_null());
  const double chosen = j["chosen"]["energy_pj"].get<double>();
  EXPECT_DOUBLE_EQ(j["energy_gain"].get<double>(), j["base"]["energy_pj"].get<double>() / chosen);
  EXPECT_GE(j["energy_gain"].get<double>(), 1.0);
  bool two_levels = false;
  for (const auto& p : j["explored"]) {
    if (p["complete"].get<bool>()) {
      EXPECT_LE(chosen, p["energy_pj"].get<double>()) << p["label"];
    }
    two_levels = two_levels || p["levels"].size() == 4u;
    for (const auto& l : p["layers"]) {
      if (l["name"] == "conv" && l["found"].get<bool>()) {
        EXPECT_EQ(l["dataflow"], "C|K");  // fixed by the optimizer
      }
    }
  }
  EXPECT_TRUE(two_levels);  // step 3 added a second register file
}

TEST(DseCli, ReplicatedLayersAreListedOnceWithTheirDataflows) {
  // `thin` has C = 1, so C|K cannot map it and the fallback does, in every point; the
  // report names it once with each dataflow it got, as the JSON points have them.
  const std::string base = write("base.yaml", small_arch("512B", "128KB"));
  const std::string net = write("thin.yaml", R"(network:
  name: narrow
  layers:
    - {name: thin, type: conv, K: 8, C: 1, P: 8, Q: 8, R: 3, S: 3}
    - {name: conv, type: conv, K: 8, C: 4, P: 4, Q: 4, R: 3, S: 1}
)");
  const std::string json = scratch() + "/thin.json";
  const auto r = run_cli("dse --network " + net + " --base " + base +
                             " --dataflow \"C|K\" --min-util 0.5 --threads 1 --sweep rf=16,64,512 --json " + json,
                         "dse_cli_thin");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(slurp(json));
  std::vector<std::string> dataflows;
  for (const auto& p : j["points"]) {
    for (const auto& l : p["layers"]) {
      if (l["name"] != "thin") continue;
      ASSERT_TRUE(l["found"].get<bool>()) << p["label"];
      EXPECT_TRUE(l["replicated"].get<bool>());
      const std::string df = l["dataflow"];
      if (std::find(dataflows.begin(), dataflows.end(), df) == dataflows.end()) dataflows.push_back(df);
    }
    for (const auto& l : p["layers"]) {
      if (l["name"] == "conv") {
        EXPECT_FALSE(l["replicated"].get<bool>());
      }
    }
  }
  ASSERT_FALSE(dataflows.empty());
  std::string expected = "thin (";
  for (std::size_t i = 0; i < dataflows.size(); ++i) expected += (i ? ", " : "") + dataflows[i];
  expected += ")";
  const std::size_t at = r.out.find("(--fallback replicate; the dataflows each got over the points): " + expected + "\n");
  EXPECT_NE(at, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("thin (", r.out.find("thin (") + 1), std::string::npos) << r.out;  // listed once
  EXPECT_EQ(r.out.find("conv ("), std::string::npos) << r.out;
}

TEST(DseCli, BadOptionsFailWithOneLine) {
  const char* cases[][2] = {
      {"dse --network lenet5 --sweep foo=1", "--sweep 'foo=1': unknown key 'foo' (allowed: rf, rf2, gb, gb2, array, levels)"},
      {"dse --network lenet5 --sweep rf=16,big", "key rf: 'big' is not a size"},
      {"dse --network lenet5 --sweep rf=16 --sweep rf=32", "key rf is given twice"},
      {"dse --network lenet5 --sweep gb2=1M --sweep levels=base,+gb2", "levels value 'base' does not add it"},
      {"dse --network lenet5 --sweep levels=+gb2 --base tpu-like", "already has a second buffer 'GlobalBuffer2'"},
      {"dse --network lenet5 --sweep rf=16 --auto", "--auto"},
      {"dse --network lenet5 --auto --dataflow \"C|K\"", "--auto"},
      {"dse --network lenet5 --auto --replication 2", "--replication cannot be combined with it"},
      {"dse --network lenet5", "give --sweep KEY=VALUES"},
      {"dse --network lenet5 --sweep rf=16 --objective speed", "--objective 'speed'"},
      {"dse --network lenet5 --sweep rf=16 --base nosuch.yaml", "nosuch.yaml: cannot open file"},
  };
  for (const auto& c : cases) {
    const auto r = run_cli(c[0], "dse_cli_bad");
    EXPECT_EQ(r.exit_code, 2) << c[0] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c[0] << ": " << r.err;
    EXPECT_NE(r.err.find(c[1]), std::string::npos) << c[0] << ": " << r.err;
  }
}

}  // namespace
}  // namespace dnnspace
