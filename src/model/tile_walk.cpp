#include "dnnspace/model/tile_walk.hpp"

#include <algorithm>
#include <cassert>
#include <cstddef>

namespace dnnspace {

std::int64_t element_id(const TensorProjection& p, const PerDim<std::int64_t>& bounds,
                        const PerDim<std::int64_t>& x) noexcept {
  std::int64_t id = 0;
  for (const IndexAxis& a : p.axes) {
    std::int64_t value = x[a.first.dim] * a.first.coef;
    if (a.window()) value += x[a.second.dim] * a.second.coef;
    id = id * axis_size(a, bounds) + value;
  }
  return id;
}

std::int64_t element_id(const Layer& layer, TensorId t, const PerDim<std::int64_t>& x) noexcept {
  return element_id(projection_of(layer)[t], layer.bounds, x);
}

namespace {

// The flattened nest split into temporal and spatial loops, with each loop's weight
// in its dimension's index.
struct NestIndex {
  const Layer& layer;
  Projection projection;
  Nest nest;
  std::vector<std::size_t> temporal;  // nest positions of temporal loops
  std::vector<std::size_t> spatial;   // nest positions of spatial loops
  std::vector<std::int64_t> radix;    // per nest loop: weight in its dimension's index
  std::int64_t num_steps = 1, num_pes = 1;

  NestIndex(const Layer& l, const Mapping& m) : layer(l), projection(projection_of(l)), nest(flatten(m)) {
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
    x = PerDim<std::int64_t>{};
    for (std::size_t i = 0; i < temporal.size(); ++i) x[nest.loops[temporal[i]].dim] += tidx[i] * radix[temporal[i]];
    for (std::size_t i = 0; i < spatial.size(); ++i) x[nest.loops[spatial[i]].dim] += sidx[i] * radix[spatial[i]];
    for (Dim d : layer.dims) if (x[d] >= layer.bounds[d]) return false;
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

  std::int64_t instance_count(int level) const {
    std::int64_t count = 1;
    for (std::size_t i : spatial) if (nest.loops[i].level < level) count *= nest.loops[i].factor;
    return count;
  }

  // Child instance number -> parent instance number: drop the spatial loops between
  // the two levels (they are the finest digits of the child's number).
  std::int64_t parent_instance(int parent, int child, std::int64_t child_inst) const {
    std::int64_t id = child_inst;
    for (std::size_t i = spatial.size(); i-- > 0;) {
      const NestLoop& l = nest.loops[spatial[i]];
      if (l.level < child && l.level >= parent) id /= l.factor;
    }
    return id;
  }

  // The tile of tensor t at `level` is selected by the indices of the relevant temporal
  // loops above the level. Returns the nest-order position (among temporal loops) of
  // the innermost of them, or -1 when there is none (one epoch for the whole walk).
  std::ptrdiff_t innermost_key_loop(int level, TensorId t) const {
    std::ptrdiff_t last = -1;
    for (std::size_t i = 0; i < temporal.size(); ++i) {
      const NestLoop& l = nest.loops[temporal[i]];
      if (l.level < level && is_relevant(projection[t], l.dim)) last = static_cast<std::ptrdiff_t>(i);
    }
    return last;
  }
};

// The epochs of one tensor at one level: which epoch each step belongs to, and every
// epoch's tiles (one per instance of the level).
struct Epochs {
  std::vector<std::size_t> of_step;
  std::vector<std::vector<InstanceTile>> tiles;
};

}  // namespace

void walk_tiles(const Layer& layer, const Architecture& arch, const Mapping& mapping, TileWalkVisitor& visitor) {
  const NestIndex w(layer, mapping);
  const int n = static_cast<int>(arch.levels.size());
  const auto num_steps = static_cast<std::size_t>(w.num_steps);
  const auto num_pes = static_cast<std::size_t>(w.num_pes);

  TileWalkShape shape;
  shape.num_steps = w.num_steps;
  shape.num_pes = w.num_pes;
  for (int l = 0; l < n; ++l) shape.instances[static_cast<std::size_t>(l)] = w.instance_count(l);
  shape.tensors = layer_tensors(layer).size();
  for (TensorId t : layer_tensors(layer)) {
    for (int l = 0; l < n; ++l) if (holds_tensor(arch.levels[static_cast<std::size_t>(l)], t)) shape.chain[t].push_back(l);
    assert(!shape.chain[t].empty() && shape.chain[t].front() == 0 && "walk_tiles: level 0 must hold every tensor");
  }

  // What every PE touches at every step.
  std::vector<std::vector<std::int64_t>> step_idx(num_steps), pe_idx(num_pes);
  for (std::size_t s = 0; s < num_steps; ++s) step_idx[s] = w.decode(static_cast<std::int64_t>(s), w.temporal);
  for (std::size_t p = 0; p < num_pes; ++p) pe_idx[p] = w.decode(static_cast<std::int64_t>(p), w.spatial);
  std::vector<std::vector<PeStep>> steps(num_steps, std::vector<PeStep>(num_pes));
  for (std::size_t s = 0; s < num_steps; ++s) {
    for (std::size_t p = 0; p < num_pes; ++p) {
      PeStep& pe = steps[s][p];
      PerDim<std::int64_t> x;
      pe.valid = w.point(step_idx[s], pe_idx[p], x);
      for (TensorId t : layer_tensors(layer)) {
        pe.element[t] = pe.valid ? element_id(w.projection[t], layer.bounds, x) : -1;
        pe.instance[t] = w.instance_of(shape.chain[t].back(), pe_idx[p]);
      }
    }
  }

  // Per step: the position (among temporal loops) of the outermost loop whose index
  // differs from the previous step's.
  std::vector<std::ptrdiff_t> first_moved(num_steps, 0);
  for (std::size_t s = 1; s < num_steps; ++s) {
    std::size_t i = 0;
    while (step_idx[s][i] == step_idx[s - 1][i]) ++i;
    first_moved[s] = static_cast<std::ptrdiff_t>(i);
  }

  // Epochs (runs of steps with equal tile keys) and their tiles, per tensor and holding
  // level below 0.
  std::array<PerTensor<Epochs>, kMaxLevels> epochs;
  for (TensorId t : layer_tensors(layer)) {
    const auto& chain = shape.chain[t];
    for (std::size_t k = 1; k < chain.size(); ++k) {
      const int level = chain[k];
      const int parent = chain[k - 1];
      const auto instances = static_cast<std::size_t>(shape.instances[static_cast<std::size_t>(level)]);
      Epochs& e = epochs[static_cast<std::size_t>(level)][t];
      // Per instance the ids its PEs touch in the current epoch (sorted at its end).
      std::vector<std::vector<std::int64_t>> content(instances);
      auto close_epoch = [&] {
        auto& tiles = e.tiles.emplace_back(instances);
        for (std::size_t i = 0; i < instances; ++i) {
          auto& ids = content[i];
          std::sort(ids.begin(), ids.end());
          ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
          tiles[i].instance = static_cast<std::int64_t>(i);
          tiles[i].parent_instance = w.parent_instance(parent, level, static_cast<std::int64_t>(i));
          tiles[i].ids = std::move(ids);
          ids.clear();
        }
      };
      const std::ptrdiff_t key_loop = w.innermost_key_loop(level, t);
      std::vector<std::size_t> instance_of_pe(num_pes);
      for (std::size_t p = 0; p < num_pes; ++p) {
        instance_of_pe[p] = static_cast<std::size_t>(w.instance_of(level, pe_idx[p]));
      }
      for (std::size_t s = 0; s < num_steps; ++s) {
        // The key changes when a loop at or inside key_loop moves: from s - 1 to s the
        // outermost loop that moves is first_moved[s], and every loop inside it moves too.
        if (s > 0 && key_loop >= first_moved[s]) close_epoch();
        e.of_step.push_back(e.tiles.size());
        for (std::size_t p = 0; p < num_pes; ++p) {
          const std::int64_t id = steps[s][p].element[t];
          if (id >= 0) content[instance_of_pe[p]].push_back(id);
        }
      }
      close_epoch();
    }
  }

  visitor.begin(shape);
  auto for_each_child = [&](int level, auto&& f) {
    for (TensorId t : layer_tensors(layer)) {
      const auto& chain = shape.chain[t];
      for (std::size_t k = 1; k < chain.size(); ++k) {
        if (chain[k] == level) f(t, chain[k - 1], epochs[static_cast<std::size_t>(level)][t]);
      }
    }
  };
  for (std::size_t s = 0; s < num_steps; ++s) {
    if (s > 0) {
      for (int level = n - 1; level > 0; --level) {
        for_each_child(level, [&](TensorId t, int parent, const Epochs& e) {
          if (e.of_step[s] != e.of_step[s - 1]) visitor.drain(t, parent, level, e.tiles[e.of_step[s - 1]]);
        });
      }
    }
    for (int level = 1; level < n; ++level) {
      for_each_child(level, [&](TensorId t, int parent, const Epochs& e) {
        if (s == 0 || e.of_step[s] != e.of_step[s - 1]) visitor.fill(t, parent, level, e.tiles[e.of_step[s]]);
      });
    }
    visitor.step(static_cast<std::int64_t>(s), steps[s]);
  }
  for (int level = n - 1; level > 0; --level) {
    for_each_child(level, [&](TensorId t, int parent, const Epochs& e) {
      visitor.drain(t, parent, level, e.tiles.back());
    });
  }
}

}  // namespace dnnspace
