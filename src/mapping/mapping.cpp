#include "dnnspace/mapping/mapping.hpp"

#include <limits>

#include "dnnspace/core/checked.hpp"

namespace dnnspace {

Nest flatten(const Mapping& mapping) noexcept {
  Nest nest;
  for_each_nest_loop(mapping, [&](const NestLoop& loop, std::size_t) { nest.loops.push_back(loop); });
  return nest;
}

std::int64_t factor_product(const Mapping& mapping, Dim d) noexcept {
  std::int64_t product = 1;
  const auto times = [&](const Loop& loop) {
    if (loop.dim != d) return;
    const auto p = checked_mul(product, loop.factor);
    product = p ? *p : std::numeric_limits<std::int64_t>::max();
  };
  for (const LevelLoops& level : mapping.levels) {
    for (const Loop& loop : level.temporal) times(loop);
    for (const Loop& loop : level.rows) times(loop);
    for (const Loop& loop : level.cols) times(loop);
  }
  return product;
}

std::int64_t spatial_product(const LevelLoops& level, Axis axis) noexcept {
  std::int64_t product = 1;
  if (axis == Axis::Rows) for (const Loop& loop : level.rows) product *= loop.factor;
  if (axis == Axis::Cols) for (const Loop& loop : level.cols) product *= loop.factor;
  return product;
}

}  // namespace dnnspace
