#include "dnnspace/engine/sgemm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <thread>
#include <vector>

#include "dnnspace/engine/rng.hpp"

namespace dnnspace::engine {
namespace {

// A = [[1, 2, 3], [4, 5, 6]] (2x3), B = [[1, 0], [0, 1], [1, 1]] (3x2):
// A*B = [[1+0+3, 0+2+3], [4+0+6, 0+5+6]] = [[4, 5], [10, 11]].
const std::vector<float> kA = {1, 2, 3, 4, 5, 6};
const std::vector<float> kB = {1, 0, 0, 1, 1, 1};

TEST(Sgemm, PlainProduct) {
  std::vector<float> c(4);
  sgemm(false, false, 2, 2, 3, 1.0F, kA.data(), kB.data(), 0.0F, c.data());
  EXPECT_EQ(c, (std::vector<float>{4, 5, 10, 11}));
}

TEST(Sgemm, TransposedOperandsAreReadTransposed) {
  const std::vector<float> at = {1, 4, 2, 5, 3, 6};  // A stored 3x2
  const std::vector<float> bt = {1, 0, 1, 0, 1, 1};  // B stored 2x3
  std::vector<float> c(4);
  sgemm(true, true, 2, 2, 3, 1.0F, at.data(), bt.data(), 0.0F, c.data());
  EXPECT_EQ(c, (std::vector<float>{4, 5, 10, 11}));
}

TEST(Sgemm, AlphaAndBetaScale) {
  // 2 * A*B + 0.5 * [[2, 4], [6, 8]] = [[8+1, 10+2], [20+3, 22+4]].
  std::vector<float> c = {2, 4, 6, 8};
  sgemm(false, false, 2, 2, 3, 2.0F, kA.data(), kB.data(), 0.5F, c.data());
  EXPECT_EQ(c, (std::vector<float>{9, 12, 23, 26}));
}

TEST(Sgemm, BetaZeroDoesNotReadC) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> c = {nan, nan, nan, nan};
  sgemm(false, false, 2, 2, 3, 1.0F, kA.data(), kB.data(), 0.0F, c.data());
  EXPECT_EQ(c, (std::vector<float>{4, 5, 10, 11}));
}

TEST(Sgemm, EmptyReductionLeavesBetaTimesC) {
  std::vector<float> c = {1, 2};
  sgemm(false, false, 1, 2, 0, 1.0F, nullptr, nullptr, 3.0F, c.data());
  EXPECT_EQ(c, (std::vector<float>{3, 6}));
}

// Shapes large enough that OpenBLAS takes its blocked, packed kernels (and its edge code:
// none of the sizes is a multiple of a register tile), the MLP's training shapes among them.
struct Case {
  bool trans_a, trans_b;
  std::int64_t m, n, k;
};
const std::vector<Case> kCases = {{false, true, 32, 100, 784},  {true, false, 100, 784, 32},
                                  {false, false, 32, 784, 100}, {true, true, 37, 53, 129},
                                  {false, false, 1, 10, 100},   {false, true, 67, 3, 5}};

std::vector<float> random_matrix(std::int64_t size, SplitMix64& rng) {
  std::vector<float> v(static_cast<std::size_t>(size));
  for (float& x : v) x = static_cast<float>(rng.uniform() * 2.0 - 1.0);
  return v;
}

// Element (i, j) of op(X) for X stored row-major with `cols` columns.
float op_at(const std::vector<float>& x, bool trans, std::int64_t cols, std::int64_t i, std::int64_t j) {
  return x[static_cast<std::size_t>(trans ? j * cols + i : i * cols + j)];
}

TEST(Sgemm, MatchesDoublePrecisionSumWithinRoundingBound) {
  SplitMix64 rng(11);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (const Case& t : kCases) {
    const std::vector<float> a = random_matrix(t.m * t.k, rng);
    const std::vector<float> b = random_matrix(t.k * t.n, rng);
    const std::vector<float> c0 = random_matrix(t.m * t.n, rng);
    for (const float beta : {0.0F, 0.5F}) {
      std::vector<float> c = beta == 0.0F ? std::vector<float>(c0.size(), nan) : c0;  // beta 0: C unread
      sgemm(t.trans_a, t.trans_b, t.m, t.n, t.k, 1.5F, a.data(), b.data(), beta, c.data());
      for (std::int64_t i = 0; i < t.m; ++i) {
        for (std::int64_t j = 0; j < t.n; ++j) {
          double exact = 0.0;
          double magnitude = 0.0;  // sum |alpha a b| + |beta c|: scales the rounding bound
          for (std::int64_t p = 0; p < t.k; ++p) {
            const double prod = 1.5 * op_at(a, t.trans_a, t.trans_a ? t.m : t.k, i, p) *
                                op_at(b, t.trans_b, t.trans_b ? t.k : t.n, p, j);
            exact += prod;
            magnitude += std::fabs(prod);
          }
          const auto ij = static_cast<std::size_t>(i * t.n + j);
          exact += beta * static_cast<double>(c0[ij]);
          magnitude += std::fabs(beta * static_cast<double>(c0[ij]));
          // Each term takes part in at most k + 2 roundings (its product, k - 1 additions, the
          // alpha scaling and the final add; FMA only removes some), in any order: the error is
          // within gamma_{k+2} sum|terms|, gamma_n = n u / (1 - n u), u = 2^-24 (Higham,
          // Accuracy and Stability of Numerical Algorithms, Lemma 3.1): a bound, not a fit.
          const double nu = static_cast<double>(t.k + 2) * 0x1.0p-24;
          const double bound = nu / (1.0 - nu) * magnitude;
          ASSERT_NEAR(c[ij], exact, bound) << t.m << "x" << t.n << "x" << t.k << " beta " << beta;
        }
      }
    }
  }
}

TEST(Sgemm, ConcurrentCallsGiveTheSerialBits) {
  // The engine calls sgemm from several TBB threads at once; the BLAS must neither race nor
  // change its result with the calling thread. Debian's serial OpenBLAS (no locking) gives a
  // wrong product about once in 5,000 such calls on 2 cores; 20,000 calls catch it in most runs.
  SplitMix64 rng(5);
  const Case t = kCases[0];
  const std::vector<float> a = random_matrix(t.m * t.k, rng);
  const std::vector<float> b = random_matrix(t.k * t.n, rng);
  std::vector<float> serial(static_cast<std::size_t>(t.m * t.n));
  sgemm(t.trans_a, t.trans_b, t.m, t.n, t.k, 1.0F, a.data(), b.data(), 0.0F, serial.data());
  constexpr int kThreads = 4;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> pool;
  for (int w = 0; w < kThreads; ++w) {
    pool.emplace_back([&, w] {
      std::vector<float> c(serial.size());
      for (int r = 0; r < 5000; ++r) {
        sgemm(t.trans_a, t.trans_b, t.m, t.n, t.k, 1.0F, a.data(), b.data(), 0.0F, c.data());
        if (c != serial) ++mismatches[static_cast<std::size_t>(w)];
      }
    });
  }
  for (std::thread& th : pool) th.join();
  for (int w = 0; w < kThreads; ++w) EXPECT_EQ(mismatches[static_cast<std::size_t>(w)], 0) << "thread " << w;
}

}  // namespace
}  // namespace dnnspace::engine
