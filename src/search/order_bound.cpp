#include "order_bound.hpp"

#include <algorithm>
#include <limits>

namespace dnnspace::detail {
namespace {

// The mean of a level's read and write energies for tensor t: a read and a write cost
// twice it (and exactly 2 x the access energy, rounding included, when the two are equal).
double mean_access_pj(const Architecture& arch, const StorageLevel& level, TensorId t) noexcept {
  return 0.5 * (read_energy_pj(arch, level, t) + write_energy_pj(arch, level, t));
}

}  // namespace

bool order_bound_applies(const Architecture& arch) noexcept {
  if (arch.levels.empty() || !arch.levels[0].holds[TensorId::Outputs]) return false;
  if (arch.mac_energy_pj < 0 || arch.array.hop_energy_pj < 0 || arch.array.flat_energy_pj < 0) return false;
  for (const StorageLevel& level : arch.levels) {
    if (level.access_energy_pj < 0 || read_energy_pj(level) < 0 || write_energy_pj(level) < 0) return false;
  }
  return true;
}

BoundEnergy::BoundEnergy(const Layer& layer, const Architecture& arch) noexcept : arch_(&arch) {
  bool first = true;
  for (int l = arch.array.parent_level + 1; l < static_cast<int>(arch.levels.size()); ++l) {
    if (!arch.levels[static_cast<std::size_t>(l)].holds[TensorId::Outputs]) continue;
    if (!first) replaced_.push_back(l);
    first = false;
  }
  if (!replaced_.empty()) {
    // Its accesses are 2 (fills + MACs) with fills >= 0 (docs/search.md), each a read or a
    // write: each costs at least the cheaper of the two.
    const StorageLevel& level = arch.levels[static_cast<std::size_t>(replaced_.back())];
    innermost_floor_pj_ = 2.0 * static_cast<double>(macs(layer)) *
                          std::min(read_energy_pj(arch, level, TensorId::Outputs), write_energy_pj(arch, level, TensorId::Outputs));
  }
}

double BoundEnergy::operator()(const CostResult& cost, TensorId t) const noexcept {
  double e = tensor_energy_pj(*arch_, cost, t);
  if (t != TensorId::Outputs || replaced_.empty()) return e;
  for (int l : replaced_) e -= cost.levels[static_cast<std::size_t>(l)].energy_pj[t];
  return std::max(0.0, e + innermost_floor_pj_);
}

bool item_bound_applies(const Architecture& arch) noexcept {
  const int n = static_cast<int>(arch.levels.size());
  return order_bound_applies(arch) && n >= 2 && arch.array.parent_level == n - 2;
}


PerTensor<double> tensor_energy_floor_pj(const Layer& layer, const Architecture& arch) noexcept {
  PerTensor<double> floor{};
  const double mac_count = static_cast<double>(macs(layer));
  for (TensorId t : layer_tensors(layer)) {
    int innermost = -1;
    for (std::size_t l = 0; l < arch.levels.size(); ++l) if (holds_tensor(arch.levels[l], t)) innermost = static_cast<int>(l);
    if (innermost <= arch.array.parent_level) continue;
    // Operands: a read per MAC; outputs: a write (the update) and a read per MAC.
    const StorageLevel& level = arch.levels[static_cast<std::size_t>(innermost)];
    floor[t] = t == TensorId::Outputs ? 2.0 * mac_count * mean_access_pj(arch, level, t)
                                      : mac_count * read_energy_pj(arch, level, t);
  }
  return floor;
}

ItemBound::ItemBound(const Layer& layer, const Projection& projection, const Architecture& arch,
                     const PerTensor<const CostResult*>& relaxed,
                     const Factors& spatial, const Factors& per_pe, const PerTensor<double>& floor_pj,
                     const BoundEnergy& energy, const LoopOrderSpace& orders) noexcept
    : n_(static_cast<int>(arch.levels.size())), array_level_(arch.array.parent_level), tensors_(layer_tensors(layer)),
      orders_(&orders), dims_(layer.dims),
      bounds_(layer.bounds),
      spatial_(spatial) {
  const int child = array_level_ + 1;  // the first per-PE level
  for (Dim d : dims_) {
    const std::int64_t b = layer.bounds[d];
    dim_info_.push_back({b, spatial[d], per_pe[d], std::min(spatial[d], (b + per_pe[d] - 1) / per_pe[d]), d});
  }
  for (TensorId t : tensors_) relevant_[t] = projection[t].relevant;
  for (TensorId t : tensors_) {
    const CostResult& cost = *relaxed[t];
    item_pj_[t] = std::max(floor_pj[t], energy(cost, t));
    PerTensorData& data = data_[t];
    if (n_ >= 3 && array_level_ >= 1 && holds_tensor(arch.levels[0], t) && holds_tensor(arch.levels[1], t)) {
      // The relaxed mapping has no loop on level 0: t crosses into level 1 once, whole
      // (level 0 reads inputs and weights, is written the outputs). Outputs: level 0 is
      // read fills = V - |O| and written V, level 1 written fills and drained V.
      const TensorAccesses& top = cost.levels[0].accesses[t];
      data.top_words = static_cast<double>(t == TensorId::Outputs ? top.writes : top.reads);
      // Per extra word: inputs and weights a level-0 read and a level-1 write; outputs a
      // read and a write on each.
      data.per_top = t == TensorId::Outputs
                         ? 2.0 * (mean_access_pj(arch, arch.levels[0], t) + mean_access_pj(arch, arch.levels[1], t))
                         : read_energy_pj(arch, arch.levels[0], t) + write_energy_pj(arch, arch.levels[1], t);
    }
    // Only the boundary across the array into the first per-PE level is bounded; when t
    // skips that level, per-PE loops lie between the array and t's child (left as is).
    if (child >= n_ || !holds_tensor(arch.levels[static_cast<std::size_t>(child)], t)) continue;
    int parent = -1;  // the level that fills the first per-PE one with t
    for (int l = 0; l < child; ++l) if (holds_tensor(arch.levels[static_cast<std::size_t>(l)], t)) parent = l;
    if (parent < 0) continue;
    const TensorAccesses& up = cost.levels[static_cast<std::size_t>(parent)].accesses[t];
    // The relaxed mapping has no loops above the array's level, so t's only traffic into
    // `parent` is its first fill (none for outputs): the parent's reads of inputs and
    // weights, and its writes of outputs, are V_union of the last boundary.
    data.union_words = static_cast<double>(t == TensorId::Outputs ? up.writes : up.reads);
    data.child_words = data.union_words + static_cast<double>(cost.array_transfers[t]);
    const StorageLevel& parent_level = arch.levels[static_cast<std::size_t>(parent)];
    const StorageLevel& child_level = arch.levels[static_cast<std::size_t>(child)];
    if (t == TensorId::Outputs) {
      // fills = V_union - |O|: the parent reads them and takes V_union updates, the child
      // takes fills + U' writes and gives U' + fills reads (U': the updates from below it,
      // the MACs or the next per-PE level; not bounded here): a read and a write on each.
      data.per_union = 2.0 * (mean_access_pj(arch, parent_level, t) + mean_access_pj(arch, child_level, t));
      data.per_child = 0.0;
    } else {
      data.per_union = read_energy_pj(arch, parent_level, t);  // parent reads
      data.per_child = write_energy_pj(arch, child_level, t);  // fills of the child
    }
    data.per_transfer = array_energy_per_transfer_pj(arch, cost, t);
    data.grows = true;
  }
}

PerTensor<double> ItemBound::blocking_pj(const std::array<Factors, kMaxLevels>& f) const noexcept {
  PerTensor<double> out = item_pj_;
  const int above = array_level_ + 1;  // levels 0..array_level_ hold the loops above the array
  for (TensorId t : tensors_) {
    const PerTensorData& data = data_[t];
    if (!data.grows) continue;
    // The cut: the last level above the array with a temporal loop relevant to t.
    // Loops of levels above it are outer whatever the orders; the relaxed mapping keeps
    // all irrelevant loops resident.
    int cut = -1;
    for (int l = 0; l < above; ++l) {
      for (Dim d : dims_) {
        if (relevant(t, d) && f[static_cast<std::size_t>(l)][d] > 1) { cut = l; break; }
      }
    }
    if (cut <= 0) continue;
    double union_ratio = 1.0, child_ratio = 1.0;
    for (const IrrelevantDim& irr : dim_info_) {
      if (relevant(t, irr.dim)) continue;
      std::int64_t outer = 1, resident = 1;
      for (int l = 0; l < above; ++l) (l < cut ? outer : resident) *= f[static_cast<std::size_t>(l)][irr.dim];
      if (outer == 1) continue;
      // Index = (a * resident + g) * spatial * inner + s * inner + i: the combinations
      // (a, s) whose tile holds a valid index, and the a whose merged tile does.
      // Closed form of: for each a < outer with a * step < bound, one union tile and
      // min(spatial, ceil((bound - a * step) / inner)) child tiles. As step >=
      // spatial * inner, only the last such a can have fewer than `spatial`.
      const std::int64_t step = resident * irr.spatial * irr.inner;
      const std::int64_t unions = std::min(outer, (irr.bound + step - 1) / step);
      const std::int64_t last = (unions - 1) * step;
      const std::int64_t children =
          (unions - 1) * irr.spatial + std::min(irr.spatial, (irr.bound - last + irr.inner - 1) / irr.inner);
      union_ratio *= static_cast<double>(unions);
      child_ratio *= static_cast<double>(children) / static_cast<double>(irr.pe_count);
    }
    const double union_words = data.union_words * union_ratio;
    const double child_words = data.child_words * child_ratio;
    const double more_union = std::max(0.0, union_words - data.union_words);
    const double more_child = std::max(0.0, child_words - data.child_words);
    const double more_transfers =
        std::max(0.0, (child_words - union_words) - (data.child_words - data.union_words));
    out[t] += more_union * data.per_union + more_child * data.per_child + more_transfers * data.per_transfer;
  }
  return out;
}

double ItemBound::blocking_refetch_pj(const std::array<Factors, kMaxLevels>& f) const noexcept {
  const Factors& top = f[0];
  double best = std::numeric_limits<double>::infinity();
  // Level 0 takes one of the orders the mapper tries on it (loop_orders.hpp).
  thread_local LevelOrders orders;  // large: kept per thread, not re-made per call
  orders_->orders(top, orders);
  for (const Order& order : orders.orders) {
    double extra = 0.0;
    for (TensorId t : tensors_) {
      const PerTensorData& data = data_[t];
      if (data.top_words <= 0) continue;
      // Loops of level 0 irrelevant to t but before its last relevant one are outer.
      std::uint32_t outer_dims = 0, seen_irrelevant = 0;
      for (Dim d : order) {
        const std::uint32_t bit = 1u << static_cast<unsigned>(d);
        if (relevant(t, d)) outer_dims |= seen_irrelevant;
        else seen_irrelevant |= bit;
      }
      double ratio = 1.0;
      for (Dim d : dims_) {
        if (!(outer_dims & (1u << static_cast<unsigned>(d)))) continue;
        // Tiles of level 1 span everything below level 0 (levels 1.. and the array).
        std::int64_t block = spatial_[d];
        for (int l = 1; l < n_; ++l) block *= f[static_cast<std::size_t>(l)][d];
        ratio *= static_cast<double>(std::min(top[d], (bounds_[d] + block - 1) / block));  // a * block < bound
      }
      extra += (ratio - 1.0) * data.top_words * data.per_top;
    }
    best = std::min(best, extra);
    if (best <= 0.0) break;
  }
  return std::max(0.0, best);
}

double order_lower_bound(Objective objective, const PerTensor<double>& tensor_pj, double mac_energy_pj,
                         double compute_cycles) noexcept {
  double energy = mac_energy_pj;
  for (double e : tensor_pj.values) energy += e;  // slots a layer lacks are 0
  // The sum is rounded in another order than evaluate() rounds its total: shave a
  // relative 1e-9 so that rounding can never lift the bound over a real value.
  energy *= 1.0 - 1e-9;
  switch (objective) {
    case Objective::Energy: return energy;
    case Objective::Cycles: return compute_cycles;  // cycles >= compute cycles
    case Objective::EnergyDelay: return energy * compute_cycles;
  }
  return 0.0;
}

}  // namespace dnnspace::detail
