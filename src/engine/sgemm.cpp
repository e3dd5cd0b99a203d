#include "dnnspace/engine/sgemm.hpp"

#include <cblas.h>

#include <cassert>
#include <climits>

namespace dnnspace::engine {

namespace {
// OpenBLAS's CBLAS takes 32-bit sizes (the LP64 build); the engine's matrices are far below.
blasint to_blas(std::int64_t size) {
  assert(size <= INT_MAX && "sgemm: size exceeds the 32-bit BLAS interface");
  return static_cast<blasint>(size);
}

// Once, before the first call from any thread: OpenBLAS computes on the calling thread only
// (its own pool stays idle), so the engine's TBB threads are the only parallelism and a
// product's bits do not depend on how many threads OpenBLAS would otherwise split it over.
void use_calling_thread_only() noexcept {
  static const bool done = [] {
    openblas_set_num_threads(1);
    return true;
  }();
  (void)done;
}
}  // namespace

void sgemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
           float alpha, const float* a, const float* b, float beta, float* c) noexcept {
  assert(m >= 0 && n >= 0 && k >= 0 && "sgemm: negative size");
  use_calling_thread_only();
  if (m == 0 || n == 0) return;
  if (k == 0) {  // an empty sum: only beta * C remains (BLAS would reject lda = k = 0)
    for (std::int64_t i = 0; i < m * n; ++i) c[i] = beta == 0.0F ? 0.0F : beta * c[i];
    return;
  }
  // Row-major storage: the leading dimension is the stored row length of each operand.
  const std::int64_t lda = trans_a ? m : k;
  const std::int64_t ldb = trans_b ? k : n;
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              to_blas(m), to_blas(n), to_blas(k), alpha, a, to_blas(lda), b, to_blas(ldb), beta, c,
              to_blas(n));
}

}  // namespace dnnspace::engine
