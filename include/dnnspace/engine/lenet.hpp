// LeNet-5-style CNN for 28x28 single-channel images (LeCun et al. 1998, as commonly adapted
// to MNIST): conv 5x5 (6, pad 2) - pool - conv 5x5 (16) - pool - fc 120 - fc 84 - fc 10.
#pragma once

#include <cstdint>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/sequential.hpp"

namespace dnnspace::engine {

/// Layers conv1 (1->6, 5x5, padding 2: 28x28 -> 28x28), 2x2 max pool, conv2 (6->16, 5x5:
/// 14x14 -> 10x10), 2x2 max pool, fc1 (400->120), fc2 (120->84), fc3 (84->classes), with
/// `activation` after each convolution and after fc1 and fc2. Named "lenet5".
[[nodiscard]] Expected<Sequential> make_lenet5(ActivationKind activation, std::uint64_t seed,
                                               std::int64_t classes = 10);

}  // namespace dnnspace::engine
