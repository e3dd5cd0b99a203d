// Numerics YAML: a full spec, per-layer overrides, and one-line errors for bad input.
#include "dnnspace/io/numerics_yaml.hpp"

#include <gtest/gtest.h>

namespace dnnspace::io {
namespace {

using engine::Arithmetic;
using engine::FixedFormat;
using engine::Rounding;

TEST(NumericsYaml, FullSpecWithOverrides) {
  const char* text = R"(
default:
  arithmetic: fixed
  weights: Q2.6
  activations: Q2.4
  products: Q2.7
  rounding: truncate
  sigmoid_lut: {entries: 128, min: -6, max: 6}
layers:
  fc2: {products: Q4.7}
  fc3: {arithmetic: int8, granularity: per-channel, sigmoid_lut: off}
)";
  const Expected<engine::NumericsSpec> spec = parse_numerics_text(text, "n.yaml");
  ASSERT_TRUE(spec) << spec.error().message;
  EXPECT_EQ(spec->defaults.arithmetic, Arithmetic::Fixed);
  EXPECT_EQ(spec->defaults.fixed.weights, (FixedFormat{2, 6}));
  EXPECT_EQ(spec->defaults.fixed.activations, (FixedFormat{2, 4}));
  EXPECT_EQ(spec->defaults.fixed.rounding, Rounding::Truncate);
  ASSERT_TRUE(spec->defaults.lut_sigmoid);
  EXPECT_EQ(spec->defaults.lut_sigmoid->entries, 128);
  EXPECT_EQ(spec->defaults.lut_sigmoid->min_input, -6.0);
  const auto& fc2 = spec->for_layer("fc2");
  EXPECT_EQ(fc2.fixed.products, (FixedFormat{4, 7}));
  EXPECT_EQ(fc2.fixed.weights, (FixedFormat{2, 6}));  // inherited
  EXPECT_TRUE(fc2.lut_sigmoid);
  const auto& fc3 = spec->for_layer("fc3");
  EXPECT_EQ(fc3.arithmetic, Arithmetic::Int8);
  EXPECT_EQ(fc3.int8_granularity, engine::Int8Granularity::PerChannel);
  EXPECT_FALSE(fc3.lut_sigmoid);
  EXPECT_EQ(&spec->for_layer("fc1"), &spec->defaults);
}

TEST(NumericsYaml, EmptyIsFp32) {
  const Expected<engine::NumericsSpec> spec = parse_numerics_text("{}", "n.yaml");
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->defaults.arithmetic, Arithmetic::Fp32);
  EXPECT_TRUE(spec->layers.empty());
}

TEST(NumericsYaml, ParsesFormats) {
  EXPECT_EQ(parse_fixed_format("Q6.10").value(), (FixedFormat{6, 10}));
  EXPECT_EQ(parse_fixed_format("Q1.0").value(), (FixedFormat{1, 0}));
  for (const char* bad : {"Q2", "2.6", "Q0.4", "Q20.13", "Q2.x", "Q.6", "Q2.6.1", "Q-1.4"}) {
    EXPECT_FALSE(parse_fixed_format(bad)) << bad;
  }
}

void expect_error(const char* text, const std::string& what) {
  const Expected<engine::NumericsSpec> spec = parse_numerics_text(text, "n.yaml");
  ASSERT_FALSE(spec) << text;
  EXPECT_EQ(spec.error().message.find("n.yaml"), 0U) << spec.error().message;
  EXPECT_NE(spec.error().message.find(what), std::string::npos) << spec.error().message;
  EXPECT_EQ(spec.error().message.find('\n'), std::string::npos);
}

TEST(NumericsYamlErrors, BadInput) {
  expect_error("default: {arithmetic: float16}", "field 'arithmetic': 'float16' is not allowed (allowed: fp32, fixed, int8)");
  expect_error("default: {arithmetic: fixed, weights: Q2}", "field 'weights': 'Q2' is not a fixed-point type (allowed: Qm.n");
  expect_error("default: {arithmetic: fixed, weights: Q2.6, activations: Q2.4}",
               "field 'products': default: missing (arithmetic 'fixed' needs weights, activations and products");
  expect_error("layers: {fc1: {arithmetic: fixed}}", "field 'weights': layer 'fc1': missing");
  expect_error("default: {rounding: up}", "'up' is not allowed (allowed: nearest-even, truncate)");
  expect_error("default: {wieghts: Q2.6}", "unknown field 'wieghts'");
  expect_error("layer: {}", "unknown field 'layer' (allowed: default, layers)");
  expect_error("default: {sigmoid_lut: {entries: 1}}", "field 'entries': must be >= 2");
  expect_error("default: {sigmoid_lut: {min: 3, max: 1}}", "min (3.000000) must be below max (1.000000)");
  expect_error("default: {sigmoid_lut: 5}", "expected a map {entries, min, max} or 'off'");
  expect_error("default: [1, 2", "malformed YAML");
  const Expected<engine::NumericsSpec> missing = load_numerics_file("/nonexistent/n.yaml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "/nonexistent/n.yaml: cannot open file");
}

}  // namespace
}  // namespace dnnspace::io
