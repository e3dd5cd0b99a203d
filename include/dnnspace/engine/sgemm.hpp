// sgemm: the single-precision matrix product every heavy engine kernel (conv, gemm, matmul,
// LSTM) funnels into, so the BLAS choice (Eigen, see docs/engine.md) lives in one file.
#pragma once

#include <cstdint>

namespace dnnspace::engine {

/// C = alpha * op(A) * op(B) + beta * C on dense row-major matrices with no padding between
/// rows. op(A) is m x k (A is stored k x m when trans_a), op(B) is k x n (B is stored n x k
/// when trans_b), C is m x n. When beta == 0, C is not read (it may hold garbage or NaN),
/// as in BLAS. Sizes must be >= 0 (assert); C must not alias A or B. Single-threaded and
/// deterministic: the same inputs give bit-identical outputs on every call.
void sgemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
           float alpha, const float* a, const float* b, float beta, float* c) noexcept;

}  // namespace dnnspace::engine
