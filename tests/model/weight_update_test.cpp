// The optimizer's update (model/weight_update.hpp) against hand counts: words read and
// written at the outermost level, their energy, the arithmetic, and the cycles of the
// compute or of the outermost level's bandwidth, whichever is more.
#include <gtest/gtest.h>

#include <cmath>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/model/weight_update.hpp"

namespace dnnspace {
namespace {

TEST(WeightUpdate, AdamOnEyerissByHand) {
  const Architecture arch = *arch_preset("eyeriss");  // 16 x 16 PEs, 16-bit words, no DRAM bandwidth limit
  const Expected<WeightUpdate> u = weight_update_cost(arch, 1000, Optimizer::Adam);
  ASSERT_TRUE(u) << u.error().message;
  // Per parameter: read w, g, m, v; write w, m, v. Nine operations.
  EXPECT_EQ(u->parameters, 1000);
  EXPECT_EQ(u->operations, 9000);
  const CostResult& c = u->cost;
  EXPECT_EQ(c.levels[0].accesses[TensorId::Weights].reads, 4000);
  EXPECT_EQ(c.levels[0].accesses[TensorId::Weights].writes, 3000);
  for (TensorId t : {TensorId::Inputs, TensorId::Outputs}) {
    EXPECT_EQ(c.levels[0].accesses[t].reads + c.levels[0].accesses[t].writes, 0);
  }
  const double dram_pj = arch.levels[0].access_energy_pj;  // read = write on this preset
  EXPECT_DOUBLE_EQ(c.levels[0].energy_total_pj, 7000 * dram_pj);
  EXPECT_DOUBLE_EQ(c.mac_energy_pj, 9000 * arch.mac_energy_pj);
  EXPECT_DOUBLE_EQ(c.energy_pj, 7000 * dram_pj + 9000 * arch.mac_energy_pj);
  EXPECT_EQ(c.macs, 0);
  // 9000 operations on 256 PEs: 35 full rounds and one of 40.
  EXPECT_EQ(c.compute_cycles, 36);
  EXPECT_EQ(c.cycles, 36);
  EXPECT_EQ(c.bound_level, -1);
  EXPECT_DOUBLE_EQ(c.utilization, 9000.0 / (36.0 * 256.0));
  EXPECT_EQ(c.offchip_bytes, 7000 * 2);
}

TEST(WeightUpdate, TheOutermostBandwidthBoundsItAndLeakageRunsForItsCycles) {
  Architecture arch = *arch_preset("eyeriss");
  arch.levels[0].read_bandwidth_words_per_cycle = 10.0;
  arch.levels[0].write_bandwidth_words_per_cycle = 5.0;
  arch.levels[0].leakage_mw = 1.0;
  arch.levels[0].tensor_write_energy_pj[TensorId::Weights] = 300.0;
  arch.levels[0].word_bits[TensorId::Weights] = 32;  // fp32 weights, gradients and state
  const Expected<WeightUpdate> u = weight_update_cost(arch, 1000, Optimizer::Momentum);
  ASSERT_TRUE(u) << u.error().message;
  const CostResult& c = u->cost;
  // Momentum: read w, g, v (3000); write w, v (2000); 2000 operations = 8 cycles on 256 PEs.
  EXPECT_EQ(c.compute_cycles, 8);
  // Reads 3000 / 10 = 300 cycles, writes 2000 / 5 = 400: the writes bind.
  EXPECT_EQ(c.levels[0].cycles, 400);
  EXPECT_EQ(c.cycles, 400);
  EXPECT_EQ(c.bound_level, 0);
  // 1 mW at 400 MHz is 2.5 pJ per cycle.
  ASSERT_DOUBLE_EQ(arch.clock_mhz, 400.0);
  EXPECT_DOUBLE_EQ(c.leakage_energy_pj, 400 * 2.5);
  const double read_pj = arch.levels[0].access_energy_pj * 32.0 / 16.0;  // a table energy scales with the width
  EXPECT_DOUBLE_EQ(c.levels[0].energy_total_pj, 3000 * read_pj + 2000 * 300.0);
  EXPECT_EQ(c.offchip_bytes, 5000 * 4);
}

TEST(WeightUpdate, SgdAndCountsPast64Bits) {
  const Architecture arch = *arch_preset("eyeriss");
  const Expected<WeightUpdate> sgd = weight_update_cost(arch, 256, Optimizer::Sgd);
  ASSERT_TRUE(sgd);
  EXPECT_EQ(sgd->cost.levels[0].accesses[TensorId::Weights].reads, 512);
  EXPECT_EQ(sgd->cost.levels[0].accesses[TensorId::Weights].writes, 256);
  EXPECT_EQ(sgd->cost.cycles, 1);
  const Expected<WeightUpdate> huge = weight_update_cost(arch, std::int64_t{1} << 61, Optimizer::Adam);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().message, "the weight update of 2305843009213693952 parameters moves more than 2^63 words");
}

}  // namespace
}  // namespace dnnspace
