#include "dnnspace/engine/sgemm.hpp"

#include <Eigen/Core>
#include <cassert>

namespace dnnspace::engine {

namespace {
using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMajor>;
using Map = Eigen::Map<RowMajor>;

// Eigen picks its blocked, vectorised GEMM for the product expression; the four transpose
// combinations are spelled out so each becomes one expression template, with no copies.
template <typename A, typename B>
void accumulate(const A& a, const B& b, float alpha, float beta, Map& c) {
  if (beta == 0.0F) {
    c.noalias() = alpha * (a * b);
  } else {
    if (beta != 1.0F) c *= beta;
    c.noalias() += alpha * (a * b);
  }
}
}  // namespace

void sgemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
           float alpha, const float* a, const float* b, float beta, float* c) noexcept {
  assert(m >= 0 && n >= 0 && k >= 0 && "sgemm: negative size");
  Map c_map(c, m, n);
  if (m == 0 || n == 0) return;
  if (k == 0) {  // an empty sum: only the beta * C term remains
    if (beta == 0.0F) {
      c_map.setZero();
    } else {
      c_map *= beta;
    }
    return;
  }
  const ConstMap a_map(a, trans_a ? k : m, trans_a ? m : k);
  const ConstMap b_map(b, trans_b ? n : k, trans_b ? k : n);
  if (!trans_a && !trans_b) accumulate(a_map, b_map, alpha, beta, c_map);
  if (!trans_a && trans_b) accumulate(a_map, b_map.transpose(), alpha, beta, c_map);
  if (trans_a && !trans_b) accumulate(a_map.transpose(), b_map, alpha, beta, c_map);
  if (trans_a && trans_b) accumulate(a_map.transpose(), b_map.transpose(), alpha, beta, c_map);
}

}  // namespace dnnspace::engine
