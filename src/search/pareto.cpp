#include "dnnspace/search/pareto.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace dnnspace {

std::vector<std::size_t> pareto_front(const std::vector<CostPair>& points) {
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (points[a].x != points[b].x) return points[a].x < points[b].x;
    if (points[a].y != points[b].y) return points[a].y < points[b].y;
    return a < b;
  });
  // Sweep groups of equal x in increasing x. Within a group only the smallest y can
  // survive, and it survives when every point of smaller x has a larger y (a point of
  // smaller x and equal y dominates it).
  std::vector<std::size_t> front;
  double best_y_before = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < order.size();) {
    std::size_t end = i;
    while (end < order.size() && points[order[end]].x == points[order[i]].x) ++end;
    const double group_min = points[order[i]].y;  // sorted by y within the group
    if (group_min < best_y_before) {
      for (std::size_t k = i; k < end && points[order[k]].y == group_min; ++k) front.push_back(order[k]);
      best_y_before = group_min;
    }
    i = end;
  }
  return front;
}

}  // namespace dnnspace
