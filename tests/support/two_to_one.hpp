// The one-layer network the engine's hand-worked numerics tests use: y = 0.75 x0 - 0.5 x1 + 0.25.
#pragma once

#include <cstdint>
#include <vector>

#include "dnnspace/engine/mlp.hpp"

namespace dnnspace::testing {

inline engine::Sequential two_to_one() {
  engine::Sequential net =
      engine::make_mlp(std::vector<std::int64_t>{2, 1}, engine::ActivationKind::Relu, 1).value();
  auto w = net.parameters[0].value.data();
  w[0] = 0.75F;
  w[1] = -0.5F;
  net.parameters[1].value.data()[0] = 0.25F;
  return net;
}

}  // namespace dnnspace::testing
