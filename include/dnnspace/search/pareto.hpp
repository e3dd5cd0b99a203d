// The Pareto frontier of design points under two costs, both minimized.
#pragma once

#include <cstddef>
#include <vector>

namespace dnnspace {

/// A design point's two costs, e.g. (area_mm2, energy_pj) or (cycles, energy_pj).
struct CostPair {
  double x = 0.0;
  double y = 0.0;
};

/// Indices of the points no other point dominates, where j dominates i when
/// x_j <= x_i and y_j <= y_i with at least one strict. Equal points do not dominate each
/// other, so all copies of a frontier point are kept. Sorted by x, then y, then index.
/// O(n log n). NaN costs are not allowed.
std::vector<std::size_t> pareto_front(const std::vector<CostPair>& points);

}  // namespace dnnspace
