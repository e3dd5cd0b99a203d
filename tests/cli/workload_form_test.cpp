// A convolution written as a workload (docs/workloads.md) is the built-in layer: the same
// costs for every mapping, the same optimal mapping, the same command output numbers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/io/workload_yaml.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/workload/zoo.hpp"
#include "support/cli_run.hpp"
#include "support/random_problem.hpp"

namespace dnnspace {
namespace {

// AlexNet CONV1 (stride 4), CONV2 (two groups, padded 27 + 4 = 31 plane) and a dilated
// variant of CONV3, at batch 16, as the built-in layers and as workloads.
struct Pair {
  const char* zoo;
  const char* yaml;
  std::int64_t dilation = 1;
};
const Pair kPairs[] = {
    {"alexnet/conv1", R"(
workload:
  name: conv1
  dims: {N: 16, K: 96, C: 3, P: 55, Q: 55, R: 11, S: 11}
  batch: N
  tensors:
    - {name: inputs, role: operand, index: [N, C, "P*4+R", "Q*4+S"]}
    - {name: weights, role: weights, index: [K, C, R, S]}
    - {name: outputs, role: output, index: [N, K, P, Q]}
)"},
    {"alexnet/conv2", R"(
workload:
  name: conv2
  dims: {N: 16, K: 128, C: 48, P: 27, Q: 27, R: 5, S: 5, G: 2}
  batch: N
  tensors:
    - {name: inputs, role: operand, index: [G, N, C, "P+R", "Q+S"]}
    - {name: weights, role: weights, index: [G, K, C, R, S]}
    - {name: outputs, role: output, index: [G, N, K, P, Q]}
)"},
    {"alexnet/conv3", R"(
workload:
  name: conv3
  dims: {N: 16, K: 384, C: 256, P: 13, Q: 13, R: 3, S: 3}
  batch: N
  tensors:
    - {name: inputs, role: operand, index: [N, C, "P+R*2", "Q+S*2"]}
    - {name: weights, role: weights, index: [K, C, R, S]}
    - {name: outputs, role: output, index: [N, K, P, Q]}
)",
     2},
};

Layer builtin(const Pair& p) {
  Layer l = *zoo_layer(p.zoo, 16);
  l.dilation_h = l.dilation_w = p.dilation;
  return l;
}

Layer as_workload(const Pair& p) {
  const Expected<Layer> l = io::load_layer_yaml_text(p.yaml, "conv.yaml");
  EXPECT_TRUE(l) << l.error().message;
  return *l;
}

void expect_same_cost(const CostResult& a, const CostResult& b, const std::string& what) {
  EXPECT_EQ(a.infeasibility, b.infeasibility) << what;
  EXPECT_EQ(a.infeasible_level, b.infeasible_level) << what;
  for (int l = 0; l < a.num_levels; ++l) {
    const LevelCost& x = a.levels[static_cast<std::size_t>(l)];
    const LevelCost& y = b.levels[static_cast<std::size_t>(l)];
    EXPECT_EQ(x.accesses, y.accesses) << what << " level " << l;
    EXPECT_EQ(x.energy_pj, y.energy_pj) << what << " level " << l;  // bit-identical doubles
    EXPECT_EQ(x.tile_words, y.tile_words) << what << " level " << l;
    EXPECT_EQ(x.footprint_bytes, y.footprint_bytes) << what << " level " << l;
    EXPECT_EQ(x.cycles, y.cycles) << what << " level " << l;
  }
  EXPECT_EQ(a.array_transfers, b.array_transfers) << what;
  EXPECT_EQ(a.array_hops, b.array_hops) << what;
  EXPECT_EQ(a.macs, b.macs) << what;
  EXPECT_EQ(a.compute_cycles, b.compute_cycles) << what;
  EXPECT_EQ(a.cycles, b.cycles) << what;
  EXPECT_EQ(a.utilization, b.utilization) << what;
  EXPECT_EQ(a.offchip_bytes, b.offchip_bytes) << what;
  EXPECT_EQ(a.energy_pj, b.energy_pj) << what;
}

TEST(WorkloadForm, ConvAsDataCostsTheSameForEveryMapping) {
  std::mt19937_64 rng(20261203);
  for (const Pair& p : kPairs) {
    const Layer a = builtin(p), b = as_workload(p);
    for (Pass pass : {Pass::Forward, Pass::DataGradient, Pass::WeightGradient}) {
      for (int i = 0; i < 40; ++i) {
        const Architecture arch = i % 2 ? *arch_preset("eyeriss") : testing::random_arch(rng, 3);
        // Loops over the workload's dimensions (conv1 and conv3 have no G): legal for both.
        const Mapping m = testing::random_mapping(rng, b, arch, 3);
        ASSERT_TRUE(check_mapping_structure(a, arch, m));
        ASSERT_TRUE(check_mapping_structure(b, arch, m));
        const std::string what = std::string(p.zoo) + " " + std::string(pass_name(pass)) + " case " + std::to_string(i);
        expect_same_cost(evaluate(prepare(with_pass(a, pass), arch), m), evaluate(prepare(with_pass(b, pass), arch), m),
                         what);
      }
    }
  }
}

TEST(WorkloadForm, ConvAsDataHasTheSameOptimalMapping) {
  const Architecture arch = *arch_preset("eyeriss");
  for (const Pair& p : kPairs) {
    MapperOptions options;
    options.threads = 2;
    for (const char* df : {"K|P", ""}) {
      options.dataflows.clear();
      if (*df) options.dataflows.push_back(*parse_dataflow(df));
      const MapperResult a = find_best_mapping(builtin(p), arch, options);
      const MapperResult b = find_best_mapping(as_workload(p), arch, options);
      ASSERT_TRUE(a.found && b.found) << p.zoo;
      EXPECT_EQ(a.objective_value, b.objective_value) << p.zoo << " " << df;
      EXPECT_EQ(a.mapping, b.mapping) << p.zoo << " " << df;
      EXPECT_EQ(a.evaluated, b.evaluated) << p.zoo << " " << df;
    }
  }
}

// Through the command: `optimize` of the workload file and of the zoo layer give the same
// mapping, energy, cycles and accesses in their JSON.
TEST(WorkloadForm, OptimizeJsonMatchesTheBuiltInLayer) {
  const auto dir = std::filesystem::temp_directory_path() / "workload_form_test";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "conv2.yaml").string();
  std::ofstream(file) << kPairs[1].yaml;
  const std::string a_json = (dir / "a.json").string(), b_json = (dir / "b.json").string();
  std::filesystem::remove(a_json);
  std::filesystem::remove(b_json);
  const auto a = testing::run_cli("optimize --arch eyeriss --network alexnet --layer conv2 --batch 16 --json " + a_json, "a");
  const auto b = testing::run_cli("optimize --arch eyeriss --network " + file + " --json " + b_json, "b");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto ja = nlohmann::json::parse(testing::slurp(a_json))["layers"][0];
  const auto jb = nlohmann::json::parse(testing::slurp(b_json))["layers"][0];
  for (const char* key : {"mapping", "mapping_yaml", "energy_pj", "cycles", "accesses", "array_transfers",
                          "energy_by_tensor_pj", "offchip_bytes", "utilization", "mappings_evaluated"}) {
    EXPECT_EQ(ja[key], jb[key]) << key;
  }
  EXPECT_EQ(jb["layer"]["type"], "workload");
  EXPECT_EQ(jb["layer"]["tensors"][0]["index"][3], "P+R");
}

// A workload of three operands from examples/: MTTKRP, A[I,J] += B[I,K,L] * C[K,J] *
// D[L,J]. Its default K|L blocking on eyeriss has two DRAM loops, I 4 outside L 4: B is
// read from DRAM once (I*K*L words); C once (K*J: both DRAM loops are irrelevant to it,
// so it stays resident); D once per I iteration (4 * L*J: I is irrelevant to D but
// outside L, which is relevant); A is written once (I*J) and never read back (L, irrelevant
// to A, is the inner DRAM loop: A's partial sums stay in the global buffer across it).
TEST(WorkloadForm, ThreeOperandWorkloadCountsByHand) {
  const std::string example = std::string(DNNSPACE_SOURCE_DIR) + "/examples/workloads/mttkrp.yaml";
  const auto dir = std::filesystem::temp_directory_path() / "workload_form_test";
  std::filesystem::create_directories(dir);
  const std::string json_path = (dir / "mttkrp.json").string();
  std::filesystem::remove(json_path);
  const auto r = testing::run_cli("evaluate --arch eyeriss --workload " + example + " --mapping 'K|L' --json " + json_path,
                                  "mttkrp");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::HasSubstr("B[I,K,L] * C[K,J] * D[L,J] -> A[I,J]"));
  const auto j = nlohmann::json::parse(testing::slurp(json_path));
  const auto& dram = j["accesses"]["DRAM"];
  EXPECT_EQ(dram["B"]["reads"], 64 * 64 * 64);
  EXPECT_EQ(dram["C"]["reads"], 64 * 32);
  EXPECT_EQ(dram["D"]["reads"], 4 * 64 * 32);
  EXPECT_EQ(dram["A"]["writes"], 64 * 32);
  EXPECT_EQ(dram["A"]["reads"], 0);
  EXPECT_EQ(j["layer"]["tensors"].size(), 4u);
  EXPECT_EQ(j["layer"]["tensors"][2]["name"], "D");
  EXPECT_EQ(j["layer"]["weights"], 64 * 32 + 64 * 32);  // C and D are parameters
  // The optimizer maps it too, and the mapping it returns evaluates to what it reports.
  const auto o = testing::run_cli("optimize --arch eyeriss --network " + example, "mttkrp_opt");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.out, ::testing::HasSubstr("(1 of 1 layers mapped)"));
}

}  // namespace
}  // namespace dnnspace
