// Zhang et al.'s design-space exploration against brute force over every design of a
// small network on a small FPGA: the best per layer and the best shared design.
#include <gtest/gtest.h>

#include <limits>

#include "dnnspace/search/fpga_dse.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

Layer conv(const std::string& name, std::int64_t k, std::int64_t c, std::int64_t out, std::int64_t filter,
           std::int64_t stride) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::Conv;
  l.bounds[Dim::K] = k;
  l.bounds[Dim::C] = c;
  l.bounds[Dim::P] = l.bounds[Dim::Q] = out;
  l.bounds[Dim::R] = l.bounds[Dim::S] = filter;
  l.stride_h = l.stride_w = stride;
  return l;
}

FpgaTarget small_target(double gbps) {
  FpgaTarget t;
  t.name = "small";
  t.dsp_slices = 40;
  t.bram_18k = 60;
  t.clock_mhz = 100.0;
  t.dram_bandwidth_gbps = gbps;
  t.word_bits = 32;
  t.dsp_per_mac = 2;
  return t;
}

// Every design with factors up to the bounds, costed and checked for fit independently.
struct Brute {
  std::vector<double> best_attainable;  // per layer
  double best_total_time = std::numeric_limits<double>::infinity();
};

Brute brute(const std::vector<ConvShape>& shapes, const FpgaTarget& t) {
  Brute b;
  std::int64_t mm = 0, mn = 0, mr = 0, mc = 0;
  for (const ConvShape& s : shapes) {
    mm = std::max(mm, s.m), mn = std::max(mn, s.n), mr = std::max(mr, s.r), mc = std::max(mc, s.c);
    double best = 0.0;
    for (std::int64_t tm = 1; tm <= s.m; ++tm)
      for (std::int64_t tn = 1; tn <= s.n; ++tn)
        for (std::int64_t tr = 1; tr <= s.r; ++tr)
          for (std::int64_t tc = 1; tc <= s.c; ++tc) {
            const TiledConvDesign d{tm, tn, tr, tc};
            if (!fits(tiled_conv_resources(d, std::span(&s, 1), t), t)) continue;
            best = std::max(best, tiled_conv_cost(s, d, t).attainable_ops_per_s);
          }
    b.best_attainable.push_back(best);
  }
  for (std::int64_t tm = 1; tm <= mm; ++tm)
    for (std::int64_t tn = 1; tn <= mn; ++tn)
      for (std::int64_t tr = 1; tr <= mr; ++tr)
        for (std::int64_t tc = 1; tc <= mc; ++tc) {
          const TiledConvDesign d{tm, tn, tr, tc};
          if (!fits(tiled_conv_resources(d, shapes, t), t)) continue;
          double time = 0.0;
          for (const ConvShape& s : shapes) time += tiled_conv_cost(s, d, t).time_s;
          b.best_total_time = std::min(b.best_total_time, time);
        }
  return b;
}

TEST(FpgaDse, BestDesignsEqualBruteForce) {
  // "d": a 1 x 1 kernel with stride 2, where smaller tiles read less input (the gaps
  // between windows are skipped): the time floor must allow for it.
  Network net{"small", {conv("a", 6, 3, 9, 3, 2), conv("b", 8, 6, 5, 3, 1), conv("c", 5, 8, 4, 1, 1),
                        conv("d", 4, 5, 6, 1, 2)}};
  Layer fc;
  fc.name = "fc";
  fc.kind = LayerKind::FullyConnected;
  fc.bounds[Dim::K] = 10;
  fc.bounds[Dim::C] = 20;
  net.layers.push_back(fc);
  for (double gbps : {0.002, 0.01, 0.05, 10.0}) {  // bandwidth-bound, mixed, compute-bound
    SCOPED_TRACE(gbps);
    const FpgaTarget t = small_target(gbps);
    const Expected<FpgaExploration> e = explore_fpga(net, t);
    ASSERT_TRUE(e) << e.error().message;
    ASSERT_EQ(e->skipped.size(), 1u);  // the FC layer
    EXPECT_NE(e->skipped[0].find("fc"), std::string::npos);
    std::vector<ConvShape> shapes;
    for (std::size_t i = 0; i < 4; ++i) shapes.push_back(*conv_shape(net.layers[i]));
    const Brute b = brute(shapes, t);
    ASSERT_EQ(e->best_per_layer.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
      EXPECT_DOUBLE_EQ(e->best_per_layer[i].cost.attainable_ops_per_s, b.best_attainable[i]) << i;
      EXPECT_TRUE(fits(e->best_per_layer[i].resources, t));
    }
    ASSERT_TRUE(e->found);
    EXPECT_TRUE(fits(e->shared_resources, t));
    EXPECT_DOUBLE_EQ(e->shared_time_s(), b.best_total_time);
    EXPECT_LE(e->per_layer_time_s(), e->shared_time_s());
  }
}

TEST(FpgaDse, ExplainsWhatItCannotRun) {
  const Network fcs{"fcs", {[] {
                      Layer l;
                      l.name = "fc1";
                      l.kind = LayerKind::FullyConnected;
                      l.bounds[Dim::K] = 4;
                      l.bounds[Dim::C] = 4;
                      return l;
                    }()}};
  const Expected<FpgaExploration> e = explore_fpga(fcs, small_target(1.0));
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("no convolution"), std::string::npos);
  FpgaTarget bad = small_target(1.0);
  bad.dsp_slices = 0;
  const Expected<FpgaExploration> b = explore_fpga(fcs, bad);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message.find("dsp_slices"), std::string::npos);
}

// Each frontier point is the shared design explore_fpga finds within that many DSPs, and
// each is faster than the one before; the whole budget gives explore_fpga's own.
TEST(FpgaDse, FrontierPointsAreTheBestWithinTheirBudgets) {
  const Network net{"small", {conv("a", 6, 3, 9, 3, 2), conv("b", 8, 6, 5, 3, 1)}};
  const FpgaTarget t = small_target(0.05);
  const std::vector<std::int64_t> budgets = {2, 6, 10, 20, 40};
  const Expected<std::vector<FpgaFrontierPoint>> f = fpga_frontier(net, t, budgets);
  ASSERT_TRUE(f) << f.error().message;
  ASSERT_FALSE(f->empty());
  for (std::size_t i = 0; i < f->size(); ++i) {
    const FpgaFrontierPoint& p = (*f)[i];
    FpgaTarget within = t;
    within.dsp_slices = p.dsp_budget;
    const Expected<FpgaExploration> e = explore_fpga(net, within);
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(p.design, e->shared) << p.dsp_budget;
    EXPECT_DOUBLE_EQ(p.time_s, e->shared_time_s());
    EXPECT_LE(p.resources.dsp, p.dsp_budget);
    if (i > 0) {
      EXPECT_LT(p.time_s, (*f)[i - 1].time_s);
    }
  }
  EXPECT_EQ(f->back().design, explore_fpga(net, t)->shared);
}

// A layer that no design fits is an error that says what the smallest design needs.
TEST(FpgaDse, ALayerNoDesignFitsIsAnError) {
  FpgaTarget t = small_target(1.0);
  t.bram_18k = 5;  // <1,1,1,1> needs 2 x (input + weight + output) = 6 BRAMs
  const Expected<FpgaExploration> e = explore_fpga(Network{"one", {conv("a", 6, 3, 9, 3, 2)}}, t);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("layer 'a': no design of the tiled engine fits small"), std::string::npos);
  EXPECT_NE(e.error().message.find("6 BRAM-18K"), std::string::npos);
}

// Zhang et al.'s case study: AlexNet's five convolutions on <64,7,13,13> fit the VC707.
TEST(FpgaDse, ZhangsDesignFitsTheVc707) {
  const FpgaTarget t = *fpga_preset("vc707");
  const Network alexnet = *zoo_network("alexnet");
  const Expected<std::vector<FpgaLayerRun>> runs = run_on_design(alexnet, {64, 7, 13, 13}, t);
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 5u);
  std::vector<ConvShape> shapes;
  for (const FpgaLayerRun& r : *runs) shapes.push_back(r.shape);
  const TiledConvResources res = tiled_conv_resources({64, 7, 13, 13}, shapes, t);
  EXPECT_EQ(res.dsp, 2240);
  EXPECT_EQ(res.bram_18k, 1122);  // sized for CONV1's 59 x 59 input tile (tiled_conv_test)
  EXPECT_TRUE(fits(res, t));
}

}  // namespace
}  // namespace dnnspace
