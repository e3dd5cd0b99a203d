// search_training: every pass of a training step is the mapper's best for that pass, the
// sums are the passes' and updates' sums, kept activations are placed and costed as
// docs/search.md says, and each pass's counts agree with the tile walker.
#include <gtest/gtest.h>

#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/model/residency.hpp"
#include "dnnspace/model/simulator.hpp"
#include "dnnspace/search/training_search.hpp"
#include "support/small_network.hpp"

namespace dnnspace {
namespace {

using testing::small_conv;
using testing::small_fc;

MapperOptions options() {
  MapperOptions o = testing::single_thread_options();
  o.dataflows = {*parse_dataflow("C|K")};
  return o;
}

TrainingOptions in_dram(Optimizer optimizer = Optimizer::Sgd, std::int64_t steps = 1) {
  TrainingOptions t;
  t.optimizer = optimizer;
  t.time_steps = steps;
  t.keep_on_chip = false;
  return t;
}

TEST(TrainingSearch, EveryPassIsTheMappersBestAndTheSumsAreThePartsSums) {
  const Network net{"net", {small_conv("a", 2), small_fc("b", 2)}};
  const Architecture arch = testing::eyeriss_4x4();
  const Expected<TrainingSearch> s = search_training(net, arch, options(), in_dram(Optimizer::Momentum));
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_TRUE(s->complete());
  ASSERT_EQ(s->layers.size(), 2u);
  EXPECT_EQ(s->residency_level, -1);
  // The first layer computes no input gradient.
  EXPECT_EQ(s->layers[0].runs, (std::array<bool, 3>{true, false, true}));
  EXPECT_EQ(s->layers[1].runs, (std::array<bool, 3>{true, true, true}));
  double energy = 0.0;
  std::int64_t cycles = 0, offchip = 0, macs_sum = 0, ops = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    const TrainingLayer& tl = s->layers[i];
    for (Pass p : {Pass::Forward, Pass::DataGradient, Pass::WeightGradient}) {
      if (!tl.runs[static_cast<std::size_t>(p)]) continue;
      const MapperResult alone = find_best_mapping(with_pass(net.layers[i], p), arch, options());
      const MapperResult& r = tl.passes[static_cast<std::size_t>(p)].result;
      ASSERT_TRUE(alone.found);
      EXPECT_EQ(r.mapping, alone.mapping) << tl.name << " " << pass_name(p);
      EXPECT_DOUBLE_EQ(r.cost.energy_pj, alone.cost.energy_pj);
      energy += alone.cost.energy_pj;
      cycles += alone.cost.cycles;
      offchip += alone.cost.offchip_bytes;
      macs_sum += alone.cost.macs;
    }
    const WeightUpdate u = *weight_update_cost(arch, weight_count(net.layers[i]), Optimizer::Momentum);
    EXPECT_DOUBLE_EQ(tl.update.cost.energy_pj, u.cost.energy_pj);
    energy += u.cost.energy_pj;
    cycles += u.cost.cycles;
    offchip += u.cost.offchip_bytes;
    ops += u.operations;
  }
  EXPECT_NEAR(s->total.energy_pj, energy, 1e-9 * energy);
  EXPECT_EQ(s->total.cycles, cycles);
  EXPECT_EQ(s->total.offchip_bytes, offchip);
  EXPECT_EQ(s->total.macs, macs_sum);
  // conv a: 2 x 8 x 4 x 16 x 9 = 9,216 MACs, twice; fc b: 2 x 8 x 32 = 512, three times.
  EXPECT_EQ(macs_sum, 2 * 9216 + 3 * 512);
  EXPECT_EQ(ops, 2 * (8 * 4 * 9 + 8 * 32));
  EXPECT_EQ(s->update_operations, ops);
  // Footprint, 16-bit words: weights 288 + 256, as many gradients, one momentum word each;
  // kept: a's input 2 x 4 x 6 x 6 and b's 2 x 32, in DRAM; in flight: a's output gradient
  // (2 x 8 x 16) or b's output and input gradients (2 x 8 + 2 x 32), the larger.
  const TrainingFootprint& f = s->footprint;
  EXPECT_EQ(f.parameter_bytes, 544 * 2);
  EXPECT_EQ(f.gradient_bytes, 544 * 2);
  EXPECT_EQ(f.optimizer_state_bytes, 544 * 2);
  EXPECT_EQ(f.stored_offchip_bytes, (288 + 64) * 2);
  EXPECT_EQ(f.stored_onchip_bytes, 0);
  EXPECT_EQ(f.gradient_in_flight_bytes, 256 * 2);
  EXPECT_EQ(f.total_bytes, (544 * 3 + 352 + 256) * 2);
}

TEST(TrainingSearch, TimeStepsRepeatThePassesAndKeepEveryStepOnceUpdated) {
  const Network net{"rnn", {small_fc("x", 2), small_fc("h", 2)}};
  const Architecture arch = testing::eyeriss_4x4();
  const TrainingSearch one = *search_training(net, arch, options(), in_dram());
  const TrainingSearch four = *search_training(net, arch, options(), in_dram(Optimizer::Sgd, 4));
  for (std::size_t p : {0, 2}) {  // forward, wgrad
    EXPECT_DOUBLE_EQ(four.pass_totals[p].energy_pj, 4 * one.pass_totals[p].energy_pj);
    EXPECT_EQ(four.pass_totals[p].cycles, 4 * one.pass_totals[p].cycles);
    EXPECT_EQ(four.pass_totals[p].macs, 4 * one.pass_totals[p].macs);
  }
  // dgrad: over time steps the first layer's too (its input carries the previous state).
  EXPECT_FALSE(one.layers[0].runs[1]);
  ASSERT_TRUE(four.layers[0].runs[1]);
  EXPECT_EQ(four.pass_totals[1].macs, 4 * (one.pass_totals[1].macs + macs(net.layers[0])));
  EXPECT_DOUBLE_EQ(four.pass_totals[1].energy_pj,
                   4 * (one.pass_totals[1].energy_pj + four.layers[0].passes[1].result.cost.energy_pj));
  EXPECT_DOUBLE_EQ(four.update_total.energy_pj, one.update_total.energy_pj);
  EXPECT_EQ(four.footprint.stored_offchip_bytes, 4 * one.footprint.stored_offchip_bytes);
  EXPECT_EQ(four.layers[1].stored_bytes, 4 * 2 * 32 * 2);
}

// Kept activations on chip: from the last layer back while they fit in half the level;
// every pass of a layer runs with the level less the bytes kept so far; a gradient pass
// reads its kept operand from the level; the forward pass writes the copy.
TEST(TrainingSearch, KeptActivationsOnChipAreCostedWhereTheyLive) {
  const Network net{"net", {small_conv("a", 2), small_fc("b", 2), small_fc("c", 2)}};
  Architecture arch = testing::eyeriss_4x4();
  // b's and c's inputs (2 x 32 words = 128 B each) fit in half of 600 B; a's 576 B does not.
  arch.levels[1].capacity_bytes = 600;
  TrainingOptions chip;
  chip.keep_on_chip = true;
  const Expected<TrainingSearch> s = search_training(net, arch, options(), chip);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_TRUE(s->complete());
  EXPECT_EQ(s->residency_level, 1);
  EXPECT_EQ(s->layers[0].stored_level, 0);
  EXPECT_EQ(s->layers[1].stored_level, 1);
  EXPECT_EQ(s->layers[2].stored_level, 1);
  EXPECT_EQ(s->layers[0].reserved_bytes, 0);
  EXPECT_EQ(s->layers[1].reserved_bytes, 128);
  EXPECT_EQ(s->layers[2].reserved_bytes, 256);
  EXPECT_EQ(s->footprint.stored_onchip_bytes, 256);
  EXPECT_EQ(s->footprint.stored_offchip_bytes, 576);

  // Layer c's wgrad: the mapper's best with its input resident and 256 B reserved.
  const Layer wgrad = with_pass(net.layers[2], Pass::WeightGradient);
  const Architecture resident = with_resident_tensor(arch, 1, TensorId::Inputs, 256);
  MapperResult alone = find_best_mapping(wgrad, resident, options());
  ASSERT_TRUE(alone.found);
  const MapperResult& r = s->layers[2].passes[2].result;
  EXPECT_EQ(r.mapping, alone.mapping);
  const std::int64_t moved = alone.cost.levels[0].accesses[TensorId::Inputs].reads;
  EXPECT_GT(moved, 0);
  EXPECT_EQ(r.cost.levels[0].accesses[TensorId::Inputs].reads, 0);
  EXPECT_EQ(r.cost.levels[1].accesses[TensorId::Inputs].reads,
            alone.cost.levels[1].accesses[TensorId::Inputs].reads + moved);
  EXPECT_EQ(r.cost.offchip_bytes, alone.cost.offchip_bytes - moved * 2);
  // Layer c's forward: on the level less 256 B, plus 64 words written as the kept copy.
  Architecture smaller = arch;
  smaller.levels[1].capacity_bytes -= 256;
  const MapperResult forward = find_best_mapping(net.layers[2], smaller, options());
  const MapperResult& f = s->layers[2].passes[0].result;
  EXPECT_EQ(f.mapping, forward.mapping);
  EXPECT_EQ(f.cost.levels[1].accesses[TensorId::Inputs].writes, forward.cost.levels[1].accesses[TensorId::Inputs].writes + 64);
  EXPECT_DOUBLE_EQ(f.cost.energy_pj, forward.cost.energy_pj + 64 * arch.levels[1].access_energy_pj);
  // Layer a keeps its input in DRAM: its passes run with the whole level.
  const MapperResult a_forward = find_best_mapping(net.layers[0], arch, options());
  EXPECT_EQ(s->layers[0].passes[0].result.mapping, a_forward.mapping);
}

// Backprop through time with the kept activations on chip: every step's are held at once,
// so every pass reserves all of them; the first layer computes its input gradient (its
// input carries the previous step's state).
TEST(TrainingSearch, TimeStepsReserveEveryStepsKeptActivations) {
  const Network net{"rnn", {small_fc("x", 2), small_fc("h", 2)}};
  Architecture arch = testing::eyeriss_4x4();
  arch.levels[1].capacity_bytes = 2000;
  TrainingOptions chip;
  chip.time_steps = 3;
  const Expected<TrainingSearch> s = search_training(net, arch, options(), chip);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_TRUE(s->complete());
  // Each layer keeps 2 x 32 inputs x 3 steps x 2 B = 384 B; both fit in 1,000 B.
  EXPECT_EQ(s->layers[0].stored_bytes, 384);
  EXPECT_EQ(s->layers[1].stored_bytes, 384);
  EXPECT_EQ(s->layers[0].stored_level, 1);
  EXPECT_EQ(s->layers[0].reserved_bytes, 768);
  EXPECT_EQ(s->layers[1].reserved_bytes, 768);
  EXPECT_TRUE(s->layers[0].runs[1]);  // dgrad of the first layer
  Architecture smaller = arch;
  smaller.levels[1].capacity_bytes -= 768;
  EXPECT_EQ(s->layers[0].passes[0].result.mapping, find_best_mapping(net.layers[0], smaller, options()).mapping);
}

// Kept operands are held at their own widths: attention's scores keep Q (slot Inputs) and
// K^T (slot Weights); with 8-bit K^T and 16-bit Q in the global buffer, 2 x 16 x 8 words of
// each are 512 + 256 bytes.
TEST(TrainingSearch, KeptOperandsAtTheirOwnWidths) {
  const Network net{"attn", {small_fc("proj", 16), testing::small_attention_scores("scores")}};
  Architecture arch = testing::eyeriss_4x4();
  arch.levels[1].word_bits[TensorId::Weights] = 8;
  TrainingOptions chip;
  const Expected<TrainingSearch> s = search_training(net, arch, options(), chip);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->layers[1].stored_level, 1);
  EXPECT_EQ(s->layers[1].stored_bytes, 2 * 16 * 8 * 2 + 2 * 8 * 16 * 1);
}

// The copy of a kept activation is written through the level's bandwidth: with one word per
// cycle of writes the copy's words set the layer's cycles.
TEST(TrainingSearch, CopyWritesCountAgainstTheLevelsBandwidth) {
  const Layer l = small_fc("b", 2);
  Architecture arch = testing::eyeriss_4x4();
  const MapperResult r = find_best_mapping(l, arch, options());
  ASSERT_TRUE(r.found);
  arch.levels[1].write_bandwidth_words_per_cycle = 1.0;
  CostResult c = evaluate(prepare(l, arch), r.mapping);
  std::int64_t writes = 0;
  for (TensorId t : kAllTensors) writes += c.levels[1].accesses[t].writes;
  const std::int64_t copy = 100 * c.cycles;  // far more than the layer's cycles
  book_copy_writes(c, arch, 1, TensorId::Inputs, copy);
  EXPECT_EQ(c.levels[1].cycles, writes + copy);
  EXPECT_EQ(c.cycles, writes + copy);
  EXPECT_EQ(c.bound_level, 1);
}

// One layer's three passes, as the training search mapped them, counted by the tile walker.
TEST(TrainingSearch, EachPassAgreesWithTheTileWalker) {
  Layer b = small_conv("b", 2);
  b.pad_h = b.pad_w = 1;
  const Network net{"net", {small_conv("a", 2), b}};
  const Architecture arch = testing::eyeriss_4x4();
  const TrainingSearch s = *search_training(net, arch, options(), in_dram());
  const TrainingLayer& tl = s.layers[1];
  for (Pass p : {Pass::Forward, Pass::DataGradient, Pass::WeightGradient}) {
    const Layer layer = with_pass(b, p);
    const MapperResult& r = tl.passes[static_cast<std::size_t>(p)].result;
    ASSERT_TRUE(r.found) << pass_name(p);
    const SimulatedCounts sim = simulate(layer, arch, r.mapping);
    for (int l = 0; l < r.cost.num_levels; ++l) {
      for (TensorId t : kAllTensors) {
        EXPECT_EQ(r.cost.levels[l].accesses[t], sim.accesses[l][t]) << pass_name(p) << " L" << l;
      }
    }
    for (TensorId t : kAllTensors) EXPECT_EQ(r.cost.array_transfers[t], sim.array_transfers[t]) << pass_name(p);
  }
}

// A bounded outermost level must hold the weights, their gradients and the kept
// activations: 544 weights and 544 gradients, 352 kept words and 256 in flight, 2 B each.
TEST(TrainingSearch, ABoundedOutermostLevelMustHoldTheStep) {
  const Network net{"net", {small_conv("a", 2), small_fc("b", 2)}};
  Architecture arch = testing::eyeriss_4x4();
  arch.levels[0].capacity_bytes = 3000;
  const Expected<TrainingSearch> s = search_training(net, arch, options(), in_dram());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message,
            "network 'net': a training step holds 3392 bytes in DRAM (weights, gradients, optimizer state, kept "
            "activations), which holds 3000");
}

TEST(TrainingSearch, StopKeepsWhatWasReached) {
  const Network net{"net", {small_conv("a", 2), small_fc("b", 2)}};
  std::atomic<bool> stop{true};
  MapperOptions o = options();
  o.stop = &stop;
  const TrainingSearch s = *search_training(net, testing::eyeriss_4x4(), o, in_dram());
  EXPECT_TRUE(s.interrupted);
  EXPECT_FALSE(s.complete());
}

}  // namespace
}  // namespace dnnspace
