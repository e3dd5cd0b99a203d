#include "tile_volume.hpp"

#include "dnnspace/mapping/footprint.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cassert>

namespace dnnspace::detail {
namespace {

// How a loop relates to a boundary (docs/model.md): part of the tile, an epoch or
// instance index (outer), or an irrelevant loop the child's tile stays resident across.
enum class Role : std::uint8_t { Tile, Outer, Resident };

constexpr std::size_t kMaxNest = decltype(Nest::loops)::capacity();
constexpr std::size_t kMaxDimLoops = 32;

struct DimLoop {
  std::int64_t factor;
  std::int64_t radix;  // product of the factors of this dim's later (finer) loops
  bool outer;
};

// The loops of one dimension, finest last.
struct DimLoops {
  std::array<DimLoop, kMaxDimLoops> loops{};
  std::size_t count = 0;
  std::int64_t total = 1;  // product of all factors
};

// Histogram of tile extents A over the outer index combinations of one dimension.
struct Histogram {
  static constexpr std::size_t kCapacity = 32;
  std::array<std::int64_t, kCapacity> value{};
  std::array<std::int64_t, kCapacity> count{};
  std::size_t size = 0;
  bool overflow = false;

  void add(std::int64_t v, std::int64_t c) noexcept {
    for (std::size_t i = 0; i < size; ++i) {
      if (value[i] == v) { count[i] += c; return; }
    }
    if (size == kCapacity) { overflow = true; return; }
    value[size] = v;
    count[size] = c;
    ++size;
  }
};

struct DimShape {
  bool arithmetic = true;   // tile indices form one arithmetic progression
  std::int64_t block = 1;   // tile extent (product of tile loop factors)
  std::int64_t spacing = 1; // distance between consecutive tile indices
  Histogram extents;        // valid tile extent per outer combination
  std::int64_t nonempty = 0;  // outer combinations with at least one valid index
};

void classify(const Nest& nest, TensorId t, int child, int union_parent, int num_levels,
              std::array<Role, kMaxNest>& roles) noexcept {
  const bool stationary = child < num_levels;  // MACs keep nothing between steps
  int cutoff = -1;
  for (std::size_t i = 0; i < nest.loops.size(); ++i) {
    const NestLoop& l = nest.loops[i];
    if (l.axis == Axis::None && l.level < child && is_relevant(t, l.dim)) cutoff = static_cast<int>(i);
  }
  for (std::size_t i = 0; i < nest.loops.size(); ++i) {
    const NestLoop& l = nest.loops[i];
    if (l.level >= child) {
      roles[i] = Role::Tile;
    } else if (l.axis != Axis::None) {
      roles[i] = (union_parent >= 0 && l.level >= union_parent) ? Role::Tile : Role::Outer;
    } else {
      roles[i] = (!stationary || static_cast<int>(i) <= cutoff) ? Role::Outer : Role::Resident;
    }
  }
}

DimLoops dim_loops(const Nest& nest, const std::array<Role, kMaxNest>& roles, Dim d) noexcept {
  DimLoops out;
  for (std::size_t i = 0; i < nest.loops.size(); ++i) {
    const NestLoop& l = nest.loops[i];
    if (l.dim != d) continue;
    assert(out.count < kMaxDimLoops);
    out.loops[out.count++] = {l.factor, 1, roles[i] == Role::Outer};
    out.total *= l.factor;
  }
  std::int64_t radix = 1;
  for (std::size_t i = out.count; i-- > 0;) {
    out.loops[i].radix = radix;
    radix *= out.loops[i].factor;
  }
  return out;
}

// Calls f(base) for every combination of the outer loops' indices, where base is the
// dimension index contributed by the outer loops (tile loops at index 0).
template <typename F>
void for_each_outer_base(const DimLoops& dl, F&& f) noexcept {
  std::array<std::int64_t, kMaxDimLoops> idx{};
  std::int64_t base = 0;
  while (true) {
    f(base);
    bool advanced = false;
    for (std::size_t i = dl.count; i-- > 0;) {  // odometer, finest outer loop first
      const DimLoop& l = dl.loops[i];
      if (!l.outer) continue;
      if (++idx[i] < l.factor) { base += l.radix; advanced = true; break; }
      base -= (l.factor - 1) * l.radix;
      idx[i] = 0;
    }
    if (!advanced) return;
  }
}

DimShape dim_shape(const DimLoops& dl, std::int64_t bound) noexcept {
  DimShape s;
  std::int64_t outer_product = 1;
  int first_tile = -1, last_tile = -1;
  for (std::size_t i = 0; i < dl.count; ++i) {
    if (dl.loops[i].outer) {
      outer_product *= dl.loops[i].factor;
    } else {
      s.block *= dl.loops[i].factor;
      if (first_tile < 0) first_tile = static_cast<int>(i);
      last_tile = static_cast<int>(i);
    }
  }
  if (first_tile >= 0) {
    for (int i = first_tile; i <= last_tile; ++i) s.arithmetic = s.arithmetic && !dl.loops[i].outer;
    s.spacing = dl.loops[last_tile].radix;
  }
  if (dl.total == bound) {  // no partial tiles: every tile is full
    s.extents.add(s.block, outer_product);
    s.nonempty = outer_product;
    return s;
  }
  for_each_outer_base(dl, [&](std::int64_t base) {
    if (base >= bound) return;
    ++s.nonempty;
    if (s.arithmetic) {
      s.extents.add(std::min(s.block, (bound - base + s.spacing - 1) / s.spacing), 1);
    }
  });
  return s;
}

// Valid indices of a dimension's tile for one outer base, appended to out.
template <std::size_t N>
void tile_indices(const DimLoops& dl, std::int64_t base, std::int64_t bound,
                  std::array<std::int64_t, N>& out, std::size_t& n) noexcept {
  std::array<std::int64_t, kMaxDimLoops> idx{};
  std::int64_t offset = 0;
  while (true) {
    if (base + offset < bound && n < N) out[n++] = base + offset;
    std::size_t i = dl.count;
    bool advanced = false;
    while (i-- > 0) {
      const DimLoop& l = dl.loops[i];
      if (l.outer) continue;
      if (++idx[i] < l.factor) { offset += l.radix; advanced = true; break; }
      offset -= (l.factor - 1) * l.radix;
      idx[i] = 0;
    }
    if (!advanced) return;
  }
}

// Exact count for a sliding-window axis whose tiles are not arithmetic progressions
// (only with bypassed levels between sandwiched loops); enumerates with a bitset.
std::int64_t window_axis_brute(const DimLoops& out_dim, std::int64_t out_bound,
                               const DimLoops& filt_dim, std::int64_t filt_bound,
                               std::int64_t stride, std::int64_t dilation) noexcept {
  constexpr std::size_t kMaxIdx = 4096;
  std::int64_t total = 0;
  for_each_outer_base(out_dim, [&](std::int64_t pbase) {
    std::array<std::int64_t, kMaxIdx> ps{};
    std::size_t np = 0;
    tile_indices(out_dim, pbase, out_bound, ps, np);
    if (np == 0) return;
    for_each_outer_base(filt_dim, [&](std::int64_t rbase) {
      std::array<std::int64_t, kMaxIdx> rs{};
      std::size_t nr = 0;
      tile_indices(filt_dim, rbase, filt_bound, rs, nr);
      std::bitset<65536> seen;
      std::int64_t distinct = 0;
      for (std::size_t a = 0; a < np; ++a) {
        for (std::size_t b = 0; b < nr; ++b) {
          const auto h = static_cast<std::size_t>(ps[a] * stride + rs[b] * dilation);
          if (!seen.test(h)) { seen.set(h); ++distinct; }
        }
      }
      total += distinct;
    });
  });
  return total;
}

std::int64_t window_axis(const Layer& layer, const Nest& nest, const std::array<Role, kMaxNest>& roles,
                         Dim out_dim, Dim filt_dim, std::int64_t stride, std::int64_t dilation) noexcept {
  const DimLoops pl = dim_loops(nest, roles, out_dim);
  const DimLoops rl = dim_loops(nest, roles, filt_dim);
  const DimShape ps = dim_shape(pl, layer.bounds[out_dim]);
  const DimShape rs = dim_shape(rl, layer.bounds[filt_dim]);
  if (!ps.arithmetic || !rs.arithmetic || ps.extents.overflow || rs.extents.overflow) {
    return window_axis_brute(pl, layer.bounds[out_dim], rl, layer.bounds[filt_dim], stride, dilation);
  }
  std::int64_t total = 0;
  for (std::size_t i = 0; i < ps.extents.size; ++i) {
    for (std::size_t j = 0; j < rs.extents.size; ++j) {
      total += ps.extents.count[i] * rs.extents.count[j] *
               window_count(ps.extents.value[i], rs.extents.value[j], stride * ps.spacing,
                            dilation * rs.spacing);
    }
  }
  return total;
}

}  // namespace

std::int64_t boundary_volume(const Layer& layer, const Nest& nest, TensorId t, int child,
                             int union_parent, int num_levels) noexcept {
  std::array<Role, kMaxNest> roles{};
  classify(nest, t, child, union_parent, num_levels, roles);
  std::int64_t volume = 1;
  for (Dim d : kAllDims) {
    if (t == TensorId::Inputs && (d == Dim::P || d == Dim::Q || d == Dim::R || d == Dim::S)) continue;
    if (is_relevant(t, d)) {
      volume *= layer.bounds[d];  // the tiles of a dimension partition its range
    } else {
      volume *= dim_shape(dim_loops(nest, roles, d), layer.bounds[d]).nonempty;
    }
  }
  if (t == TensorId::Inputs) {
    volume *= window_axis(layer, nest, roles, Dim::P, Dim::R, layer.stride_h, layer.dilation_h);
    volume *= window_axis(layer, nest, roles, Dim::Q, Dim::S, layer.stride_w, layer.dilation_w);
  }
  return volume;
}

}  // namespace dnnspace::detail
