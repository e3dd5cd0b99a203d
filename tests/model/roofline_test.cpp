// Rooflines by hand: an FC layer on one PE behind a buffer (the case of timing_test),
// with its DRAM bandwidth limited or its buffer's write port narrow and single-buffered.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dnnspace/model/roofline.hpp"
#include "support/fc_on_one_pe.hpp"

namespace dnnspace {
namespace {

// The case of timing_test (tests/support/fc_on_one_pe.hpp): DRAM [K:4] / Buffer [C:8] at
// 16 bits and 1 GHz. DRAM is read for the 8 inputs once and the 32 weights and written with
// the 4 outputs: 44 words, 88 bytes. 32 MACs = 64 ops in 32 compute cycles (32 ns).
using Case = testing::OnePeCase;
using testing::fc_on_one_pe;

Roofline roofline_of(const Case& c) { return roofline(c.arch, evaluate(prepare(c.layer, c.arch), c.mapping)); }

// DRAM at 1 word per cycle: its 44 words take 44 ns against 32 ns of compute, so DRAM
// binds: 64 ops / 44 ns = 1.4545 Gop/s. CTC 64 / 88 = 0.7273 op/B, at the 2 GB/s the
// traffic sees (88 B in 44 ns): the same roof. Compute roof 64 / 32 ns = 2 Gop/s =
// the peak (1 PE x 2 ops x 1 GHz): the mapping keeps the one PE busy.
TEST(Roofline, DramBoundByHand) {
  Case c = fc_on_one_pe();
  c.arch.levels[0].bandwidth_words_per_cycle = 1.0;
  const Roofline r = roofline_of(c);
  EXPECT_DOUBLE_EQ(r.ops, 64.0);
  EXPECT_DOUBLE_EQ(r.peak_ops_per_s, 2e9);
  EXPECT_DOUBLE_EQ(r.compute_roof_ops_per_s(), 2e9);
  ASSERT_EQ(r.levels.size(), 2u);
  EXPECT_EQ(r.levels[0].traffic_bytes, 88);
  EXPECT_TRUE(r.levels[0].limited);
  EXPECT_NEAR(r.levels[0].ctc_ops_per_byte(r.ops), 64.0 / 88.0, 1e-12);
  EXPECT_NEAR(r.levels[0].bandwidth_bytes_per_s(), 2e9, 1e-3);
  EXPECT_NEAR(r.levels[0].roof_ops_per_s(r.ops), 64.0 / 44e-9, 1e-3);
  EXPECT_EQ(r.bound_by(), 0);
  EXPECT_NEAR(r.attainable_ops_per_s(), 64.0 / 44e-9, 1e-3);
  EXPECT_NEAR(r.achieved_ops_per_s(), 64.0 / 44e-9, 1e-3);
  EXPECT_DOUBLE_EQ(r.fraction_of_roof(), 1.0);
  // The buffer has no bandwidth: no roof, whatever its traffic (72 writes + 96 reads).
  EXPECT_FALSE(r.levels[1].limited);
  EXPECT_EQ(r.levels[1].traffic_bytes, (72 + 96) * 2);
  EXPECT_TRUE(std::isinf(r.levels[1].roof_ops_per_s(r.ops)));
}

// DRAM at 2 words per cycle: 22 ns, under the 32 ns of compute: compute binds at 2 Gop/s.
TEST(Roofline, ComputeBoundByHand) {
  Case c = fc_on_one_pe();
  c.arch.levels[0].bandwidth_words_per_cycle = 2.0;
  const Roofline r = roofline_of(c);
  EXPECT_EQ(r.bound_by(), kComputeBound);
  EXPECT_NEAR(r.attainable_ops_per_s(), 2e9, 1e-3);
  EXPECT_NEAR(r.levels[0].roof_ops_per_s(r.ops), 64.0 / 22e-9, 1e-3);
  EXPECT_DOUBLE_EQ(r.fraction_of_roof(), 1.0);
}

// A single-buffered buffer with a 2-word write port: its 72 writes take 36 ns, which
// binds (over 32 ns of compute), but the PE also waits 20 ns for the 40 words refilled
// from DRAM: 52 ns. Achieved 64 / 52 ns, 36 / 52 of the roof 64 / 36 ns.
TEST(Roofline, RefillStallsLeaveTheMappingBelowItsRoof) {
  Case c = fc_on_one_pe();
  c.arch.levels[1].write_bandwidth_words_per_cycle = 2.0;
  c.arch.levels[1].double_buffered = false;
  const Roofline r = roofline_of(c);
  EXPECT_EQ(r.bound_by(), 1);
  EXPECT_NEAR(r.attainable_ops_per_s(), 64.0 / 36e-9, 1e-3);
  EXPECT_NEAR(r.achieved_ops_per_s(), 64.0 / 52e-9, 1e-3);
  EXPECT_NEAR(r.fraction_of_roof(), 36.0 / 52.0, 1e-12);
  EXPECT_FALSE(r.levels[0].limited);
}

// Two layers one after another, the DRAM-bound one (44 ns) and the buffer-bound one (36
// ns): 128 ops under their roofs in 80 ns = 1.6 Gop/s, run in 44 + 52 = 96 ns; DRAM
// binds the larger share. Traffic adds up: 176 B through DRAM, CTC 128 / 176.
TEST(Roofline, LayersAddUpUnderTheirOwnRoofs) {
  Case a = fc_on_one_pe(), b = fc_on_one_pe();
  a.arch.levels[0].bandwidth_words_per_cycle = 1.0;
  b.arch.levels[1].write_bandwidth_words_per_cycle = 2.0;
  b.arch.levels[1].double_buffered = false;
  const std::vector<Roofline> layers = {roofline_of(a), roofline_of(b)};
  const Roofline sum = roofline_sum(layers);
  EXPECT_DOUBLE_EQ(sum.ops, 128.0);
  EXPECT_NEAR(sum.bound_s, 80e-9, 1e-18);
  EXPECT_NEAR(sum.run_s, 96e-9, 1e-18);
  EXPECT_NEAR(sum.attainable_ops_per_s(), 1.6e9, 1e-3);
  EXPECT_NEAR(sum.fraction_of_roof(), 80.0 / 96.0, 1e-12);
  EXPECT_EQ(sum.bound_by(), 0);
  EXPECT_EQ(sum.levels[0].traffic_bytes, 176);
  EXPECT_NEAR(sum.levels[0].ctc_ops_per_byte(sum.ops), 128.0 / 176.0, 1e-12);
  EXPECT_NEAR(sum.compute_s, 64e-9, 1e-18);
}

}  // namespace
}  // namespace dnnspace
