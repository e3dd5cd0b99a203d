#include "dnnspace/mapping/footprint.hpp"

namespace dnnspace {

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
