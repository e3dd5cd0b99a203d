#include "dnnspace/engine/activation.hpp"

#include <cmath>

namespace dnnspace::engine {

float relu(float x) noexcept { return x > 0.0F ? x : 0.0F; }

float sigmoid(float x) noexcept {
  // exp of a non-positive argument never overflows; the x < 0 branch keeps the tiny tail
  // exact instead of 1 / (1 + huge).
  if (x >= 0.0F) return 1.0F / (1.0F + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0F + e);
}

float tanh(float x) noexcept { return std::tanh(x); }

namespace {
template <typename F>
Tensor map(const Tensor& input, F f) {
  Tensor output = input;
  for (float& v : output.data()) v = f(v);
  return output;
}
}  // namespace

Tensor relu(const Tensor& input) { return map(input, [](float x) { return relu(x); }); }
Tensor sigmoid(const Tensor& input) { return map(input, [](float x) { return sigmoid(x); }); }
Tensor tanh(const Tensor& input) { return map(input, [](float x) { return tanh(x); }); }

}  // namespace dnnspace::engine
