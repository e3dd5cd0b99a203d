#include "tile_volume.hpp"

#include "dnnspace/mapping/footprint.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <limits>
#include <tuple>
#include <type_traits>
#include <vector>

namespace dnnspace::detail {

constexpr std::size_t kMaxDimLoops = kMaxLoopsPerDim;  // check_mapping_structure enforces it

struct DimLoop {
  std::int64_t factor;
  std::int64_t radix;  // product of the factors of this dim's later (finer) loops
  bool outer;
};

// The loops of one dimension, finest last.
struct DimLoops {
  std::array<DimLoop, kMaxDimLoops> loops;  // only [0, count) is set: no zeroing on the hot path
  std::size_t count = 0;
  std::int64_t total = 1;  // product of all factors
};

namespace {




// The distinct extents of a dimension's tiles at one boundary, with the number of tiles of
// each (at most three: full tiles and the two sizes of the last, partial ones).
struct TileExtents {
  std::array<std::int64_t, 3> extent;  // only [0, size) is set
  std::array<std::int64_t, 3> count;
  std::size_t size = 0;

  void add(std::int64_t e, std::int64_t c) noexcept {
    extent[size] = e;
    count[size] = c;
    ++size;
  }
};

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

// Valid indices of a dimension's tile for one outer base, appended to out.
void tile_indices(const DimLoops& dl, std::int64_t base, std::int64_t bound, std::vector<std::int64_t>& out) {
  std::array<std::int64_t, kMaxDimLoops> idx{};
  std::int64_t offset = 0;
  while (true) {
    if (base + offset < bound) out.push_back(base + offset);
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

// Distinct values of {p * u + r * v} over two index lists, exactly: with a bitmap over
// the values' range when that is smaller than the list of all sums, else by sorting
// the sums. `scratch` is reused between calls.
std::int64_t distinct_sums(const std::vector<std::int64_t>& ps, const std::vector<std::int64_t>& rs, std::int64_t u,
                           std::int64_t v, std::vector<std::uint64_t>& bits, std::vector<std::int64_t>& sums) {
  if (ps.empty() || rs.empty()) return 0;
  const auto [pmin, pmax] = std::minmax_element(ps.begin(), ps.end());
  const auto [rmin, rmax] = std::minmax_element(rs.begin(), rs.end());
  const std::int64_t lo = *pmin * u + *rmin * v;
  const auto range = static_cast<std::uint64_t>(*pmax * u + *rmax * v - lo) + 1;
  const std::uint64_t pairs = static_cast<std::uint64_t>(ps.size()) * rs.size();
  if (range / 64 <= pairs) {
    bits.assign(range / 64 + 1, 0);
    std::int64_t distinct = 0;
    for (std::int64_t p : ps) {
      for (std::int64_t r : rs) {
        const auto h = static_cast<std::uint64_t>(p * u + r * v - lo);
        const std::uint64_t mask = std::uint64_t{1} << (h % 64);
        if ((bits[h / 64] & mask) == 0) { bits[h / 64] |= mask; ++distinct; }
      }
    }
    return distinct;
  }
  sums.clear();
  sums.reserve(pairs);
  for (std::int64_t p : ps) for (std::int64_t r : rs) sums.push_back(p * u + r * v);
  std::sort(sums.begin(), sums.end());
  return static_cast<std::int64_t>(std::unique(sums.begin(), sums.end()) - sums.begin());
}

// Exact count for a sliding-window axis whose tiles are not arithmetic progressions
// (only with bypassed levels between sandwiched loops), by enumerating the tiles. It
// allocates (tiles of any size are counted exactly), so it is off the hot path: the
// closed forms of window_axis cover every mapping without such sandwiches.
std::int64_t window_axis_brute(const DimLoops& out_dim, std::int64_t out_bound,
                               const DimLoops& filt_dim, std::int64_t filt_bound,
                               std::int64_t stride, std::int64_t dilation) {
  thread_local std::vector<std::int64_t> ps, rs, sums;
  thread_local std::vector<std::uint64_t> bits;
  std::int64_t total = 0;
  for_each_outer_base(out_dim, [&](std::int64_t pbase) {
    ps.clear();
    tile_indices(out_dim, pbase, out_bound, ps);
    if (ps.empty()) return;
    for_each_outer_base(filt_dim, [&](std::int64_t rbase) {
      rs.clear();
      tile_indices(filt_dim, rbase, filt_bound, rs);
      total += distinct_sums(ps, rs, stride, dilation, bits, sums);
    });
  });
  return total;
}

// The tile extents of one dimension at a boundary and how many tiles have each: a tile
// starting at base b holds min(block, ceil((bound - b) / spacing)) valid indices. The
// bases are c * block * spacing + f for the `coarse` outer combinations c above the tile's
// loops and the f < spacing below them: every c below bound / (block * spacing) gives
// full tiles, the next one (if any) tiles of q + 1 and q indices (bound's remainder x =
// q * spacing + r: the r smallest f get one index more), the rest none.
// An exact dimension (its factors multiply to the bound) has only full tiles; the
// divisions are spared where they can be, a division being the slowest step here.
// Always inlined: GCC keeps it out of line, and the call and its returned struct cost more
// than its body for the full tiles of an exact dimension.
[[gnu::always_inline]] inline TileExtents tile_extents_of(std::int64_t coarse, std::int64_t block, std::int64_t spacing,
                                                          std::int64_t bound, bool exact) noexcept {
  TileExtents e;
  if (exact) {
    e.add(block, coarse * spacing);
    return e;
  }
  const std::int64_t span = block * spacing;
  const std::int64_t full = std::min(coarse, bound / span);
  if (full > 0) e.add(block, full * spacing);
  if (full < coarse) {
    const std::int64_t x = bound - full * span;
    const std::int64_t q = spacing == 1 ? x : x / spacing, r = spacing == 1 ? 0 : x % spacing;
    if (r > 0) e.add(q + 1, r);
    if (q > 0) e.add(q, spacing - r);
  }
  return e;
}


}  // namespace

}  // namespace dnnspace::detail

namespace dnnspace::detail {

ProjectionTables projection_tables(const Layer& layer, const Projection& projection) noexcept {
  ProjectionTables out;
  for (TensorId t : layer_tensors(layer)) {
    // Single-term axes: the tiles of a dimension partition it, so over all tiles they
    // span its bound whatever the partial tiles.
    std::int64_t product = 1;
    for (const IndexAxis& a : projection[t].axes) {
      if (!a.window()) {
        product *= layer.bounds[a.first.dim];
        out.single_dims[t].push_back(a.first.dim);
        continue;
      }
      out.slides[t] = true;
      out.window_axes[t].push_back(a);
      // The dimensions some tensor's window axis sums: their loops are walked in volume().
      for (Dim d : {a.first.dim, a.second.dim}) {
        const std::uint32_t bit = 1u << static_cast<unsigned>(d);
        if (!(out.window_mask & bit)) {
          out.window_slot[d] = static_cast<std::uint8_t>(out.window_dims.size());
          out.window_dims.push_back(d);
        }
        out.window_mask |= bit;
      }
    }
    out.single_axes_product[t] = product;
    out.unrolled[t] = out.single_dims[t].size() <= ProjectionTables::kUnrolledDims;
    out.single_slots[t].fill(static_cast<std::uint8_t>(ProjectionTables::kOneSlot));
    for (std::size_t i = 0; i < out.single_dims[t].size() && out.unrolled[t]; ++i) {
      out.single_slots[t][i] = static_cast<std::uint8_t>(out.single_dims[t][i]);
    }
  }
  return out;
}

template <std::size_t Tensors>
VolumeContext::VolumeContext(const Layer& layer, const Projection& projection, const ProjectionTables& tables,
                             const Mapping& mapping, int num_levels, int array_level,
                             std::span<const TensorId, Tensors> tensors) noexcept
    : layer_(layer), tables_(tables), mapping_(mapping), num_levels_(num_levels), array_level_(array_level) {
  // One pass over the mapping, outermost level first, in flatten()'s order (loops of
  // factor 1 dropped, a level's temporal loops then its rows and cols: for_each_nest_loop's
  // order, written out here because the visitor costs this pass a fifth more), collecting what
  // every tensor shares: per dimension the product of its temporal and of its spatial
  // factors, the array's use, the window dimensions' products per level, and each
  // tensor's cutoffs (below). Indexed by dimension. Accumulated in locals, not members,
  // so that no product waits on a store.
  std::array<std::int64_t, kNumDims> temporal, spatial;
  temporal.fill(1);  // (whole: a few vector stores, fewer instructions than a loop over the dims)
  spatial.fill(1);
  // The cutoffs, per tensor, as the head loops (temporal, above the innermost level: only
  // they can be a boundary's cutoff) are met: `run` is the product of the tensor's
  // irrelevant temporal factors so far; at each level's innermost relevant temporal loop it
  // is the outer product of every boundary whose cutoff that loop is. (Inexact irrelevant
  // dimensions are counted by walks instead: a tensor with one takes its run again below
  // when a loop of one comes before a cutoff.)
  std::array<std::uint32_t, kMaxTensors> relevant;
  std::array<std::int64_t, kMaxTensors> run;
  // The innermost relevant temporal loop of each level (-1: none).
  std::array<std::array<int, kMaxLevels>, kMaxTensors> last_relevant;
  std::array<std::array<std::uint32_t, kMaxLevels>, kMaxTensors> present_at;  // `present` there
  std::array<std::array<std::int64_t, kMaxLevels>, kMaxTensors> run_at;  // run at that loop
  for (std::size_t t = 0; t < tensors.size(); ++t) {
    relevant[t] = projection[tensors[t]].relevant;
    run[t] = 1;
    last_relevant[t].fill(-1);
  }
  std::uint32_t present = 0;  // bit d: some loop iterates d
  const int innermost = num_levels - 1;
  const std::size_t window_n = tables.window_dims.size();
  for (std::size_t k = 0; k < window_n; ++k) {
    WindowDim& w = windows_[k];
    std::fill_n(w.at.begin(), num_levels, 1);
    w.spatial = 1;
  }
  const std::uint32_t outputs_relevant = projection[TensorId::Outputs].relevant;
  std::int64_t compute_cycles = 1, folds = 1, pe_used = 1;
  bool outputs_stationary = true;
  std::size_t array_loops_n = 0;
  std::int32_t nest_size = 0;
  for (std::size_t lv = 0; lv < static_cast<std::size_t>(num_levels); ++lv) {
    const LevelLoops& level = mapping.levels[lv];
    const auto level_id = static_cast<std::int8_t>(lv);
    // The level's temporal loops; only those above the innermost level (`head`) can be a
    // boundary's cutoff. Products are taken per level, then folded into the shape's.
    std::int64_t level_product = 1;
    std::uint32_t level_dims = 0;
    const auto temporal_loops = [&](auto head) {
      for (const Loop& loop : level.temporal) {
        if (loop.factor <= 1) continue;
        const auto d = static_cast<std::size_t>(loop.dim);
        const std::uint32_t bit = 1u << static_cast<unsigned>(loop.dim);
        present |= bit;
        level_dims |= bit;
        temporal[d] *= loop.factor;
        level_product *= loop.factor;
        if constexpr (decltype(head)::value) {
          for (std::size_t t = 0; t < tensors.size(); ++t) {
            if ((relevant[t] & bit) != 0) {
              last_relevant[t][lv] = nest_size;
              present_at[t][lv] = present;
              run_at[t][lv] = run[t];
            } else {
              run[t] *= loop.factor;
            }
          }
        }
        ++nest_size;
        if ((tables.window_mask & bit) != 0) windows_[tables.window_slot[loop.dim]].at[lv] *= loop.factor;
      }
    };
    if (level_id < innermost) {
      temporal_loops(std::true_type{});
    } else {
      temporal_loops(std::false_type{});
    }
    compute_cycles *= level_product;
    if (level_id <= array_level) folds *= level_product;
    else if ((outputs_relevant & level_dims) != 0) outputs_stationary = false;
    // Rows, then cols, at the array's level only (structural legality); pe_stride is the
    // product of the earlier factors of the same axis.
    if (level_id != array_level) continue;
    const auto spatial_loops = [&](const FixedVector<Loop, kMaxSpatialLoops>& list, Axis axis) {
      std::int64_t stride = 1;
      for (const Loop& loop : list) {
        if (loop.factor > 1) {
          const auto d = static_cast<std::size_t>(loop.dim);
          const std::uint32_t bit = 1u << static_cast<unsigned>(loop.dim);
          present |= bit;
          spatial[d] *= loop.factor;
          pe_used *= loop.factor;
          ++nest_size;
          shape_.array_loops[array_loops_n++] = {loop.factor, loop.dim, level_id, axis, stride};
          if ((tables.window_mask & bit) != 0) {
            WindowDim& w = windows_[tables.window_slot[loop.dim]];
            w.at[lv] *= loop.factor;
            w.spatial *= loop.factor;
          }
        }
        stride *= loop.factor;
      }
      return stride;
    };
    shape_.rows = spatial_loops(level.rows, Axis::Rows);
    shape_.cols = spatial_loops(level.cols, Axis::Cols);
  }
  shape_.compute_cycles = compute_cycles;
  shape_.folds = folds;
  shape_.pe_used = pe_used;
  shape_.outputs_stationary = outputs_stationary;
  shape_.array_loops_n = array_loops_n;
  for (std::size_t k = 0; k < window_n; ++k) {
    WindowDim& w = windows_[k];
    const auto n = static_cast<std::size_t>(num_levels);
    // (Running products in registers: each store is then independent of the last.)
    std::int64_t above = 1, below = 1;
    w.above[0] = w.below[n] = 1;
    for (std::size_t c = 0; c < n; ++c) {
      above *= w.at[c];
      below *= w.at[n - 1 - c];
      w.above[c + 1] = above;
      w.below[n - 1 - c] = below;
    }
  }
  std::uint32_t inexact = 0;  // bit d: the factors of d overrun its bound (partial tiles)
  for (Dim d : layer.dims) {
    const auto i = static_cast<std::size_t>(d);
    exact_[d] = temporal[i] * spatial[i] == layer.bounds[d];
    if (!exact_[d]) inexact |= 1u << static_cast<unsigned>(d);
  }
  inexact_ = inexact;
  windows_exact_ = (inexact & tables.window_mask) == 0;
  walk_of_ = PerDim<std::int8_t>::filled(-1);
  const int last_loop = nest_size - 1;
  for (TensorId t : tensors) {
    const auto ti = static_cast<std::size_t>(t);
    const std::uint32_t relevant_t = relevant[ti];
    walked_at_[ti] = 0;
    // Exact irrelevant dimensions multiply their outer factors; the others are counted
    // per dimension in volume().
    const std::uint32_t multiplies = present & ~relevant_t & ~inexact;
    if (const std::uint32_t walked_dims = inexact & ~relevant_t; walked_dims != 0) {
      bool any_spatial = false;
      for (std::uint32_t bits = walked_dims; bits != 0; bits &= bits - 1) {
        const auto d = static_cast<std::size_t>(__builtin_ctz(bits));
        partial_irrelevant_[t].push_back(static_cast<Dim>(d));
        any_spatial = any_spatial || spatial[d] > 1;
      }
      // Unless a walked dimension's loop comes before some cutoff, the run has none of
      // their factors and no walk is needed at a stationary boundary for their temporal
      // loops; else the run again, without their factors, noting at each cutoff whether
      // one of their loops came before it.
      bool walked_before_cutoff = false;
      for (std::size_t lv = 0; lv + 1 < static_cast<std::size_t>(num_levels); ++lv) {
        walked_before_cutoff =
            walked_before_cutoff || (last_relevant[ti][lv] >= 0 && (present_at[ti][lv] & walked_dims) != 0);
      }
      walked_at_[ti] = 1u << static_cast<unsigned>(num_levels);  // the MACs
      if (walked_before_cutoff) {
        std::int64_t exact_run = 1;
        bool walked = false;
        std::uint32_t walked_at = 0;  // bit L: level L's innermost relevant loop has one before it
        for (std::size_t lv = 0; lv + 1 < static_cast<std::size_t>(num_levels); ++lv) {
          for (const Loop& loop : mapping.levels[lv].temporal) {
            if (loop.factor <= 1) continue;
            const std::uint32_t bit = 1u << static_cast<unsigned>(loop.dim);
            if ((relevant_t & bit) != 0) {
              run_at[ti][lv] = exact_run;
              walked_at = walked ? walked_at | 1u << lv : walked_at & ~(1u << lv);
            } else if ((multiplies & bit) != 0) {
              exact_run *= loop.factor;
            } else {
              walked = true;
            }
          }
        }
        std::uint32_t outer_bits = 0;  // bit c: the cutoff of child c (c < num_levels)
        for (int c = 1, here = 0; c < num_levels; ++c) {
          const auto above = static_cast<unsigned>(c - 1);
          if (last_relevant[ti][above] >= 0) here = static_cast<int>((walked_at >> above) & 1u);
          if (here) outer_bits |= 1u << static_cast<unsigned>(c);
        }
        walked_at_[ti] |= outer_bits;
      }
      // Their spatial loops are at the array's level, the only one legality allows.
      if (any_spatial) walked_at_[ti] |= kWalkedSpatial;
    }
    // Below the MACs every loop is outer: all multiplying factors, temporal and spatial.
    std::int64_t all_temporal = 1, all_spatial = 1;
    for (std::uint32_t bits = multiplies; bits != 0; bits &= bits - 1) {
      const auto d = static_cast<std::size_t>(__builtin_ctz(bits));
      all_temporal *= temporal[d];
      all_spatial *= spatial[d];
    }
    // The nest lists the levels outermost first, so the innermost loop at a level < c
    // is the last one found on levels c - 1, c - 2, ...
    auto& cut = cutoff_[ti];
    auto& outer = outer_product_[ti];
    int cut_c = -1;
    std::int64_t outer_c = 1;
    cut[0] = cut_c;
    outer[0] = outer_c;
    for (std::size_t c = 1; c < static_cast<std::size_t>(num_levels); ++c) {
      if (last_relevant[ti][c - 1] >= 0) {
        cut_c = last_relevant[ti][c - 1];
        outer_c = run_at[ti][c - 1];
      }
      cut[c] = cut_c;
      outer[c] = outer_c;
    }
    cut[static_cast<std::size_t>(num_levels)] = last_loop;
    outer[static_cast<std::size_t>(num_levels)] = all_temporal;
    spatial_irrelevant_[t] = all_spatial;
    window_memo_[ti].child = -1;  // (read only with partial window tiles)
  }
}

template VolumeContext::VolumeContext(const Layer&, const Projection&, const ProjectionTables&, const Mapping&, int, int,
                                     std::span<const TensorId, kNumTensors>) noexcept;
template VolumeContext::VolumeContext(const Layer&, const Projection&, const ProjectionTables&, const Mapping&, int, int,
                                     std::span<const TensorId>) noexcept;

// The walk of dimension d. On the first call, every inexact dimension's walk is built in
// one pass over the mapping (most evaluations walk none; those that do, walk each of
// them): its loops in flatten()'s order, with their nest indices.
VolumeContext::DimWalk& VolumeContext::walk(Dim d) const noexcept {
  if (walk_of_[d] >= 0) return walks_[static_cast<std::size_t>(walk_of_[d])];
  // The dimensions walked in this pass: d, and on the first call every inexact one.
  const std::size_t first = walks_n_;
  const std::uint32_t want = (1u << static_cast<unsigned>(d)) | (first == 0 ? inexact_ : 0u);
  for (Dim e : layer_.dims) {
    if (((want >> static_cast<unsigned>(e)) & 1u) == 0) continue;
    walk_of_[e] = static_cast<std::int8_t>(walks_n_);
    walks_[walks_n_].count = walks_[walks_n_].windows_n = 0;
    ++walks_n_;
  }
  for_each_nest_loop(mapping_, [&](const NestLoop& loop, std::size_t index) {
    if ((want >> static_cast<unsigned>(loop.dim)) & 1u) {
      DimWalk& w = walks_[static_cast<std::size_t>(walk_of_[loop.dim])];
      w.loops[w.count++] = {loop.factor, 1, static_cast<std::int16_t>(index), loop.level, loop.axis != Axis::None};
    }
  });
  for (std::size_t k = first; k < walks_n_; ++k) {
    DimWalk& w = walks_[k];
    std::int64_t radix = 1;
    for (std::size_t j = w.count; j-- > 0;) {
      w.loops[j].radix = radix;
      radix *= w.loops[j].factor;
    }
  }
  return walks_[static_cast<std::size_t>(walk_of_[d])];
}

// Which of a walked dimension's loops are outer loops of a boundary (bit j: its j-th;
// docs/model.md Sec. 4): an epoch or instance index rather than part of the merged tile
// or resident across epochs. `cut` is the innermost temporal loop relevant to the
// tensor above the child.
std::uint64_t VolumeContext::outer_mask(const DimWalk& w, int child, int union_parent, bool stationary,
                                        int cut) const noexcept {
  std::uint64_t mask = 0;
  for (std::size_t j = 0; j < w.count; ++j) {
    const WalkLoop& l = w.loops[j];
    const bool outer = l.level < child && (l.spatial ? !(union_parent >= 0 && l.level >= union_parent)
                                                     : !stationary || l.index <= cut);
    if (outer) mask |= std::uint64_t{1} << j;
  }
  return mask;
}

// The loops of a walked dimension, finest last, marked outer as `mask` says.
DimLoops VolumeContext::loops_of(const DimWalk& w, std::uint64_t mask) const noexcept {
  DimLoops out;
  for (std::size_t j = 0; j < w.count; ++j) {
    out.loops[out.count++] = {w.loops[j].factor, w.loops[j].radix, ((mask >> j) & 1u) != 0};
    out.total *= w.loops[j].factor;
  }
  return out;
}

// The outer index combinations of a walked dimension whose base (the index their tile
// starts at, tile loops at 0) is below the bound: digit by digit from the coarsest outer
// loop, a digit below limit / radix leaving every finer combination valid (finer outer
// loops add less than the radix).
std::int64_t VolumeContext::bases_below(const DimWalk& w, std::uint64_t mask, std::int64_t bound) const noexcept {
  // No outer loop: the one tile starts at 0. All of them: the bases are every index.
  if (mask == 0) return 1;
  if (mask == (std::uint64_t{1} << w.count) - 1) return bound;
  // Product of the outer factors after loop j; only [0, count] is set.
  std::array<std::int64_t, kMaxLoopsPerDim + 1> finer;
  finer[w.count] = 1;
  for (std::size_t j = w.count; j-- > 0;) finer[j] = finer[j + 1] * (((mask >> j) & 1u) != 0 ? w.loops[j].factor : 1);
  std::int64_t count = 0, limit = bound;
  for (std::size_t j = 0; j < w.count; ++j) {
    if (((mask >> j) & 1u) == 0) continue;
    const WalkLoop& l = w.loops[j];
    const std::int64_t q = limit / l.radix;
    count += std::min(q, l.factor) * finer[j + 1];
    if (q >= l.factor) return count;
    limit -= q * l.radix;
  }
  return count + (limit > 0 ? 1 : 0);
}

// A window axis whose tile indices are not one arithmetic progression (window_split): its
// exact volume, by enumerating the tiles; cached per pattern of outer loops.
std::int64_t VolumeContext::window_volume(const IndexAxis& a, int child, int union_parent) const noexcept {
  const Dim d1 = a.first.dim, d2 = a.second.dim;
  DimWalk& w1 = walk(d1);
  const DimWalk& w2 = walk(d2);
  // Relevant temporal loops above the child are never resident: no cutoff applies.
  const std::uint64_t m1 = outer_mask(w1, child, union_parent, false, -1);
  const std::uint64_t m2 = outer_mask(w2, child, union_parent, false, -1);
  for (std::size_t k = 0; k < w1.windows_n; ++k) {
    if (w1.window_axis[k] == &a && w1.window_mask[k] == m1 && w1.window_other_mask[k] == m2) return w1.window_value[k];
  }
  const std::int64_t value = window_axis_brute(loops_of(w1, m1), layer_.bounds[d1], loops_of(w2, m2),
                                               layer_.bounds[d2], a.first.coef, a.second.coef);
  const std::size_t slot = w1.windows_n < kCached ? w1.windows_n++ : m1 % kCached;
  w1.window_axis[slot] = &a;
  w1.window_mask[slot] = m1;
  w1.window_other_mask[slot] = m2;
  w1.window_value[slot] = value;
  return value;
}

VolumeContext::WindowSplit VolumeContext::window_split(const WindowDim& w, int child, bool merged) const noexcept {
  const auto c = static_cast<std::size_t>(child);
  if (!merged || w.spatial == 1) {
    // The tile's loops are those at levels >= child: the innermost ones, indices 1 apart.
    return {w.above[c], w.above[c], w.below[c], 1, true};
  }
  // The array's spatial loops join the tile; the temporal loops of the levels between the
  // array and the child come after them in the nest but stay outer: the tile's indices
  // are that far apart, and not one progression if loops below the child extend it too.
  // (The spatial loops are all at the array's level, above the child here: the divisions
  // are exact.)
  const auto a = static_cast<std::size_t>(array_level_) + 1;
  const std::int64_t coarse = w.above[a] / w.spatial, between = w.above[c] / w.above[a];
  return {coarse * between, coarse, w.below[c] * w.spatial, w.below[c] == 1 ? between : 1, between == 1 || w.below[c] == 1};
}

std::int64_t VolumeContext::window_words(const IndexAxis& a, const WindowSplit& s1, const WindowSplit& s2) const noexcept {
  const Dim d1 = a.first.dim, d2 = a.second.dim;
  const std::int64_t u = a.first.coef * s1.spacing, v = a.second.coef * s2.spacing;
  const TileExtents e1 = tile_extents_of(s1.coarse, s1.block, s1.spacing, layer_.bounds[d1], exact_[d1]);
  const TileExtents e2 = tile_extents_of(s2.coarse, s2.block, s2.spacing, layer_.bounds[d2], exact_[d2]);
  std::int64_t words = 0;
  if (e2.size == 1) {  // the common case: one dimension (the filter's) has full tiles only
    for (std::size_t i = 0; i < e1.size; ++i) {
      words += e1.count[i] * window_count_nonempty(e1.extent[i], e2.extent[0], u, v);
    }
    return words * e2.count[0];
  }
  for (std::size_t i = 0; i < e1.size; ++i) {
    for (std::size_t j = 0; j < e2.size; ++j) {
      words += e1.count[i] * e2.count[j] * window_count_nonempty(e1.extent[i], e2.extent[j], u, v);
    }
  }
  return words;
}

std::int64_t VolumeContext::times_walks_and_windows(TensorId t, int child, int union_parent,
                                                    std::int64_t v) const noexcept {
  const int cut = cutoff_[static_cast<std::size_t>(t)][static_cast<std::size_t>(child)];
  const bool stationary = child < num_levels_;
  const auto ti = static_cast<std::size_t>(t);
  if (walks(ti, child, spatial_loops_outer(child, union_parent))) {
    for (Dim d : partial_irrelevant_[t]) {
      const DimWalk& w = walk(d);
      v *= bases_below(w, outer_mask(w, child, union_parent, stationary, cut), layer_.bounds[d]);
    }
  }
  if (!tables_.slides[t]) return v;
  // Window axes: tile loops of their dimensions are those at or below the child, plus
  // the spatial loops merged into the union; relevant loops' roles do not depend on the
  // cutoff (relevant temporal loops above the child are never resident).
  bool merged = union_parent >= 0 && array_level_ >= union_parent && array_level_ < child;
  bool memoise = !windows_exact_;
  const auto windows_factor = [&] {
    std::int64_t factor = 1;
    for (const IndexAxis& a : tables_.window_axes[t]) {
      const WindowSplit s1 = window_split(windows_[tables_.window_slot[a.first.dim]], child, merged);
      const WindowSplit s2 = window_split(windows_[tables_.window_slot[a.second.dim]], child, merged);
      if (!s1.arithmetic || !s2.arithmetic) {
        // Enumerated tiles depend on the union's parent too: not memoised (a key's splits
        // are the same every time, so a memoised key never reaches here).
        memoise = false;
        factor *= window_volume(a, child, union_parent);
      } else if (exact_[a.first.dim] && exact_[a.second.dim]) {
        factor *= s1.outer * s2.outer *
                  window_count_nonempty(s1.block, s2.block, a.first.coef * s1.spacing, a.second.coef * s2.spacing);
      } else {
        factor *= window_words(a, s1, s2);
      }
    }
    return factor;
  };
  if (!memoise) return v * windows_factor();
  // With partial tiles, the window factor just found for the same tile loops (a union and
  // its child's volume across the array often share them) is taken again; merging changes
  // nothing unless a window dimension of t has spatial loops.
  if (merged) {
    bool spatial = false;
    for (const IndexAxis& a : tables_.window_axes[t]) {
      spatial = spatial || windows_[tables_.window_slot[a.first.dim]].spatial != 1 ||
                windows_[tables_.window_slot[a.second.dim]].spatial != 1;
    }
    merged = spatial;
  }
  WindowMemo& memo = window_memo_[ti];
  if (memo.child == child && memo.merged == merged) return v * memo.factor;
  const std::int64_t factor = windows_factor();
  if (memoise) memo = {child, merged, factor};
  return v * factor;
}

}  // namespace dnnspace::detail
