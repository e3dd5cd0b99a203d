#include "dnnspace/engine/softmax.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace dnnspace::engine {

Expected<Tensor> softmax(const Tensor& input, std::int64_t axis) {
  const std::int64_t rank = input.rank();
  if (axis < -rank || axis >= rank) {
    return Error{"softmax: axis " + std::to_string(axis) + " is outside [" +
                 std::to_string(-rank) + ", " + std::to_string(rank) + ") for input " +
                 to_string(input.shape())};
  }
  if (axis < 0) axis += rank;
  // View the tensor as [outer, extent, inner]; each (outer, inner) pair is one distribution.
  const std::int64_t extent = input.dim(axis);
  std::int64_t outer = 1, inner = 1;
  for (std::int64_t i = 0; i < axis; ++i) outer *= input.dim(i);
  for (std::int64_t i = axis + 1; i < rank; ++i) inner *= input.dim(i);

  Tensor output = input;
  float* y = output.data().data();
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t in = 0; in < inner; ++in) {
      float* base = y + o * extent * inner + in;
      float max = base[0];
      for (std::int64_t e = 1; e < extent; ++e) max = std::max(max, base[e * inner]);
      float sum = 0.0F;
      for (std::int64_t e = 0; e < extent; ++e) {
        base[e * inner] = std::exp(base[e * inner] - max);
        sum += base[e * inner];
      }
      for (std::int64_t e = 0; e < extent; ++e) base[e * inner] /= sum;
    }
  }
  return output;
}

}  // namespace dnnspace::engine
