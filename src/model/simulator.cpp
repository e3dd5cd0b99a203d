#include "dnnspace/model/simulator.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <vector>

namespace dnnspace {
namespace {

using Ids = std::set<std::int64_t>;

struct Step {
  std::vector<std::int64_t> temporal_index;  // one per temporal loop of the nest
};

// Element id of tensor t touched by the point (all dims' indices).
std::int64_t element_id(const Layer& layer, TensorId t, const PerDim<std::int64_t>& x) {
  const auto& b = layer.bounds;
  switch (t) {
    case TensorId::Inputs: {
      const std::int64_t h = x[Dim::P] * layer.stride_h + x[Dim::R] * layer.dilation_h;
      const std::int64_t w = x[Dim::Q] * layer.stride_w + x[Dim::S] * layer.dilation_w;
      return (((x[Dim::G] * b[Dim::N] + x[Dim::N]) * b[Dim::C] + x[Dim::C]) * input_height(layer) + h) *
                 input_width(layer) + w;
    }
    case TensorId::Weights:
      return (((x[Dim::G] * b[Dim::K] + x[Dim::K]) * b[Dim::C] + x[Dim::C]) * b[Dim::R] + x[Dim::R]) *
                 b[Dim::S] + x[Dim::S];
    case TensorId::Outputs:
      return (((x[Dim::G] * b[Dim::N] + x[Dim::N]) * b[Dim::K] + x[Dim::K]) * b[Dim::P] + x[Dim::P]) *
                 b[Dim::Q] + x[Dim::Q];
  }
  return 0;
}

struct Walker {
  const Layer& layer;
  const Architecture& arch;
  Nest nest;
  int n = 0;
  std::vector<std::size_t> temporal;  // nest positions of temporal loops
  std::vector<std::size_t> spatial;   // nest positions of spatial loops
  std::vector<std::int64_t> radix;    // per nest loop: weight in its dimension's index
  std::int64_t num_steps = 1, num_pes = 1;

  Walker(const Layer& l, const Architecture& a, const Mapping& m) : layer(l), arch(a), nest(flatten(m)) {
    n = static_cast<int>(a.levels.size());
    radix.assign(nest.loops.size(), 1);
    for (std::size_t i = 0; i < nest.loops.size(); ++i) {
      std::int64_t r = 1;
      for (std::size_t j = i + 1; j < nest.loops.size(); ++j) {
        if (nest.loops[j].dim == nest.loops[i].dim) r *= nest.loops[j].factor;
      }
      radix[i] = r;
      if (nest.loops[i].axis == Axis::None) { temporal.push_back(i); num_steps *= nest.loops[i].factor; }
      else { spatial.push_back(i); num_pes *= nest.loops[i].factor; }
    }
  }

  // Mixed-radix decode of a step or PE number into loop indices (last loop fastest).
  std::vector<std::int64_t> decode(std::int64_t number, const std::vector<std::size_t>& loops) const {
    std::vector<std::int64_t> idx(loops.size());
    for (std::size_t i = loops.size(); i-- > 0;) {
      const std::int64_t f = nest.loops[loops[i]].factor;
      idx[i] = number % f;
      number /= f;
    }
    return idx;
  }

  // The point computed at (step, pe), or false when some index is out of bounds.
  bool point(const std::vector<std::int64_t>& tidx, const std::vector<std::int64_t>& sidx,
             PerDim<std::int64_t>& x) const {
    for (Dim d : kAllDims) x[d] = 0;
    for (std::size_t i = 0; i < temporal.size(); ++i) x[nest.loops[temporal[i]].dim] += tidx[i] * radix[temporal[i]];
    for (std::size_t i = 0; i < spatial.size(); ++i) x[nest.loops[spatial[i]].dim] += sidx[i] * radix[spatial[i]];
    for (Dim d : kAllDims) if (x[d] >= layer.bounds[d]) return false;
    return true;
  }

  // Instance of storage level `level` that PE `pe` belongs to: the indices of the
  // spatial loops above the level (levels < level), as one number.
  std::int64_t instance_of(int level, const std::vector<std::int64_t>& sidx) const {
    std::int64_t id = 0;
    for (std::size_t i = 0; i < spatial.size(); ++i) {
      const NestLoop& l = nest.loops[spatial[i]];
      if (l.level < level) id = id * l.factor + sidx[i];
    }
    return id;
  }

  // The key that selects a level's tile of tensor t: indices of the relevant temporal
  // loops above the level.
  std::vector<std::int64_t> key_of(int level, TensorId t, const std::vector<std::int64_t>& tidx) const {
    std::vector<std::int64_t> key;
    for (std::size_t i = 0; i < temporal.size(); ++i) {
      const NestLoop& l = nest.loops[temporal[i]];
      if (l.level < level && is_relevant(t, l.dim)) key.push_back(tidx[i]);
    }
    return key;
  }
};

}  // namespace

SimulatedCounts simulate(const Layer& layer, const Architecture& arch, const Mapping& mapping) {
  Walker w(layer, arch, mapping);
  SimulatedCounts out;
  out.num_levels = w.n;
  out.compute_cycles = w.num_steps;
  const int n = w.n;
  const int array_level = arch.array.parent_level;

  // Pass 1: what every PE touches at every step.
  std::vector<std::vector<std::int64_t>> step_idx(static_cast<std::size_t>(w.num_steps));
  std::vector<std::vector<std::int64_t>> pe_idx(static_cast<std::size_t>(w.num_pes));
  for (std::int64_t s = 0; s < w.num_steps; ++s) step_idx[s] = w.decode(s, w.temporal);
  for (std::int64_t p = 0; p < w.num_pes; ++p) pe_idx[p] = w.decode(p, w.spatial);
  // touched[step][pe][tensor] = element id, or -1 for an idle PE.
  std::vector<std::vector<PerTensor<std::int64_t>>> touched(
      static_cast<std::size_t>(w.num_steps), std::vector<PerTensor<std::int64_t>>(static_cast<std::size_t>(w.num_pes)));
  for (std::int64_t s = 0; s < w.num_steps; ++s) {
    for (std::int64_t p = 0; p < w.num_pes; ++p) {
      PerDim<std::int64_t> x;
      const bool valid = w.point(step_idx[s], pe_idx[p], x);
      for (TensorId t : kAllTensors) touched[s][p][t] = valid ? element_id(layer, t, x) : -1;
      if (valid) ++out.macs;
    }
  }

  for (TensorId t : kAllTensors) {
    std::vector<int> chain;
    for (int l = 0; l < n; ++l) if (arch.levels[l].holds[t]) chain.push_back(l);
    const int innermost = chain.back();

    // Epochs (runs of equal keys) and their contents, per holding level below level 0.
    struct Epochs {
      std::vector<std::int64_t> start_of_step;          // epoch number of each step
      std::vector<std::map<std::int64_t, Ids>> content;  // per epoch: instance -> ids
    };
    std::map<int, Epochs> epochs;
    for (std::size_t k = 1; k < chain.size(); ++k) {
      const int level = chain[k];
      Epochs e;
      std::vector<std::int64_t> last_key;
      for (std::int64_t s = 0; s < w.num_steps; ++s) {
        auto key = w.key_of(level, t, step_idx[s]);
        if (s == 0 || key != last_key) e.content.emplace_back();
        last_key = key;
        e.start_of_step.push_back(static_cast<std::int64_t>(e.content.size()) - 1);
        for (std::int64_t p = 0; p < w.num_pes; ++p) {
          const std::int64_t id = touched[s][p][t];
          auto& ids = e.content.back()[w.instance_of(level, pe_idx[p])];
          if (id >= 0) ids.insert(id);
        }
      }
      epochs[level] = std::move(e);
    }

    auto& acc = out.accesses;
    auto parent_instance = [&](int parent, int child, std::int64_t child_inst) {
      // Child instance number -> parent instance number: drop the spatial loops
      // between the two levels (they are the finest digits of the child's number).
      std::int64_t id = child_inst;
      for (std::size_t i = w.spatial.size(); i-- > 0;) {
        const NestLoop& l = w.nest.loops[w.spatial[i]];
        if (l.level < child && l.level >= parent) id /= l.factor;
      }
      return id;
    };
    auto crosses_array = [&](int parent, int child) { return parent <= array_level && array_level < child; };

    if (t != TensorId::Outputs) {
      for (std::size_t k = 1; k < chain.size(); ++k) {
        const int parent = chain[k - 1], child = chain[k];
        for (const auto& epoch : epochs[child].content) {
          std::map<std::int64_t, Ids> unions;
          std::int64_t delivered = 0;
          for (const auto& [inst, ids] : epoch) {
            acc[child][t].writes += static_cast<std::int64_t>(ids.size());
            delivered += static_cast<std::int64_t>(ids.size());
            unions[parent_instance(parent, child, inst)].insert(ids.begin(), ids.end());
          }
          std::int64_t read = 0;
          for (const auto& [pi, ids] : unions) read += static_cast<std::int64_t>(ids.size());
          acc[parent][t].reads += read;
          if (crosses_array(parent, child)) out.array_transfers[t] += delivered - read;
        }
      }
      // MAC operand reads from the innermost holding level, multicast per step.
      for (std::int64_t s = 0; s < w.num_steps; ++s) {
        std::map<std::int64_t, Ids> unions;
        std::int64_t requests = 0;
        for (std::int64_t p = 0; p < w.num_pes; ++p) {
          if (touched[s][p][t] < 0) continue;
          ++requests;
          unions[w.instance_of(innermost, pe_idx[p])].insert(touched[s][p][t]);
        }
        std::int64_t read = 0;
        for (const auto& [pi, ids] : unions) read += static_cast<std::int64_t>(ids.size());
        acc[innermost][t].reads += read;
        if (crosses_array(innermost, n)) out.array_transfers[t] += requests - read;
      }
      continue;
    }

    // Outputs: walk time; a level instance holds a "valued" psum only once it was
    // filled with one or updated; a psum that was never written is not read.
    std::map<int, std::map<std::int64_t, Ids>> valued;   // level -> instance -> ids
    std::map<int, std::map<std::int64_t, Ids>> resident; // level -> instance -> current tile
    auto drain = [&](std::size_t k) {
      const int parent = chain[k - 1], child = chain[k];
      std::map<std::int64_t, Ids> unions;
      std::int64_t sent = 0;
      for (const auto& [inst, ids] : resident[child]) {
        acc[child][t].reads += static_cast<std::int64_t>(ids.size());
        sent += static_cast<std::int64_t>(ids.size());
        unions[parent_instance(parent, child, inst)].insert(ids.begin(), ids.end());
      }
      std::int64_t received = 0;
      for (const auto& [pi, ids] : unions) {
        received += static_cast<std::int64_t>(ids.size());
        valued[parent][pi].insert(ids.begin(), ids.end());
      }
      acc[parent][t].writes += received;
      if (crosses_array(parent, child)) out.array_transfers[t] += sent - received;
      resident[child].clear();
      valued[child].clear();
    };
    auto fill = [&](std::size_t k, const std::map<std::int64_t, Ids>& tile) {
      const int parent = chain[k - 1], child = chain[k];
      resident[child] = tile;
      // Per parent instance, each valued psum goes to the first child that needs it.
      std::map<std::int64_t, std::set<std::int64_t>> delivered;  // parent inst -> ids sent
      for (const auto& [inst, ids] : tile) {
        const std::int64_t pi = parent_instance(parent, child, inst);
        for (std::int64_t id : ids) {
          if (!valued[parent][pi].count(id) || delivered[pi].count(id)) continue;
          delivered[pi].insert(id);
          acc[parent][t].reads += 1;
          acc[child][t].writes += 1;
          valued[child][inst].insert(id);
        }
      }
    };
    for (std::int64_t s = 0; s < w.num_steps; ++s) {
      // Drains of the epochs that end before this step, innermost first.
      if (s > 0) {
        for (std::size_t k = chain.size(); k-- > 1;) {
          const auto& e = epochs[chain[k]];
          if (e.start_of_step[s] != e.start_of_step[s - 1]) drain(k);
        }
      }
      // Fills of the epochs that start here, outermost first.
      for (std::size_t k = 1; k < chain.size(); ++k) {
        const auto& e = epochs[chain[k]];
        if (s == 0 || e.start_of_step[s] != e.start_of_step[s - 1]) fill(k, e.content[e.start_of_step[s]]);
      }
      // MAC read-modify-writes, reduced across PEs of one innermost instance.
      std::map<std::int64_t, Ids> unions;
      std::int64_t requests = 0;
      for (std::int64_t p = 0; p < w.num_pes; ++p) {
        if (touched[s][p][t] < 0) continue;
        ++requests;
        unions[w.instance_of(innermost, pe_idx[p])].insert(touched[s][p][t]);
      }
      std::int64_t updated = 0;
      for (const auto& [inst, ids] : unions) {
        for (std::int64_t id : ids) {
          if (valued[innermost][inst].count(id)) acc[innermost][t].reads += 1;
          valued[innermost][inst].insert(id);
        }
        acc[innermost][t].writes += static_cast<std::int64_t>(ids.size());
        updated += static_cast<std::int64_t>(ids.size());
      }
      if (crosses_array(innermost, n)) out.array_transfers[t] += requests - updated;
    }
    for (std::size_t k = chain.size(); k-- > 1;) drain(k);
  }
  return out;
}

}  // namespace dnnspace
