// The evaluation report builders on tiny problems whose costs are derived by hand
// from the model's rules (docs/model.md; include/dnnspace/model/cost.hpp).
#include "dnnspace/report/evaluation.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "dnnspace/mapping/print.hpp"

namespace dnnspace {
namespace {

using ::testing::HasSubstr;

// FC-like layer: K = 2 outputs, C = 3 inputs, N = 1. MACs = 2 x 3 = 6.
// Tensor sizes: inputs 3, weights 6, outputs 2 words.
Layer fc_layer() {
  Layer layer;
  layer.name = "tiny";
  layer.kind = LayerKind::FullyConnected;
  layer.bounds[Dim::K] = 2;
  layer.bounds[Dim::C] = 3;
  return layer;
}

StorageLevel level(const char* name, double pj) {
  StorageLevel s;
  s.name = name;
  s.access_energy_pj = pj;
  s.energy_source = "given";
  return s;
}

// Energies: DRAM 200 pJ/word, RegFile 1 pJ/word, MAC 0.5 pJ; 16-bit words (2 B).
Architecture arch_with(std::vector<StorageLevel> levels, std::int64_t cols, double flat_pj) {
  Architecture arch;
  arch.name = "hand";
  arch.levels = std::move(levels);
  arch.array = PeArray{1, cols, 0, ArrayCostStyle::Flat, 0.0, flat_pj};
  arch.mac_energy_pj = 0.5;
  arch.word_bits = 16;
  arch.clock_mhz = 100.0;
  return arch;
}

CostResult cost_of(const Layer& layer, const Architecture& arch, const Mapping& mapping) {
  return evaluate(prepare(layer, arch), mapping);
}

// One storage level (DRAM) feeding the MACs directly, temporal [K: 2, C: 3].
// Every MAC reads its input and its weight from DRAM (no storage below, no multicast):
//   inputs reads = weights reads = MACs = 6.
// Outputs: 6 updates written; the first touch of each of the 2 outputs starts from
// zero and is not read, so psum reads = 6 - 2 = 4.
// DRAM words = 6 + 6 + 4 + 6 = 22 -> 22 x 200 = 4400 pJ; MACs 6 x 0.5 = 3 pJ;
// no array transfers. Total 4403 pJ, 4403 / 6 pJ/MAC. Off-chip 22 words x 2 B = 44 B.
// Cycles = 2 x 3 = 6 on 1 PE, utilization 6 / 6 = 1.
TEST(EvaluationJson, OneLevelByHand) {
  const Layer layer = fc_layer();
  const Architecture arch = arch_with({level("DRAM", 200.0)}, 1, 0.0);
  Mapping m;
  m.levels.resize(1);
  m.levels[0].temporal.push_back({2, Dim::K});
  m.levels[0].temporal.push_back({3, Dim::C});
  const CostResult cost = cost_of(layer, arch, m);
  const nlohmann::json j = report::evaluation_json(layer, arch, m, cost);

  EXPECT_EQ(j["arch"], "hand");
  EXPECT_EQ(j["layer"]["name"], "tiny");
  EXPECT_EQ(j["layer"]["macs"], 6);
  EXPECT_EQ(j["layer"]["K"], 2);
  EXPECT_EQ(j["layer"]["C"], 3);
  EXPECT_EQ(j["accesses"]["DRAM"]["inputs"]["reads"], 6);
  EXPECT_EQ(j["accesses"]["DRAM"]["inputs"]["writes"], 0);
  EXPECT_EQ(j["accesses"]["DRAM"]["weights"]["reads"], 6);
  EXPECT_EQ(j["accesses"]["DRAM"]["outputs"]["reads"], 4);
  EXPECT_EQ(j["accesses"]["DRAM"]["outputs"]["writes"], 6);
  EXPECT_DOUBLE_EQ(j["energy_breakdown_pj"]["DRAM"].get<double>(), 4400.0);
  EXPECT_DOUBLE_EQ(j["energy_breakdown_pj"]["MAC"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(j["energy_breakdown_pj"]["Array"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(j["energy_by_tensor_pj"]["DRAM"]["inputs"].get<double>(), 1200.0);   // 6 x 200
  EXPECT_DOUBLE_EQ(j["energy_by_tensor_pj"]["DRAM"]["weights"].get<double>(), 1200.0);  // 6 x 200
  EXPECT_DOUBLE_EQ(j["energy_by_tensor_pj"]["DRAM"]["outputs"].get<double>(), 2000.0);  // 10 x 200
  EXPECT_DOUBLE_EQ(j["energy_pj"].get<double>(), 4403.0);
  EXPECT_DOUBLE_EQ(j["pj_per_mac"].get<double>(), 4403.0 / 6.0);
  EXPECT_EQ(j["offchip_bytes"], 44);
  EXPECT_EQ(j["cycles"], 6);
  EXPECT_EQ(j["compute_cycles"], 6);
  EXPECT_DOUBLE_EQ(j["utilization"].get<double>(), 1.0);
  EXPECT_EQ(j["dataflow"], "none");  // no spatial loops
  EXPECT_EQ(j["feasible"], true);
  for (const char* t : {"inputs", "weights", "outputs"}) EXPECT_EQ(j["array_transfers"][t], 0) << t;
  EXPECT_EQ(j["mapping"], "[DRAM] holds inputs weights outputs\nfor K in 0..2\n  for C in 0..3\n    MAC\n");
}

// DRAM -> RegFile (per PE, 1 PE), DRAM temporal [K: 2], RegFile temporal [C: 3].
// The RegFile tile per K step: 3 inputs, 3 weights, 1 output.
//  - inputs do not depend on K, so the tile stays resident across the K loop: filled
//    once, DRAM reads 3, RegFile writes 3; RegFile reads = one per MAC = 6.
//  - weights depend on K: 2 tiles of 3 -> DRAM reads 6, RegFile writes 6, reads 6.
//  - outputs: DRAM writes 2 (each output drained once) and reads 0 (nothing to send
//    back down: every output is finished within its K step); RegFile reads = 2
//    drains + 4 psum reads (6 updates minus 2 first touches) = 6, writes = 6 updates.
// DRAM: 3 + 6 + 2 = 11 words x 200 = 2200 pJ. RegFile: (6+3) + (6+6) + (6+6) = 33 x 1 = 33 pJ.
// MAC 3 pJ. Total 2236 pJ. Off-chip 11 x 2 B = 22 B.
TEST(EvaluationJson, TwoLevelsByHand) {
  const Layer layer = fc_layer();
  const Architecture arch = arch_with({level("DRAM", 200.0), level("RegFile", 1.0)}, 1, 0.0);
  Mapping m;
  m.levels.resize(2);
  m.levels[0].temporal.push_back({2, Dim::K});
  m.levels[1].temporal.push_back({3, Dim::C});
  const CostResult cost = cost_of(layer, arch, m);
  const nlohmann::json j = report::evaluation_json(layer, arch, m, cost);

  const auto& a = j["accesses"];
  EXPECT_EQ(a["DRAM"]["inputs"]["reads"], 3);
  EXPECT_EQ(a["DRAM"]["weights"]["reads"], 6);
  EXPECT_EQ(a["DRAM"]["outputs"]["reads"], 0);
  EXPECT_EQ(a["DRAM"]["outputs"]["writes"], 2);
  EXPECT_EQ(a["RegFile"]["inputs"]["reads"], 6);
  EXPECT_EQ(a["RegFile"]["inputs"]["writes"], 3);
  EXPECT_EQ(a["RegFile"]["weights"]["reads"], 6);
  EXPECT_EQ(a["RegFile"]["weights"]["writes"], 6);
  EXPECT_EQ(a["RegFile"]["outputs"]["reads"], 6);
  EXPECT_EQ(a["RegFile"]["outputs"]["writes"], 6);
  EXPECT_DOUBLE_EQ(j["energy_breakdown_pj"]["DRAM"].get<double>(), 2200.0);
  EXPECT_DOUBLE_EQ(j["energy_breakdown_pj"]["RegFile"].get<double>(), 33.0);
  EXPECT_DOUBLE_EQ(j["energy_breakdown_pj"]["MAC"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(j["energy_pj"].get<double>(), 2236.0);
  EXPECT_EQ(j["offchip_bytes"], 22);
  EXPECT_EQ(j["compute_cycles"], 6);
}

// As above with a 1x2 array under DRAM and K unrolled on the columns: cols [K: 2] at
// DRAM, RegFile temporal [C: 3]; flat array cost 0.5 pJ per transfer.
//  - inputs: both PEs need the same 3 inputs; DRAM reads them once (multicast, 3),
//    each PE's RegFile is filled with 3 (6 writes): 6 - 3 = 3 array transfers.
//    RegFile reads 6 (one per MAC).
//  - weights: each PE gets its own 3: DRAM reads 6, RegFile writes 6, reads 6; 0 transfers.
//  - outputs: as in TwoLevelsByHand, DRAM writes 2, RegFile reads 6, writes 6; 0 transfers.
// DRAM 11 x 200 = 2200; RegFile (6+6) + (6+6) + (6+6) = 36 pJ; MAC 3; Array 3 x 0.5 = 1.5.
// Total 2240.5 pJ. Compute cycles 3 (only C is temporal) on 2 PEs: utilization 6 / 6 = 1.
TEST(EvaluationJson, MulticastOnTheArrayByHand) {
  const Layer layer = fc_layer();
  const Architecture arch = arch_with({level("DRAM", 200.0), level("RegFile", 1.0)}, 2, 0.5);
  Mapping m;
  m.levels.resize(2);
  m.levels[0].cols.push_back({2, Dim::K});
  m.levels[1].temporal.push_back({3, Dim::C});
  const CostResult cost = cost_of(layer, arch, m);
  const nlohmann::json j = report::evaluation_json(layer, arch, m, cost);

  EXPECT_EQ(j["accesses"]["DRAM"]["inputs"]["reads"], 3);
  EXPECT_EQ(j["accesses"]["RegFile"]["inputs"]["writes"], 6);
  EXPECT_EQ(j["array_transfers"]["inputs"], 3);
  EXPECT_EQ(j["array_transfers"]["weights"], 0);
  EXPECT_EQ(j["array_transfers"]["outputs"], 0);
  EXPECT_DOUBLE_EQ(j["energy_by_tensor_pj"]["Array"]["inputs"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(j["energy_breakdown_pj"]["Array"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(j["energy_breakdown_pj"]["RegFile"].get<double>(), 36.0);
  EXPECT_DOUBLE_EQ(j["energy_pj"].get<double>(), 2240.5);
  EXPECT_EQ(j["compute_cycles"], 3);
  EXPECT_DOUBLE_EQ(j["utilization"].get<double>(), 1.0);
  EXPECT_EQ(j["dataflow"], "|K");
}

// The per-tensor array energy under the per-hop style: hops x hop energy. 004 Fig. 1's
// replicated 1-D array (CK on 8 PEs, tests/model/worked_example_test.cpp): inputs travel
// 4 transfers x 4 hops = 16 hops, outputs 6 transfers x 1 hop = 6 hops; at 0.25 pJ per
// hop: inputs 4 pJ, outputs 1.5 pJ.
TEST(ArrayEnergy, PerHopChargesHops) {
  Layer layer;
  layer.bounds[Dim::C] = 4;
  layer.bounds[Dim::K] = 2;
  Architecture arch = arch_with({level("DRAM", 1.0), level("RegFile", 1.0)}, 8, 0.0);
  arch.array.cost_style = ArrayCostStyle::PerHop;
  arch.array.hop_energy_pj = 0.25;
  Mapping m;
  m.levels.resize(2);
  m.levels[0].cols.push_back({4, Dim::C});
  m.levels[0].cols.push_back({2, Dim::K});
  const CostResult cost = cost_of(layer, arch, m);
  EXPECT_DOUBLE_EQ(array_energy_pj(arch, cost, TensorId::Inputs), 4.0);
  EXPECT_DOUBLE_EQ(array_energy_pj(arch, cost, TensorId::Weights), 0.0);
  EXPECT_DOUBLE_EQ(array_energy_pj(arch, cost, TensorId::Outputs), 1.5);
  EXPECT_DOUBLE_EQ(cost.array_energy_pj, 5.5);
}

TEST(EvaluationJson, LevelNamedLikeAFixedKeyIsRenamed) {
  const Layer layer = fc_layer();
  const Architecture arch = arch_with({level("DRAM", 200.0), level("MAC", 1.0)}, 1, 0.0);
  Mapping m;
  m.levels.resize(2);
  m.levels[0].temporal.push_back({2, Dim::K});
  m.levels[1].temporal.push_back({3, Dim::C});
  const nlohmann::json j = report::evaluation_json(layer, arch, m, cost_of(layer, arch, m));
  // Same numbers as TwoLevelsByHand: the level holds 33 pJ, the MACs 3 pJ.
  EXPECT_DOUBLE_EQ(j["energy_breakdown_pj"]["level:MAC"].get<double>(), 33.0);
  EXPECT_DOUBLE_EQ(j["energy_breakdown_pj"]["MAC"].get<double>(), 3.0);
}

TEST(EvaluationTable, ShowsTheHandDerivedNumbers) {
  const Layer layer = fc_layer();
  const Architecture arch = arch_with({level("DRAM", 200.0), level("RegFile", 1.0)}, 1, 0.0);
  Mapping m;
  m.levels.resize(2);
  m.levels[0].temporal.push_back({2, Dim::K});
  m.levels[1].temporal.push_back({3, Dim::C});
  const std::string table = report::evaluation_table(layer, arch, m, cost_of(layer, arch, m));
  EXPECT_THAT(table, HasSubstr("arch      hand: 2 levels, 1x1 PEs below DRAM, 16-bit words, 100 MHz\n"));
  EXPECT_THAT(table, HasSubstr("layer     tiny (fc): N=1 K=2 C=3 P=1 Q=1 R=1 S=1\n"));
  EXPECT_THAT(table, HasSubstr("MACs      6\n"));
  EXPECT_THAT(table, HasSubstr("status    feasible\n"));
  // DRAM energy per tensor: inputs 3 x 200, weights 6 x 200, outputs 2 x 200; total 2200 = 98.4%.
  EXPECT_THAT(table, HasSubstr("DRAM          600.0  1,200.0    400.0  2,200.0   98.4%\n"));
  EXPECT_THAT(table, HasSubstr("total                                  2,236.0  100.0%\n"));
  EXPECT_THAT(table, HasSubstr("pJ/MAC 372.6667\n"));  // 2236 / 6
  EXPECT_THAT(table, HasSubstr("compute cycles  6\n"));
  EXPECT_THAT(table, HasSubstr("utilization     100.0% of 1 PEs\n"));
  EXPECT_THAT(table, HasSubstr("off-chip bytes  22\n"));
  EXPECT_THAT(table, HasSubstr("latency         0.06 us at 100 MHz\n"));  // 6 cycles / 100 MHz
  EXPECT_THAT(table, HasSubstr("loop nest\n" + format_loop_nest(layer, arch, m)));
}

TEST(EvaluationTable, MarksAnInfeasibleResult) {
  const Layer layer = fc_layer();
  std::vector<StorageLevel> levels = {level("DRAM", 200.0), level("RegFile", 1.0)};
  levels[1].capacity_bytes = 4;  // the tile needs (3 + 3 + 1) words x 2 B = 14 B
  const Architecture arch = arch_with(levels, 1, 0.0);
  Mapping m;
  m.levels.resize(2);
  m.levels[0].temporal.push_back({2, Dim::K});
  m.levels[1].temporal.push_back({3, Dim::C});
  const CostResult cost = cost_of(layer, arch, m);
  EXPECT_THAT(report::evaluation_table(layer, arch, m, cost),
              HasSubstr("status    INFEASIBLE: tiles overflow level 'RegFile'\n"));
  EXPECT_EQ(report::evaluation_json(layer, arch, m, cost)["feasible"], false);
}

TEST(Formatting, GroupDigitsAndShape) {
  EXPECT_EQ(report::group_digits(0), "0");
  EXPECT_EQ(report::group_digits(999), "999");
  EXPECT_EQ(report::group_digits(1000), "1,000");
  EXPECT_EQ(report::group_digits(2392326144), "2,392,326,144");
  EXPECT_EQ(report::group_digits(-1234567), "-1,234,567");
  Layer l = fc_layer();
  l.bounds[Dim::G] = 2;
  l.stride_h = 2;
  l.stride_w = 1;
  l.pad_h = l.pad_w = 1;
  EXPECT_EQ(report::layer_shape(l), "N=1 K=2 C=3 P=1 Q=1 R=1 S=1 G=2 stride=2x1 pad=1");
}

}  // namespace
}  // namespace dnnspace
