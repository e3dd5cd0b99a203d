#include "dnnspace/mapping/mapping.hpp"

#include <limits>

#include "dnnspace/core/checked.hpp"

namespace dnnspace {

Nest flatten(const Mapping& mapping) noexcept {
  Nest nest;
  for (std::size_t l = 0; l < mapping.levels.size(); ++l) {
    const LevelLoops& level = mapping.levels[l];
    const auto level_id = static_cast<std::int8_t>(l);
    for (const Loop& loop : level.temporal) {
      if (loop.factor > 1) nest.loops.push_back({loop.factor, loop.dim, level_id, Axis::None, 0});
    }
    // Rows, then cols (a lambda rather than a loop over the two axes: flatten runs once
    // per evaluation, and the loop cost a sixth of it).
    const auto spatial = [&](const FixedVector<Loop, kMaxSpatialLoops>& list, Axis axis) {
      std::int64_t stride = 1;
      for (const Loop& loop : list) {
        if (loop.factor > 1) nest.loops.push_back({loop.factor, loop.dim, level_id, axis, stride});
        stride *= loop.factor;
      }
    };
    spatial(level.rows, Axis::Rows);
    spatial(level.cols, Axis::Cols);
  }
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
