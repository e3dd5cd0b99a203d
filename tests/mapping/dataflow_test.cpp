// Dataflow notation, Eyeriss aliases, and the default blocking.
#include <gtest/gtest.h>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

TEST(Dataflow, ParsesUVNotationAndAliases) {
  const auto ck = parse_dataflow("C|K");
  ASSERT_TRUE(ck);
  ASSERT_EQ(ck->rows.size(), 1u);
  EXPECT_EQ(ck->rows[0], Dim::C);
  EXPECT_EQ(ck->cols[0], Dim::K);
  const auto rep = parse_dataflow("ck|pq");
  ASSERT_TRUE(rep);
  EXPECT_EQ(dataflow_name(*rep), "CK|PQ");
  EXPECT_EQ(dataflow_name(*parse_dataflow("RS")), "R|P");
  EXPECT_EQ(dataflow_name(*parse_dataflow("ws")), "R|S");
  EXPECT_EQ(dataflow_name(*parse_dataflow("OS")), "P|Q");
  EXPECT_EQ(dataflow_name(*parse_dataflow("NLR")), "C|K");
  EXPECT_EQ(dataflow_name(*parse_dataflow("C|")), "C|");  // a 1-D dataflow
}

TEST(Dataflow, RejectsBadStringsWithAllowedForms) {
  for (const char* bad : {"", "CK", "C|K|P", "X|K", "C|C", "|"}) {
    const auto r = parse_dataflow(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("dataflow '"), std::string::npos) << r.error().message;
  }
  EXPECT_NE(parse_dataflow("X|K").error().message.find("NKCPQRSG"), std::string::npos);
}

std::vector<std::string> names(const std::vector<Dataflow>& dataflows) {
  std::vector<std::string> out;
  for (const Dataflow& df : dataflows) out.push_back(dataflow_name(df));
  return out;
}

TEST(Dataflow, ReplicatedExtensionsFillOnlyTheShortAxis) {
  // AlexNet conv1: C = 3 cannot fill 16 rows, K = 96 fills 16 columns, so only the rows
  // take a loop: one of the other dimensions the layer has (N P Q R S; G = 1 is absent).
  const Layer conv1 = *zoo_layer("alexnet/conv1", 16);
  const PeArray array = arch_preset("eyeriss")->array;
  EXPECT_EQ(names(replicated_extensions(*parse_dataflow("C|K"), conv1, array)),
            (std::vector<std::string>{"CN|K", "CP|K", "CQ|K", "CR|K", "CS|K"}));
  // At batch 1 N is absent as well.
  EXPECT_EQ(names(replicated_extensions(*parse_dataflow("C|K"), *zoo_layer("alexnet/conv1", 1), array)),
            (std::vector<std::string>{"CP|K", "CQ|K", "CR|K", "CS|K"}));
}

TEST(Dataflow, ReplicatedExtensionsDropAbsentLoopsAndExtendBothShortAxes) {
  // LeNet-5 conv1 at batch 2: C = 1 is dropped (rows empty, so they must take a loop),
  // K = 6 is short of 16 columns (it may take one): 5 row choices x (keep or one of the
  // 4 dimensions left) = 25.
  const Layer conv1 = *zoo_layer("lenet5/conv1", 2);
  const auto ext = names(replicated_extensions(*parse_dataflow("C|K"), conv1, arch_preset("eyeriss")->array));
  ASSERT_EQ(ext.size(), 25u);
  EXPECT_EQ(std::vector<std::string>(ext.begin(), ext.begin() + 6),
            (std::vector<std::string>{"N|K", "N|KP", "N|KQ", "N|KR", "N|KS", "P|K"}));
  EXPECT_EQ(ext.back(), "S|KR");
  // A depthwise layer (C = K = 1, G = 32): every ordered pair of its other dimensions
  // (N P Q R S G, 6 x 5).
  const Layer dw = *zoo_layer("mobilenet/conv_dw_1", 2);
  EXPECT_EQ(replicated_extensions(*parse_dataflow("C|K"), dw, arch_preset("eyeriss")->array).size(), 30u);
}

TEST(Dataflow, ReplicatedExtensionsOfAFullDataflowGrowAnyAxis) {
  // AlexNet conv3 (C = 256, K = 384) fills both axes: rows or columns or both take one
  // of N P Q R S: 5 + 5 + 5 x 4 = 30.
  const Layer conv3 = *zoo_layer("alexnet/conv3", 16);
  const PeArray array = arch_preset("eyeriss")->array;
  const auto ext = names(replicated_extensions(*parse_dataflow("C|K"), conv3, array));
  EXPECT_EQ(ext.size(), 30u);
  EXPECT_EQ(ext.front(), "C|KN");
  // Q = 13 is short of 16 columns, so only they grow, with R or S (N K C P are used; the
  // rows hold kMaxSpatialLoops loops and could take no more anyway).
  EXPECT_EQ(names(replicated_extensions(*parse_dataflow("NKCP|Q"), conv3, array)),
            (std::vector<std::string>{"NKCP|QR", "NKCP|QS"}));
}

TEST(Dataflow, DefaultBlockingIsLegalForEveryTwoLoopDataflowOfConv3) {
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  const Architecture arch = *arch_preset("eyeriss");
  const std::string dims = "NKCPQRS";
  int count = 0;
  for (char u : dims) {
    for (char v : dims) {
      if (u >= v) continue;
      const auto df = parse_dataflow(std::string(1, u) + "|" + std::string(1, v));
      ASSERT_TRUE(df);
      const auto m = default_mapping(layer, arch, *df);
      ASSERT_TRUE(m) << u << "|" << v << ": " << m.error().message;
      EXPECT_TRUE(check_mapping(layer, arch, *m));
      ++count;
    }
  }
  EXPECT_EQ(count, 21);  // C(7,2), 004 Sec. III-C
}

TEST(Dataflow, DefaultBlockingUnrollsAsMuchAsTheArrayAllows) {
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  const Architecture arch = *arch_preset("eyeriss");
  const auto m = default_mapping(layer, arch, *parse_dataflow("C|K"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->levels[1].rows[0], (Loop{16, Dim::C}));
  EXPECT_EQ(m->levels[1].cols[0], (Loop{16, Dim::K}));
  EXPECT_EQ(dataflow_name(dataflow_of(*m, arch)), "C|K");
}

}  // namespace
}  // namespace dnnspace
