// Schedules compiled to mappings: 004 Fig. 2 (the loop nest and buffer sizes of Fig. 2c),
// Fig. 4's dataflows, and the errors of illegal schedules.
#include <gmock/gmock.h>
#include <gtest/gtest.h>


#include "dnnspace/arch/presets.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/mapping/footprint.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/mapping/schedule.hpp"
#include "support/fig2_layer.hpp"

namespace dnnspace {
namespace {

using testing::fig2_layer;

// DRAM and one on-chip buffer feeding a rows x cols array.
Architecture two_level(std::int64_t rows = 1, std::int64_t cols = 1) {
  Architecture a;
  a.name = "two-level";
  StorageLevel dram;
  dram.name = "DRAM";
  StorageLevel buffer;
  buffer.name = "Buffer";
  a.levels = {dram, buffer};
  a.array.rows = rows;
  a.array.cols = cols;
  a.array.parent_level = 1;
  return a;
}

Schedule fig2_schedule() {
  Schedule s;
  s.tile("x", "y", "xo", "yo", "xi", "yi", 28, 28).reorder({"xi", "yi", "xo", "yo"}).accelerate({"input", "w"});
  s.buffer("input", "", "xo").buffer("w", "", "xo").buffer("output", "", "xo");
  return s;
}

std::vector<Loop> loops(const LevelLoops& l) { return {l.temporal.begin(), l.temporal.end()}; }

TEST(Schedule, Fig2bGivesTheFig2cNestAndBufferSizes) {
  const Layer layer = fig2_layer();
  const auto compiled = compile_schedule(layer, two_level(), fig2_schedule());
  ASSERT_TRUE(compiled) << compiled.error().message;
  const Mapping& m = compiled->mapping;
  ASSERT_EQ(m.levels.size(), 2u);
  // Fig. 2c: for k / for yo / for xo | alloc buffers | for yi / xi / r.z / r.y / r.x.
  EXPECT_EQ(loops(m.levels[0]), (std::vector<Loop>{{64, Dim::K}, {4, Dim::P}, {4, Dim::Q}}));
  EXPECT_EQ(loops(m.levels[1]),
            (std::vector<Loop>{{28, Dim::P}, {28, Dim::Q}, {3, Dim::C}, {5, Dim::R}, {5, Dim::S}}));
  // ibuf[28 + 5 - 1, 28 + 5 - 1, 3], wbuf[5, 5, 3, 1], obuf[28, 28, 1].
  const Nest nest = flatten(m);
  EXPECT_EQ(tile_words(layer, nest, TensorId::Inputs, 1), 32 * 32 * 3);
  EXPECT_EQ(tile_words(layer, nest, TensorId::Weights, 1), 5 * 5 * 3);
  EXPECT_EQ(tile_words(layer, nest, TensorId::Outputs, 1), 28 * 28);
  EXPECT_TRUE(check_mapping_structure(layer, compiled->arch, m));
}

TEST(Schedule, ImpliesTheArchitectureItsBuffersNeed) {
  // Fig. 2b without an architecture: one buffer level of exactly Fig. 2c's tiles.
  const Layer layer = fig2_layer();
  const auto fig2 = compile_schedule(layer, fig2_schedule());
  ASSERT_TRUE(fig2) << fig2.error().message;
  ASSERT_EQ(fig2->arch.levels.size(), 2u);
  EXPECT_EQ(fig2->arch.levels[1].name, "L1");
  EXPECT_EQ(fig2->arch.levels[1].capacity_bytes, (32 * 32 * 3 + 5 * 5 * 3 + 28 * 28) * 2);  // 16-bit words
  EXPECT_FALSE(fig2->arch.levels[1].double_buffered);
  EXPECT_EQ(fig2->arch.array.rows * fig2->arch.array.cols, 1);
  EXPECT_EQ(fig2->arch.array.parent_level, 1);
  EXPECT_EQ(fig2->mapping, compile_schedule(layer, two_level(), fig2_schedule())->mapping);

  // C|K on a 16 x 8 array with named levels: the register file keeps 2 K x 2 C x 3 x 3
  // weights, 2 C x 3 x 3 inputs and 2 K outputs per PE.
  Layer conv3;
  conv3.name = "conv3";
  conv3.bounds[Dim::K] = 384;
  conv3.bounds[Dim::C] = 256;
  conv3.bounds[Dim::P] = 13;
  conv3.bounds[Dim::Q] = 13;
  conv3.bounds[Dim::R] = 3;
  conv3.bounds[Dim::S] = 3;
  Schedule s;
  s.split("k", "ko", "kr", 2).split("ko", "kd", "ka", 8).split("c", "co", "cr", 2).split("co", "cd", "ca", 16);
  s.reorder({"s", "r", "cr", "kr", "ca", "ka", "q", "p", "cd", "kd"}).unroll("ca", Axis::Rows).unroll("ka", Axis::Cols);
  s.systolic().accelerate({"inputs", "weights"});
  for (const char* t : {"inputs", "weights", "outputs"}) s.buffer(t, "GlobalBuffer", "cd").buffer(t, "RegFile", "ca");
  const auto ck = compile_schedule(conv3, s);
  ASSERT_TRUE(ck) << ck.error().message;
  const Architecture& a = ck->arch;
  ASSERT_EQ(a.levels.size(), 3u);
  EXPECT_EQ(a.levels[1].name, "GlobalBuffer");
  EXPECT_EQ(a.levels[2].name, "RegFile");
  EXPECT_EQ(a.array.rows, 16);
  EXPECT_EQ(a.array.cols, 8);
  EXPECT_EQ(a.array.parent_level, 1);
  EXPECT_EQ(a.array.timing, ArrayTiming::Systolic);
  EXPECT_EQ(a.levels[2].capacity_bytes, (2 * 2 * 3 * 3 + 2 * 3 * 3 + 2) * 2);
  // The global buffer: 16 x 2 channels of the 15 x 15 input plane, 8 x 2 x 32 x 9 weights,
  // 16 x 169 outputs.
  EXPECT_EQ(a.levels[1].capacity_bytes, (32 * 15 * 15 + 16 * 32 * 9 + 16 * 13 * 13) * 2);
  EXPECT_TRUE(a.levels[1].energy_derivation.has_value());
  EXPECT_GT(a.levels[1].access_energy_pj, a.levels[2].access_energy_pj);
  EXPECT_TRUE(check_mapping(conv3, a, ck->mapping));
}

TEST(Schedule, Fig4DataflowsComeOutOfTheirSchedules) {
  const Layer layer = fig2_layer();
  struct Case {
    std::vector<std::pair<std::string, Axis>> unrolled;
    bool systolic;
    const char* dataflow;
  };
  for (const Case& c : {Case{{{"c", Axis::Rows}, {"k4", Axis::Cols}}, true, "C|K"},    // Fig. 4c
                        Case{{{"r", Axis::Rows}, {"y4", Axis::Cols}}, true, "R|P"},    // Fig. 4b: F_Y | Y
                        Case{{{"c", Axis::Rows}}, false, "C|"}}) {                       // Fig. 4a: a reduction tree
    Schedule s;
    s.split("k", "k16", "k4", 4).split("y", "y28", "y4", 4).accelerate({"inputs", "weights"});
    for (const auto& [loop, axis] : c.unrolled) s.unroll(loop, axis);
    if (c.systolic) s.systolic();
    s.buffer("inputs", "", "").buffer("weights", "", "").buffer("outputs", "", "");
    const auto compiled = compile_schedule(layer, two_level(8, 8), s);
    ASSERT_TRUE(compiled) << compiled.error().message;
    EXPECT_EQ(dataflow_name(dataflow_of(compiled->mapping, compiled->arch)), c.dataflow);
    EXPECT_EQ(compiled->arch.array.timing, c.systolic ? ArrayTiming::Systolic : ArrayTiming::Ideal);
    EXPECT_TRUE(check_mapping(layer, compiled->arch, compiled->mapping)) << c.dataflow;
  }
}

TEST(Schedule, InnermostUnrolledLoopGetsTheNearestNeighbours) {
  // 004 Fig. 1: C and K on one axis as "CK": C varies fastest between neighbours.
  Layer layer = fig2_layer();
  Schedule s;
  s.split("k", "ko", "ki", 2).reorder({"c", "ki"}).unroll("c", Axis::Rows).unroll("ki", Axis::Rows);
  s.accelerate({"inputs", "weights"}).buffer("inputs", "", "").buffer("weights", "", "").buffer("outputs", "", "");
  const auto compiled = compile_schedule(layer, two_level(8, 1), s);
  ASSERT_TRUE(compiled) << compiled.error().message;
  EXPECT_EQ(dataflow_name(dataflow_of(compiled->mapping, compiled->arch)), "CK|");
}

TEST(Schedule, NamedLevelsBypassAndPartialTiles) {
  // eyeriss: DRAM, GlobalBuffer (feeds the 16 x 16 array), RegFile per PE.
  const Architecture eyeriss = arch_preset("eyeriss").value();
  const Layer layer = fig2_layer();
  Schedule s;
  s.split("p", "po", "pi", 10);  // 112 = 11 x 10 + 2: a partial last tile
  s.reorder({"s", "c", "r", "pi", "q", "k", "po"}).unroll("c", Axis::Rows).unroll("r", Axis::Cols);
  s.accelerate({"inputs", "weights"});
  s.buffer("weights", "RegFile", "c").buffer("outputs", "RegFile", "c");
  s.buffer("inputs", "GlobalBuffer", "po").buffer("outputs", "GlobalBuffer", "po");
  const auto compiled = compile_schedule(layer, eyeriss, s);
  ASSERT_TRUE(compiled) << compiled.error().message;
  const Mapping& m = compiled->mapping;
  EXPECT_EQ(loops(m.levels[0]), (std::vector<Loop>{{12, Dim::P}}));  // ceil(112 / 10)
  EXPECT_EQ(loops(m.levels[1]), (std::vector<Loop>{{64, Dim::K}, {112, Dim::Q}, {10, Dim::P}}));
  EXPECT_EQ(m.levels[1].rows[0], (Loop{3, Dim::C}));
  EXPECT_EQ(m.levels[1].cols[0], (Loop{5, Dim::R}));
  EXPECT_EQ(loops(m.levels[2]), (std::vector<Loop>{{5, Dim::S}}));
  // Weights bypass the global buffer, inputs the register file.
  EXPECT_FALSE(compiled->arch.levels[1].holds[TensorId::Weights]);
  EXPECT_TRUE(compiled->arch.levels[1].holds[TensorId::Inputs]);
  EXPECT_FALSE(compiled->arch.levels[2].holds[TensorId::Inputs]);
  EXPECT_TRUE(compiled->arch.levels[2].holds[TensorId::Weights]);
  EXPECT_TRUE(check_mapping_structure(layer, compiled->arch, m));
}

// The error of compiling `s` onto `arch`, which must fail.
std::string error_of(const Schedule& s, const Architecture& arch = two_level(4, 4)) {
  const auto r = compile_schedule(fig2_layer(), arch, s);
  EXPECT_FALSE(r);
  return r ? std::string() : r.error().message;
}

Schedule with_buffers(Schedule s) {
  return s.accelerate({"inputs", "weights"}, "f:9").buffer("inputs", "", "").buffer("weights", "", "").buffer("outputs", "", "");
}

TEST(Schedule, IllegalSchedulesPointAtThePrimitiveAndTheReason) {
  using ::testing::HasSubstr;
  EXPECT_THAT(error_of(with_buffers(Schedule{}.split("z", "zo", "zi", 4, "f:1"))), HasSubstr("f:1: no loop 'z'"));
  EXPECT_THAT(error_of(with_buffers(Schedule{}.split("p", "po", "pi", 0, "f:2"))), HasSubstr("f:2: split(p): the factor must be >= 1"));
  EXPECT_THAT(error_of(with_buffers(Schedule{}.split("p", "k", "pi", 4, "f:2"))), HasSubstr("already named 'k'"));
  EXPECT_THAT(error_of(with_buffers(Schedule{}.unroll("k", Axis::Rows, "f:3"))),
              HasSubstr("f:3: unroll(k, rows): unroll beyond the array: the loops unrolled on rows take 64 PEs, and two-level has 4"));
  EXPECT_THAT(error_of(with_buffers(Schedule{}.reorder({"k", "k"}, "f:4"))), HasSubstr("f:4: reorder: loop 'k' is listed twice"));
  EXPECT_THAT(error_of(with_buffers(Schedule{}.bound("p", 100, "f:5"))), HasSubstr("at least the dimension's bound 112"));
  EXPECT_THAT(error_of(Schedule{}.buffer("inputs", "", "")), HasSubstr("never says accelerate"));
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs"}, "f:6").buffer("inputs", "", "")),
              HasSubstr("f:6: accelerate: weights is an operand of the layer"));
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs", "outputs"}, "f:6")), HasSubstr("'outputs' is not an operand"));
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs", "weights"})), HasSubstr("level Buffer of two-level gets no buffer"));
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs", "weights"}).buffer("inputs", "Nowhere", "", "f:7")),
              HasSubstr("f:7: in(Nowhere): two-level has no level 'Nowhere' (levels below DRAM: Buffer)"));
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs", "weights"}).buffer("inputs", "DRAM", "", "f:7")),
              HasSubstr("the outermost level"));
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs", "weights"}).buffer("inputs", "Buffer", "").buffer("weights", "", "")),
              HasSubstr("name all or none"));
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs", "weights"}).buffer("inputs", "Buffer", "").buffer("weights", "Buffer", "k", "f:8")),
              HasSubstr("f:8: weights.in(Buffer).compute_at(k): Buffer's buffers sit at one loop, and the one of inputs is at root"));
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs", "weights"}).buffer("nothing", "", "", "f:8")),
              HasSubstr("f:8: in(): 'nothing' is not a tensor of fig2"));
  // Two levels below DRAM, unnamed buffers at one loop: one level short.
  const Architecture eyeriss = arch_preset("eyeriss").value();
  EXPECT_THAT(error_of(with_buffers(Schedule{}), eyeriss), HasSubstr("sit at 1 loop(s), making as many levels, but eyeriss has 2"));
  // Named: RegFile outside GlobalBuffer.
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs", "weights"}).buffer("inputs", "GlobalBuffer", "c").buffer("weights", "RegFile", "k", "f:9"), eyeriss),
              HasSubstr("f:9: RegFile's buffers at k lie outside GlobalBuffer's at c"));
  // A level with no buffer.
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs", "weights"}).buffer("inputs", "GlobalBuffer", ""), eyeriss),
              HasSubstr("level RegFile of eyeriss gets no buffer"));
  // The array is fed by the global buffer: unrolled loops inside the register file's are refused.
  EXPECT_THAT(error_of(Schedule{}.unroll("s", Axis::Rows).accelerate({"inputs", "weights"})
                           .buffer("inputs", "GlobalBuffer", "").buffer("weights", "RegFile", "c"), eyeriss),
              HasSubstr("unroll(s): the PE array of eyeriss is fed by GlobalBuffer, but the unrolled loops are RegFile's"));
  EXPECT_THAT(error_of(with_buffers(Schedule{}.unroll("p", Axis::None, "f:3"))), HasSubstr("say which array axis"));
  // Extents whose product overflows 64 bits are refused, not wrapped.
  EXPECT_THAT(error_of(with_buffers(Schedule{}.bound("p", std::int64_t{1} << 40).bound("q", std::int64_t{1} << 40)
                                        .unroll("p", Axis::Rows).unroll("q", Axis::Rows))),
              HasSubstr("unroll beyond the array: the loops unrolled on rows take 9223372036854775807 PEs"));
  // Splits of a loop of extent 1 make more loops of extent 1: capped.
  Schedule many;
  for (int i = 0; i < 1100; ++i) many.split(i == 0 ? "n" : "n" + std::to_string(i), "n" + std::to_string(i + 1), "m" + std::to_string(i), 1, "f:" + std::to_string(i));
  EXPECT_THAT(error_of(with_buffers(many)), HasSubstr("at most 1024 loops"));
  // A split pads only its last tile: a factor past the extent is refused (bound() pads).
  EXPECT_THAT(error_of(with_buffers(Schedule{}.split("p", "po", "pi", 113, "f:10"))),
              HasSubstr("f:10: split(p, po, pi, 113): the factor exceeds the loop's extent 112 (allowed: 1..112)"));
  EXPECT_TRUE(compile_schedule(fig2_layer(), two_level(4, 4), with_buffers(Schedule{}.split("p", "po", "pi", 112))));
  // An operand listed twice, by its name and by Fig. 2's alias.
  EXPECT_THAT(error_of(Schedule{}.accelerate({"inputs", "weights", "input"}, "f:11").buffer("inputs", "", "")),
              HasSubstr("f:11: accelerate: inputs is listed twice ('input' names it too)"));
}

// Loops of extent 1 run nowhere: unrolling one decides neither the array's level nor its
// size (N = 1 unrolled on the rows of a schedule whose only buffers sit inside k).
TEST(Schedule, UnrolledLoopsOfExtentOneDecideNothing) {
  Schedule s;
  s.unroll("n", Axis::Rows).split("c", "c1", "c0", 3).unroll("c0", Axis::Cols).accelerate({"inputs", "weights"});
  for (const char* t : {"inputs", "weights", "outputs"}) s.buffer(t, "L1", "k");
  const auto implied = compile_schedule(fig2_layer(), s);
  ASSERT_TRUE(implied) << implied.error().message;
  EXPECT_EQ(implied->arch.array.parent_level, 1);
  EXPECT_EQ(implied->arch.array.rows, 1);
  EXPECT_EQ(implied->arch.array.cols, 3);
  // The dataflow still says what the schedule asked for: N on the rows, C on the columns.
  EXPECT_EQ(dataflow_name({implied->unrolled_rows, implied->unrolled_cols}), "N|C");
  Architecture arch = two_level(1, 4);
  arch.levels[1].name = "L1";
  const auto onto = compile_schedule(fig2_layer(), arch, s);
  ASSERT_TRUE(onto) << onto.error().message;
  EXPECT_EQ(onto->mapping, implied->mapping);
}

TEST(Schedule, ImpliedLevelsAreNotNamedLikeEnergyRows) {
  Schedule s;
  s.accelerate({"inputs", "weights"}, "f:1").buffer("inputs", "MAC", "", "f:2");
  const auto r = compile_schedule(fig2_layer(), s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "f:2: in(MAC): 'MAC' names a row of the energy report (the MACs, the array's network); call the buffer's level "
            "otherwise");
}

// In a gradient pass a tensor answers to its own name only: in wgrad the weights' slot
// holds output_grad, so `weights` would name the wrong tensor.
TEST(Schedule, GradientPassesTakeTheirTensorsNames) {
  const Layer wgrad = with_pass(fig2_layer(), Pass::WeightGradient);
  Schedule roles;
  roles.accelerate({"inputs", "weights"}, "f:1");
  const auto r = compile_schedule(wgrad, two_level(), roles);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "f:1: accelerate: 'weights' is not an operand of fig2 (operands: inputs, output_grad)");
  Schedule names;
  names.accelerate({"inputs", "output_grad"}).buffer("inputs", "", "").buffer("output_grad", "", "").buffer("output", "", "");
  const auto ok = compile_schedule(wgrad, two_level(), names);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(ok->arch.levels[1].holds[TensorId::Outputs]);  // weight_grad, the accumulated tensor
}

}  // namespace
}  // namespace dnnspace
