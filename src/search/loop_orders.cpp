#include "loop_orders.hpp"

#include <array>
#include <atomic>
#include <bit>

namespace dnnspace::detail {
namespace {

std::atomic<std::uint64_t> next_space_id{1};  // 0 marks scratch orders that belong to no space

// Builds the orders of the general case innermost first: place the loops irrelevant to
// every tensor still active, then continue with each maximal set of active tensors that
// some remaining loop is irrelevant to (a smaller set only ends more tensors' resident
// runs early, so it is dominated).
struct ChainBuilder {
  std::span<const Dim> loops;                          // the level's loops, in dims order
  std::array<std::uint32_t, kMaxWorkloadDims> irr{};  // per loop: tensors it is irrelevant to
  std::size_t tensors = 0;
  LevelOrders& out;
  std::array<std::uint32_t, kMaxWorkloadDims + 1> groups{};  // loop masks, innermost first
  std::size_t depth = 0;

  void emit() {
    Order order;
    for (std::size_t k = depth; k-- > 0;) {
      for (std::size_t i = 0; i < loops.size(); ++i) if ((groups[k] >> i) & 1u) order.push_back(loops[i]);
    }
    for (const Order& o : out.orders) if (o == order) return;
    if (out.orders.full()) return;  // only past check_searchable's class limit (truncated, not exact)
    const auto index = static_cast<std::uint16_t>(out.orders.size());
    out.orders.push_back(order);
    // Tensors whose irrelevant loops are all innermost in it (a suffix) and have no order yet.
    for (std::size_t t = 0; t < tensors; ++t) {
      if (out.of_tensor.values[t] != kUnset) continue;
      bool in_suffix = true, suffix = true;
      for (std::size_t k = order.size(); k-- > 0;) {
        const std::size_t i = position(order[k]);
        const bool irrelevant = (irr[i] >> t) & 1u;
        if (!irrelevant) in_suffix = false;
        else if (!in_suffix) { suffix = false; break; }
      }
      if (suffix) out.of_tensor.values[t] = index;
    }
  }

  std::size_t position(Dim d) const {
    for (std::size_t i = 0; i < loops.size(); ++i) if (loops[i] == d) return i;
    return 0;
  }

  void run(std::uint32_t active, std::uint32_t placed) {
    const std::uint32_t all = loops.size() == 32 ? ~0u : (1u << loops.size()) - 1u;
    std::uint32_t group = 0;
    for (std::size_t i = 0; i < loops.size(); ++i) {
      if (!((placed >> i) & 1u) && (irr[i] & active) == active) group |= 1u << i;
    }
    groups[depth++] = group;
    placed |= group;
    if (placed == all) {
      emit();
    } else {
      // The candidate next sets: irr & active of each remaining loop, the maximal ones.
      std::array<std::uint32_t, kMaxWorkloadDims> cand{};
      std::size_t n = 0;
      for (std::size_t i = 0; i < loops.size(); ++i) {
        if ((placed >> i) & 1u) continue;
        const std::uint32_t c = irr[i] & active;
        bool seen = false;
        for (std::size_t j = 0; j < n; ++j) seen = seen || cand[j] == c;
        if (!seen) cand[n++] = c;
      }
      for (std::size_t j = 0; j < n; ++j) {
        bool maximal = true;
        for (std::size_t k = 0; k < n && maximal; ++k) maximal = !(k != j && (cand[k] & cand[j]) == cand[j]);
        if (maximal) run(cand[j], placed);
      }
    }
    --depth;
  }

  static constexpr std::uint16_t kUnset = 0xFFFF;
};

std::uint32_t irrelevant_to(Dim d, std::span<const std::uint32_t> relevant) noexcept {
  std::uint32_t mask = 0;
  for (std::size_t t = 0; t < relevant.size(); ++t) {
    if (!((relevant[t] >> static_cast<unsigned>(d)) & 1u)) mask |= 1u << t;
  }
  return mask;
}

}  // namespace

LoopOrderSpace::LoopOrderSpace(std::span<const Dim> dims, std::span<const std::uint32_t> relevant) noexcept
    : id_(next_space_id.fetch_add(1, std::memory_order_relaxed)) {
  for (Dim d : dims) dims_.push_back(d);
  for (std::uint32_t r : relevant) relevant_.push_back(r);
  for (Dim d : dims) {
    irrelevant_[d] = irrelevant_to(d, relevant);
    general_ = general_ || std::popcount(irrelevant_[d]) >= 2;
  }
}

void LoopOrderSpace::orders(const PerDim<std::int64_t>& f, LevelOrders& out) const noexcept {
  FixedVector<Dim, kMaxWorkloadDims> loops;
  std::uint32_t present = 0;
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    if (f[dims_[i]] > 1) {
      loops.push_back(dims_[i]);
      present |= 1u << i;
    }
  }
  if (out.space_id == id_ && out.loops == present) return;
  out.orders.clear();
  out.of_tensor = {};
  out.space_id = id_;
  out.loops = present;
  const std::size_t tensors = relevant_.size();
  if (!general_) {
    // One order per tensor s: s's relevant loops outside, its irrelevant ones inside,
    // each group in dimension order; identical orders kept once.
    for (std::size_t s = 0; s < tensors; ++s) {
      Order order;
      for (std::uint32_t inner : {0u, 1u}) {
        for (Dim d : loops) if (((irrelevant_[d] >> s) & 1u) == inner) order.push_back(d);
      }
      std::size_t i = 0;
      while (i < out.orders.size() && !(out.orders[i] == order)) ++i;
      if (i == out.orders.size()) out.orders.push_back(order);
      out.of_tensor.values[s] = static_cast<std::uint16_t>(i);
    }
    return;
  }
  ChainBuilder builder{{loops.begin(), loops.size()}, {}, tensors, out};
  for (std::size_t i = 0; i < loops.size(); ++i) builder.irr[i] = irrelevant_[loops[i]];
  for (std::size_t t = 0; t < tensors; ++t) out.of_tensor.values[t] = ChainBuilder::kUnset;
  builder.run(tensors == 32 ? ~0u : (1u << tensors) - 1u, 0);
  // Past kMaxLevelOrders (a layer check_searchable refuses) some tensor may have no
  // order of its own: give it the first one rather than an index past the end.
  for (std::size_t t = 0; t < tensors; ++t) {
    if (out.of_tensor.values[t] == ChainBuilder::kUnset) out.of_tensor.values[t] = 0;
  }
}

std::size_t distinct_irrelevance_classes(std::span<const Dim> dims, std::span<const std::uint32_t> relevant) noexcept {
  FixedVector<std::uint32_t, kMaxWorkloadDims> classes;
  bool general = false;
  for (Dim d : dims) {
    const std::uint32_t c = irrelevant_to(d, relevant);
    general = general || std::popcount(c) >= 2;
    if (c == 0) continue;
    bool seen = false;
    for (std::uint32_t k : classes) seen = seen || k == c;
    if (!seen) classes.push_back(c);
  }
  return general ? classes.size() : 0;
}

}  // namespace dnnspace::detail
