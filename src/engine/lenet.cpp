#include "dnnspace/engine/lenet.hpp"

#include <vector>

namespace dnnspace::engine {

Expected<Sequential> make_lenet5(ActivationKind activation, std::uint64_t seed, std::int64_t classes) {
  std::vector<Layer> layers{
      ConvLayer{"conv1", 1, 6, 5, 1, 2}, ActivationLayer{activation}, MaxPoolLayer{2},
      ConvLayer{"conv2", 6, 16, 5, 1, 0}, ActivationLayer{activation}, MaxPoolLayer{2},
      DenseLayer{"fc1", 16 * 5 * 5, 120}, ActivationLayer{activation},
      DenseLayer{"fc2", 120, 84},         ActivationLayer{activation},
      DenseLayer{"fc3", 84, classes},
  };
  return make_sequential("lenet5", activation, Shape{1, 28, 28}, std::move(layers), seed);
}

}  // namespace dnnspace::engine
