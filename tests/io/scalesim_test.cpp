// Reading SCALE-Sim's configuration and topology files, and the dnnspace forms built from them.
#include "dnnspace/io/scalesim.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "dnnspace/mapping/legality.hpp"

namespace dnnspace::io {
namespace {

using ::testing::HasSubstr;

const std::string kConfig =
    "[general]\nrun_name = test_run\n\n[architecture_presets]\nArrayHeight:    8\nArrayWidth:     4\n"
    "IfmapSramSzkB:   64\nFilterSramSzkB:  32\nOfmapSramSzkB:   16\nBandwidth : 10\nDataflow : ws\n"
    "[run_presets]\nInterfaceBandwidth: USER\n";

std::string config_error(const std::string& text) {
  Expected<ScaleSimConfig> c = parse_scalesim_config(text, "f.cfg");
  EXPECT_FALSE(c.has_value());
  return c ? std::string() : c.error().message;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(ScaleSimConfig, ReadsTheKeysThatShapeTheArray) {
  Expected<ScaleSimConfig> c = parse_scalesim_config(kConfig, "f.cfg");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->run_name, "test_run");
  EXPECT_EQ(c->rows, 8);
  EXPECT_EQ(c->cols, 4);
  EXPECT_EQ(c->ifmap_sram_kb, 64);
  EXPECT_EQ(c->filter_sram_kb, 32);
  EXPECT_EQ(c->ofmap_sram_kb, 16);
  EXPECT_EQ(c->dataflow, SystolicDataflow::WeightStationary);
  EXPECT_TRUE(c->user_bandwidth);
  EXPECT_DOUBLE_EQ(c->bandwidth_words_per_cycle, 10.0);
  // Keys are case-insensitive, '=' works as ':', CALC ignores the bandwidth.
  Expected<ScaleSimConfig> d = parse_scalesim_config(
      replaced(replaced(kConfig, "ArrayHeight:", "arrayheight ="), "USER", "CALC"), "f.cfg");
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->rows, 8);
  EXPECT_FALSE(d->user_bandwidth);
}

TEST(ScaleSimConfig, BadValuesNameTheFileLineAndKey) {
  EXPECT_THAT(config_error(replaced(kConfig, "Dataflow : ws", "Dataflow : rs")),
              HasSubstr("f.cfg:11: Dataflow: unknown dataflow 'rs' (allowed: os, ws, is)"));
  EXPECT_THAT(config_error(replaced(kConfig, "ArrayHeight:    8", "ArrayHeight: 0")),
              HasSubstr("f.cfg:5: ArrayHeight: expected a whole number from 1 to 65536, got '0'"));
  EXPECT_THAT(config_error(replaced(kConfig, "ArrayWidth:     4", "ArrayWidth: 4x")), HasSubstr("got '4x'"));
  EXPECT_THAT(config_error(replaced(kConfig, "OfmapSramSzkB:   16\n", "")), HasSubstr("key 'OfmapSramSzkB' missing"));
  EXPECT_THAT(config_error(replaced(kConfig, "Bandwidth : 10\n", "")), HasSubstr("key 'Bandwidth' missing"));
  EXPECT_THAT(config_error(kConfig + "arraywidth: 4\n"), HasSubstr("key 'arraywidth' given twice (first on line 6)"));
  EXPECT_THAT(config_error(kConfig + "[sparsity]\nSparsitySupport : true\n"), HasSubstr("not modelled"));
  EXPECT_THAT(config_error(kConfig + "just words\n"), HasSubstr("expected 'Key : value'"));
  EXPECT_THAT(config_error(replaced(kConfig, "USER", "FAST")), HasSubstr("allowed: USER, CALC"));
  Expected<ScaleSimConfig> missing = load_scalesim_config("/nonexistent/x.cfg");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message, "/nonexistent/x.cfg: cannot open file");
}

TEST(ScaleSimTopology, ReadsConvolutionAndGemmRows) {
  Expected<std::vector<ScaleSimLayer>> conv = parse_scalesim_topology(
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "Conv1     ,224 ,224 ,11 ,11 ,3 ,96 ,4 ,\n"
      "Wide, 10, 20, 3, 5, 8, 16, 1, 2\n"
      "DP1, 12, 12, 3, 3, 32, 1, 1,\n",
      "t.csv");
  ASSERT_TRUE(conv.has_value()) << conv.error().message;
  ASSERT_EQ(conv->size(), 3u);
  EXPECT_EQ((*conv)[0].name, "Conv1");
  EXPECT_EQ((*conv)[0].stride_w, 4);  // one stride: both directions
  EXPECT_EQ((*conv)[1].stride_h, 1);
  EXPECT_EQ((*conv)[1].stride_w, 2);
  EXPECT_TRUE((*conv)[2].depthwise);

  Expected<Network> net = scalesim_network(*conv, "t");
  ASSERT_TRUE(net.has_value()) << net.error().message;
  // ceil((224 - 11 + 4) / 4) = 55 per side; window 11 x 11 x 3.
  EXPECT_EQ(net->layers[0].bounds[Dim::P], 55 * 55);
  EXPECT_EQ(net->layers[0].bounds[Dim::C], 363);
  EXPECT_EQ(net->layers[0].bounds[Dim::K], 96);
  // 8 x ceil((20 - 5 + 2) / 2) = 8 x 9 pixels.
  EXPECT_EQ(net->layers[1].bounds[Dim::P], 72);
  // Depthwise: one 3 x 3 single-channel convolution per channel (SCALE-Sim runs 32).
  EXPECT_EQ(net->layers[2].bounds[Dim::G], 32);
  EXPECT_EQ(net->layers[2].bounds[Dim::C], 9);
  EXPECT_EQ(net->layers[2].bounds[Dim::P], 100);

  Expected<std::vector<ScaleSimLayer>> gemm = parse_scalesim_topology("Layer Name, M, N, K,\nTest 1, 256, 128, 64,\n", "g.csv");
  ASSERT_TRUE(gemm.has_value()) << gemm.error().message;
  Expected<Network> g = scalesim_network(*gemm, "g");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->layers[0].name, "Test 1");
  EXPECT_EQ(g->layers[0].bounds[Dim::P], 256);  // M
  EXPECT_EQ(g->layers[0].bounds[Dim::C], 64);   // K
  EXPECT_EQ(g->layers[0].bounds[Dim::K], 128);  // N
}

TEST(ScaleSimTopology, BadRowsNameTheLineAndField) {
  const std::string header = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";
  const auto error = [](const std::string& text) {
    Expected<std::vector<ScaleSimLayer>> t = parse_scalesim_topology(text, "t.csv");
    EXPECT_FALSE(t.has_value());
    return t ? std::string() : t.error().message;
  };
  EXPECT_THAT(error(header + "C1, 10, 10, 3, 3, 4, 8,\n"), HasSubstr("t.csv:2: expected 8 or 9 fields"));
  EXPECT_THAT(error(header + "C1, 10, 10, 3, 3, 0, 8, 1,\n"),
              HasSubstr("t.csv:2: field 6 of layer 'C1': expected a whole number from 1 to 2^31, got '0'"));
  EXPECT_THAT(error(header + "C1, 10, 10, 3, 3, -4, 8, 1,\n"), HasSubstr("got '-4'"));
  EXPECT_THAT(error(header + "C1, 2, 10, 3, 3, 4, 8, 1,\n"), HasSubstr("the filter (3x3) is larger than the IFMAP (2x10)"));
  EXPECT_THAT(error(header + " , 10, 10, 3, 3, 4, 8, 1,\n"), HasSubstr("the layer name is empty"));
  EXPECT_THAT(error(header), HasSubstr("t.csv: no layers"));
  EXPECT_THAT(error("Layer, M, N, K\nG, 1, 2\n"), HasSubstr("expected 4 fields (layer name, M, N, K)"));
  // SCALE-Sim skips the first line: a layer there must not vanish silently.
  EXPECT_THAT(error("C1, 10, 10, 3, 3, 4, 8, 1,\n"), HasSubstr("t.csv:1: the first line is a layer ('C1')"));
  EXPECT_THAT(error("Layer name, M, N, K, X,\nG, 1, 2, 3, 4,\n"), HasSubstr("a GEMM topology's header is"));
  EXPECT_THAT(error(header + "C\xff" "1, 10, 10, 3, 3, 4, 8, 1,\n"), HasSubstr("t.csv:2: the layer name: not valid UTF-8"));
  EXPECT_THAT(error(header + std::string("C\0" "1, 10, 10, 3, 3, 4, 8, 1,\n", 27)), HasSubstr("control characters"));
}

TEST(ScaleSimConfig, ABandwidthListIsCheckedWhole) {
  EXPECT_THAT(config_error(replaced(kConfig, "Bandwidth : 10", "Bandwidth : 10, abc")),
              HasSubstr("f.cfg:10: Bandwidth: expected whole numbers of words per cycle from 1 to 1000000000000"));
  EXPECT_THAT(config_error(replaced(kConfig, "Bandwidth : 10", "Bandwidth : 1000000000001")), HasSubstr("got '1000000000001'"));
  Expected<ScaleSimConfig> list = parse_scalesim_config(replaced(kConfig, "Bandwidth : 10", "Bandwidth : 10, 20"), "f.cfg");
  ASSERT_TRUE(list.has_value()) << list.error().message;
  EXPECT_DOUBLE_EQ(list->bandwidth_words_per_cycle, 10.0);  // SCALE-Sim's first
}

// SCALE-Sim's mapping per dataflow, on an 8 x 4 array: folds at DRAM (columns
// outermost), one fold's rows and columns on the array, the third dimension in the PEs.
TEST(ScaleSimMapping, EachDataflowPutsItsDimensionsWhereScaleSimDoes) {
  Expected<ScaleSimConfig> c = parse_scalesim_config(kConfig, "f.cfg");
  ASSERT_TRUE(c.has_value());
  Expected<Architecture> arch = scalesim_architecture(*c);
  ASSERT_TRUE(arch.has_value()) << arch.error().message;
  EXPECT_EQ(arch->array.timing, ArrayTiming::Systolic);
  EXPECT_EQ(arch->levels.size(), 5u);
  EXPECT_DOUBLE_EQ(arch->levels[0].bandwidth_words_per_cycle, 10.0);
  EXPECT_TRUE(arch->levels[4].holds[TensorId::Weights]);  // ws: the weights stay in the PEs
  EXPECT_FALSE(arch->levels[4].holds[TensorId::Inputs]);

  Layer l;
  l.kind = LayerKind::Matmul;
  l.bounds[Dim::P] = 20;  // pixels
  l.bounds[Dim::C] = 9;   // window
  l.bounds[Dim::K] = 6;   // filters
  const Mapping ws = scalesim_mapping(l, *arch, SystolicDataflow::WeightStationary);
  ASSERT_EQ(ws.levels[0].temporal.size(), 2u);
  EXPECT_EQ(ws.levels[0].temporal[0], (Loop{2, Dim::K}));  // ceil(6 / 4) column folds
  EXPECT_EQ(ws.levels[0].temporal[1], (Loop{2, Dim::C}));  // ceil(9 / 8) row folds
  EXPECT_EQ(ws.levels[3].rows[0], (Loop{8, Dim::C}));
  EXPECT_EQ(ws.levels[3].cols[0], (Loop{4, Dim::K}));
  EXPECT_EQ(ws.levels[4].temporal[0], (Loop{20, Dim::P}));
  EXPECT_TRUE(check_mapping_structure(l, *arch, ws).has_value());
  const Mapping os = scalesim_mapping(l, *arch, SystolicDataflow::OutputStationary);
  EXPECT_EQ(os.levels[0].temporal[1], (Loop{3, Dim::P}));  // ceil(20 / 8)
  EXPECT_EQ(os.levels[4].temporal[0], (Loop{9, Dim::C}));
  const Mapping is = scalesim_mapping(l, *arch, SystolicDataflow::InputStationary);
  EXPECT_EQ(is.levels[0].temporal[0], (Loop{5, Dim::P}));  // ceil(20 / 4) column folds
  EXPECT_EQ(is.levels[4].temporal[0], (Loop{6, Dim::K}));
}

}  // namespace
}  // namespace dnnspace::io
