#include "dnnspace/mapping/schedule.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "dnnspace/arch/level_energy.hpp"
#include "dnnspace/arch/storage_choice.hpp"
#include "dnnspace/arch/tech_table.hpp"
#include "dnnspace/arch/validate.hpp"
#include "dnnspace/core/checked.hpp"
#include "dnnspace/mapping/footprint.hpp"
#include "schedule_names.hpp"

namespace dnnspace {

Schedule& Schedule::split(std::string var, std::string outer, std::string inner, std::int64_t factor,
                          std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Split;
  p.vars = {std::move(var), std::move(outer), std::move(inner)};
  p.number = factor;
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::tile(std::string x, std::string y, std::string xo, std::string yo, std::string xi,
                         std::string yi, std::int64_t fx, std::int64_t fy, std::string where) {
  split(x, xo, xi, fx, where);
  split(y, yo, yi, fy, where);
  return reorder({xi, yi, xo, yo}, where);
}

Schedule& Schedule::reorder(std::vector<std::string> innermost_first, std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Reorder;
  p.vars = std::move(innermost_first);
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::unroll(std::string var, Axis axis, std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Unroll;
  p.vars = {std::move(var)};
  p.axis = axis;
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::systolic(std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Systolic;
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::accelerate(std::vector<std::string> operands, std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Accelerate;
  p.names = std::move(operands);
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::bound(std::string var, std::int64_t extent, std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Bound;
  p.vars = {std::move(var)};
  p.number = extent;
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::buffer(std::string tensor, std::string level, std::string at_var, std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Buffer;
  p.names = {std::move(tensor)};
  p.level = std::move(level);
  if (!at_var.empty()) p.vars = {std::move(at_var)};
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return a / b + (a % b != 0 ? 1 : 0); }

// Loops a schedule's nest may have, loops of extent 1 included (each split adds one).
constexpr std::size_t kMaxScheduleLoops = 1024;

// One loop of the nest being scheduled.
struct LoopVar {
  std::string name;
  Dim dim = Dim::N;
  std::int64_t extent = 1;
  Axis axis = Axis::None;
  bool split = false;  // a loop made by split (bound() only applies to a dimension's first loop)
};

// The nest under construction: loops innermost first, as Halide lists them.
class ScheduledNest {
 public:
  explicit ScheduledNest(const Layer& layer) : layer_(layer) {
    for (Dim d : default_loop_order(layer)) {
      loops_.push_back({loop_name(d), d, layer.bounds[d], Axis::None, false});
    }
    std::reverse(loops_.begin(), loops_.end());  // innermost first
  }

  // The index of the loop a name refers to (a loop name, or a Fig. 2 alias of a root loop).
  Expected<std::size_t> find(const std::string& name, const std::string& where) const {
    for (std::size_t i = 0; i < loops_.size(); ++i) {
      if (loops_[i].name == name) return i;
    }
    if (auto dim = fig2_alias(layer_, name)) {  // the root loop, while it has its name
      for (std::size_t i = 0; i < loops_.size(); ++i) {
        if (loops_[i].name == loop_name(*dim)) return i;
      }
    }
    return Error{at(where) + "no loop '" + name + "' (loops, outermost first: " + names() + ")"};
  }

  bool taken(const std::string& name) const {
    return std::any_of(loops_.begin(), loops_.end(), [&](const LoopVar& l) { return l.name == name; });
  }

  Expected<void> split(const SchedulePrimitive& p) {
    auto i = find(p.vars[0], p.where);
    if (!i) return i.error();
    if (p.number < 1) return Error{at(p.where) + "split(" + p.vars[0] + "): the factor must be >= 1, not " + std::to_string(p.number)};
    if (p.vars[1] == p.vars[2]) return Error{at(p.where) + "split(" + p.vars[0] + "): the outer and inner loops need two names"};
    for (std::size_t k = 1; k <= 2; ++k) {
      if (p.vars[k] != loops_[*i].name && taken(p.vars[k])) {
        return Error{at(p.where) + "split(" + p.vars[0] + "): a loop is already named '" + p.vars[k] + "'"};
      }
      if (!valid_loop_name(p.vars[k])) {
        return Error{at(p.where) + "split(" + p.vars[0] + "): '" + p.vars[k] +
                     "' is not a loop name (letters, digits, '_' and '.', starting with a letter)"};
      }
    }
    if (loops_[*i].axis != Axis::None) return Error{at(p.where) + "split(" + p.vars[0] + "): the loop is already unrolled; split before unroll"};
    if (loops_.size() >= kMaxScheduleLoops) {
      return Error{at(p.where) + "split(" + p.vars[0] + "): a schedule's nest has at most " + std::to_string(kMaxScheduleLoops) + " loops"};
    }
    const LoopVar old = loops_[*i];
    LoopVar outer{p.vars[1], old.dim, ceil_div(old.extent, p.number), Axis::None, true};
    LoopVar inner{p.vars[2], old.dim, p.number, Axis::None, true};
    loops_[*i] = inner;
    loops_.insert(loops_.begin() + static_cast<std::ptrdiff_t>(*i) + 1, outer);
    return {};
  }

  Expected<void> reorder(const SchedulePrimitive& p) {
    std::vector<std::size_t> places;
    for (const std::string& v : p.vars) {
      auto i = find(v, p.where);
      if (!i) return i.error();
      if (std::find(places.begin(), places.end(), *i) != places.end()) {
        return Error{at(p.where) + "reorder: loop '" + v + "' is listed twice"};
      }
      places.push_back(*i);
    }
    std::vector<LoopVar> listed;
    for (std::size_t i : places) listed.push_back(loops_[i]);
    std::sort(places.begin(), places.end());
    for (std::size_t k = 0; k < places.size(); ++k) loops_[places[k]] = listed[k];
    return {};
  }

  Expected<void> unroll(const SchedulePrimitive& p) {
    auto i = find(p.vars[0], p.where);
    if (!i) return i.error();
    if (p.axis == Axis::None) return Error{at(p.where) + "unroll(" + p.vars[0] + "): say which array axis: rows or cols"};
    if (loops_[*i].axis != Axis::None) return Error{at(p.where) + "unroll(" + p.vars[0] + "): the loop is already unrolled"};
    loops_[*i].axis = p.axis;
    return {};
  }

  Expected<void> bound(const SchedulePrimitive& p) {
    auto i = find(p.vars[0], p.where);
    if (!i) return i.error();
    LoopVar& l = loops_[*i];
    if (l.split) return Error{at(p.where) + "bound(" + p.vars[0] + "): bound a dimension's loop before splitting it"};
    if (p.number < layer_.bounds[l.dim]) {
      return Error{at(p.where) + "bound(" + p.vars[0] + ", 0, " + std::to_string(p.number) + "): the extent must be at least the dimension's bound " +
                   std::to_string(layer_.bounds[l.dim])};
    }
    l.extent = p.number;
    return {};
  }

  const std::vector<LoopVar>& loops() const { return loops_; }

  std::string names() const {
    std::string out;
    for (auto it = loops_.rbegin(); it != loops_.rend(); ++it) {
      if (!out.empty()) out += ' ';
      out += it->name;
    }
    return out;
  }

 private:
  const Layer& layer_;
  std::vector<LoopVar> loops_;
};

// A buffer primitive resolved: tensor, level, where its tile starts in the outermost-first
// nest (loops at or after `boundary` run inside it).
struct ResolvedBuffer {
  TensorId tensor = TensorId::Inputs;
  int level = -1;
  std::size_t boundary = 0;
  std::string at_text;  // "qo" or "root", for messages
  const SchedulePrimitive* primitive = nullptr;
};

}  // namespace

namespace {

// What a schedule says before it meets an architecture: the nest outermost first and its
// buffers with the loop each sits at (level unresolved).
struct ScheduleAnalysis {
  std::vector<LoopVar> outer_first;
  std::vector<ResolvedBuffer> buffers;
  bool systolic = false;
};

Expected<ScheduleAnalysis> analyze(const Layer& layer, const Schedule& schedule) {
  ScheduledNest nest(layer);
  ScheduleAnalysis out;
  const SchedulePrimitive* accelerate = nullptr;
  std::vector<const SchedulePrimitive*> buffers;
  for (const SchedulePrimitive& p : schedule.primitives) {
    Expected<void> ok;
    switch (p.kind) {
      case PrimitiveKind::Split: ok = nest.split(p); break;
      case PrimitiveKind::Reorder: ok = nest.reorder(p); break;
      case PrimitiveKind::Unroll: ok = nest.unroll(p); break;
      case PrimitiveKind::Bound: ok = nest.bound(p); break;
      case PrimitiveKind::Systolic: out.systolic = true; break;
      case PrimitiveKind::Accelerate:
        if (accelerate) return Error{at(p.where) + "accelerate: the schedule already said accelerate at " + accelerate->where};
        accelerate = &p;
        break;
      case PrimitiveKind::Buffer: buffers.push_back(&p); break;
    }
    if (!ok) return ok.error();
  }

  // accelerate: exactly the layer's operands.
  if (!accelerate) {
    return Error{"the schedule never says accelerate({...}): name the operands the accelerator reads, e.g. accelerate({" +
                 operand_names(layer) + "})"};
  }
  {
    PerTensor<bool> named{};
    for (const std::string& n : accelerate->names) {
      auto t = resolve_tensor(layer, n);
      if (!t || *t == TensorId::Outputs) {
        return Error{at(accelerate->where) + "accelerate: '" + n + "' is not an operand of " + layer.name + " (operands: " +
                     operand_names(layer) + ")"};
      }
      named[*t] = true;
    }
    for (TensorId t : layer_tensors(layer)) {
      if (t != TensorId::Outputs && !named[t]) {
        return Error{at(accelerate->where) + "accelerate: " + tensor_name(layer, t) +
                     " is an operand of the layer: the accelerator reads it, so list it (operands: " + operand_names(layer) + ")"};
      }
    }
  }

  out.outer_first.assign(nest.loops().rbegin(), nest.loops().rend());
  for (const SchedulePrimitive* p : buffers) {
    ResolvedBuffer b;
    b.primitive = p;
    auto t = resolve_tensor(layer, p->names[0]);
    if (!t) {
      return Error{at(p->where) + "in(): '" + p->names[0] + "' is not a tensor of " + layer.name + " (tensors: " +
                   all_tensor_names(layer) + ")"};
    }
    b.tensor = *t;
    if (p->vars.empty()) {
      b.boundary = 0;
      b.at_text = "root";
    } else {
      auto i = nest.find(p->vars[0], p->where);
      if (!i) return i.error();
      b.boundary = out.outer_first.size() - *i;  // the loops after the one it sits at
      b.at_text = p->vars[0];
    }
    out.buffers.push_back(b);
  }
  return out;
}

}  // namespace

Expected<CompiledSchedule> compile_schedule(const Layer& layer, const Architecture& arch, const Schedule& schedule) {
  Expected<ScheduleAnalysis> analysis = analyze(layer, schedule);
  if (!analysis) return analysis.error();
  const bool systolic = analysis->systolic;
  const std::vector<LoopVar>& outer_first = analysis->outer_first;

  // Buffers: which level.
  const int num_levels = static_cast<int>(arch.levels.size());
  std::vector<ResolvedBuffer> resolved;
  bool any_named = false, any_unnamed = false;
  for (ResolvedBuffer b : analysis->buffers) {
    const SchedulePrimitive* p = b.primitive;
    if (p->level.empty()) {
      any_unnamed = true;
    } else {
      any_named = true;
      for (int i = 0; i < num_levels; ++i) {
        if (arch.levels[static_cast<std::size_t>(i)].name == p->level) b.level = i;
      }
      if (b.level < 0) {
        std::string names;
        for (int i = 1; i < num_levels; ++i) names += (names.empty() ? "" : ", ") + arch.levels[static_cast<std::size_t>(i)].name;
        return Error{at(p->where) + "in(" + p->level + "): " + arch.name + " has no level '" + p->level + "' (levels below " +
                     arch.levels[0].name + ": " + (names.empty() ? "none" : names) + ")"};
      }
      if (b.level == 0) {
        return Error{at(p->where) + "in(" + p->level + "): " + p->level +
                     " is the outermost level, which holds every tensor; buffers are the levels below it"};
      }
    }
    resolved.push_back(b);
  }
  if (any_named && any_unnamed) {
    return Error{"the schedule names the level of some buffers (in(LEVEL)) but not of others: name all or none"};
  }
  if (any_unnamed) {
    // Levels by position: distinct loops, outermost first, to levels 1, 2, ...
    std::vector<std::size_t> boundaries;
    for (const ResolvedBuffer& b : resolved) boundaries.push_back(b.boundary);
    std::sort(boundaries.begin(), boundaries.end());
    boundaries.erase(std::unique(boundaries.begin(), boundaries.end()), boundaries.end());
    if (static_cast<int>(boundaries.size()) != num_levels - 1) {
      return Error{"the schedule's unnamed buffers sit at " + std::to_string(boundaries.size()) + " loop(s), making as many levels, but " +
                   arch.name + " has " + std::to_string(num_levels - 1) + " below " + arch.levels[0].name +
                   ": name each buffer's level with in(LEVEL)"};
    }
    for (ResolvedBuffer& b : resolved) {
      b.level = 1 + static_cast<int>(std::lower_bound(boundaries.begin(), boundaries.end(), b.boundary) - boundaries.begin());
    }
  }

  // Per level: its boundary (one loop for all its buffers) and the tensors it keeps.
  std::vector<std::optional<std::size_t>> boundary(static_cast<std::size_t>(num_levels));
  std::vector<const ResolvedBuffer*> first_buffer(static_cast<std::size_t>(num_levels), nullptr);
  StorageChoice storage = storage_of(arch);
  for (int i = 1; i < num_levels; ++i) storage.levels[static_cast<std::size_t>(i)].holds = PerTensor<bool>::filled(false);
  for (const ResolvedBuffer& b : resolved) {
    const auto li = static_cast<std::size_t>(b.level);
    const StorageLevel& level = arch.levels[li];
    const std::string what = tensor_name(layer, b.tensor) + ".in(" + level.name + ")";
    if (first_buffer[li] && boundary[li] != b.boundary) {
      return Error{at(b.primitive->where) + what + ".compute_at(" + b.at_text + "): " + level.name + "'s buffers sit at one loop, and " +
                   tensor_name(layer, first_buffer[li]->tensor) + "'s is at " + first_buffer[li]->at_text};
    }
    const TensorId slot = static_cast<std::size_t>(b.tensor) < kNumTensors ? b.tensor : TensorId::Inputs;
    if (!level.holds[slot] && !level.bypass_searched) {
      return Error{at(b.primitive->where) + what + ": level " + level.name + " of " + arch.name + " never holds " + std::string(tensor_name(slot)) +
                   " (its 'holds' leaves it out)"};
    }
    if (slot != b.tensor) {
      return Error{at(b.primitive->where) + what + ": a workload's further operands are held where its first operand is; buffer " +
                   tensor_name(layer, TensorId::Inputs) + " instead"};
    }
    if (storage.levels[li].holds[b.tensor]) {
      return Error{at(b.primitive->where) + what + ": the tensor already has a buffer on " + level.name};
    }
    storage.levels[li].holds[b.tensor] = true;
    boundary[li] = b.boundary;
    if (!first_buffer[li]) first_buffer[li] = &b;
  }
  for (int i = 1; i < num_levels; ++i) {
    if (!boundary[static_cast<std::size_t>(i)]) {
      return Error{"level " + arch.levels[static_cast<std::size_t>(i)].name + " of " + arch.name +
                   " gets no buffer: give it one, e.g. " + tensor_name(layer, TensorId::Weights) + ".in(" +
                   arch.levels[static_cast<std::size_t>(i)].name + ").compute_at(output, LOOP)"};
    }
  }
  boundary[0] = 0;
  for (int i = 2; i < num_levels; ++i) {
    const auto li = static_cast<std::size_t>(i);
    if (*boundary[li] < *boundary[li - 1]) {
      return Error{at(first_buffer[li]->primitive->where) + arch.levels[li].name + "'s buffers at " + first_buffer[li]->at_text +
                   " lie outside " + arch.levels[li - 1].name + "'s at " + first_buffer[li - 1]->at_text +
                   ": a level inside another sits at the same loop or an inner one"};
    }
  }

  // The mapping: each level takes the loops from its boundary to the next level's.
  CompiledSchedule out{with_storage(arch, storage), Mapping{}, {}, {}};
  out.arch.array.timing = systolic ? ArrayTiming::Systolic : ArrayTiming::Ideal;
  out.mapping.levels.resize(static_cast<std::size_t>(num_levels));
  int unrolled_level = -1;
  const LoopVar* first_unrolled = nullptr;
  FixedVector<Dim, kMaxSpatialLoops> unrolled_rows, unrolled_cols;
  PerDim<int> loops_per_dim{};
  for (std::size_t k = 0; k < outer_first.size(); ++k) {
    const LoopVar& l = outer_first[k];
    int level = 0;
    for (int i = num_levels - 1; i >= 0; --i) {
      if (k >= *boundary[static_cast<std::size_t>(i)]) { level = i; break; }
    }
    if (l.axis != Axis::None) {
      if (unrolled_level >= 0 && unrolled_level != level) {
        return Error{"unroll(" + l.name + "): unrolled loops lie in one level's loops, and " + first_unrolled->name + " is in " +
                     arch.levels[static_cast<std::size_t>(unrolled_level)].name + "'s, " + l.name + " in " +
                     arch.levels[static_cast<std::size_t>(level)].name + "'s"};
      }
      unrolled_level = level;
      first_unrolled = &l;
      auto& dims = l.axis == Axis::Rows ? unrolled_rows : unrolled_cols;
      if (dims.full()) return Error{"unroll(" + l.name + "): at most " + std::to_string(kMaxSpatialLoops) + " loops unroll onto one axis"};
      dims.push_back(l.dim);
      for (std::size_t j = dims.size() - 1; j > 0; --j) std::swap(dims[j], dims[j - 1]);
    }
    if (l.extent == 1) continue;
    if (++loops_per_dim[l.dim] > static_cast<int>(kMaxLoopsPerDim)) {
      return Error{"dimension " + std::string(1, dim_letter(l.dim)) + " is split into more than " + std::to_string(kMaxLoopsPerDim) + " loops"};
    }
    LevelLoops& target = out.mapping.levels[static_cast<std::size_t>(level)];
    const Loop loop{l.extent, l.dim};
    if (l.axis == Axis::None) {
      if (target.temporal.size() == target.temporal.capacity()) {
        return Error{"level " + arch.levels[static_cast<std::size_t>(level)].name + " gets more than " +
                     std::to_string(kMaxTemporalLoops) + " loops (at " + l.name + ")"};
      }
      target.temporal.push_back(loop);
    } else {
      auto& axis_loops = l.axis == Axis::Rows ? target.rows : target.cols;
      if (axis_loops.size() == axis_loops.capacity()) {
        return Error{"unroll(" + l.name + "): at most " + std::to_string(kMaxSpatialLoops) + " loops unroll onto one axis"};
      }
      // The innermost unrolled loop of an axis is listed first (nearest neighbours).
      axis_loops.push_back(loop);
      for (std::size_t j = axis_loops.size() - 1; j > 0; --j) std::swap(axis_loops[j], axis_loops[j - 1]);
    }
  }
  if (unrolled_level >= 0 && unrolled_level != arch.array.parent_level) {
    return Error{"unroll(" + first_unrolled->name + "): the PE array of " + arch.name + " is fed by " +
                 arch.levels[static_cast<std::size_t>(arch.array.parent_level)].name + ", but the unrolled loops are " +
                 arch.levels[static_cast<std::size_t>(unrolled_level)].name + "'s (move the buffers' compute_at)"};
  }
  // The array's size: the unrolled loops of each axis fit it.
  const LevelLoops& feeding = out.mapping.levels[static_cast<std::size_t>(arch.array.parent_level)];
  for (Axis axis : {Axis::Rows, Axis::Cols}) {
    std::int64_t need = 1;  // saturating: a schedule may unroll any extents
    for (const Loop& loop : axis == Axis::Rows ? feeding.rows : feeding.cols) need = saturating_mul(need, loop.factor);
    const std::int64_t have = axis == Axis::Rows ? arch.array.rows : arch.array.cols;
    if (need > have) {
      return Error{std::string("unroll beyond the array: the loops unrolled on ") + (axis == Axis::Rows ? "rows" : "cols") + " take " +
                   std::to_string(need) + " PEs, and " + arch.name + " has " + std::to_string(have)};
    }
  }
  out.unrolled_rows = unrolled_rows;
  out.unrolled_cols = unrolled_cols;
  return out;
}

Expected<CompiledSchedule> compile_schedule(const Layer& layer, const Schedule& schedule,
                                            const ImpliedArchitecture& implied) {
  Expected<ScheduleAnalysis> analysis = analyze(layer, schedule);
  if (!analysis) return analysis.error();
  // The levels: named ones by their loops (outermost first, ties in order of appearance),
  // or the distinct loops of unnamed buffers.
  struct ImpliedLevel {
    std::string name;
    std::size_t boundary = 0;
  };
  std::vector<ImpliedLevel> levels;
  bool any_named = false, any_unnamed = false;
  for (const ResolvedBuffer& b : analysis->buffers) {
    const std::string& name = b.primitive->level;
    (name.empty() ? any_unnamed : any_named) = true;
    bool known = false;
    for (const ImpliedLevel& l : levels) {
      known = known || (name.empty() ? l.boundary == b.boundary : l.name == name);
    }
    if (!known) levels.push_back({name, b.boundary});
  }
  if (any_named && any_unnamed) {
    return Error{"the schedule names the level of some buffers (in(LEVEL)) but not of others: name all or none"};
  }
  if (levels.empty()) {
    return Error{"the schedule has no buffer: give each tensor one with TENSOR.in().compute_at(output, LOOP) or .compute_root()"};
  }
  std::stable_sort(levels.begin(), levels.end(), [](const ImpliedLevel& a, const ImpliedLevel& b) { return a.boundary < b.boundary; });
  if (levels.size() + 1 > kMaxLevels) return Error{"the schedule makes " + std::to_string(levels.size()) + " buffer levels; at most " + std::to_string(kMaxLevels - 1)};

  Architecture arch;
  arch.name = "schedule";
  arch.word_bits = implied.word_bits;
  arch.clock_mhz = implied.clock_mhz;
  StorageLevel dram;
  dram.name = "DRAM";
  arch.levels.push_back(dram);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    StorageLevel level;
    level.name = levels[i].name.empty() ? "L" + std::to_string(i + 1) : levels[i].name;
    if (level.name == "DRAM") return Error{"in(DRAM): DRAM is the outermost level, which holds every tensor; buffers are the levels below it"};
    arch.levels.push_back(level);
  }
  // The array: the unrolled loops' extents, under the level whose loops hold them.
  arch.array.parent_level = static_cast<int>(levels.size());
  for (std::size_t k = 0; k < analysis->outer_first.size(); ++k) {
    const LoopVar& l = analysis->outer_first[k];
    if (l.axis == Axis::None) continue;
    int level = 0;
    for (std::size_t i = 0; i < levels.size(); ++i) if (k >= levels[i].boundary) level = static_cast<int>(i + 1);
    arch.array.parent_level = level;
    std::int64_t& size = l.axis == Axis::Rows ? arch.array.rows : arch.array.cols;
    if (l.extent > kMaxArrayAxis || size > kMaxArrayAxis / l.extent) {
      return Error{"unroll(" + l.name + "): the unrolled loops make more than " + std::to_string(kMaxArrayAxis) + " PEs on one axis"};
    }
    size *= l.extent;
  }
  Expected<CompiledSchedule> compiled = compile_schedule(layer, arch, schedule);
  if (!compiled) return compiled.error();

  // Each level exactly as large as its tiles; energies by size from the technology table.
  Architecture& out = compiled->arch;
  const Nest nest = flatten(compiled->mapping);
  for (std::size_t i = 1; i < out.levels.size(); ++i) {
    StorageLevel& level = out.levels[i];
    level.capacity_bytes = std::max<std::int64_t>(1, level_footprint_bytes(layer, out, nest, static_cast<int>(i)));
  }
  const auto derive = [&](StorageLevel& level, MemoryKind kind) -> Expected<void> {
    return derive_level_energy(level, {implied.technology, kind}, implied.word_bits);
  };
  for (std::size_t i = 0; i < out.levels.size(); ++i) {
    const MemoryKind kind = i == 0 ? MemoryKind::Dram : static_cast<int>(i) > out.array.parent_level ? MemoryKind::RegisterFile : MemoryKind::Sram;
    if (auto ok = derive(out.levels[i], kind); !ok) return Error{"--technology: " + ok.error().message};
  }
  Expected<double> mac = mac_energy_pj(implied.technology, implied.word_bits);
  Expected<double> hop = array_hop_energy_pj(implied.technology, implied.word_bits);
  if (!mac) return mac.error();
  if (!hop) return hop.error();
  out.mac_energy_pj = *mac;
  out.array.hop_energy_pj = *hop;
  if (auto ok = validate_architecture(out); !ok) return ok.error();
  return compiled;
}

}  // namespace dnnspace
