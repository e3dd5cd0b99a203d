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
