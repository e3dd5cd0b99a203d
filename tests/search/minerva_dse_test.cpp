// Minerva's stage 2 (001 Sec. 4.3.2): a design point worked by hand, and the sweep's
// frontier and choice.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "dnnspace/arch/minerva_datapath.hpp"
#include "dnnspace/search/minerva_dse.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

Network one_fc(std::int64_t c, std::int64_t k) {
  const std::vector<std::int64_t> widths = {c, k};
  return mlp_network("fc", widths);
}

TEST(MinervaDse, SramEnergyFollowsTheTable) {
  const MinervaTech tech;
  EXPECT_NEAR(minerva_sram_energy_pj(tech, 8 * 1024, 64), 10.0, 1e-9);
  EXPECT_NEAR(minerva_sram_energy_pj(tech, 32 * 1024, 64), 20.0, 1e-9);
  EXPECT_NEAR(minerva_sram_energy_pj(tech, 1024 * 1024, 64), 100.0, 1e-9);
  // Below 8 KB the 8-32 KB power law (energy ~ size^0.5): 2 KB is half of 8 KB's.
  EXPECT_NEAR(minerva_sram_energy_pj(tech, 2048, 64), 5.0, 1e-9);
  EXPECT_NEAR(minerva_sram_energy_pj(tech, 2048, 16), 1.25, 1e-9);
}

// FC C = 8 -> K = 4 on 2 lanes of 2 MACs, one weight bank per lane, 100 MHz, 16 bits.
// Every bank is the smallest macro (2 KB): 1.25 pJ per 16-bit access.
TEST(MinervaDse, OneDesignPointByHand) {
  MinervaDatapath d;
  d.lanes = 2;
  d.macs_per_lane = 2;
  d.weight_banks_per_lane = 1;
  d.clock_mhz = 100.0;
  Expected<MinervaEvaluation> e = evaluate_minerva(one_fc(8, 4), d);
  ASSERT_TRUE(e.has_value()) << e.error().message;
  const CostResult& r = e->layers.at(0);
  const auto& sram = r.levels[0].accesses;
  const auto& acc = r.levels[1].accesses;
  EXPECT_EQ(sram[TensorId::Weights].reads, 32);  // every weight once
  EXPECT_EQ(sram[TensorId::Inputs].reads, 16);   // 8 steps x 2 inputs, broadcast to both lanes
  EXPECT_EQ(sram[TensorId::Outputs].writes, 4);  // each neuron once, after the adder tree
  // Each accumulator: 4 updates per neuron, 3 of them read the sum, then one drain; x 2 neurons.
  EXPECT_EQ(acc[TensorId::Outputs], (TensorAccesses{2 * 4 * (3 + 1), 2 * 4 * 4}));
  EXPECT_EQ(r.array_transfers[TensorId::Inputs], 16);   // the second lane's copies
  EXPECT_EQ(r.array_transfers[TensorId::Outputs], 4);   // one adder-tree step per neuron
  // 48 words read at 2 weight banks + 2 activation banks a cycle: 12 cycles, not 8.
  EXPECT_EQ(r.compute_cycles, 8);
  EXPECT_EQ(e->cycles, 12);
  EXPECT_EQ(r.bound_level, 0);

  const double sram_pj = (32 + 16 + 4) * 1.25, acc_pj = 64 * 0.05, array_pj = 20 * 0.05;
  const double mac_pj = 32 * (3.1 * 256.0 / 1024.0 + 0.05);
  // Leakage: 5.2639 mW/mm^2 (002's neuron) over 4 banks of 2 KB (0.6 um^2 per bit + 5,000
  // um^2 each) and 4 MACs (1,000 um^2) with their 16-bit accumulators (67.2 um^2).
  const double density = 0.26936 / 0.0511715;
  const double sram_mm2 = 4 * (2048 * 8 * 0.6 + 5000.0) * 1e-6, pe_mm2 = 4 * (1000.0 + 67.2) * 1e-6;
  const double leakage_pj = density * (sram_mm2 + pe_mm2) * 120.0;  // mW x ns = pJ; 12 cycles at 100 MHz
  EXPECT_NEAR(e->leakage_pj, leakage_pj, 1e-9);
  EXPECT_NEAR(e->energy_pj, sram_pj + acc_pj + array_pj + mac_pj + leakage_pj, 1e-9);
  EXPECT_NEAR(e->seconds, 120e-9, 1e-18);
  EXPECT_NEAR(e->power_mw, (sram_pj + acc_pj + array_pj + mac_pj + leakage_pj) / 120.0, 1e-9);
  EXPECT_NEAR(e->area_mm2, sram_mm2 + pe_mm2, 1e-12);
}

TEST(MinervaDse, NarrowerTypesAndLowerVoltageCostLess) {
  const Network mlp = zoo_network("mlp-784-256-256-256-10").value();
  MinervaDatapath d;
  const double baseline = evaluate_minerva(mlp, d).value().power_mw;
  d.weight_bits = 8;
  d.activation_bits = 6;
  d.product_bits = 9;
  const double quantized = evaluate_minerva(mlp, d).value().power_mw;
  EXPECT_LT(quantized, baseline);
  d.sram_voltage = 0.7;
  EXPECT_LT(evaluate_minerva(mlp, d).value().power_mw, quantized);
  d.razor = true;  // detection costs 12.8% of the weight SRAMs' power back
  EXPECT_GT(evaluate_minerva(mlp, d).value().power_mw, evaluate_minerva(mlp, [&] {
                                                         MinervaDatapath e = d;
                                                         e.razor = false;
                                                         return e;
                                                       }()).value().power_mw);
}

TEST(MinervaDse, FaultRateCurve) {
  const MinervaTech tech;
  EXPECT_DOUBLE_EQ(sram_bit_fault_rate(tech, 0.9), 1e-9);
  EXPECT_NEAR(std::log10(sram_bit_fault_rate(tech, 0.9 - 0.0262)), -8.0, 1e-9);  // a decade per 26.2 mV
  // 001's 4.4% about 200 mV below nominal.
  EXPECT_NEAR(sram_voltage_for_fault_rate(tech, 0.044), 0.9 - 0.0262 * std::log10(0.044 / 1e-9), 1e-12);
  EXPECT_NEAR(sram_voltage_for_fault_rate(tech, 0.044), 0.70, 0.005);
  EXPECT_DOUBLE_EQ(sram_voltage_for_fault_rate(tech, 1e-12), 0.9);
  EXPECT_DOUBLE_EQ(sram_voltage_for_fault_rate(tech, 0.5), 0.9 - 0.0262 * std::log10(0.5 / 1e-9));
  EXPECT_DOUBLE_EQ(sram_bit_fault_rate(tech, 0.3), 0.5);
  for (double p : {1e-7, 1e-5, 1e-3, 1e-2}) {
    EXPECT_NEAR(sram_bit_fault_rate(tech, sram_voltage_for_fault_rate(tech, p)), p, p * 1e-9);
  }
}

TEST(MinervaDse, KneeOfAHandFrontier) {
  // In log-log space the chord runs from (0, ln 16) to (ln 16, 0); (2, 3) lies farthest below it.
  EXPECT_EQ(frontier_knee({1, 2, 4, 8, 16}, {16, 3, 2, 1.5, 1}), 1u);
  EXPECT_EQ(frontier_knee({1, 2, 4, 8, 16}, {16, 8, 4, 2, 1}), 0u);  // a straight line has no knee
  EXPECT_EQ(frontier_knee({1, 2}, {2, 1}), 0u);
}

TEST(MinervaDse, SweepFrontierAndChoice) {
  const Network mlp = zoo_network("mlp-784-256-256-256-10").value();
  MinervaSpace space;
  space.lanes = {1, 4, 16, 64};
  space.macs_per_lane = {1, 4, 16};
  space.weight_banks_per_lane = {1, 4};
  space.clocks_mhz = {100.0, 500.0};
  Expected<MinervaSweep> sweep = minerva_sweep(mlp, space);
  ASSERT_TRUE(sweep.has_value()) << sweep.error().message;
  EXPECT_EQ(sweep->points.size(), 4u * 3 * 2 * 2);
  ASSERT_GE(sweep->front.size(), 3u);
  for (std::size_t i = 1; i < sweep->front.size(); ++i) {
    const MinervaEvaluation& a = sweep->points[sweep->front[i - 1]];
    const MinervaEvaluation& b = sweep->points[sweep->front[i]];
    EXPECT_LE(a.seconds, b.seconds);
    EXPECT_GE(a.power_mw, b.power_mw);
  }
  // No point is both faster and lower-power than a frontier point.
  for (std::size_t f : sweep->front) {
    for (const MinervaEvaluation& p : sweep->points) {
      EXPECT_FALSE(p.seconds < sweep->points[f].seconds && p.power_mw < sweep->points[f].power_mw);
    }
  }
  EXPECT_NE(std::find(sweep->front.begin(), sweep->front.end(), sweep->chosen), sweep->front.end());
  // A latency bound picks the lowest-power frontier point within it.
  const double bound_us = sweep->points[sweep->chosen].seconds * 1e6 * 2.0;
  Expected<MinervaSweep> bounded = minerva_sweep(mlp, space, {}, {}, bound_us);
  ASSERT_TRUE(bounded.has_value());
  const MinervaEvaluation& pick = bounded->points[bounded->chosen];
  EXPECT_LE(pick.seconds * 1e6, bound_us);
  for (std::size_t f : bounded->front) {
    if (bounded->points[f].seconds * 1e6 <= bound_us) {
      EXPECT_GE(bounded->points[f].power_mw, pick.power_mw);
    }
  }
  EXPECT_FALSE(minerva_sweep(mlp, space, {}, {}, 1e-6).has_value());  // no design is that fast
  EXPECT_FALSE(evaluate_minerva(zoo_network("lenet5").value(), {}).has_value());  // not an MLP
}

}  // namespace
}  // namespace dnnspace
