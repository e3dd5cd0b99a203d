#include "dnnspace/engine/lstm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace dnnspace::engine {
namespace {

// All cases use one hidden unit and one input feature, so every gate is a scalar and the
// expected values below are the ONNX LSTM equations written out by hand.

Tensor make(Shape shape, std::vector<float> data) {
  return Tensor::from_data(std::move(shape), std::move(data)).value();
}
double sig(double x) { return 1.0 / (1.0 + std::exp(-x)); }

constexpr float kTol = 1e-6F;

TEST(Lstm, BiasesAndInitialCell) {
  // x = 0, W = R = 0, so each gate's input is its bias: Wb + Rb in order i, o, f, c.
  // i: 0 -> 1/2.  o: 0 -> 1/2.  f: (ln 3 - 1) + 1 = ln 3 -> 3/4.  c~: tanh(ln 2) = 0.6.
  // C = f*C0 + i*c~ = 0.75*2 + 0.5*0.6 = 1.8;  H = o * tanh(C) = 0.5 * tanh(1.8).
  const float ln3 = std::log(3.0F), ln2 = std::log(2.0F);
  const Tensor x(Shape{1, 1, 1}), w(Shape{1, 4, 1}), r(Shape{1, 4, 1});
  const Tensor b = make({1, 8}, {0, 0, ln3 - 1, ln2, 0, 0, 1, 0});
  const Tensor c0 = make({1, 1, 1}, {2});
  auto y = lstm(x, w, r, {.bias = &b, .initial_c = &c0}, {.hidden_size = 1});
  ASSERT_TRUE(y);
  EXPECT_EQ(y->y.shape(), (Shape{1, 1, 1, 1}));
  EXPECT_EQ(y->y_h.shape(), (Shape{1, 1, 1}));
  EXPECT_NEAR(y->y_c.data()[0], 1.8F, kTol);
  EXPECT_NEAR(y->y_h.data()[0], 0.5 * std::tanh(1.8), kTol);
  EXPECT_EQ(y->y.data()[0], y->y_h.data()[0]);
}

TEST(Lstm, PeepholesInOrderInputOutputForget) {
  // P = [Pi, Po, Pf] = [ln3 / 2, 1, 0], C0 = 2, only bias c = ln 2.
  // i = sig(Pi*C0) = sig(ln 3) = 3/4;  f = sig(Pf*C0) = 1/2;  c~ = 0.6;
  // C = 0.5*2 + 0.75*0.6 = 1.45;  o = sig(Po*C) = sig(1.45) (the new C);  H = o * tanh(1.45).
  const float ln3 = std::log(3.0F), ln2 = std::log(2.0F);
  const Tensor x(Shape{1, 1, 1}), w(Shape{1, 4, 1}), r(Shape{1, 4, 1});
  const Tensor b = make({1, 8}, {0, 0, 0, ln2, 0, 0, 0, 0});
  const Tensor c0 = make({1, 1, 1}, {2});
  const Tensor p = make({1, 3}, {ln3 / 2, 1, 0});
  auto y = lstm(x, w, r, {.bias = &b, .initial_c = &c0, .peepholes = &p}, {.hidden_size = 1});
  ASSERT_TRUE(y);
  EXPECT_NEAR(y->y_c.data()[0], 1.45F, kTol);
  EXPECT_NEAR(y->y_h.data()[0], sig(1.45) * std::tanh(1.45), kTol);
}

// Two steps, x = 1 then 2; only the cell gate sees the input (Wc = 1) and the hidden state
// (Rc = 1); i = f = o = sig(0) = 1/2 throughout.
//   step on x=1 from zero state:  C1 = 0.5 * tanh(1),          H1 = 0.5 * tanh(C1)
//   step on x=2:                  C2 = 0.5*C1 + 0.5*tanh(2 + H1), H2 = 0.5 * tanh(C2)
// Reverse reads x=2 first:        C1' = 0.5 * tanh(2),         H1' = 0.5 * tanh(C1')
//                                 C2' = 0.5*C1' + 0.5*tanh(1 + H1'), H2' = 0.5 * tanh(C2')
struct TwoSteps {
  double c1 = 0.5 * std::tanh(1.0);
  double h1 = 0.5 * std::tanh(c1);
  double c2 = 0.5 * c1 + 0.5 * std::tanh(2.0 + h1);
  double h2 = 0.5 * std::tanh(c2);
  double rc1 = 0.5 * std::tanh(2.0);
  double rh1 = 0.5 * std::tanh(rc1);
  double rc2 = 0.5 * rc1 + 0.5 * std::tanh(1.0 + rh1);
  double rh2 = 0.5 * std::tanh(rc2);
};

const Tensor kW = make({1, 4, 1}, {0, 0, 0, 1});
const Tensor kR = make({1, 4, 1}, {0, 0, 0, 1});

TEST(Lstm, ForwardOverTwoSteps) {
  const TwoSteps e;
  auto y = lstm(make({2, 1, 1}, {1, 2}), kW, kR, {}, {.hidden_size = 1});
  ASSERT_TRUE(y);
  EXPECT_EQ(y->y.shape(), (Shape{2, 1, 1, 1}));
  EXPECT_NEAR(y->y.data()[0], e.h1, kTol);
  EXPECT_NEAR(y->y.data()[1], e.h2, kTol);
  EXPECT_NEAR(y->y_h.data()[0], e.h2, kTol);
  EXPECT_NEAR(y->y_c.data()[0], e.c2, kTol);
}

TEST(Lstm, ReverseWritesEachStateAtItsTimeStep) {
  const TwoSteps e;
  auto y = lstm(make({2, 1, 1}, {1, 2}), kW, kR, {},
                {.hidden_size = 1, .direction = LstmDirection::Reverse});
  ASSERT_TRUE(y);
  EXPECT_NEAR(y->y.data()[1], e.rh1, kTol);  // t = 1 was processed first
  EXPECT_NEAR(y->y.data()[0], e.rh2, kTol);
  EXPECT_NEAR(y->y_h.data()[0], e.rh2, kTol);
}

TEST(Lstm, BidirectionalStacksForwardThenReverse) {
  const TwoSteps e;
  const Tensor w2 = make({2, 4, 1}, {0, 0, 0, 1, 0, 0, 0, 1});
  auto y = lstm(make({2, 1, 1}, {1, 2}), w2, w2, {},
                {.hidden_size = 1, .direction = LstmDirection::Bidirectional});
  ASSERT_TRUE(y);
  ASSERT_EQ(y->y.shape(), (Shape{2, 2, 1, 1}));  // [seq, dirs, batch, H]
  EXPECT_NEAR(y->y.at({0, 0, 0, 0}), e.h1, kTol);
  EXPECT_NEAR(y->y.at({1, 0, 0, 0}), e.h2, kTol);
  EXPECT_NEAR(y->y.at({0, 1, 0, 0}), e.rh2, kTol);
  EXPECT_NEAR(y->y.at({1, 1, 0, 0}), e.rh1, kTol);
  EXPECT_NEAR(y->y_h.at({0, 0, 0}), e.h2, kTol);
  EXPECT_NEAR(y->y_h.at({1, 0, 0}), e.rh2, kTol);
}

TEST(Lstm, BatchMajorLayout) {
  const TwoSteps e;
  auto y = lstm(make({1, 2, 1}, {1, 2}), kW, kR, {}, {.hidden_size = 1, .batch_major = true});
  ASSERT_TRUE(y);
  EXPECT_EQ(y->y.shape(), (Shape{1, 2, 1, 1}));  // [batch, seq, dirs, H]
  EXPECT_EQ(y->y_h.shape(), (Shape{1, 1, 1}));
  EXPECT_NEAR(y->y.data()[0], e.h1, kTol);
  EXPECT_NEAR(y->y.data()[1], e.h2, kTol);
}

TEST(Lstm, SequenceLengthsStopShortSequences) {
  // Batch 2; X[t][b] = 1 at t = 0 and 2 at t = 1 for both. Entry 1 has length 1: it stops
  // after H1, and Y at t = 1 stays 0 for it.
  const TwoSteps e;
  const std::vector<std::int64_t> lens = {2, 1};
  auto y = lstm(make({2, 2, 1}, {1, 1, 2, 2}), kW, kR, {.sequence_lens = lens},
                {.hidden_size = 1});
  ASSERT_TRUE(y);
  EXPECT_NEAR(y->y.at({1, 0, 0, 0}), e.h2, kTol);
  EXPECT_NEAR(y->y.at({0, 0, 1, 0}), e.h1, kTol);
  EXPECT_EQ(y->y.at({1, 0, 1, 0}), 0.0F);
  EXPECT_NEAR(y->y_h.at({0, 1, 0}), e.h1, kTol);
  // Reversed, a length-1 entry reads only t = 0: the same single step.
  auto rev = lstm(make({2, 2, 1}, {1, 1, 2, 2}), kW, kR, {.sequence_lens = lens},
                  {.hidden_size = 1, .direction = LstmDirection::Reverse});
  ASSERT_TRUE(rev);
  EXPECT_NEAR(rev->y.at({0, 0, 1, 0}), e.h1, kTol);
  EXPECT_EQ(rev->y.at({1, 0, 1, 0}), 0.0F);
  EXPECT_NEAR(rev->y_h.at({0, 0, 0}), e.rh2, kTol);
}

TEST(Lstm, ClipBoundsGateInputs) {
  // As BiasesAndInitialCell with clip 0.5: f's ln 3 and c's ln 2 are both clipped to 0.5.
  // C = sig(0.5)*2 + 0.5*tanh(0.5);  H = 0.5 * tanh(C).
  const float ln3 = std::log(3.0F), ln2 = std::log(2.0F);
  const Tensor x(Shape{1, 1, 1}), w(Shape{1, 4, 1}), r(Shape{1, 4, 1});
  const Tensor b = make({1, 8}, {0, 0, ln3, ln2, 0, 0, 0, 0});
  const Tensor c0 = make({1, 1, 1}, {2});
  auto y = lstm(x, w, r, {.bias = &b, .initial_c = &c0}, {.hidden_size = 1, .clip = 0.5F});
  ASSERT_TRUE(y);
  const double c = sig(0.5) * 2 + 0.5 * std::tanh(0.5);
  EXPECT_NEAR(y->y_c.data()[0], c, kTol);
  EXPECT_NEAR(y->y_h.data()[0], 0.5 * std::tanh(c), kTol);
}

TEST(Lstm, CustomCellActivation) {
  // g = Relu: x = 3 through Wc = 1 gives c~ = 3 (tanh would give 0.995); C = 0.5*3 = 1.5.
  auto y = lstm(make({1, 1, 1}, {3}), kW, kR, {},
                {.hidden_size = 1,
                 .activations = {LstmActivation::Sigmoid, LstmActivation::Relu,
                                 LstmActivation::Tanh}});
  ASSERT_TRUE(y);
  EXPECT_NEAR(y->y_c.data()[0], 1.5F, kTol);
  EXPECT_NEAR(y->y_h.data()[0], 0.5 * std::tanh(1.5), kTol);
}

TEST(LstmErrors, BadShapesAndParameters) {
  const Tensor x(Shape{2, 1, 1});
  auto w = lstm(x, Tensor(Shape{1, 4, 2}), kR, {}, {.hidden_size = 1});
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().message, "lstm: W must be [1, 4, 1], got [1, 4, 2]");
  auto hidden = lstm(x, kW, kR, {}, {.hidden_size = 0});
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().message, "lstm: hidden_size must be >= 1, got 0");
  const std::vector<std::int64_t> lens = {3};
  auto len = lstm(x, kW, kR, {.sequence_lens = lens}, {.hidden_size = 1});
  ASSERT_FALSE(len);
  EXPECT_EQ(len.error().message, "lstm: sequence_lens[0] = 3 is outside [1, 2]");
  auto acts = lstm(x, kW, kR, {},
                   {.hidden_size = 1, .activations = {LstmActivation::Sigmoid}});
  ASSERT_FALSE(acts);
  EXPECT_EQ(acts.error().message,
            "lstm: activations has 1 entries, expected 3 (f, g, h per direction)");
  const Tensor bad_h0(Shape{1, 2, 1});
  EXPECT_FALSE(lstm(x, kW, kR, {.initial_h = &bad_h0}, {.hidden_size = 1}));
  EXPECT_FALSE(lstm(Tensor(Shape{2, 1}), kW, kR, {}, {.hidden_size = 1}));
}

}  // namespace
}  // namespace dnnspace::engine
