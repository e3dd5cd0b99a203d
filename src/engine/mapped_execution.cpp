#include "dnnspace/engine/mapped_execution.hpp"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

namespace dnnspace::engine {
namespace {

std::size_t at(int level) { return static_cast<std::size_t>(level); }
std::size_t at(std::int64_t index) { return static_cast<std::size_t>(index); }

// Moves real values along the walk. Every level instance owns one buffer per tensor it
// holds: element id -> value. An operand buffer holds exactly its current tile; a psum
// buffer holds the psums of its tile that have a value (filled from above or updated),
// the others are implicitly zero, so a psum is never read before it is written. Lookups
// use at(): a value missing from the buffer the walk says holds it is a bug, and throws.
template <class D>
class Executor final : public TileWalkVisitor {
  using Operand = typename D::Operand;
  using Psum = typename D::Psum;
  template <class V>
  using Buffer = std::unordered_map<std::int64_t, V>;

 public:
  Executor(const Layer& layer, const Architecture& arch, std::span<const Operand> inputs,
           std::span<const Operand> weights, const D& datapath)
      : layer_(layer), arch_(arch), inputs_(inputs), weights_(weights), datapath_(datapath) {
    result_.transfers.num_levels = static_cast<int>(arch.levels.size());
  }

  void begin(const TileWalkShape& shape) override {
    shape_ = shape;
    result_.transfers.compute_cycles = shape.num_steps;
    for (TensorId t : kAllTensors) {
      for (int level : shape.chain[t]) {
        const auto instances = at(shape.instances[at(level)]);
        if (t == TensorId::Outputs) psums_[at(level)].assign(instances, {});
        else operands_[at(level)][t].assign(instances, {});
      }
      result_.peak_tile_words[0][t] = tensor_size(layer_, t);
    }
    // Level 0 starts with the whole input and weight tensors.
    for (TensorId t : {TensorId::Inputs, TensorId::Weights}) {
      const auto values = t == TensorId::Inputs ? inputs_ : weights_;
      auto& dram = operands_[0][t][0];
      for (std::size_t id = 0; id < values.size(); ++id) dram.emplace(static_cast<std::int64_t>(id), values[id]);
    }
  }

  void fill(TensorId t, int parent, int child, std::span<const InstanceTile> tiles) override {
    auto& parent_acc = result_.transfers.accesses[at(parent)][t];
    auto& child_acc = result_.transfers.accesses[at(child)][t];
    auto& peak = result_.peak_tile_words[at(child)][t];
    if (t != TensorId::Outputs) {
      // Per parent instance a bus: a word is read from the parent once and multicast to
      // every child that needs it; the other deliveries cross the array PE to PE.
      std::map<std::int64_t, Buffer<Operand>> buses;
      std::int64_t read = 0, delivered = 0;
      for (const InstanceTile& tile : tiles) {
        Buffer<Operand>& bus = buses[tile.parent_instance];
        const Buffer<Operand>& src = operands_[at(parent)][t][at(tile.parent_instance)];
        Buffer<Operand>& dst = operands_[at(child)][t][at(tile.instance)];
        dst.clear();
        for (std::int64_t id : tile.ids) {
          auto it = bus.find(id);
          if (it == bus.end()) {
            it = bus.emplace(id, src.at(id)).first;
            ++read;
          }
          dst.emplace(id, it->second);
          ++delivered;
        }
        peak = std::max(peak, static_cast<std::int64_t>(dst.size()));
      }
      parent_acc.reads += read;
      child_acc.writes += delivered;
      if (crosses_array(parent, child)) result_.transfers.array_transfers[t] += delivered - read;
      return;
    }
    // Psums: a psum the parent has a value for goes down to the first child instance
    // that needs it; its siblings start from zero (the drain adds them all back up).
    std::map<std::int64_t, std::set<std::int64_t>> sent_down;  // parent instance -> ids
    for (const InstanceTile& tile : tiles) {
      const Buffer<Psum>& src = psums_[at(parent)][at(tile.parent_instance)];
      Buffer<Psum>& dst = psums_[at(child)][at(tile.instance)];
      assert(dst.empty() && "mapped execution: psum tile filled before the last one drained");
      for (std::int64_t id : tile.ids) {
        const auto it = src.find(id);
        if (it == src.end() || !sent_down[tile.parent_instance].insert(id).second) continue;
        dst.emplace(id, it->second);
        ++parent_acc.reads;
        ++child_acc.writes;
      }
      peak = std::max(peak, static_cast<std::int64_t>(tile.ids.size()));
    }
  }

  void drain(TensorId t, int parent, int child, std::span<const InstanceTile> tiles) override {
    if (t != TensorId::Outputs) {
      for (const InstanceTile& tile : tiles) operands_[at(child)][t][at(tile.instance)].clear();
      return;
    }
    // Every psum of every child tile goes up; siblings' psums of one element are summed
    // on the way (the reduction), and the sum replaces the parent's value, which was sent
    // down to exactly one of them at the fill.
    std::map<std::int64_t, std::map<std::int64_t, Psum>> reduced;  // parent instance -> id -> sum
    std::int64_t sent = 0, received = 0;
    for (const InstanceTile& tile : tiles) {
      Buffer<Psum>& src = psums_[at(child)][at(tile.instance)];
      auto& sums = reduced[tile.parent_instance];
      for (std::int64_t id : tile.ids) {
        const Psum value = src.at(id);
        ++sent;
        const auto [it, first] = sums.try_emplace(id, value);
        if (!first) it->second = datapath_.add(it->second, value);
      }
      src.clear();
    }
    for (const auto& [pi, sums] : reduced) {
      Buffer<Psum>& dst = psums_[at(parent)][at(pi)];
      for (const auto& [id, value] : sums) dst[id] = value;
      received += static_cast<std::int64_t>(sums.size());
    }
    result_.transfers.accesses[at(child)][t].reads += sent;
    result_.transfers.accesses[at(parent)][t].writes += received;
    if (crosses_array(parent, child)) result_.transfers.array_transfers[t] += sent - received;
  }

  void step(std::int64_t, std::span<const PeStep> pes) override {
    auto& transfers = result_.transfers;
    // Operands: each innermost instance reads a word once per cycle and broadcasts it to
    // its PEs that need it.
    PerTensor<std::vector<Operand>> operand;
    for (TensorId t : {TensorId::Inputs, TensorId::Weights}) {
      const int innermost = shape_.chain[t].back();
      std::map<std::pair<std::int64_t, std::int64_t>, Operand> fetched;  // (instance, id)
      std::int64_t requests = 0;
      operand[t].resize(pes.size());
      for (std::size_t p = 0; p < pes.size(); ++p) {
        if (!pes[p].valid) continue;
        const std::int64_t inst = pes[p].instance[t], id = pes[p].element[t];
        auto it = fetched.find({inst, id});
        if (it == fetched.end()) {
          it = fetched.emplace(std::pair{inst, id}, operands_[at(innermost)][t][at(inst)].at(id)).first;
        }
        operand[t][p] = it->second;
        ++requests;
      }
      const auto words = static_cast<std::int64_t>(fetched.size());
      transfers.accesses[at(innermost)][t].reads += words;
      if (crosses_array(innermost, transfers.num_levels)) transfers.array_transfers[t] += requests - words;
    }
    // Products of PEs that update the same psum of one innermost instance are summed
    // first (in PE order: the array's adder tree), then added to the stored psum.
    constexpr TensorId O = TensorId::Outputs;
    const int innermost = shape_.chain[O].back();
    std::map<std::pair<std::int64_t, std::int64_t>, Psum> updates;  // (instance, id) -> sum
    std::int64_t requests = 0;
    for (std::size_t p = 0; p < pes.size(); ++p) {
      if (!pes[p].valid) continue;
      const Psum product = datapath_.multiply(operand[TensorId::Weights][p], operand[TensorId::Inputs][p]);
      const auto [it, first] = updates.try_emplace({pes[p].instance[O], pes[p].element[O]}, product);
      if (!first) it->second = datapath_.add(it->second, product);
      ++requests;
    }
    auto& acc = transfers.accesses[at(innermost)][O];
    for (const auto& [key, sum] : updates) {
      Buffer<Psum>& psums = psums_[at(innermost)][at(key.first)];
      const auto [it, first] = psums.try_emplace(key.second, sum);
      if (!first) {
        it->second = datapath_.add(it->second, sum);  // read-modify-write
        ++acc.reads;
      }
      ++acc.writes;
    }
    const auto words = static_cast<std::int64_t>(updates.size());
    if (crosses_array(innermost, transfers.num_levels)) transfers.array_transfers[O] += requests - words;
    transfers.macs += requests;
  }

  MappedExecution<typename D::Output> finish() && {
    const Buffer<Psum>& dram = psums_[0][0];
    result_.outputs.resize(at(tensor_size(layer_, TensorId::Outputs)));
    for (std::size_t id = 0; id < result_.outputs.size(); ++id) {
      result_.outputs[id] = datapath_.finish(dram.at(static_cast<std::int64_t>(id)));
    }
    return std::move(result_);
  }

 private:
  bool crosses_array(int parent, int child) const {
    return parent <= arch_.array.parent_level && arch_.array.parent_level < child;
  }

  const Layer& layer_;
  const Architecture& arch_;
  std::span<const Operand> inputs_, weights_;
  const D& datapath_;
  TileWalkShape shape_;
  // Per level: per tensor (inputs, weights) per instance; psums per instance.
  std::array<PerTensor<std::vector<Buffer<Operand>>>, kMaxLevels> operands_;
  std::array<std::vector<Buffer<Psum>>, kMaxLevels> psums_;
  MappedExecution<typename D::Output> result_;
};

}  // namespace

template <class Datapath>
MappedExecution<typename Datapath::Output> execute_mapped(const Layer& layer, const Architecture& arch,
                                                          const Mapping& mapping,
                                                          std::span<const typename Datapath::Operand> inputs,
                                                          std::span<const typename Datapath::Operand> weights,
                                                          const Datapath& datapath) {
  assert(static_cast<std::int64_t>(inputs.size()) == tensor_size(layer, TensorId::Inputs) &&
         "execute_mapped: inputs must be [G][N][C][H][W] on the padded plane");
  assert(static_cast<std::int64_t>(weights.size()) == tensor_size(layer, TensorId::Weights) &&
         "execute_mapped: weights must be [G][K][C][R][S]");
  assert(layer_tensors(layer).size() == kNumTensors && "execute_mapped: one product of two operands");
  Executor<Datapath> executor(layer, arch, inputs, weights, datapath);
  walk_tiles(layer, arch, mapping, executor);
  return std::move(executor).finish();
}

template MappedExecution<float> execute_mapped<Fp32Datapath>(const Layer&, const Architecture&, const Mapping&,
                                                             std::span<const float>, std::span<const float>,
                                                             const Fp32Datapath&);
template MappedExecution<std::int64_t> execute_mapped<Int64Datapath>(const Layer&, const Architecture&,
                                                                     const Mapping&, std::span<const std::int32_t>,
                                                                     std::span<const std::int32_t>,
                                                                     const Int64Datapath&);
template MappedExecution<std::int32_t> execute_mapped<Int8Datapath>(const Layer&, const Architecture&,
                                                                    const Mapping&, std::span<const std::int8_t>,
                                                                    std::span<const std::int8_t>,
                                                                    const Int8Datapath&);
template MappedExecution<std::int64_t> execute_mapped<FixedDatapath>(const Layer&, const Architecture&,
                                                                     const Mapping&, std::span<const std::int64_t>,
                                                                     std::span<const std::int64_t>,
                                                                     const FixedDatapath&);

}  // namespace dnnspace::engine
