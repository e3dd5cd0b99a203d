#include "dnnspace/mapping/footprint.hpp"

#include <algorithm>
#include <numeric>

namespace dnnspace {

std::int64_t window_count(std::int64_t a, std::int64_t b, std::int64_t u, std::int64_t v) noexcept {
  if (a <= 0 || b <= 0) return 0;
  // i*u + j*v = i'*u + j'*v  iff  i - i' = m*v' and j' - j = m*u' (u', v' coprime), so
  // count each value once, at its representation with the smallest i: those with
  // i < v', plus those with i >= v' whose j cannot grow by u'.
  const std::int64_t g = (u == 1 || v == 1) ? 1 : std::gcd(u, v);
  const std::int64_t up = u / g, vp = v / g;
  return std::min(vp, a) * b + std::max<std::int64_t>(0, a - vp) * std::min(up, b);
}

std::int64_t footprint_words(const TensorProjection& p, const PerDim<std::int64_t>& bounds,
                             const PerDim<std::int64_t>& extent) noexcept {
  std::int64_t words = 1;
  for (const IndexAxis& a : p.axes) {
    const std::int64_t first = std::min(extent[a.first.dim], bounds[a.first.dim]);
    words *= a.window() ? window_count(first, std::min(extent[a.second.dim], bounds[a.second.dim]), a.first.coef,
                                       a.second.coef)
                        : first;
  }
  return words;
}

std::int64_t footprint_words(const Layer& layer, const PerDim<std::int64_t>& extent, TensorId t) noexcept {
  return footprint_words(projection_of(layer)[t], layer.bounds, extent);
}

std::int64_t tile_words(const Layer& layer, const Nest& nest, TensorId t, int level) noexcept {
  auto extent = PerDim<std::int64_t>::filled(1);
  for (const NestLoop& l : nest.loops) {
    if (l.level >= level) extent[l.dim] *= l.factor;
  }
  return footprint_words(layer, extent, t);
}

std::int64_t level_footprint_bytes(const Layer& layer, const Architecture& arch, const Nest& nest,
                                   int level) noexcept {
  const StorageLevel& spec = arch.levels[level];
  auto extent = PerDim<std::int64_t>::filled(1);
  for (const NestLoop& l : nest.loops) {
    if (l.level >= level) extent[l.dim] *= l.factor;
  }
  const Projection projection = projection_of(layer);
  std::int64_t bytes = 0;  // each tensor at its width on this level
  for (TensorId t : layer_tensors(layer)) {
    if (holds_tensor(spec, t)) bytes += footprint_words(projection[t], layer.bounds, extent) * tensor_bytes(arch, spec, t);
  }
  return bytes * (spec.double_buffered ? 2 : 1);
}

}  // namespace dnnspace
