#include "dnnspace/engine/patches.hpp"

namespace dnnspace::engine {

namespace {
// Visits every (patch row, patch column, image offset or -1 for padding) triple in order.
template <typename Visit>
void for_each_tap(const PatchGeometry& g, Visit visit) {
  const std::int64_t k = g.kernel;
  std::int64_t row = 0;
  for (std::int64_t oh = 0; oh < g.out_height; ++oh) {
    for (std::int64_t ow = 0; ow < g.out_width; ++ow, ++row) {
      std::int64_t col = 0;
      for (std::int64_t c = 0; c < g.channels; ++c) {
        for (std::int64_t kh = 0; kh < k; ++kh) {
          const std::int64_t ih = oh * g.stride - g.padding + kh;
          for (std::int64_t kw = 0; kw < k; ++kw, ++col) {
            const std::int64_t iw = ow * g.stride - g.padding + kw;
            const bool inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
            visit(row * g.patch_size() + col, inside ? (c * g.height + ih) * g.width + iw : -1);
          }
        }
      }
    }
  }
}
}  // namespace

void extract_patches(const float* x, const PatchGeometry& g, float* out) noexcept {
  for_each_tap(g, [&](std::int64_t at, std::int64_t from) { out[at] = from < 0 ? 0.0F : x[from]; });
}

void accumulate_patches(const float* patches, const PatchGeometry& g, float* dx) noexcept {
  for_each_tap(g, [&](std::int64_t at, std::int64_t to) {
    if (to >= 0) dx[to] += patches[at];
  });
}

}  // namespace dnnspace::engine
