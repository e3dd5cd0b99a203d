#include "dnnspace/engine/concat.hpp"

#include <algorithm>
#include <string>

namespace dnnspace::engine {

Expected<Tensor> concat(std::span<const Tensor> inputs, std::int64_t axis) {
  if (inputs.empty()) return Error{"concat: needs at least one input"};
  const Shape& first = inputs[0].shape();
  const std::int64_t rank = inputs[0].rank();
  if (axis < -rank || axis >= rank) {
    return Error{"concat: axis " + std::to_string(axis) + " is outside [" +
                 std::to_string(-rank) + ", " + std::to_string(rank) + ") for input 0 " +
                 to_string(first)};
  }
  if (axis < 0) axis += rank;
  const auto a = static_cast<std::size_t>(axis);
  Shape out_shape = first;
  out_shape[a] = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Shape& s = inputs[i].shape();
    bool same = s.size() == first.size();
    for (std::size_t d = 0; same && d < s.size(); ++d) same = d == a || s[d] == first[d];
    if (!same) {
      return Error{"concat: input " + std::to_string(i) + " " + to_string(s) +
                   " must match input 0 " + to_string(first) + " except on axis " +
                   std::to_string(axis)};
    }
    out_shape[a] += s[a];
  }
  // Each input contributes a contiguous block of dim(axis) * inner elements per outer index.
  std::int64_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < a; ++d) outer *= first[d];
  for (std::size_t d = a + 1; d < first.size(); ++d) inner *= first[d];
  Tensor output(out_shape);
  float* out = output.data().data();
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const Tensor& t : inputs) {
      const std::int64_t block = t.dim(axis) * inner;
      const float* src = t.data().data() + o * block;
      out = std::copy(src, src + block, out);
    }
  }
  return output;
}

}  // namespace dnnspace::engine
