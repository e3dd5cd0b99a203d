// sgemm: the single-precision matrix product every heavy engine kernel (conv, gemm, matmul,
// LSTM) funnels into, so the BLAS choice (serial OpenBLAS, see docs/engine.md) lives in one file.
#pragma once

#include <cstdint>

namespace dnnspace::engine {

/// C = alpha * op(A) * op(B) + beta * C on dense row-major matrices with no padding between
/// rows. op(A) is m x k (A is stored k x m when trans_a), op(B) is k x n (B is stored n x k
/// when trans_b), C is m x n. When beta == 0, C is not read (it may hold garbage or NaN),
/// as in BLAS. Sizes must be >= 0 and < 2^31 (assert); C must not alias A or B.
/// Single-threaded (it runs on the calling thread; several threads may call it at once) and
/// deterministic: the same inputs give bit-identical outputs on every call and thread. The
/// kernel is picked for the CPU when the program starts, so the last bits may differ between
/// CPU types.
void sgemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
           float alpha, const float* a, const float* b, float beta, float* c) noexcept;

}  // namespace dnnspace::engine
