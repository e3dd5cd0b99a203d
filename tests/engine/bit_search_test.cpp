// Minerva's stage 3 bit search on a network whose minimum is worked by hand, and its errors.
#include <gtest/gtest.h>

#include <vector>

#include "dnnspace/engine/bit_search.hpp"
#include "dnnspace/engine/mlp.hpp"

namespace dnnspace::engine {
namespace {

// One dense layer, 1 input -> 2 classes: z0 = 0.75 x, z1 = 0.5. Two samples: x = 1 (class 0:
// 0.75 > 0.5) and x = 0.5 (class 1: 0.375 < 0.5). Ties go to class 0 (the first maximum).
struct Tiny {
  Sequential net = make_mlp(std::vector<std::int64_t>{1, 2}, ActivationKind::Relu, 1).value();
  Dataset data;
  Tiny() {
    auto w = net.parameters[0].value.data();
    w[0] = 0.75F;
    w[1] = 0.0F;
    auto b = net.parameters[1].value.data();
    b[0] = 0.0F;
    b[1] = 0.5F;
    data.images = Tensor({2, 1});
    data.images.data()[0] = 1.0F;
    data.images.data()[1] = 0.5F;
    data.labels = {0, 1};
    data.classes = 2;
  }
};

TEST(BitSearch, FindsTheHandWorkedMinimum) {
  const Tiny tiny;
  const BitSearchResult r = search_fixed_point_bits(tiny.net, tiny.data, 0.0).value();
  ASSERT_EQ(r.layers.size(), 1u);
  EXPECT_EQ(r.layers[0].layer, "fc1");
  // W (X, P at Q6.10): 0.75 needs 2 fraction bits (with 1 it rounds to 1.0 and x = 0.5
  // ties, class 0: wrong); it fits Q1.2's range [-1, 0.75]: Q1.2.
  EXPECT_EQ(r.layers[0].formats.weights, (FixedFormat{1, 2}));
  // X: with 0 fraction bits 0.5 rounds to 0 (ties to even), z0 = 0 < 0.5, still class 1;
  // Q1.0 holds [-1, 0] and saturates x = 1 to 0 (wrong), Q2.0 holds 1: Q2.0.
  EXPECT_EQ(r.layers[0].formats.activations, (FixedFormat{2, 0}));
  // P: with 0 fraction bits the bias 0.5 rounds to 0 and x = 0 ties (wrong); with 1, and one
  // integer bit, 0.75 -> 1.0 saturates to 0.5: a tie at x = 1, class 0, right: Q1.1.
  EXPECT_EQ(r.layers[0].formats.products, (FixedFormat{1, 1}));
  EXPECT_EQ(r.error, 0.0);
  EXPECT_EQ(r.start_error, 0.0);
  EXPECT_EQ(r.datapath.weights, (FixedFormat{1, 2}));
  EXPECT_EQ(r.datapath_error, 0.0);
  // 1 start + W (8 down to n = 2, 1 refused; 5 down to m = 1) + X (10; 4, 1 refused)
  // + P (9, 1 refused; 5) + 1 for the datapath.
  EXPECT_EQ(r.evaluations, 1 + 14 + 15 + 15 + 1);
  EXPECT_FALSE(r.interrupted);
}

TEST(BitSearch, ALooserBoundTakesFewerBits) {
  // Half the samples may be wrong: everything goes to one bit (Q1.0), the minimum.
  const Tiny tiny;
  const BitSearchResult r = search_fixed_point_bits(tiny.net, tiny.data, 0.5).value();
  for (const FixedFormat f : {r.layers[0].formats.weights, r.layers[0].formats.activations, r.layers[0].formats.products}) {
    EXPECT_EQ(f, (FixedFormat{1, 0}));
  }
  EXPECT_LE(r.error, 0.5);
}

TEST(BitSearch, Errors) {
  Tiny tiny;
  tiny.data.labels = {1, 0};  // every prediction wrong at Q6.10
  Expected<BitSearchResult> r = search_fixed_point_bits(tiny.net, tiny.data, 0.25);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("with Q6.10 everywhere the test error is 100.000000%, already above the bound"),
            std::string::npos)
      << r.error().message;
  std::atomic<bool> stop{true};
  BitSearchOptions stopped;
  stopped.stop = &stop;
  const BitSearchResult s = search_fixed_point_bits(Tiny().net, Tiny().data, 0.0, stopped).value();
  EXPECT_TRUE(s.interrupted);
  EXPECT_EQ(s.layers[0].formats.weights, (FixedFormat{6, 10}));
}

}  // namespace
}  // namespace dnnspace::engine
