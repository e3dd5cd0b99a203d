#include "dnnspace/engine/flatten.hpp"

#include <string>

namespace dnnspace::engine {

Expected<Tensor> flatten(const Tensor& input, std::int64_t axis) {
  const std::int64_t rank = input.rank();
  if (axis < -rank || axis > rank) {
    return Error{"flatten: axis " + std::to_string(axis) + " is outside [" +
                 std::to_string(-rank) + ", " + std::to_string(rank) + "] for input " +
                 to_string(input.shape())};
  }
  if (axis < 0) axis += rank;
  std::int64_t rows = 1, cols = 1;
  for (std::int64_t i = 0; i < axis; ++i) rows *= input.dim(i);
  for (std::int64_t i = axis; i < rank; ++i) cols *= input.dim(i);
  Tensor copy = input;
  return std::move(copy).reshaped(Shape{rows, cols});
}

}  // namespace dnnspace::engine
