#include "dnnspace/engine/add.hpp"

#include "dnnspace/engine/broadcast.hpp"

namespace dnnspace::engine {

Expected<Tensor> add(const Tensor& a, const Tensor& b) {
  auto shape = broadcast_shapes("add", a.shape(), b.shape());
  if (!shape) return shape.error();
  Tensor c(*shape);
  const std::span<const float> x = a.data(), y = b.data();
  const std::span<float> z = c.data();
  if (a.shape() == b.shape()) {  // the common case needs no index arithmetic
    for (std::size_t i = 0; i < z.size(); ++i) z[i] = x[i] + y[i];
    return c;
  }
  // Walk the output in row-major order with an odometer over its index, advancing each
  // operand by its broadcast stride (0 on broadcast axes).
  const Shape& out = c.shape();
  const Shape sa = broadcast_strides(a.shape(), out), sb = broadcast_strides(b.shape(), out);
  Shape index(out.size(), 0);
  std::int64_t ia = 0, ib = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    z[i] = x[static_cast<std::size_t>(ia)] + y[static_cast<std::size_t>(ib)];
    for (std::size_t axis = out.size(); axis-- > 0;) {
      ++index[axis];
      ia += sa[axis];
      ib += sb[axis];
      if (index[axis] < out[axis]) break;
      ia -= sa[axis] * out[axis];
      ib -= sb[axis] * out[axis];
      index[axis] = 0;
    }
  }
  return c;
}

}  // namespace dnnspace::engine
