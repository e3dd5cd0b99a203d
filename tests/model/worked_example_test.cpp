// The worked example of docs/model.md, every number derived by hand there.
#include <gtest/gtest.h>

#include "dnnspace/model/cost.hpp"
#include "dnnspace/model/simulator.hpp"

namespace dnnspace {
namespace {

struct Example {
  Layer layer;
  Architecture arch;
  Mapping mapping;
};

// K=2, C=2, P=4, R=3 (1-D conv, stride 1); DRAM -> Buffer -> per-PE RegFile, a 1x2
// array under Buffer; mapping DRAM [C:2] / Buffer [P:2] cols [K:2] / RegFile [P:2, R:3].
Example example() {
  Example e;
  e.layer.name = "example";
  e.layer.bounds[Dim::K] = 2;
  e.layer.bounds[Dim::C] = 2;
  e.layer.bounds[Dim::P] = 4;
  e.layer.bounds[Dim::R] = 3;
  e.arch.name = "example";
  StorageLevel dram{"DRAM", {{true, true, true}}, 0, false, 0.0, 200.0, "given", std::nullopt, std::nullopt, std::nullopt};
  StorageLevel buffer{"Buffer", {{true, true, true}}, 1024, false, 0.0, 6.0, "given", std::nullopt, std::nullopt, std::nullopt};
  StorageLevel rf{"RegFile", {{true, true, true}}, 64, false, 0.0, 1.0, "given", std::nullopt, std::nullopt, std::nullopt};
  e.arch.levels = {dram, buffer, rf};
  e.arch.array = PeArray{1, 2, 1, ArrayCostStyle::PerHop, 0.1, 0.0};
  e.arch.mac_energy_pj = 0.5;
  e.arch.word_bits = 16;
  e.mapping.levels.resize(3);
  e.mapping.levels[0].temporal.push_back({2, Dim::C});
  e.mapping.levels[1].temporal.push_back({2, Dim::P});
  e.mapping.levels[1].cols.push_back({2, Dim::K});
  e.mapping.levels[2].temporal.push_back({2, Dim::P});
  e.mapping.levels[2].temporal.push_back({3, Dim::R});
  return e;
}

TEST(WorkedExample, AccessCountsMatchTheHandDerivation) {
  const Example e = example();
  const CostResult r = evaluate(prepare(e.layer, e.arch), e.mapping);
  constexpr auto I = TensorId::Inputs, W = TensorId::Weights, O = TensorId::Outputs;
  // DRAM: every input and weight read once; outputs written once, never read back.
  EXPECT_EQ(r.levels[0].accesses[I], (TensorAccesses{12, 0}));
  EXPECT_EQ(r.levels[0].accesses[W], (TensorAccesses{12, 0}));
  EXPECT_EQ(r.levels[0].accesses[O], (TensorAccesses{0, 8}));
  // Buffer: inputs re-read per P half (2 halves x 4 rows x 2 channels = 16, the two
  // overlapping rows are fetched twice), multicast to both PEs.
  EXPECT_EQ(r.levels[1].accesses[I], (TensorAccesses{16, 12}));
  EXPECT_EQ(r.levels[1].accesses[W], (TensorAccesses{12, 12}));
  // Outputs: 16 drains in from the RFs; 8 psums sent back down for the second C pass
  // plus 8 drained once to DRAM.
  EXPECT_EQ(r.levels[1].accesses[O], (TensorAccesses{16, 16}));
  // RegFile (both PEs): inputs filled 32 (16 per PE), read 48 (one per MAC).
  EXPECT_EQ(r.levels[2].accesses[I], (TensorAccesses{48, 32}));
  EXPECT_EQ(r.levels[2].accesses[W], (TensorAccesses{48, 12}));
  // Outputs: reads = 16 drains + 40 psum reads (48 updates minus 8 first touches in
  // the c = 0 epochs); writes = 8 fills + 48 updates.
  EXPECT_EQ(r.levels[2].accesses[O], (TensorAccesses{56, 56}));
  EXPECT_EQ(r.array_transfers[I], 16);
  EXPECT_EQ(r.array_transfers[W], 0);
  EXPECT_EQ(r.array_transfers[O], 0);
  EXPECT_DOUBLE_EQ(r.array_hops[I], 16.0);

  EXPECT_EQ(r.macs, 48);
  EXPECT_EQ(r.compute_cycles, 24);
  EXPECT_DOUBLE_EQ(r.utilization, 1.0);
  EXPECT_EQ(r.offchip_bytes, 64);
  // Energy: DRAM 32 x 200 + Buffer 84 x 6 + RegFile 252 x 1 + MAC 48 x 0.5 + array 16 x 0.1.
  EXPECT_DOUBLE_EQ(r.levels[0].energy_total_pj, 6400.0);
  EXPECT_DOUBLE_EQ(r.levels[1].energy_total_pj, 504.0);
  EXPECT_DOUBLE_EQ(r.levels[2].energy_total_pj, 252.0);
  EXPECT_DOUBLE_EQ(r.mac_energy_pj, 24.0);
  EXPECT_NEAR(r.array_energy_pj, 1.6, 1e-12);
  EXPECT_NEAR(r.energy_pj, 7181.6, 1e-9);
  // Tiles: RegFile per PE holds inputs for 2 outputs x 3 taps = 4 rows, 3 weights, 2 psums.
  EXPECT_EQ(r.levels[2].tile_words[I], 4);
  EXPECT_EQ(r.levels[2].tile_words[W], 3);
  EXPECT_EQ(r.levels[2].tile_words[O], 2);
  EXPECT_TRUE(r.feasible());
}

TEST(WorkedExample, SimulatorAgrees) {
  const Example e = example();
  const CostResult r = evaluate(prepare(e.layer, e.arch), e.mapping);
  const SimulatedCounts s = simulate(e.layer, e.arch, e.mapping);
  for (int l = 0; l < 3; ++l) {
    for (TensorId t : kAllTensors) EXPECT_EQ(r.levels[l].accesses[t], s.accesses[l][t]) << l;
  }
}

// 004 Sec. III-C, Fig. 1: C and K unrolled on a 1-D array of 8 PEs as "CK": outputs
// move between neighbours (1 hop), inputs between the two groups of 4 (4 hops).
TEST(ArrayHops, ReplicatedOneDimensionalArrayOfFig1) {
  Layer layer;
  layer.bounds[Dim::C] = 4;
  layer.bounds[Dim::K] = 2;
  Architecture arch;
  arch.levels = {StorageLevel{"DRAM", {{true, true, true}}, 0, false, 0.0, 1.0, "given", std::nullopt, std::nullopt, std::nullopt},
                 StorageLevel{"RegFile", {{true, true, true}}, 0, false, 0.0, 1.0, "given", std::nullopt, std::nullopt, std::nullopt}};
  arch.array = PeArray{1, 8, 0, ArrayCostStyle::PerHop, 1.0, 0.0};
  Mapping m;
  m.levels.resize(2);
  m.levels[0].cols.push_back({4, Dim::C});
  m.levels[0].cols.push_back({2, Dim::K});
  const CostResult r = evaluate(prepare(layer, arch), m);
  // Each input is needed by the 2 K-groups: 1 transfer of 4 hops per input (4 inputs).
  EXPECT_EQ(r.array_transfers[TensorId::Inputs], 4);
  EXPECT_DOUBLE_EQ(r.array_hops[TensorId::Inputs], 16.0);
  // Each output reduces 4 psums along neighbours: 3 transfers of 1 hop, 2 outputs.
  EXPECT_EQ(r.array_transfers[TensorId::Outputs], 6);
  EXPECT_DOUBLE_EQ(r.array_hops[TensorId::Outputs], 6.0);
  EXPECT_EQ(r.array_transfers[TensorId::Weights], 0);
}

// Separate read and write energies: the same counts, each read charged the level's read
// energy and each write its write energy. DRAM reads 24, writes 8; Buffer reads 16 + 12 +
// 16 = 44, writes 12 + 12 + 16 = 40; RegFile reads 48 + 48 + 56 = 152, writes 32 + 12 +
// 56 = 100 (the counts above).
TEST(WorkedExample, ReadAndWriteEnergiesChargeEachAccess) {
  Example e = example();
  e.arch.levels[0].read_energy_pj = 100.0;
  e.arch.levels[0].write_energy_pj = 300.0;
  e.arch.levels[1].write_energy_pj = 9.0;  // reads stay at the access energy, 6
  e.arch.levels[2].read_energy_pj = 0.5;
  const CostResult r = evaluate(prepare(e.layer, e.arch), e.mapping);
  EXPECT_DOUBLE_EQ(r.levels[0].energy_total_pj, 24 * 100.0 + 8 * 300.0);
  EXPECT_DOUBLE_EQ(r.levels[1].energy_total_pj, 44 * 6.0 + 40 * 9.0);
  EXPECT_DOUBLE_EQ(r.levels[2].energy_total_pj, 152 * 0.5 + 100 * 1.0);
  EXPECT_DOUBLE_EQ(r.levels[1].energy_pj[TensorId::Outputs], 16 * 6.0 + 16 * 9.0);
  EXPECT_NEAR(r.energy_pj, 4800.0 + 624.0 + 176.0 + 24.0 + 1.6, 1e-9);
}

// Per-tensor read and write energies over the level's, and vector accesses. Buffer reads
// (inputs 16, weights 12, outputs 16) and writes (12, 12, 16): weights read at 2 pJ and
// outputs written at 12 over the level's 6 pJ: 16 x 6 + 12 x 2 + 16 x 6 reads, 12 x 6 +
// 12 x 6 + 16 x 12 writes = 216 + 336. DRAM with 4-word accesses at 400 pJ each: 100 pJ a
// word, its 24 reads and 8 writes 3,200 pJ.
TEST(WorkedExample, PerTensorEnergiesAndVectorAccesses) {
  Example e = example();
  e.arch.levels[1].tensor_read_energy_pj[TensorId::Weights] = 2.0;
  e.arch.levels[1].tensor_write_energy_pj[TensorId::Outputs] = 12.0;
  e.arch.levels[0].access_energy_pj = 400.0;
  e.arch.levels[0].access_width_words = 4;
  const CostResult r = evaluate(prepare(e.layer, e.arch), e.mapping);
  EXPECT_DOUBLE_EQ(r.levels[1].energy_pj[TensorId::Weights], 12 * 2.0 + 12 * 6.0);
  EXPECT_DOUBLE_EQ(r.levels[1].energy_pj[TensorId::Outputs], 16 * 6.0 + 16 * 12.0);
  EXPECT_DOUBLE_EQ(r.levels[1].energy_total_pj, 216.0 + 336.0);
  EXPECT_DOUBLE_EQ(r.levels[0].energy_total_pj, 32 * 100.0);
  // A level-wide read energy is overridden only for the tensor that has its own.
  e.arch.levels[1].read_energy_pj = 5.0;
  const CostResult both = evaluate(prepare(e.layer, e.arch), e.mapping);
  EXPECT_DOUBLE_EQ(both.levels[1].energy_pj[TensorId::Inputs], 16 * 5.0 + 12 * 6.0);
  EXPECT_DOUBLE_EQ(both.levels[1].energy_pj[TensorId::Weights], 12 * 2.0 + 12 * 6.0);
}

// Per-tensor word widths. RegFile with 8-bit inputs and weights and 24-bit psums: its
// per-PE tiles (inputs 4, weights 3, outputs 2 words) take 4 + 3 + 2 x 3 = 13 B instead
// of 9 x 2 = 18 B. DRAM with 8-bit words for all: off-chip bytes = (12 + 12 + 8) x 1.
// A given energy is per word whatever the width; a derived one scales with it: the
// Buffer's 6 pJ at the architecture's 16 bits is 3 pJ for 8-bit inputs and weights and
// 9 pJ for 24-bit outputs (Buffer reads/writes: inputs 16/12, weights 12/12, outputs
// 16/16).
TEST(WorkedExample, PerTensorWordWidths) {
  Example e = example();
  constexpr auto I = TensorId::Inputs, W = TensorId::Weights, O = TensorId::Outputs;
  for (TensorId t : {I, W, O}) e.arch.levels[0].word_bits[t] = 8;
  e.arch.levels[2].word_bits[I] = 8;
  e.arch.levels[2].word_bits[W] = 8;
  e.arch.levels[2].word_bits[O] = 24;
  e.arch.levels[1].word_bits[I] = 8;
  e.arch.levels[1].word_bits[W] = 8;
  e.arch.levels[1].word_bits[O] = 24;
  e.arch.levels[1].energy_derivation = EnergyDerivation{"interstellar-28nm", MemoryKind::Sram};
  const CostResult r = evaluate(prepare(e.layer, e.arch), e.mapping);
  EXPECT_EQ(r.levels[2].footprint_bytes, 4 + 3 + 2 * 3);
  EXPECT_EQ(r.offchip_bytes, 12 + 12 + 8);
  EXPECT_DOUBLE_EQ(r.levels[0].energy_total_pj, (24 + 8) * 200.0);  // given: per word
  EXPECT_DOUBLE_EQ(r.levels[1].energy_pj[I], (16 + 12) * 3.0);
  EXPECT_DOUBLE_EQ(r.levels[1].energy_pj[W], (12 + 12) * 3.0);
  EXPECT_DOUBLE_EQ(r.levels[1].energy_pj[O], (16 + 16) * 9.0);
  // The same counts as at 16 bits: widths change bytes and energies, not accesses.
  EXPECT_EQ(r.levels[1].accesses[I], (TensorAccesses{16, 12}));
  // A RegFile of 12 B no longer fits those 13 B; the legality check names each width.
  e.arch.levels[2].capacity_bytes = 12;
  const CostResult tight = evaluate(prepare(e.layer, e.arch), e.mapping);
  EXPECT_EQ(tight.infeasibility, Infeasibility::Capacity);
  EXPECT_EQ(tight.infeasible_level, 2);
}

// The MAC's energy with narrower operands: multiplier ~ a x b, adder ~ accumulator width,
// in the proportion 3.1 pJ (32 x 32-bit multiply) to 0.1 pJ (32-bit add). At 16 bits
// that is 3.1/4 + 0.1/2 = 0.825; with 8-bit operands and a 24-bit accumulator 3.1/16 +
// 0.1 x 24/32 = 0.26875. The example's 0.5 pJ MAC becomes 0.5 x 0.26875 / 0.825.
TEST(WorkedExample, MacEnergyScalesWithOperandWidths) {
  Example e = example();
  EXPECT_EQ(mac_energy_per_mac_pj(e.arch), 0.5);  // every width is word_bits: unchanged
  // The MACs read from the RegFile: its widths are theirs (DRAM's do not matter).
  e.arch.levels[2].word_bits[TensorId::Inputs] = 8;
  e.arch.levels[2].word_bits[TensorId::Weights] = 8;
  e.arch.levels[2].word_bits[TensorId::Outputs] = 24;
  e.arch.levels[0].word_bits[TensorId::Inputs] = 4;
  const double per_mac = 0.5 * (3.1 / 16.0 + 0.1 * 24.0 / 32.0) / (3.1 / 4.0 + 0.1 / 2.0);
  EXPECT_NEAR(mac_energy_per_mac_pj(e.arch), per_mac, 1e-15);
  const CostResult r = evaluate(prepare(e.layer, e.arch), e.mapping);
  EXPECT_NEAR(r.mac_energy_pj, 48 * per_mac, 1e-12);
  // 32-bit operands cost about 4 x the 16-bit multiply: (3.1 + 0.1) / 0.825.
  e.arch.levels[2].word_bits = PerTensor<int>::filled(32);
  EXPECT_NEAR(mac_energy_per_mac_pj(e.arch), 0.5 * 3.2 / 0.825, 1e-15);
}

}  // namespace
}  // namespace dnnspace
