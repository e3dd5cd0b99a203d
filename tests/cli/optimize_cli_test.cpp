// End-to-end tests of `dnnspace optimize`: results agree with `evaluate` of the mapping
// they report, and bad options fail with one line and exit code 2.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/search/mapper.hpp"
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

// --fuse: every boundary of LeNet-5 is reported, the kept ones' savings add up to the
// total, and the totals are at most the layer-by-layer ones.
TEST(OptimizeCli, FuseReportsEveryBoundary) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "optimize_cli_fuse";
  std::filesystem::create_directories(dir);
  const std::string fused_path = (dir / "fused.json").string(), plain_path = (dir / "plain.json").string();
  const std::string args = "optimize --network lenet5 --batch 4 --dataflow \"C|K\" --min-util 0 --threads 1 --json ";
  const auto f = run_cli(args + fused_path + " --fuse", "optimize_cli_fuse");
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_NE(f.out.find("tensors kept on chip between layers (--fuse)"), std::string::npos) << f.out;
  const auto p = run_cli(args + plain_path, "optimize_cli_fuse");
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const nlohmann::json fused = nlohmann::json::parse(testing::slurp(fused_path));
  const nlohmann::json plain = nlohmann::json::parse(testing::slurp(plain_path));
  EXPECT_EQ(fused["fuse"], true);
  EXPECT_EQ(fused["residency_level"], "GlobalBuffer");
  ASSERT_EQ(fused["boundaries"].size(), 4u);
  std::int64_t saved = 0;
  int kept = 0;
  for (const auto& b : fused["boundaries"]) {
    saved += b["dram_bytes_saved"].get<std::int64_t>();
    kept += b["resident"].get<bool>() ? 1 : 0;
  }
  EXPECT_GT(kept, 0);
  EXPECT_EQ(fused["total"]["dram_bytes_saved"], saved);
  EXPECT_LE(fused["total"]["energy_pj"].get<double>(), plain["total"]["energy_pj"].get<double>() * (1 + 1e-12));
  EXPECT_LE(fused["total"]["offchip_bytes"].get<std::int64_t>(), plain["total"]["offchip_bytes"].get<std::int64_t>());
}

TEST(OptimizeCli, LayersOfOneShapeAreSearchedOnce) {
  // b and c have the same shape (names differ); a differs from both only in K.
  const auto dir = std::filesystem::path(::testing::TempDir()) / "optimize_cli_shapes";
  std::filesystem::create_directories(dir);
  const std::string net_path = (dir / "net.yaml").string();
  std::ofstream(net_path) << "network:\n  name: repeated\n  layers:\n"
                             "    - {name: a, type: conv, N: 2, K: 16, C: 8, P: 4, Q: 4, R: 3, S: 3}\n"
                             "    - {name: b, type: conv, N: 2, K: 8, C: 8, P: 4, Q: 4, R: 3, S: 3}\n"
                             "    - {name: c, type: conv, N: 2, K: 8, C: 8, P: 4, Q: 4, R: 3, S: 3}\n";
  const std::string json_path = (dir / "opt.json").string();
  const auto r = run_cli("optimize --network " + net_path + " --dataflow \"C|K\" --min-util 0.2 --threads 1 --json " +
                             json_path, "optimize_cli_shapes");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(testing::slurp(json_path));
  ASSERT_EQ(j["layers"].size(), 3u);
  const auto& a = j["layers"][0];
  const auto& b = j["layers"][1];
  const auto& c = j["layers"][2];
  EXPECT_FALSE(a.contains("same_search_as"));
  EXPECT_FALSE(b.contains("same_search_as"));
  EXPECT_EQ(c["same_search_as"], "b");
  EXPECT_GT(a["mappings_evaluated"].get<std::int64_t>(), 0);
  EXPECT_GT(b["mappings_evaluated"].get<std::int64_t>(), 0);
  EXPECT_EQ(c["mappings_evaluated"], 0);
  EXPECT_EQ(c["mapping_yaml"], b["mapping_yaml"]);
  // The bound counters of a searched layer are the mapper's own; a reused one has none.
  Layer layer_a;
  layer_a.name = "a";
  for (auto [d, v] : {std::pair{Dim::N, 2}, {Dim::K, 16}, {Dim::C, 8}, {Dim::P, 4}, {Dim::Q, 4}, {Dim::R, 3}, {Dim::S, 3}}) {
    layer_a.bounds[d] = v;
  }
  MapperOptions options;
  options.dataflows = {*parse_dataflow("C|K")};
  options.min_utilization = 0.2;
  options.threads = 1;
  options.replicate_if_unmapped = true;
  const MapperResult direct = find_best_mapping(layer_a, *arch_preset("eyeriss"), options);
  ASSERT_TRUE(direct.found);
  EXPECT_EQ(a["mappings_evaluated"], direct.evaluated);
  EXPECT_EQ(a["search"]["work_items"], direct.work_items);
  EXPECT_EQ(a["search"]["pruned_blockings"], direct.pruned);
  EXPECT_EQ(a["search"]["skipped_items"], direct.skipped_items);
  EXPECT_EQ(a["search"]["skipped_blockings"], direct.skipped_blockings);
  EXPECT_EQ(a["search"]["skipped_subtrees"], direct.skipped_subtrees);
  EXPECT_EQ(a["search"]["bound_evaluations"], direct.bound_evaluations);
  EXPECT_GT(a["search"]["work_items"].get<std::int64_t>(), 0);
  EXPECT_FALSE(c.contains("search"));
  EXPECT_EQ(c["energy_pj"], b["energy_pj"]);
  EXPECT_EQ(j["total"]["mappings_evaluated"].get<std::int64_t>(),
            a["mappings_evaluated"].get<std::int64_t>() + b["mappings_evaluated"].get<std::int64_t>());
  EXPECT_DOUBLE_EQ(j["total"]["energy_pj"].get<double>(),
                   a["energy_pj"].get<double>() + 2 * b["energy_pj"].get<double>());
}

TEST(OptimizeCli, AFixedDataflowThatCannotMapALayerIsReplicatedUnlessAskedNotTo) {
  // LeNet-5 conv1 has C = 1: C|K alone maps nothing; by default it is searched with one
  // more loop on the rows (marked * in the table, "replicated" in JSON).
  const auto dir = std::filesystem::path(::testing::TempDir()) / "optimize_cli_replicate";
  std::filesystem::create_directories(dir);
  const std::string json_path = (dir / "opt.json").string();
  const auto r = run_cli("optimize --network lenet5 --layer conv1 --batch 2 --dataflow \"C|K\" --min-util 0.5 "
                         "--threads 1 --json " + json_path, "optimize_cli");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(" *"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("* C|K has no mapping of this layer"), std::string::npos) << r.out;
  const nlohmann::json j = nlohmann::json::parse(testing::slurp(json_path));
  const auto& layer = j["layers"][0];
  EXPECT_TRUE(layer["found"].get<bool>());
  EXPECT_TRUE(layer["replicated"].get<bool>());
  // C (bound 1) is dropped, K keeps the first place on the columns.
  const std::string df = layer["dataflow"];
  EXPECT_EQ(df.find('C'), std::string::npos) << df;
  EXPECT_EQ(df.substr(df.find('|'), 2), "|K") << df;
  EXPECT_GE(layer["utilization"].get<double>(), 0.5);

  // Unmapped layers make the totals partial: exit 4 with the layers named, unless --partial.
  const std::string none_args =
      "optimize --network lenet5 --layer conv1 --batch 2 --dataflow \"C|K\" --min-util 0.5 --threads 1 --fallback none";
  const auto none = run_cli(none_args, "optimize_cli");
  ASSERT_EQ(none.exit_code, 4) << none.err;
  EXPECT_NE(none.out.find("no mapping"), std::string::npos) << none.out;
  EXPECT_NE(none.out.find("0 of 1 layers mapped"), std::string::npos) << none.out;
  EXPECT_NE(none.out.find("NOT a network total: these layers have no mapping and are in no sum below: conv1"),
            std::string::npos)
      << none.out;
  EXPECT_NE(none.err.find("1 of 1 layers have no mapping (conv1)"), std::string::npos) << none.err;
  const auto partial = run_cli(none_args + " --partial", "optimize_cli");
  EXPECT_EQ(partial.exit_code, 0) << partial.err;
  EXPECT_EQ(partial.out, none.out);
}

TEST(OptimizeCli, ReplicationWidensTheFreeSearch) {
  // On eyeriss (16 x 16 PEs) no two-loop dataflow fills 30% of the array with this layer:
  // the largest product of two of its dimensions is K 8 x C 6 = 48 PEs (19%). With two loops
  // per axis it can (e.g. K 8 x N 2 on the rows, P 4 x Q 4 on the columns: every PE).
  const auto dir = std::filesystem::path(::testing::TempDir()) / "optimize_cli_replication";
  std::filesystem::create_directories(dir);
  const std::string net_path = (dir / "net.yaml").string();
  std::ofstream(net_path) << "network:\n  name: small\n  layers:\n"
                             "    - {name: a, type: conv, N: 2, K: 8, C: 6, P: 4, Q: 4, R: 3, S: 1}\n";
  for (int r : {1, 2}) {
    const std::string json_path = (dir / ("r" + std::to_string(r) + ".json")).string();
    const auto run = run_cli("optimize --network " + net_path + " --min-util 0.3 --threads 1 --replication " +
                                 std::to_string(r) + " --json " + json_path,
                             "optimize_cli_replication");
    ASSERT_EQ(run.exit_code, r == 1 ? 4 : 0) << run.err;  // 4: the one layer has no mapping
    EXPECT_NE(run.out.find(r == 1 ? ", any two-loop dataflow\n" : ", any dataflow with up to 2 loops per array axis\n"),
              std::string::npos)
        << run.out;
    const nlohmann::json layer = nlohmann::json::parse(testing::slurp(json_path))["layers"][0];
    ASSERT_EQ(layer["found"].get<bool>(), r == 2) << run.out;
    if (r == 2) {
      EXPECT_GE(layer["utilization"].get<double>(), 0.3);
      const std::string dataflow = layer["dataflow"];
      EXPECT_GT(dataflow.size(), 3u) << dataflow;  // more than one loop on some axis
    }
  }
}

TEST(OptimizeCli, BadOptionsFailWithOneLine) {
  const char* cases[][2] = {
      {"optimize --network lenet5 --objective speed", "--objective 'speed': allowed: energy, cycles, edp"},
      {"optimize --network lenet5 --dataflow \"X|K\"", "--dataflow: dataflow 'X|K'"},
      {"optimize --network lenet5 --min-util 1.5", "--min-util"},
      {"optimize --network lenet5 --fallback maybe", "--fallback 'maybe': allowed: replicate, none"},
      {"optimize --network lenet5 --replication 4", "--replication 4: allowed: 1, 2, 3"},
      {"optimize --network lenet5 --replication 2 --dataflow \"C|K\"", "--replication applies to the free search"},
      {"optimize --network nosuchnet", "nosuchnet"},
      {"optimize --network lenet5 --layer conv9", "--layer 'conv9': network 'lenet5' has: conv1, conv2, fc3, fc4, fc5"},
      {"optimize --network lenet5 --batch 0", "--batch"},
      {"optimize --network lenet5 --dataflow ''", "--dataflow: empty: name a dataflow such as \"C|K\""},
      {"optimize --arch nosuch.yaml --network lenet5", "nosuch.yaml: cannot open file"},
  };
  for (const auto& c : cases) {
    const auto r = run_cli(c[0], "optimize_cli_bad");
    EXPECT_EQ(r.exit_code, 2) << c[0] << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c[0] << ": " << r.err;
    EXPECT_NE(r.err.find(c[1]), std::string::npos) << c[0] << ": " << r.err;
  }
}

// --pass: every layer of the network is searched as that pass; the JSON says which.
TEST(OptimizeCli, BackwardPassOfANetwork) {
  const std::string json = ::testing::TempDir() + "/optimize_cli_test_wgrad.json";
  const auto r = run_cli("optimize --network lenet5 --batch 2 --dataflow \"C|K\" --min-util 0.1 --pass wgrad --json " + json,
                         "optimize_cli_test");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::slurp(json));
  ASSERT_EQ(j["layers"].size(), 5u);
  for (const auto& layer : j["layers"]) EXPECT_EQ(layer["layer"]["pass"], "wgrad") << layer;
  EXPECT_EQ(j["total"]["macs"].get<std::int64_t>(), 833'040);  // 2 x 416,520, as the forward pass
  const auto bad = run_cli("optimize --network lenet5 --pass dgradd", "optimize_cli_test");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--pass: unknown pass 'dgradd'"), std::string::npos) << bad.err;
}

// --training: every pass of every layer, the updates and the step's memory, as JSON whose
// sums are the layers' and whose MACs are the passes' (LeNet-5 at batch 2: 833,040 MACs per
// pass; conv1, the first layer, has no data gradient: 2 x 117,600 MACs fewer).
TEST(OptimizeCli, TrainingStepOfANetwork) {
  const std::string json = ::testing::TempDir() + "/optimize_cli_test_training.json";
  const auto r = run_cli("optimize --network lenet5 --batch 2 --dataflow \"C|K\" --min-util 0.1 --training "
                         "--optimizer adam --json " + json,
                         "optimize_cli_test");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("training step: optimizer adam"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("memory of a training step"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(testing::slurp(json));
  EXPECT_EQ(j["training"]["optimizer"], "adam");
  EXPECT_EQ(j["training"]["time_steps"], 1);
  ASSERT_EQ(j["layers"].size(), 5u);
  EXPECT_TRUE(j["layers"][0]["passes"]["dgrad"].is_null());
  EXPECT_EQ(j["layers"][1]["passes"]["dgrad"]["layer"]["pass"], "dgrad");
  EXPECT_EQ(j["total"]["forward"]["macs"].get<std::int64_t>(), 833'040);
  EXPECT_EQ(j["total"]["dgrad"]["macs"].get<std::int64_t>(), 833'040 - 2 * 117'600);
  EXPECT_EQ(j["total"]["wgrad"]["macs"].get<std::int64_t>(), 833'040);
  EXPECT_EQ(j["total"]["macs"].get<std::int64_t>(), 3 * 833'040 - 2 * 117'600);
  // Adam: nine operations per weight; LeNet-5 has 61,470 (its C3 fully connected).
  EXPECT_EQ(j["total"]["update_operations"].get<std::int64_t>(), 9 * 61'470);
  double energy = 0.0;
  for (const auto& layer : j["layers"]) energy += layer["energy_pj"].get<double>();
  EXPECT_NEAR(j["total"]["energy_pj"].get<double>(), energy, 1e-9 * energy);
  // 16-bit weights, their gradients and Adam's two state words.
  EXPECT_EQ(j["footprint"]["parameter_bytes"], 61'470 * 2);
  EXPECT_EQ(j["footprint"]["optimizer_state_bytes"], 61'470 * 4);

  const char* cases[][2] = {
      {"optimize --network lenet5 --optimizer adam", "--optimizer requires --training"},
      {"optimize --network lenet5 --training --fuse", "--fuse excludes --training"},
      {"optimize --network lenet5 --training --pass dgrad", "--pass excludes --training"},
      {"optimize --network lenet5 --training --optimizer rmsprop",
       "--optimizer: unknown optimizer 'rmsprop' (allowed: sgd, momentum, adam)"},
      {"optimize --network lenet5 --training --keep-activations sram", "--keep-activations 'sram': allowed: auto, dram"},
      {"optimize --network lenet5 --training --time-steps 0", "--time-steps: must be a whole number in 1..1000000, got '0'"},
  };
  for (const auto& c : cases) {
    const auto bad = run_cli(c[0], "optimize_cli_test");
    EXPECT_EQ(bad.exit_code, 2) << c[0] << ": " << bad.err;
    EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << c[0] << ": " << bad.err;
    EXPECT_NE(bad.err.find(c[1]), std::string::npos) << c[0] << ": " << bad.err;
  }
}

// The mapper's limit: LeNet-5 at batch 2^40 (4.6e17 MACs) is past 2^49; one clear line
// before any search.
TEST(OptimizeCli, NetworkPastTheSearchLimit) {
  const auto r = run_cli("optimize --network lenet5 --batch 1099511627776", "optimize_cli_test");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("network 'lenet5': 457968583201259520 MACs in all; the mapper searches at most 2^49"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace dnnspace

namespace dnnspace {
namespace {

// --density (docs/model.md Sec. 11): on an architecture that gates zero inputs and
// run-length codes them in DRAM, a 40%-dense search costs less than the dense one, the
// layer reports its density, and evaluate of the mapping found, at that density, agrees.
TEST(OptimizeCli, DensityLowersTheCostOnAGatingArchitecture) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "optimize_cli_density";
  std::filesystem::create_directories(dir);
  const std::string arch = std::string(DNNSPACE_SOURCE_DIR) + "/examples/arch/eyeriss-sparse.yaml";
  const std::string sparse_path = (dir / "sparse.json").string(), dense_path = (dir / "dense.json").string();
  const std::string args = "optimize --arch " + arch + " --network lenet5 --layer conv2 --batch 2 --min-util 0.4 --threads 1 --json ";
  const auto s = testing::run_cli(args + sparse_path + " --density inputs=0.4", "optimize_cli_density");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const auto d = testing::run_cli(args + dense_path, "optimize_cli_density_dense");
  ASSERT_EQ(d.exit_code, 0) << d.err;
  const nlohmann::json sj = nlohmann::json::parse(testing::slurp(sparse_path));
  const nlohmann::json dj = nlohmann::json::parse(testing::slurp(dense_path));
  const auto& layer = sj["layers"][0];
  EXPECT_DOUBLE_EQ(layer["layer"]["density"]["inputs"].get<double>(), 0.4);
  EXPECT_FALSE(dj["layers"][0]["layer"].contains("density"));
  // Gating removes 60% of the MAC energy at least: the sparse optimum is well below.
  EXPECT_LT(sj["total"]["energy_pj"].get<double>(), 0.8 * dj["total"]["energy_pj"].get<double>());

  const std::string mapping_path = (dir / "best.yaml").string();
  std::ofstream(mapping_path) << layer["mapping_yaml"].get<std::string>();
  const std::string eval_json = (dir / "eval.json").string();
  const auto e = testing::run_cli("evaluate --arch " + arch + " --layer lenet5/conv2 --batch 2 --density inputs=0.4 --mapping " +
                                      mapping_path + " --json " + eval_json,
                                  "optimize_cli_density_eval");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const nlohmann::json ej = nlohmann::json::parse(testing::slurp(eval_json));
  EXPECT_DOUBLE_EQ(ej["energy_pj"].get<double>(), layer["energy_pj"].get<double>());
  // 2 x 16 x 6 x 10 x 10 x 5 x 5 = 480,000 MACs, 40% of them performed.
  EXPECT_EQ(ej["performed_macs"], 192000);

  // An architecture that does nothing with zeros says so, and costs the layer dense.
  const auto plain = testing::run_cli("evaluate --layer lenet5/conv2 --batch 2 --mapping \"C|K\" --density inputs=0.4",
                                      "optimize_cli_density_plain");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.err.find("neither gates, skips nor compresses"), std::string::npos) << plain.err;
}

}  // namespace
}  // namespace dnnspace
