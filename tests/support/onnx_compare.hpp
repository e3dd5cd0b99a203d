// Comparing engine outputs with ONNX's expected outputs, as ONNX's backend tests do.
#pragma once

#include <cmath>
#include <string>
#include <variant>

#include "dnnspace/engine/onnx_graph.hpp"

namespace dnnspace::engine::testing {

// ONNX's backend-test defaults (onnx/backend/test/runner: rtol=1e-3, atol=1e-7), applied as
// numpy.testing.assert_allclose does: |actual - expected| <= atol + rtol * |expected|.
constexpr double kRtol = 1e-3;
constexpr double kAtol = 1e-7;

/// "" when `actual` matches `expected` within the tolerance, else what differs first.
inline std::string compare(const OnnxValue& actual, const OnnxValue& expected) {
  if (actual.index() != expected.index()) return "float/integer type differs from expected";
  if (const auto* e = std::get_if<IntTensor>(&expected)) {
    const auto& a = std::get<IntTensor>(actual);
    if (a.shape != e->shape) {
      return "shape " + to_string(a.shape) + ", expected " + to_string(e->shape);
    }
    for (std::size_t i = 0; i < e->data.size(); ++i) {
      if (a.data[i] != e->data[i]) {
        return "element " + std::to_string(i) + " is " + std::to_string(a.data[i]) +
               ", expected " + std::to_string(e->data[i]);
      }
    }
    return "";
  }
  const auto& a = std::get<Tensor>(actual);
  const auto& e = std::get<Tensor>(expected);
  if (a.shape() != e.shape()) {
    return "shape " + to_string(a.shape()) + ", expected " + to_string(e.shape());
  }
  for (std::size_t i = 0; i < e.data().size(); ++i) {
    const double x = a.data()[i], y = e.data()[i];
    if (std::isnan(x) && std::isnan(y)) continue;
    const bool ok = std::isinf(y) ? x == y : std::abs(x - y) <= kAtol + kRtol * std::abs(y);
    if (!ok) {
      return "element " + std::to_string(i) + " is " + std::to_string(x) + ", expected " +
             std::to_string(y) + " (rtol " + std::to_string(kRtol) + ", atol 1e-7)";
    }
  }
  return "";
}

}  // namespace dnnspace::engine::testing
