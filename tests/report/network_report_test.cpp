// The network listing and per-layer table/JSON, on hand-built networks.
#include "dnnspace/report/network_report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "dnnspace/report/text_table.hpp"

namespace dnnspace {
namespace {

using ::testing::HasSubstr;

// conv: N=2 K=4 C=3 P=Q=5 R=S=3, G=2, stride 2, pad 1:
//   MACs = 2*4*3*5*5*3*3*2 = 10,800; weights = G*K*C*R*S = 2*4*3*3*3 = 216.
// fc: N=2 K=10 C=100: MACs = 2,000, weights = 1,000.
Network two_layers() {
  Layer conv;
  conv.name = "c1";
  for (auto [d, b] : {std::pair{Dim::N, 2}, {Dim::K, 4}, {Dim::C, 3}, {Dim::P, 5}, {Dim::Q, 5}, {Dim::R, 3}, {Dim::S, 3}, {Dim::G, 2}}) conv.bounds[d] = b;
  conv.stride_h = conv.stride_w = 2;
  conv.pad_h = conv.pad_w = 1;
  Layer fc;
  fc.name = "f2";
  fc.kind = LayerKind::FullyConnected;
  fc.bounds[Dim::N] = 2;
  fc.bounds[Dim::K] = 10;
  fc.bounds[Dim::C] = 100;
  return Network{"net", {conv, fc}};
}

TEST(NetworkJson, FieldsAndTotals) {
  const nlohmann::json j = report::network_json(two_layers());
  EXPECT_EQ(j["network"], "net");
  EXPECT_EQ(j["batch"], 2);
  ASSERT_EQ(j["layers"].size(), 2u);
  const auto& c = j["layers"][0];
  EXPECT_EQ(c["name"], "c1");
  EXPECT_EQ(c["type"], "conv");
  EXPECT_EQ(c["N"], 2);
  EXPECT_EQ(c["K"], 4);
  EXPECT_EQ(c["C"], 3);
  EXPECT_EQ(c["P"], 5);
  EXPECT_EQ(c["Q"], 5);
  EXPECT_EQ(c["R"], 3);
  EXPECT_EQ(c["S"], 3);
  EXPECT_EQ(c["G"], 2);
  EXPECT_EQ(c["stride"], 2);
  EXPECT_EQ(c["pad"], 1);
  EXPECT_EQ(c["macs"], 10800);
  EXPECT_EQ(c["weights"], 216);
  EXPECT_EQ(j["layers"][1]["type"], "fc");
  EXPECT_EQ(j["total"]["macs"], 12800);      // 10,800 + 2,000
  EXPECT_EQ(j["total"]["weights"], 1216);    // 216 + 1,000
}

TEST(NetworkJson, BatchIsNullWhenLayersDiffer) {
  Network n = two_layers();
  n.layers[1].bounds[Dim::N] = 3;
  EXPECT_TRUE(report::network_json(n)["batch"].is_null());
}

TEST(NetworkTable, RowsTotalsAndPerGroupNote) {
  const std::string t = report::network_table(two_layers());
  EXPECT_THAT(t, HasSubstr("network net\n"));
  EXPECT_THAT(t, HasSubstr("layer             type  N   K    C  P  Q  R  S  stride  pad  G    MACs  weights\n"));
  EXPECT_THAT(t, HasSubstr("c1                conv  2   4    3  5  5  3  3       2    1  2  10,800      216\n"));
  EXPECT_THAT(t, HasSubstr("f2                  fc  2  10  100  1  1  1  1       1    0  1   2,000    1,000\n"));
  EXPECT_THAT(t, HasSubstr("total (2 layers)                                                12,800    1,216\n"));
  EXPECT_THAT(t, HasSubstr("K and C are per group"));
}

TEST(NetworkListTable, OneLinePerNetwork) {
  const std::string t = report::network_list_table({{two_layers(), "a test network"}});
  EXPECT_EQ(t,
            "network  layers  MACs (N=1)  weights  description\n"
            "net           2      12,800    1,216  a test network\n");
}

TEST(RenderTable, AlignsAndTrims) {
  EXPECT_EQ(report::render_table({{"a", "1", "x"}, {"bbb", "22"}}, "  "),
            "  a     1  x\n"
            "  bbb  22\n");
  EXPECT_EQ(report::render_table({{"k", "v"}, {"key", "long value"}}, "", true),
            "k    v\n"
            "key  long value\n");
}

}  // namespace
}  // namespace dnnspace
