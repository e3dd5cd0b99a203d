// The generator without a simulator: the files of each family, the configuration words
// against the mapping, the summary, and a one-line error for every refused input.
#include "dnnspace/hardware/generate.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "dnnspace/hardware/operand_hex.hpp"
#include "dnnspace/hardware/simulation_result.hpp"

namespace dnnspace {
namespace {

constexpr auto I = TensorId::Inputs, W = TensorId::Weights, O = TensorId::Outputs;

Layer conv(std::int64_t n, std::int64_t k, std::int64_t c, std::int64_t p, std::int64_t q, std::int64_t r, std::int64_t s) {
  Layer l;
  l.name = "conv";
  l.bounds[Dim::N] = n, l.bounds[Dim::K] = k, l.bounds[Dim::C] = c;
  l.bounds[Dim::P] = p, l.bounds[Dim::Q] = q, l.bounds[Dim::R] = r, l.bounds[Dim::S] = s;
  return l;
}

Architecture systolic(std::int64_t rows, std::int64_t cols) {
  Architecture a;
  a.name = "systolic";
  a.word_bits = 8;
  a.levels.resize(3);
  a.levels[0].name = "DRAM";
  a.levels[1].name = "GlobalBuffer";
  a.levels[2].name = "WeightReg";
  a.levels[2].holds = PerTensor<bool>::filled(false);
  a.levels[2].holds[W] = true;
  a.array.rows = rows;
  a.array.cols = cols;
  a.array.parent_level = 1;
  a.array.timing = ArrayTiming::Systolic;
  return a;
}

Architecture tree(std::int64_t lanes) {
  Architecture a = systolic(1, lanes);
  a.name = "tree";
  a.levels.resize(2);
  a.array.timing = ArrayTiming::Ideal;
  return a;
}

// K = 4, C = 6, P = 3, Q = 2, R = 2: C|K on a 4x4 array as rows C3 | cols K4, the global
// buffer's C2 R2 (folds 4), per PE P3 Q2 (steps 6).
struct CkCase {
  Layer layer = conv(1, 4, 6, 3, 2, 2, 1);
  Architecture arch = systolic(4, 4);
  Mapping mapping;
  CkCase() {
    mapping.levels.resize(3);
    mapping.levels[1].temporal.push_back({2, Dim::C});
    mapping.levels[1].temporal.push_back({2, Dim::R});
    mapping.levels[1].rows.push_back({3, Dim::C});
    mapping.levels[1].cols.push_back({4, Dim::K});
    mapping.levels[2].temporal.push_back({3, Dim::P});
    mapping.levels[2].temporal.push_back({2, Dim::Q});
  }
};

std::vector<std::uint32_t> config_words(const GeneratedDesign& d) {
  std::vector<std::uint32_t> out;
  std::istringstream in(design_file_text(d, d.config_file));
  std::string line;
  while (std::getline(in, line)) out.push_back(static_cast<std::uint32_t>(std::stoul(line, nullptr, 16)));
  return out;
}

TEST(HardwareGenerator, CkSystolicFilesAndSummary) {
  const CkCase c;
  const Expected<GeneratedDesign> d = generate_hardware(c.layer, c.arch, c.mapping, {});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->summary.family, HardwareFamily::SystolicCK);
  EXPECT_EQ(d->rtl_files, (std::vector<std::string>{"dnnspace_pe.v", "dnnspace_bank.v", "dnnspace_systolic_array.v",
                                                    "dnnspace_systolic_ctrl.v", "dnnspace_systolic_accel.v",
                                                    "dnnspace_accel_top.v"}));
  EXPECT_EQ(d->testbench_file, "dnnspace_tb.sv");
  EXPECT_EQ(d->config_file, "config.hex");
  for (const std::string& f : d->rtl_files) {
    const std::string& text = design_file_text(*d, f);
    EXPECT_NE(text.find("module " + f.substr(0, f.size() - 2)), std::string::npos) << f;
    EXPECT_NE(text.find("endmodule"), std::string::npos) << f;
    EXPECT_EQ(text.find("$display"), std::string::npos) << f << ": simulation-only code in the RTL";
  }
  EXPECT_NE(design_file_text(*d, "dnnspace_tb.sv").find("$readmemh(\"inputs.hex\""), std::string::npos);
  EXPECT_NE(design_file_text(*d, "dnnspace_accel_top.v").find(".ROWS(4), .COLS(4), .OP_BITS(8), .ACC_BITS(32)"),
            std::string::npos);
  const DesignSummary& s = d->summary;
  EXPECT_EQ(s.rows, 4);
  EXPECT_EQ(s.cols, 4);
  EXPECT_EQ(s.used_rows, 3);
  EXPECT_EQ(s.used_cols, 4);
  // Inputs on the plane: 6 channels x (3 + 2 - 1) rows x 2 columns; weights 4 x 6 x 2.
  EXPECT_EQ(s.bank_words[I], 6 * 4 * 2);
  EXPECT_EQ(s.bank_words[W], 4 * 6 * 2);
  EXPECT_EQ(s.bank_words[O], 4 * 3 * 2);
  EXPECT_EQ(s.folds, 2 * 2);
  EXPECT_EQ(s.steps, 3 * 2);
  const std::vector<std::uint32_t> cfg = config_words(*d);
  ASSERT_EQ(static_cast<int>(cfg.size()), s.config_words);
  // The configuration ends with the words of inputs, weights and outputs, steps and folds.
  EXPECT_EQ(std::vector<std::uint32_t>(cfg.end() - 5, cfg.end()), (std::vector<std::uint32_t>{48, 48, 24, 6, 4}));
  // Fold slots (4, the two loops innermost): factors 1 1 2 2; the C loop's input stride is
  // 3 channels x 4 x 2 words (its index weight is the spatial C3 inside it).
  EXPECT_EQ(std::vector<std::uint32_t>(cfg.begin(), cfg.begin() + 4), (std::vector<std::uint32_t>{1, 1, 2, 2}));
  EXPECT_EQ(cfg[4 + 2], 3U * 4 * 2);
}

TEST(HardwareGenerator, WidthsAndBankDepthAreOptions) {
  const CkCase c;
  HardwareOptions o;
  o.operand_bits = 4;
  o.accumulator_bits = 12;
  o.min_bank_words = 100;
  const Expected<GeneratedDesign> d = generate_hardware(c.layer, c.arch, c.mapping, o);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->summary.bank_words[I], 100);
  EXPECT_EQ(d->summary.bank_words[O], 100);
  EXPECT_NE(design_file_text(*d, "dnnspace_accel_top.v").find(".OP_BITS(4), .ACC_BITS(12)"), std::string::npos);
}

TEST(HardwareGenerator, RpSystolicAndReductionTree) {
  Mapping rp;
  rp.levels.resize(3);
  rp.levels[1].temporal.push_back({2, Dim::C});
  rp.levels[1].temporal.push_back({2, Dim::S});
  rp.levels[1].rows.push_back({3, Dim::R});
  rp.levels[1].cols.push_back({4, Dim::P});
  rp.levels[2].temporal.push_back({5, Dim::Q});
  const Layer l = conv(1, 1, 2, 4, 5, 3, 2);
  const Expected<GeneratedDesign> d = generate_hardware(l, systolic(3, 4), rp, {});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->summary.family, HardwareFamily::SystolicRP);
  EXPECT_NE(design_file_text(*d, "dnnspace_accel_top.v").find(".RP(1)"), std::string::npos);

  Mapping t;
  t.levels.resize(2);
  t.levels[1].temporal.push_back({4, Dim::K});
  t.levels[1].temporal.push_back({3, Dim::C});
  t.levels[1].cols.push_back({4, Dim::C});
  Layer fc = conv(1, 4, 12, 1, 1, 1, 1);
  fc.kind = LayerKind::FullyConnected;
  const Expected<GeneratedDesign> td = generate_hardware(fc, tree(8), t, {});
  ASSERT_TRUE(td) << td.error().message;
  EXPECT_EQ(td->summary.family, HardwareFamily::ReductionTree);
  EXPECT_EQ(td->summary.steps, 12);
  EXPECT_EQ(td->summary.used_cols, 4);
  EXPECT_EQ(td->rtl_files, (std::vector<std::string>{"dnnspace_bank.v", "dnnspace_adder_tree.v", "dnnspace_tree_ctrl.v",
                                                     "dnnspace_tree_accel.v", "dnnspace_accel_top.v"}));
}

// Every refusal is one line that names the problem and lists what is supported.
void expect_refused(const Expected<GeneratedDesign>& d, const std::string& what) {
  ASSERT_FALSE(d) << "expected a refusal mentioning '" << what << "'";
  const std::string& m = d.error().message;
  EXPECT_NE(m.find(what), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  EXPECT_EQ(m.rfind("hardware generator: ", 0), 0U) << m;
}

TEST(HardwareGenerator, RefusesWhatItDoesNotBuild) {
  const CkCase c;
  const auto gen = [](const Layer& l, const Architecture& a, const Mapping& m) { return generate_hardware(l, a, m, {}); };
  {  // another dataflow: P|Q
    Mapping m = c.mapping;
    m.levels[1].rows.clear();
    m.levels[1].cols.clear();
    m.levels[1].temporal.push_back({3, Dim::C});
    m.levels[1].temporal.push_back({4, Dim::K});
    m.levels[2].temporal.clear();
    m.levels[1].rows.push_back({3, Dim::P});
    m.levels[1].cols.push_back({2, Dim::Q});
    const auto d = gen(c.layer, c.arch, m);
    expect_refused(d, "dataflow P|Q on a 4x4 systolic array is not a supported family");
    EXPECT_NE(d.error().message.find("C|K systolic"), std::string::npos);
    EXPECT_NE(d.error().message.find("R|P systolic"), std::string::npos);
    EXPECT_NE(d.error().message.find("C reduction tree"), std::string::npos);
  }
  {  // C|K on an ideal 2-D array
    Architecture a = c.arch;
    a.array.timing = ArrayTiming::Ideal;
    expect_refused(gen(c.layer, a, c.mapping), "dataflow C|K on a 4x4 ideal array is not a supported family");
  }
  {  // a loop at DRAM
    Mapping m = c.mapping;
    m.levels[0].temporal.push_back({2, Dim::C});
    m.levels[1].temporal[0].factor = 1;
    expect_refused(gen(c.layer, c.arch, m), "no loops at DRAM");
  }
  {  // a partial tile
    Mapping m = c.mapping;
    m.levels[2].temporal[0].factor = 4;
    expect_refused(gen(c.layer, c.arch, m), "dimension P: its factors multiply to 4, not its bound 3");
  }
  {  // a weight loop in the PE
    Mapping m = c.mapping;
    m.levels[1].temporal.pop_back();
    m.levels[2].temporal.push_back({2, Dim::R});
    expect_refused(gen(c.layer, c.arch, m), "has a temporal loop R (the PE holds one weight");
  }
  {  // registers that hold inputs too
    Architecture a = c.arch;
    a.levels[2].holds[I] = true;
    expect_refused(gen(c.layer, a, c.mapping), "must hold the weights only");
  }
  {  // a bandwidth limit: the model would stall where the RTL does not
    Architecture a = c.arch;
    a.levels[1].bandwidth_words_per_cycle = 4;
    expect_refused(gen(c.layer, a, c.mapping), "level 'GlobalBuffer' has a bandwidth limit");
  }
  {  // four levels
    Architecture a = c.arch;
    a.levels.push_back(a.levels[2]);
    Mapping m = c.mapping;
    m.levels.push_back({});
    expect_refused(gen(c.layer, a, m), "has 4 levels");
  }
  {  // the layer
    Layer l = c.layer;
    l.stride_h = 2;
    expect_refused(gen(l, c.arch, c.mapping), "stride or dilation above 1");
    l = c.layer;
    l.pass = Pass::DataGradient;
    expect_refused(gen(l, c.arch, c.mapping), "only the forward pass");
    l = c.layer;
    l.kind = LayerKind::Lstm;
    expect_refused(gen(l, c.arch, c.mapping), "CONV, FC and matmul layers only");
  }
  {  // R|P with P in the PE
    Mapping m;
    m.levels.resize(3);
    m.levels[1].rows.push_back({3, Dim::R});
    m.levels[1].cols.push_back({2, Dim::P});
    m.levels[2].temporal.push_back({2, Dim::P});
    expect_refused(gen(conv(1, 1, 1, 4, 1, 3, 1), systolic(3, 4), m), "R|P with a per-PE P loop");
  }
  {  // a tree on a 2-D array
    Mapping m;
    m.levels.resize(2);
    m.levels[1].cols.push_back({4, Dim::C});
    Architecture a = tree(4);
    a.array.rows = 2;
    expect_refused(gen(conv(1, 1, 4, 1, 1, 1, 1), a, m), "dataflow -|C on a 2x4 ideal array");
  }
  {  // more PEs than the array has: the mapping's own check
    Mapping m = c.mapping;
    m.levels[1].rows[0].factor = 6;
    m.levels[1].temporal[0].factor = 1;
    const auto d = gen(c.layer, c.arch, m);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().message.rfind("hardware generator: ", 0), 0U);
  }
  {  // widths
    HardwareOptions o;
    o.operand_bits = 17;
    const auto d = generate_hardware(c.layer, c.arch, c.mapping, o);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().message, "hardware generator: operand bits 17 (supported: 2..16)");
    o.operand_bits = 8;
    o.accumulator_bits = 16;
    const auto e = generate_hardware(c.layer, c.arch, c.mapping, o);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().message, "hardware generator: accumulator bits 16 (supported: 2 x operand bits + 1 = 17 .. 64)");
  }
}

TEST(HardwareGenerator, OperandHexIsTwosComplement) {
  const std::vector<std::int8_t> v{0, 5, -1, -128, 127};
  EXPECT_EQ(operand_hex(v, 8), "00\n05\nff\n80\n7f\n");
  const std::vector<std::int64_t> w{-2, 3};
  EXPECT_EQ(operand_hex(w, 32), "fffffffe\n00000003\n");
  EXPECT_EQ(operand_hex(w, 12), "ffe\n003\n");
}

TEST(HardwareGenerator, SimulationResultIsParsed) {
  const std::string text =
      "cycles total 120\ncycles compute 100\ncycles dma 20\nmacs 64\naccess 0 inputs 9 0\naccess 1 outputs 12 16\n"
      "transfers inputs 48\nout 1 -7\nout 0 3\nmismatches 0\n";
  const Expected<SimulationResult> r = parse_simulation_result(text, 2);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->total_cycles, 120);
  EXPECT_EQ(r->compute_cycles, 100);
  EXPECT_EQ(r->dma_cycles, 20);
  EXPECT_EQ(r->macs, 64);
  EXPECT_EQ(r->accesses[0][I], (CountedAccesses{9, 0}));
  EXPECT_EQ(r->accesses[1][O], (CountedAccesses{12, 16}));
  EXPECT_EQ(r->array_transfers[I], 48);
  EXPECT_EQ(r->outputs, (std::vector<std::int64_t>{3, -7}));
  EXPECT_EQ(r->mismatches, 0);
  EXPECT_FALSE(parse_simulation_result("out 0 1\n", 2));                         // output 1 missing
  EXPECT_FALSE(parse_simulation_result("cycles total x\n", 0));                  // not a number
  EXPECT_FALSE(parse_simulation_result("error timeout after 5 cycles\n", 0));    // the testbench's error
}

}  // namespace
}  // namespace dnnspace
