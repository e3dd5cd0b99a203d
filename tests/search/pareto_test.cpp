// The Pareto frontier against brute force on random points with many ties.
#include <gtest/gtest.h>

#include <random>

#include "dnnspace/search/pareto.hpp"

namespace dnnspace {
namespace {

std::vector<std::size_t> brute_force_front(const std::vector<CostPair>& p) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < p.size() && !dominated; ++j) {
      dominated = p[j].x <= p[i].x && p[j].y <= p[i].y && (p[j].x < p[i].x || p[j].y < p[i].y);
    }
    if (!dominated) out.push_back(i);
  }
  return out;
}

TEST(Pareto, HandExample) {
  // (1,5) (2,3) (2,4) (3,3) (4,1) (1,5): (2,4) and (3,3) are dominated by (2,3).
  const std::vector<CostPair> p = {{1, 5}, {2, 3}, {2, 4}, {3, 3}, {4, 1}, {1, 5}};
  EXPECT_EQ(pareto_front(p), (std::vector<std::size_t>{0, 5, 1, 4}));
  EXPECT_TRUE(pareto_front({}).empty());
}

TEST(Pareto, MatchesBruteForceOnRandomPoints) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = std::uniform_int_distribution<int>(1, 40)(rng);
    const int range = std::uniform_int_distribution<int>(2, 12)(rng);  // small ranges force ties
    std::vector<CostPair> p;
    for (int i = 0; i < n; ++i) {
      p.push_back({static_cast<double>(std::uniform_int_distribution<int>(0, range)(rng)),
                   static_cast<double>(std::uniform_int_distribution<int>(0, range)(rng))});
    }
    std::vector<std::size_t> fast = pareto_front(p), slow = brute_force_front(p);
    for (std::size_t k = 1; k < fast.size(); ++k) {
      EXPECT_LE(p[fast[k - 1]].x, p[fast[k]].x);  // sorted by x
      EXPECT_GE(p[fast[k - 1]].y, p[fast[k]].y);  // so y falls along the frontier
    }
    std::sort(fast.begin(), fast.end());
    ASSERT_EQ(fast, slow) << "trial " << trial;
  }
}

}  // namespace
}  // namespace dnnspace
