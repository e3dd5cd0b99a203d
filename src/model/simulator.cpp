#include "dnnspace/model/simulator.hpp"

#include <cstddef>
#include <map>
#include <set>
#include <vector>

namespace dnnspace {
namespace {

using Ids = std::set<std::int64_t>;

// Counts the words every event of the walk moves (docs/model.md Sec. 4).
class Counter final : public TileWalkVisitor {
 public:
  Counter(const Architecture& arch, const ZeroMask* zeros)
      : n_(static_cast<int>(arch.levels.size())), array_level_(arch.array.parent_level),
        zeros_(arch.array.zeros != ZeroHandling::None ? zeros : nullptr), checked_(arch.array.zero_checked) {
    out_.num_levels = n_;
  }

  TransferCounts result() const { return out_; }

  void begin(const TileWalkShape& shape) override {
    shape_ = shape;
    out_.compute_cycles = shape.num_steps;
    for (int l = 0; l < n_; ++l) valued_[at(l)].assign(static_cast<std::size_t>(shape.instances[at(l)]), {});
  }

  void fill(TensorId t, int parent, int child, std::span<const InstanceTile> tiles) override {
    auto& acc = out_.accesses;
    if (t != TensorId::Outputs) {
      // The child instances are written their tiles; the parent reads each word once
      // per parent instance (multicast), the rest crosses the array PE to PE.
      std::map<std::int64_t, Ids> unions;
      std::int64_t delivered = 0;
      for (const InstanceTile& tile : tiles) {
        acc[at(child)][t].writes += size(tile.ids);
        delivered += size(tile.ids);
        unions[tile.parent_instance].insert(tile.ids.begin(), tile.ids.end());
      }
      std::int64_t read = 0;
      for (const auto& [pi, ids] : unions) read += size(ids);
      acc[at(parent)][t].reads += read;
      if (crosses_array(parent, child)) out_.array_transfers[t] += delivered - read;
      return;
    }
    // Psums: a level instance holds a "valued" psum only once it was filled with one
    // or updated; a psum that was never written is not read. Per parent instance, each
    // valued psum goes to the first child that needs it; the others start at zero.
    std::map<std::int64_t, Ids> delivered;  // parent instance -> ids sent down
    for (const InstanceTile& tile : tiles) {
      const std::int64_t pi = tile.parent_instance;
      for (std::int64_t id : tile.ids) {
        if (!valued(parent, pi).count(id) || delivered[pi].count(id)) continue;
        delivered[pi].insert(id);
        acc[at(parent)][t].reads += 1;
        acc[at(child)][t].writes += 1;
        valued(child, tile.instance).insert(id);
      }
    }
  }

  void drain(TensorId t, int parent, int child, std::span<const InstanceTile> tiles) override {
    if (t != TensorId::Outputs) return;  // inputs and weights are dropped, not written back
    auto& acc = out_.accesses;
    std::map<std::int64_t, Ids> unions;
    std::int64_t sent = 0;
    for (const InstanceTile& tile : tiles) {
      acc[at(child)][t].reads += size(tile.ids);
      sent += size(tile.ids);
      unions[tile.parent_instance].insert(tile.ids.begin(), tile.ids.end());
    }
    std::int64_t received = 0;
    for (const auto& [pi, ids] : unions) {
      received += size(ids);
      valued(parent, pi).insert(ids.begin(), ids.end());
    }
    acc[at(parent)][t].writes += received;
    if (crosses_array(parent, child)) out_.array_transfers[t] += sent - received;
    for (auto& ids : valued_[at(child)]) ids.clear();
  }

  void step(std::int64_t, std::span<const PeStep> pes) override {
    for (const PeStep& pe : pes) out_.macs += performed(pe) ? 1 : 0;
    auto& acc = out_.accesses;
    for (TensorId t : tensor_slots(shape_.tensors)) {
      const int innermost = shape_.chain[t].back();
      // A checked operand is read to be checked; the rest only for a performed MAC.
      const bool gated = zeros_ && (t == TensorId::Outputs || !checked_[t]);
      // Operands (or updates) several PEs of one innermost instance need in the same
      // cycle are read (or written) once.
      std::map<std::int64_t, Ids> unions;
      std::int64_t requests = 0;
      for (const PeStep& pe : pes) {
        if (!pe.valid || (gated && !performed(pe))) continue;
        ++requests;
        unions[pe.instance[t]].insert(pe.element[t]);
      }
      std::int64_t words = 0;
      for (const auto& [inst, ids] : unions) {
        words += size(ids);
        if (t != TensorId::Outputs) continue;
        for (std::int64_t id : ids) {
          if (!valued(innermost, inst).insert(id).second) acc[at(innermost)][t].reads += 1;
        }
      }
      if (t != TensorId::Outputs) acc[at(innermost)][t].reads += words;
      else acc[at(innermost)][t].writes += words;
      if (crosses_array(innermost, n_)) out_.array_transfers[t] += requests - words;
    }
  }

 private:
  // A valid step whose checked operands are all nonzero.
  bool performed(const PeStep& pe) const {
    if (!pe.valid) return false;
    if (!zeros_) return true;
    for (TensorId t : tensor_slots(shape_.tensors)) {
      if (t == TensorId::Outputs || !checked_[t]) continue;
      const std::vector<bool>& zero = zeros_->zero[t];
      const auto id = static_cast<std::size_t>(pe.element[t]);
      if (id < zero.size() && zero[id]) return false;
    }
    return true;
  }
  static std::size_t at(int level) { return static_cast<std::size_t>(level); }
  template <class C>
  static std::int64_t size(const C& c) { return static_cast<std::int64_t>(c.size()); }
  bool crosses_array(int parent, int child) const { return parent <= array_level_ && array_level_ < child; }
  Ids& valued(int level, std::int64_t instance) { return valued_[at(level)][static_cast<std::size_t>(instance)]; }

  int n_;
  int array_level_;
  const ZeroMask* zeros_;  // null: dense, or no zero handling
  PerTensor<bool> checked_;
  TileWalkShape shape_;
  TransferCounts out_;
  std::array<std::vector<Ids>, kMaxLevels> valued_;  // outputs: level -> instance -> valued psums
};

}  // namespace

SimulatedCounts simulate(const Layer& layer, const Architecture& arch, const Mapping& mapping) {
  Counter counter(arch, nullptr);
  walk_tiles(layer, arch, mapping, counter);
  return counter.result();
}

SimulatedCounts simulate(const Layer& layer, const Architecture& arch, const Mapping& mapping, const ZeroMask& zeros) {
  Counter counter(arch, &zeros);
  walk_tiles(layer, arch, mapping, counter);
  return counter.result();
}

}  // namespace dnnspace
