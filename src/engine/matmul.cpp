#include "dnnspace/engine/matmul.hpp"

#include <string>

#include "dnnspace/engine/broadcast.hpp"
#include "dnnspace/engine/sgemm.hpp"

namespace dnnspace::engine {

Expected<Tensor> matmul(const Tensor& a, const Tensor& b) {
  if (a.rank() == 0 || b.rank() == 0) {
    return Error{"matmul: operands must have rank >= 1, got " + to_string(a.shape()) + " and " +
                 to_string(b.shape())};
  }
  // Promote vectors to matrices; remember which axes to drop from the result.
  Shape sa = a.shape(), sb = b.shape();
  const bool a_vector = sa.size() == 1, b_vector = sb.size() == 1;
  if (a_vector) sa.insert(sa.begin(), 1);
  if (b_vector) sb.push_back(1);
  const std::int64_t m = sa[sa.size() - 2], k = sa.back();
  const std::int64_t kb = sb[sb.size() - 2], n = sb.back();
  if (k != kb) {
    return Error{"matmul: " + to_string(a.shape()) + " @ " + to_string(b.shape()) +
                 ": inner extents " + std::to_string(k) + " and " + std::to_string(kb) +
                 " differ"};
  }
  const Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  auto batch = broadcast_shapes("matmul", batch_a, batch_b);
  if (!batch) return batch.error();

  Shape out_shape = *batch;
  out_shape.push_back(m);
  out_shape.push_back(n);
  Tensor out(out_shape);
  // Broadcast strides in units of whole matrices, so a batch index finds each operand's slice.
  const Shape stride_a = broadcast_strides(batch_a, *batch);
  const Shape stride_b = broadcast_strides(batch_b, *batch);
  const std::int64_t batches = element_count(*batch);
  Shape index(batch->size(), 0);
  for (std::int64_t i = 0; i < batches; ++i) {
    std::int64_t ia = 0, ib = 0;
    for (std::size_t axis = 0; axis < index.size(); ++axis) {
      ia += index[axis] * stride_a[axis];
      ib += index[axis] * stride_b[axis];
    }
    sgemm(false, false, m, n, k, 1.0F, a.data().data() + ia * m * k,
          b.data().data() + ib * k * n, 0.0F, out.data().data() + i * m * n);
    for (std::size_t axis = index.size(); axis-- > 0;) {
      if (++index[axis] < (*batch)[axis]) break;
      index[axis] = 0;
    }
  }
  if (a_vector) out_shape.erase(out_shape.end() - 2);
  if (b_vector) out_shape.pop_back();
  return std::move(out).reshaped(std::move(out_shape));
}

}  // namespace dnnspace::engine
