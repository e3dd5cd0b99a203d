// Legality checks: coverage, structure, array size and capacity, with their messages.
#include <gtest/gtest.h>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/mapping/footprint.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

// AlexNet CONV3 at batch 16 on eyeriss, the mapping of the issue (C|K).
Mapping conv3_ck() {
  Mapping m;
  m.levels.resize(3);
  m.levels[0].temporal = {};
  for (Loop l : {Loop{16, Dim::N}, Loop{12, Dim::K}, Loop{8, Dim::C}}) m.levels[0].temporal.push_back(l);
  for (Loop l : {Loop{13, Dim::P}, Loop{13, Dim::Q}}) m.levels[1].temporal.push_back(l);
  m.levels[1].rows.push_back({16, Dim::C});
  m.levels[1].cols.push_back({16, Dim::K});
  for (Loop l : {Loop{2, Dim::K}, Loop{2, Dim::C}, Loop{3, Dim::R}, Loop{3, Dim::S}}) m.levels[2].temporal.push_back(l);
  return m;
}

TEST(Legality, IssueMappingIsLegalAndItsTilesAreAsDerivedByHand) {
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  const Architecture arch = *arch_preset("eyeriss");
  const Mapping m = conv3_ck();
  EXPECT_TRUE(check_mapping(layer, arch, m));
  const Nest nest = flatten(m);
  // RegFile: weights K2 C2 R3 S3 = 36; inputs C2 x 3x3 window = 18; outputs K2 = 2.
  EXPECT_EQ(tile_words(layer, nest, TensorId::Weights, 2), 36);
  EXPECT_EQ(tile_words(layer, nest, TensorId::Inputs, 2), 18);
  EXPECT_EQ(tile_words(layer, nest, TensorId::Outputs, 2), 2);
  // GlobalBuffer: weights 32x32x9 = 9216; inputs 32 x 15 x 15 = 7200 (13 + 3 - 1 = 15
  // rows and cols with pad 1); outputs 32 x 13 x 13 = 5408.
  EXPECT_EQ(tile_words(layer, nest, TensorId::Weights, 1), 9216);
  EXPECT_EQ(tile_words(layer, nest, TensorId::Inputs, 1), 7200);
  EXPECT_EQ(tile_words(layer, nest, TensorId::Outputs, 1), 5408);
  // (9216 + 7200 + 5408) words x 2 B x 2 (double-buffered) = 87296 B <= 128 KB.
  EXPECT_EQ(level_footprint_bytes(layer, arch, nest, 1), 87296);
}

TEST(Legality, MissingCoverageNamesTheDimension) {
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  const Architecture arch = *arch_preset("eyeriss");
  Mapping m = conv3_ck();
  m.levels[0].temporal[2].factor = 4;  // C: 4 x 16 x 2 = 128 < 256
  const auto r = check_mapping(layer, arch, m);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("dimension C: factors multiply to 128"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("C = 256"), std::string::npos);
}

TEST(Legality, PartialTilesAreLegal) {
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  const Architecture arch = *arch_preset("eyeriss");
  Mapping m = conv3_ck();
  m.levels[1].temporal[0].factor = 7;  // P: 7 x 2 = 14 >= 13
  m.levels[2].temporal.push_back({2, Dim::P});
  EXPECT_TRUE(check_mapping(layer, arch, m));
}

TEST(Legality, CapacityOverflowNamesLevelAndSizes) {
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  const Architecture arch = *arch_preset("eyeriss-64b");  // 64 B RegFile
  const Mapping m = conv3_ck();  // needs (36 + 18 + 2) x 2 B = 112 B in the RegFile
  const auto r = check_mapping(layer, arch, m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "level 'RegFile': tiles need 112 B (inputs 18 + weights 36 + outputs 2 words x 2 B), capacity 64 B");
}

TEST(Legality, ArrayTooSmall) {
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  const Architecture arch = *arch_preset("eyeriss");
  Mapping m = conv3_ck();
  m.levels[1].rows[0].factor = 32;
  m.levels[0].temporal[2].factor = 4;
  const auto r = check_mapping(layer, arch, m);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("need a 32x16 array"), std::string::npos) << r.error().message;
}

TEST(Legality, SpatialLoopsOnlyUnderTheArrayLevel) {
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  const Architecture arch = *arch_preset("eyeriss");
  Mapping m = conv3_ck();
  m.levels[2].rows.push_back({1, Dim::R});
  const auto r = check_mapping(layer, arch, m);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("level 'RegFile': spatial loops are allowed only"), std::string::npos);
}

TEST(Legality, LevelCountMustMatch) {
  const Layer layer = *zoo_layer("alexnet/conv3", 16);
  const Architecture arch = *arch_preset("eyeriss");
  Mapping m = conv3_ck();
  m.levels.pop_back();
  EXPECT_FALSE(check_mapping(layer, arch, m));
}

TEST(Footprint, WindowCountEqualsBruteForce) {
  for (std::int64_t a = 0; a <= 6; ++a) {
    for (std::int64_t b = 0; b <= 5; ++b) {
      for (std::int64_t u = 1; u <= 5; ++u) {
        for (std::int64_t v = 1; v <= 5; ++v) {
          std::vector<bool> seen(100, false);
          std::int64_t distinct = 0;
          for (std::int64_t i = 0; i < a; ++i) {
            for (std::int64_t j = 0; j < b; ++j) {
              if (!seen[static_cast<std::size_t>(i * u + j * v)]) { seen[static_cast<std::size_t>(i * u + j * v)] = true; ++distinct; }
            }
          }
          EXPECT_EQ(window_count(a, b, u, v), distinct) << a << " " << b << " " << u << " " << v;
        }
      }
    }
  }
}

}  // namespace
}  // namespace dnnspace
