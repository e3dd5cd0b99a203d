// area_mm2: the stated 28 nm constants give hand-checkable areas and grow with every size.
#include "dnnspace/arch/area.hpp"

#include <gtest/gtest.h>

#include "dnnspace/arch/presets.hpp"

namespace dnnspace {
namespace {

// Constants from area.hpp: SRAM 0.5 um^2/bit, RF 3 um^2/bit, 16-bit MAC 1000 um^2; DRAM 0.
// eyeriss: buffer 128 KB = 1,048,576 bits x 0.5 = 524,288 um^2;
//          RF 512 B x 256 PEs = 1,048,576 bits x 3 = 3,145,728 um^2;
//          MACs 256 x 1000 = 256,000 um^2; total 3,926,016 um^2 = 3.926016 mm^2.
TEST(Area, EyerissByHand) {
  EXPECT_NEAR(area_mm2(*arch_preset("eyeriss")), 3.926016, 1e-9);
}

// tpu-like: 28 MB = 234,881,024 bits x 0.5 = 117,440,512 um^2; 64 KB = 524,288 bits x 0.5
// = 262,144 um^2; RF 8 B x 1024 PEs = 65,536 bits x 3 = 196,608 um^2; MACs 1,024,000 um^2.
// Total 118,923,264 um^2 = 118.923264 mm^2.
TEST(Area, TpuLikeByHand) {
  EXPECT_NEAR(area_mm2(*arch_preset("tpu-like")), 118.923264, 1e-9);
}

// 8-bit MACs are (8/16)^2 = 1/4 the area: eyeriss MAC part 0.256 -> 0.064 mm^2.
TEST(Area, MacScalesQuadraticallyWithWidth) {
  Architecture a = *arch_preset("eyeriss");
  a.word_bits = 8;
  EXPECT_NEAR(area_mm2(a), 3.926016 - 0.256 + 0.064, 1e-9);
}

TEST(Area, DramAddsNothing) {
  Architecture a = *arch_preset("eyeriss");
  const double before = area_mm2(a);
  a.levels[0].capacity_bytes = 1LL << 32;
  EXPECT_DOUBLE_EQ(area_mm2(a), before);
}

TEST(Area, MonotonicInSizesAndPes) {
  const Architecture base = *arch_preset("eyeriss");
  const double a0 = area_mm2(base);
  Architecture bigger_buffer = base;
  bigger_buffer.levels[1].capacity_bytes *= 2;
  EXPECT_GT(area_mm2(bigger_buffer), a0);
  Architecture bigger_rf = base;
  bigger_rf.levels[2].capacity_bytes *= 2;
  EXPECT_GT(area_mm2(bigger_rf), a0);
  Architecture more_rows = base;
  more_rows.array.rows += 1;
  EXPECT_GT(area_mm2(more_rows), a0);
  Architecture more_cols = base;
  more_cols.array.cols += 1;
  EXPECT_GT(area_mm2(more_cols), a0);
  Architecture wider = base;
  wider.word_bits = 32;
  EXPECT_GT(area_mm2(wider), a0);
}

// A per-PE level costs RF area times the PE count: moving the array below the RegFile
// (no private storage) turns 256 RF copies into one shared SRAM of 512 B.
TEST(Area, PerPeLevelsAreReplicated) {
  Architecture a = *arch_preset("eyeriss");
  a.array.parent_level = 2;
  // 3.926016 - 3.145728 + 512 x 8 x 0.5 / 1e6 = 0.780288 + 0.002048 = 0.782336 mm^2.
  EXPECT_NEAR(area_mm2(a), 0.782336, 1e-9);
}

// A level's given area replaces its estimate (once per PE for a per-PE level), and the
// MACs scale with the product of the operand widths they see: 8-bit inputs and weights
// at the register file make each MAC 1000 x 8 x 8 / 256 = 250 um^2.
TEST(Area, GivenLevelAreasAndNarrowOperands) {
  Architecture a = *arch_preset("eyeriss");
  a.levels[1].area_mm2 = 0.6;
  a.levels[2].area_mm2 = 0.01;
  // 0.6 + 256 x 0.01 + 256 x 0.001 = 0.6 + 2.56 + 0.256.
  EXPECT_NEAR(area_mm2(a), 3.416, 1e-9);
  EXPECT_NEAR(level_area_mm2(a, 2), 0.01, 1e-12);
  a.levels[0].area_mm2 = 5.0;  // a level given an area counts, even the outermost
  EXPECT_NEAR(area_mm2(a), 8.416, 1e-9);
  Architecture narrow = *arch_preset("eyeriss");
  narrow.levels[2].word_bits[TensorId::Inputs] = 8;
  narrow.levels[2].word_bits[TensorId::Weights] = 8;
  EXPECT_NEAR(mac_area_mm2(narrow), 250e-6, 1e-15);
  EXPECT_NEAR(area_mm2(narrow), 0.524288 + 3.145728 + 256 * 250e-6, 1e-9);
}

}  // namespace
}  // namespace dnnspace
