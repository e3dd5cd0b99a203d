#include "dnnspace/model/cost.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <array>
#include <span>

#include "dnnspace/mapping/footprint.hpp"
#include "dnnspace/model/sparsity.hpp"
#include "tile_volume.hpp"

namespace dnnspace {
namespace {

// Average PE-to-PE distance of one array transfer of tensor t (004 Sec. III-C): a
// word shared by the PEs of the loops irrelevant to t is passed along a spanning tree
// that first spreads along the loop with the largest PE stride (the minimum spanning
// tree of that PE grid). Sharing through overlapping input windows is taken as one hop.
// `array_loops`: the nest's spatial loops at the array level (found once per evaluation).
double average_hops(const TensorProjection& projection, std::span<const NestLoop> array_loops) noexcept {
  std::array<const NestLoop*, 2 * kMaxSpatialLoops> shared{};
  std::size_t n = 0;
  for (const NestLoop& l : array_loops) {
    if (!is_relevant(projection, l.dim)) shared[n++] = &l;
  }
  if (n == 0) return 1.0;
  for (std::size_t i = 1; i < n; ++i) {  // largest stride first (insertion sort: n <= 8)
    for (std::size_t j = i; j > 0 && shared[j - 1]->pe_stride < shared[j]->pe_stride; --j) {
      std::swap(shared[j - 1], shared[j]);
    }
  }
  std::int64_t heads = 1, hops = 0;
  for (std::size_t i = 0; i < n; ++i) {
    hops += heads * (shared[i]->factor - 1) * shared[i]->pe_stride;
    heads *= shared[i]->factor;
  }
  return static_cast<double>(hops) / static_cast<double>(heads - 1);
}

}  // namespace

double mac_energy_per_mac_pj(const Architecture& arch) noexcept {
  const int a = mac_operand_bits(arch, TensorId::Inputs), b = mac_operand_bits(arch, TensorId::Weights),
            acc = mac_operand_bits(arch, TensorId::Outputs);
  if (a == arch.word_bits && b == arch.word_bits && acc == arch.word_bits) return arch.mac_energy_pj;
  // Multiplier ~ width product, adder ~ width, in the proportion of Horowitz's 45 nm
  // integer figures that 003 Sec. VII-A quotes as ratios: a 32-bit multiply 3.1 pJ, a
  // 32-bit add 0.1 pJ (so 8 bits: 0.19 and 0.025 pJ, 003's 15.5x and 3.3x less).
  const auto cost = [](double x, double y, double z) { return 3.1 * x * y / (32.0 * 32.0) + 0.1 * z / 32.0; };
  const double w = arch.word_bits;
  return arch.mac_energy_pj * cost(a, b, acc) / cost(w, w, w);
}

double array_energy_pj(const Architecture& arch, const CostResult& cost, TensorId t) noexcept {
  switch (arch.array.cost_style) {
    case ArrayCostStyle::Flat: return static_cast<double>(cost.array_transfers[t]) * arch.array.flat_energy_pj;
    case ArrayCostStyle::PerHop: return cost.array_hops[t] * arch.array.hop_energy_pj;
  }
  return 0.0;
}

double array_energy_per_transfer_pj(const Architecture& arch, const CostResult& cost, TensorId t) noexcept {
  if (cost.array_transfers[t] <= 0) return 0.0;
  if (arch.array.cost_style == ArrayCostStyle::Flat) return arch.array.flat_energy_pj;
  return cost.array_hops[t] / static_cast<double>(cost.array_transfers[t]) * arch.array.hop_energy_pj;
}

double tensor_energy_pj(const Architecture& arch, const CostResult& cost, TensorId t) noexcept {
  double e = 0.0;
  for (int l = 0; l < cost.num_levels; ++l) e += cost.levels[static_cast<std::size_t>(l)].energy_pj[t];
  return e + array_energy_pj(arch, cost, t);
}

double leakage_pj_per_cycle(const Architecture& arch, int level) noexcept {
  const bool per_pe = level > arch.array.parent_level;
  // mW x cycles / MHz = mW x us = nJ: x 1000 for pJ.
  return arch.levels[static_cast<std::size_t>(level)].leakage_mw *
         static_cast<double>(per_pe ? pe_count(arch) : 1) * 1000.0 / arch.clock_mhz;
}

std::int64_t bandwidth_cycles(std::int64_t words, std::int64_t instances, double bandwidth_words_per_cycle) noexcept {
  if (bandwidth_words_per_cycle <= 0) return 0;
  const double ratio = static_cast<double>(words) / static_cast<double>(instances) / bandwidth_words_per_cycle;
  const double needed = std::ceil(ratio - ratio * 1e-12);
  // Converting a double past int64's range is undefined behaviour: saturate first.
  return needed >= static_cast<double>(kMaxModelCycles) ? kMaxModelCycles : static_cast<std::int64_t>(needed);
}

PreparedProblem prepare(const Layer& layer, const Architecture& arch) {
  PreparedProblem p{layer, arch, projection_of(layer), mac_energy_per_mac_pj(arch)};
  p.macs = macs(layer);
  p.pe_count = pe_count(arch);
  p.min_fill_drain_per_fold = min_fill_drain_per_fold(arch);
  p.pes_hold_outputs = pes_hold_outputs(arch);
  p.tables = detail::projection_tables(p.layer, p.projection);
  for (std::size_t l = 0; l < arch.levels.size(); ++l) {
    const StorageLevel& level = arch.levels[l];
    p.bandwidth_limited[l] = level.bandwidth_words_per_cycle > 0 || level.read_bandwidth_words_per_cycle > 0 ||
                             level.write_bandwidth_words_per_cycle > 0;
    p.leakage_pj_per_cycle[l] = leakage_pj_per_cycle(arch, static_cast<int>(l));
    p.leaks = p.leaks || p.leakage_pj_per_cycle[l] > 0.0;
  }
  const int n = static_cast<int>(arch.levels.size());
  const int array_level = arch.array.parent_level;
  for (TensorId t : layer_tensors(layer)) {
    FixedVector<std::int8_t, kMaxLevels> holders;
    for (int l = 0; l < n; ++l) {
      if (holds_tensor(arch.levels[static_cast<std::size_t>(l)], t)) holders.push_back(static_cast<std::int8_t>(l));
    }
    for (std::size_t k = 0; k < holders.size(); ++k) {
      const int parent = holders[k], child = k + 1 < holders.size() ? holders[k + 1] : n;
      p.links[t].push_back({parent, child,
                            parent <= array_level && array_level < child, child == n && parent > array_level});
    }
  }
  for (std::size_t l = 0; l < arch.levels.size(); ++l) {
    for (TensorId t : layer_tensors(layer)) {
      p.read_pj[l][t] = read_energy_pj(arch, arch.levels[l], t);
      p.write_pj[l][t] = write_energy_pj(arch, arch.levels[l], t);
      p.word_bytes[l][t] = tensor_bytes(arch, arch.levels[l], t);
      p.stored_fraction[l][t] = holds_tensor(arch.levels[l], t) && layer.pass == Pass::Forward
                                    ? stored_word_fraction(arch, arch.levels[l], t, layer.density[t])
                                    : 1.0;
    }
  }
  // The outermost level's tile (every loop at or below it: each tensor whole).
  std::int64_t whole_bytes = 0;
  for (TensorId t : layer_tensors(layer)) {
    p.whole_words[t] = footprint_words(p.projection[t], layer.bounds, layer.bounds);
    if (holds_tensor(arch.levels[0], t)) whole_bytes += p.whole_words[t] * p.word_bytes[0][t];
  }
  p.whole_footprint_bytes = whole_bytes * (arch.levels[0].double_buffered ? 2 : 1);
  p.sparse = sparsity_applies(layer, arch);
  p.performed_fraction = performed_mac_fraction(layer, arch);
  p.skip_cycles = arch.array.zeros == ZeroHandling::Skip && p.performed_fraction < 1.0;
  for (TensorId t : layer_tensors(layer)) {
    p.gated[t] = p.performed_fraction < 1.0 && (t == TensorId::Outputs || !arch.array.zero_checked[t]);
  }
  return p;
}

namespace {
// Sparse: the layer's densities change a cost (PreparedProblem::sparse). A template
// parameter, so that the dense path carries none of the sparse arithmetic.
template <bool Sparse, std::size_t Tensors>
void evaluate_impl(const PreparedProblem& problem, const Mapping& mapping, CostResult& r, bool fresh) noexcept;

// The layer's tensor count as a template parameter when it is the built-in layers' three,
// so that every loop over the tensors has a fixed trip count.
template <bool Sparse>
void evaluate_tensors(const PreparedProblem& problem, const Mapping& mapping, CostResult& r, bool fresh) noexcept {
  if (layer_tensors(problem.layer).size() == kNumTensors) {
    evaluate_impl<Sparse, kNumTensors>(problem, mapping, r, fresh);
  } else {
    evaluate_impl<Sparse, std::dynamic_extent>(problem, mapping, r, fresh);
  }
}
}  // namespace

CostResult evaluate(const PreparedProblem& problem, const Mapping& mapping) noexcept {
  CostResult r;  // zeroed: nothing to reset
  if (problem.sparse) {
    evaluate_tensors<true>(problem, mapping, r, true);
  } else {
    evaluate_tensors<false>(problem, mapping, r, true);
  }
  return r;
}

void evaluate_into(const PreparedProblem& problem, const Mapping& mapping, CostResult& r) noexcept {
  if (problem.sparse) {
    evaluate_tensors<true>(problem, mapping, r, false);
  } else {
    evaluate_tensors<false>(problem, mapping, r, false);
  }
}

namespace {
template <bool Sparse, std::size_t Tensors>
void evaluate_impl(const PreparedProblem& problem, const Mapping& mapping, CostResult& r, bool fresh) noexcept {
  const Layer& layer = problem.layer;
  const Architecture& arch = problem.arch;
  const int n = static_cast<int>(arch.levels.size());
  const int array_level = arch.array.parent_level;
  const Projection& projection = problem.projection;
  // What the mapping's loops give, in one pass over them: the array's use and every
  // tensor's volumes.
  const std::span<const TensorId, Tensors> tensors{kTensorSlots.data(), layer_tensors(layer).size()};
  const detail::VolumeContext volumes(layer, projection, problem.tables, mapping, n, array_level, tensors);
  const detail::VolumeContext::Shape& shape = volumes.shape();

  if (!fresh) {
    // Reset what the last evaluation may have set: its levels and this one's.
    const int used = std::max(n, r.num_levels);
    for (int l = 0; l < used; ++l) r.levels[static_cast<std::size_t>(l)] = LevelCost{};
    r.infeasibility = Infeasibility::None;
    r.infeasible_level = -1;
    r.array_transfers = {};
    r.array_hops = {};
    r.offchip_bytes = 0;
    r.refill_stall_cycles = 0;
    r.mac_energy_pj = r.array_energy_pj = r.leakage_energy_pj = r.energy_pj = 0.0;
  }
  r.num_levels = n;
  r.macs = problem.macs;

  // The array's shape.
  const std::int64_t pe_used = shape.pe_used;
  const std::int64_t folds = shape.folds;  // temporal iterations at and above the array's feeding level
  r.compute_cycles = shape.compute_cycles;
  r.folds = folds;
  const std::int64_t dense_compute_cycles = r.compute_cycles;
  if (Sparse && problem.skip_cycles) {
    // Skipped MACs free their cycles: the time steps shrink by the performed fraction
    // (an ideal balance of the zeros over the PEs, docs/model.md Sec. 11).
    r.compute_cycles = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::ceil(static_cast<double>(r.compute_cycles) * problem.performed_fraction)));
  }
  r.fill_drain_cycles = 0;
  if (arch.array.timing == ArrayTiming::Systolic) {
    // Each fold skews its operands in across the rows and columns and drains its results
    // (R + C - 2 cycles); a weight- or input-stationary fold first shifts its stationary
    // operand down the R rows (SCALE-Sim's os / ws / is timing, docs/model.md Sec. 5).
    // Outputs stay only in PEs that hold them, and when no per-PE loop moves them.
    const bool preload = !(problem.pes_hold_outputs && shape.outputs_stationary);
    const std::int64_t per_fold = arch.array.rows + arch.array.cols - 2 + (preload ? arch.array.rows : 0);
    r.fill_drain_cycles = per_fold > 0 && folds > kMaxModelCycles / per_fold ? kMaxModelCycles : folds * per_fold;
  }
  if (shape.rows > arch.array.rows || shape.cols > arch.array.cols) r.infeasibility = Infeasibility::ArraySize;

  // Access counts along each tensor's chain of holding levels (docs/model.md).
  for (TensorId t : tensors) {
    const auto& links = problem.links[t];
    if (links.empty()) continue;
    std::int64_t parent_fills = 0;                                   // outputs only
    // (The outermost level has one tile, the whole tensor, in one epoch.)
    std::int64_t parent_entries = t != TensorId::Outputs  ? 0
                                  : links[0].parent == 0 ? problem.whole_words[t]
                                                         : volumes.volume(t, links[0].parent, -1);
    // Sparsity (docs/model.md Sec. 11): a gated tensor's MAC accesses scale by the
    // performed fraction; a compressed tensor's words at a level by its stored fraction.
    const bool gated = Sparse && problem.gated[t];
    const auto stored = [&](int level, std::int64_t words) {
      if constexpr (Sparse) return scaled_words(words, problem.stored_fraction[static_cast<std::size_t>(level)][t]);
      return words;
    };
    // Each link of the chain, parent above child; past its end, the MACs.
    for (const PreparedProblem::ChainLink& link : links) {
      const int parent = link.parent, child = link.child;
      // Without the array between them, parent and child tiles are the same tiles.
      const bool crosses_array = link.crosses_array;
      // Into the MACs from a level below the array, every MAC is its own tile: one word
      // each (the closed forms give the same, summed over all loops).
      std::int64_t v_union = link.per_mac ? r.macs : volumes.volume(t, child, parent);
      std::int64_t v_child = child == n        ? r.macs
                             : !crosses_array ? v_union
                                              : volumes.volume(t, child, -1);
      // Words a gated MAC would have taken are not moved. Each MAC's own request scales by
      // the performed fraction f; a word that m PEs share in one step (a multicast read,
      // a spatially reduced update) is saved only when all m are gated: 1 - (1 - f)^m
      // of the words remain, zeros taken as independent (docs/model.md Sec. 11).
      double kept = 1.0;  // of the words at this link
      if (Sparse && gated && child == n && v_union > 0) {
        const double f = problem.performed_fraction;
        const double sharing = static_cast<double>(v_child) / static_cast<double>(v_union);
        kept = sharing == 1.0 ? f : 1.0 - std::pow(1.0 - f, sharing);
        v_child = scaled_words(v_child, f);
      }
      TensorAccesses& up = r.levels[parent].accesses[t];
      if (t == TensorId::Outputs) {
        // A psum is read down only if it was written before: the first touch of every
        // element in each parent residency starts from zero.
        const std::int64_t fills = v_union - parent_entries + parent_fills;
        if (!Sparse || kept == 1.0) {
          up.reads += fills;
          up.writes += v_union;  // updates after spatial reduction
        } else {
          // Gated updates: `kept` of them remain, and a residency's first remaining one
          // starts from zero unless a psum was sent down into it. Residencies that keep
          // no update at all (all u of theirs gated: (1 - kept)^u) start nothing.
          const std::int64_t updates = scaled_words(v_union, kept);
          const double per_residency = parent_entries > 0 ? static_cast<double>(v_union) / static_cast<double>(parent_entries) : 1.0;
          const std::int64_t starts =
              scaled_words(parent_entries - parent_fills, 1.0 - std::pow(1.0 - kept, per_residency));
          up.reads += std::max<std::int64_t>(0, updates - starts);
          up.writes += updates;
          v_union = updates;
        }
        if (child < n) {
          r.levels[child].accesses[t].writes += fills;
          r.levels[child].accesses[t].reads += v_child;  // drains
          r.levels[child].fill_words += fills;
          r.levels[child].drain_words += v_child;
        }
        parent_fills = fills;
        parent_entries = v_child;
      } else {
        if (Sparse && kept != 1.0) v_union = scaled_words(v_union, kept);
        up.reads += stored(parent, v_union);  // a multicast word is read once
        if (child < n) {
          const std::int64_t written = stored(child, v_child);
          r.levels[child].accesses[t].writes += written;
          r.levels[child].fill_words += written;
        }
      }
      if (crosses_array) r.array_transfers[t] += v_child - v_union;
    }
    if (r.array_transfers[t] > 0) {
      r.array_hops[t] = static_cast<double>(r.array_transfers[t]) * average_hops(projection[t], {shape.array_loops.data(), shape.array_loops_n});
    }
  }

  // Tiles per level, innermost first: `extent` is what the loops at level l and below
  // span per dimension; `clipped`, that clipped to the bounds, is the same unless some
  // dimension has partial tiles. Indexed by dimension.
  {
    std::array<std::int64_t, detail::ProjectionTables::kExtentSlots> extent, clipped;  // the last: 1
    const bool clip = volumes.inexact() != 0;
    // (Filled whole: a few vector stores, fewer instructions than a loop over the dims.)
    extent.fill(1);
    if (clip) clipped.fill(1);
    const auto span_loop = [&](const Loop& loop) {
      const auto d = static_cast<std::size_t>(loop.dim);
      extent[d] *= loop.factor;
      if (clip) clipped[d] = std::min(extent[d], layer.bounds[loop.dim]);
    };
    const std::int64_t* tile_extent = clip ? clipped.data() : extent.data();
    // The outermost level's tile is every tensor whole, whatever the mapping (prepare()).
    if constexpr (!Sparse) {
      for (TensorId t : tensors) r.levels[0].tile_words[t] = holds_tensor(arch.levels[0], t) ? problem.whole_words[t] : 0;
      r.levels[0].footprint_bytes = problem.whole_footprint_bytes;
    }
    for (int l = n - 1; l >= (Sparse ? 0 : 1); --l) {
      const LevelLoops& loops = mapping.levels[static_cast<std::size_t>(l)];
      for (const Loop& loop : loops.temporal) span_loop(loop);
      for (const Loop& loop : loops.rows) span_loop(loop);
      for (const Loop& loop : loops.cols) span_loop(loop);
      const StorageLevel& spec = arch.levels[l];
      LevelCost& lc = r.levels[l];
      std::int64_t bytes = 0;  // each tensor at its width on this level
      for (TensorId t : tensors) {
        if (!holds_tensor(spec, t)) continue;
        lc.tile_words[t] = detail::tile_words(problem.tables, t, tile_extent);
        // A compressed tile takes its stored fraction of the words, rounded up.
        std::int64_t words = lc.tile_words[t];
        if constexpr (Sparse) {
          const double fraction = problem.stored_fraction[static_cast<std::size_t>(l)][t];
          if (fraction != 1.0) words = static_cast<std::int64_t>(std::ceil(static_cast<double>(words) * fraction));
        }
        bytes += words * problem.word_bytes[static_cast<std::size_t>(l)][t];
      }
      lc.footprint_bytes = bytes * (spec.double_buffered ? 2 : 1);
    }
  }
  // Instances, capacity, energy and bandwidth per level, outermost first.
  for (int l = 0; l < n; ++l) {
    const StorageLevel& spec = arch.levels[l];
    LevelCost& lc = r.levels[l];
    lc.instances = l > array_level ? pe_used : 1;
    std::int64_t moved = 0, read_words = 0;
    double energy = 0.0;  // accumulated here, not in lc, so that no sum waits on a store
    for (TensorId t : tensors) {
      const TensorAccesses& a = lc.accesses[t];
      const double e_read = problem.read_pj[static_cast<std::size_t>(l)][t];
      const double e_write = problem.write_pj[static_cast<std::size_t>(l)][t];
      // One energy per access: (reads + writes) x energy, rounded once as always.
      const double e = e_read == e_write
                           ? static_cast<double>(a.reads + a.writes) * e_read
                           : static_cast<double>(a.reads) * e_read + static_cast<double>(a.writes) * e_write;
      lc.energy_pj[t] = e;
      energy += e;
      moved += a.reads + a.writes;
      read_words += a.reads;
    }
    lc.energy_total_pj = energy;
    if (spec.capacity_bytes > 0 && lc.footprint_bytes > spec.capacity_bytes && r.feasible()) {
      r.infeasibility = Infeasibility::Capacity;
      r.infeasible_level = l;
    }
    // Each bandwidth that is set needs its own cycles; the slowest sets the level's.
    const auto cycles_for = [&](std::int64_t words, double bandwidth) {
      return bandwidth_cycles(words, lc.instances, bandwidth);
    };
    if (problem.bandwidth_limited[static_cast<std::size_t>(l)]) {
      lc.cycles = std::max({cycles_for(moved, spec.bandwidth_words_per_cycle),
                            cycles_for(read_words, spec.read_bandwidth_words_per_cycle),
                            cycles_for(moved - read_words, spec.write_bandwidth_words_per_cycle)});
    }
    // Single buffering: a tile is refilled (and a psum tile drained) in place, so the
    // array waits for it; double buffering moves the next tile while this one is used.
    if (problem.bandwidth_limited[static_cast<std::size_t>(l)] && !spec.double_buffered && spec.capacity_bytes > 0) {
      lc.refill_stall_cycles = std::max({cycles_for(lc.fill_words + lc.drain_words, spec.bandwidth_words_per_cycle),
                                         cycles_for(lc.drain_words, spec.read_bandwidth_words_per_cycle),
                                         cycles_for(lc.fill_words, spec.write_bandwidth_words_per_cycle)});
      // Each term is at most 2^62 (kMaxModelCycles): saturate rather than overflow.
      r.refill_stall_cycles = lc.refill_stall_cycles > kMaxModelCycles - r.refill_stall_cycles
                                  ? kMaxModelCycles
                                  : r.refill_stall_cycles + lc.refill_stall_cycles;
    }
    r.energy_pj += lc.energy_total_pj;
  }

  r.performed_macs = Sparse ? scaled_words(r.macs, problem.performed_fraction) : r.macs;
  r.mac_energy_pj = static_cast<double>(r.performed_macs) * problem.mac_energy_pj;
  for (TensorId t : tensors) r.array_energy_pj += array_energy_pj(arch, r, t);
  r.energy_pj += r.mac_energy_pj + r.array_energy_pj;

  // Each term is at most 2^62: saturate at kMaxModelCycles rather than overflow.
  const auto add_cycles = [](std::int64_t a, std::int64_t b) { return b > kMaxModelCycles - a ? kMaxModelCycles : a + b; };
  r.cycles = add_cycles(add_cycles(r.compute_cycles, r.fill_drain_cycles), r.refill_stall_cycles);
  r.bound_level = -1;
  for (int l = 0; l < n; ++l) {
    if (r.levels[l].cycles > r.cycles) {
      r.cycles = r.levels[l].cycles;
      r.bound_level = l;
    }
  }
  if (problem.leaks) {
    // Every physical instance leaks for the layer's whole run, busy or idle.
    for (int l = 0; l < n; ++l) {
      LevelCost& lc = r.levels[l];
      lc.leakage_pj = problem.leakage_pj_per_cycle[static_cast<std::size_t>(l)] * static_cast<double>(r.cycles);
      r.leakage_energy_pj += lc.leakage_pj;
    }
    r.energy_pj += r.leakage_energy_pj;
  }
  // The mapping's use of the array, zeros aside (the floor of 004 applies to it).
  r.utilization = static_cast<double>(r.macs) /
                  (static_cast<double>(dense_compute_cycles) * static_cast<double>(problem.pe_count));
  r.achieved_utilization = static_cast<double>(r.performed_macs) /
                           (static_cast<double>(r.cycles) * static_cast<double>(problem.pe_count));
  for (TensorId t : tensors) {
    r.offchip_bytes += (r.levels[0].accesses[t].reads + r.levels[0].accesses[t].writes) * problem.word_bytes[0][t];
  }
}

}  // namespace

}  // namespace dnnspace
