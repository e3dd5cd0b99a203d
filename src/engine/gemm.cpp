#include "dnnspace/engine/gemm.hpp"

#include <string>

#include "dnnspace/engine/broadcast.hpp"
#include "dnnspace/engine/sgemm.hpp"

namespace dnnspace::engine {

Expected<Tensor> gemm(const Tensor& a, const Tensor& b, const Tensor* c, const GemmParams& params) {
  if (a.rank() != 2 || b.rank() != 2) {
    return Error{"gemm: A and B must be rank 2, got " + to_string(a.shape()) + " and " +
                 to_string(b.shape())};
  }
  const std::int64_t m = params.trans_a ? a.dim(1) : a.dim(0);
  const std::int64_t k = params.trans_a ? a.dim(0) : a.dim(1);
  const std::int64_t kb = params.trans_b ? b.dim(1) : b.dim(0);
  const std::int64_t n = params.trans_b ? b.dim(0) : b.dim(1);
  if (k != kb) {
    return Error{"gemm: op(A) is [" + std::to_string(m) + ", " + std::to_string(k) +
                 "] but op(B) is [" + std::to_string(kb) + ", " + std::to_string(n) +
                 "]: inner extents must match"};
  }
  Tensor y(Shape{m, n});
  float beta = 0.0F;
  if (c != nullptr) {
    // C broadcasts one way only: to [M, N], never the other way round.
    auto shape = broadcast_shapes("gemm", c->shape(), y.shape());
    if (!shape || *shape != y.shape()) {
      return Error{"gemm: C " + to_string(c->shape()) + " does not broadcast to [M, N] = " +
                   to_string(y.shape())};
    }
    const Shape strides = broadcast_strides(c->shape(), y.shape());
    for (std::int64_t i = 0; i < m; ++i) {
      for (std::int64_t j = 0; j < n; ++j) {
        y.data()[static_cast<std::size_t>(i * n + j)] =
            c->data()[static_cast<std::size_t>(i * strides[0] + j * strides[1])];
      }
    }
    beta = params.beta;
  }
  sgemm(params.trans_a, params.trans_b, m, n, k, params.alpha, a.data().data(), b.data().data(),
        beta, y.data().data());
  return y;
}

}  // namespace dnnspace::engine
