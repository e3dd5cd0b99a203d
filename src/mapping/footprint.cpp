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

std::int64_t footprint_words(const Layer& layer, PerDim<std::int64_t> extent, TensorId t) noexcept {
  for (Dim d : kAllDims) extent[d] = std::min(extent[d], layer.bounds[d]);
  switch (tensor_shape(layer.pass, t)) {
    case TensorShape::Filters:
      return extent[Dim::G] * extent[Dim::K] * extent[Dim::C] * extent[Dim::R] * extent[Dim::S];
    case TensorShape::Results:
      return extent[Dim::G] * extent[Dim::N] * extent[Dim::K] * extent[Dim::P] * extent[Dim::Q];
    case TensorShape::Activations:
      return extent[Dim::G] * extent[Dim::N] * extent[Dim::C] *
             window_count(extent[Dim::P], extent[Dim::R], layer.stride_h, layer.dilation_h) *
             window_count(extent[Dim::Q], extent[Dim::S], layer.stride_w, layer.dilation_w);
  }
  return 0;
}

std::int64_t tile_words(const Layer& layer, const Nest& nest, TensorId t, int level) noexcept {
  PerDim<std::int64_t> extent{{1, 1, 1, 1, 1, 1, 1, 1}};
  for (const NestLoop& l : nest.loops) {
    if (l.level >= level) extent[l.dim] *= l.factor;
  }
  return footprint_words(layer, extent, t);
}

std::int64_t level_footprint_bytes(const Layer& layer, const Architecture& arch, const Nest& nest,
                                   int level) noexcept {
  const StorageLevel& spec = arch.levels[level];
  std::int64_t words = 0;
  for (TensorId t : kAllTensors) {
    if (spec.holds[t]) words += tile_words(layer, nest, t, level);
  }
  return words * word_bytes(arch) * (spec.double_buffered ? 2 : 1);
}

}  // namespace dnnspace
