#include "schedule_analysis.hpp"

#include <algorithm>

#include "dnnspace/core/checked.hpp"
#include "schedule_names.hpp"

namespace dnnspace {
namespace {

// Loops a schedule's nest may have, loops of extent 1 included (each split adds one).
constexpr std::size_t kMaxScheduleLoops = 1024;

// The nest under construction: loops innermost first, as Halide lists them.
class ScheduledNest {
 public:
  explicit ScheduledNest(const Layer& layer) : layer_(layer) {
    for (Dim d : default_loop_order(layer)) {
      loops_.push_back({loop_name(d), d, layer.bounds[d], Axis::None, false, "", ""});
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
    if (p.number > old.extent) {
      // A split pads only its last tile; a factor past the extent would run a loop of
      // mostly padding (bound() first pads on purpose).
      return Error{at(p.where) + "split(" + p.vars[0] + ", " + p.vars[1] + ", " + p.vars[2] + ", " + std::to_string(p.number) +
                   "): the factor exceeds the loop's extent " + std::to_string(old.extent) + " (allowed: 1.." +
                   std::to_string(old.extent) + ")"};
    }
    LoopVar outer{p.vars[1], old.dim, ceil_div(old.extent, p.number), Axis::None, true, p.where, ""};
    LoopVar inner{p.vars[2], old.dim, p.number, Axis::None, true, p.where, ""};
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
    loops_[*i].unroll_where = p.where;
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

}  // namespace

Expected<ScheduleAnalysis> analyze_schedule(const Layer& layer, const Schedule& schedule) {
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
      if (named[*t]) {
        return Error{at(accelerate->where) + "accelerate: " + tensor_name(layer, *t) + " is listed twice" +
                     (n == tensor_name(layer, *t) ? std::string() : " ('" + n + "' names it too)")};
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

int level_of_loop(const std::vector<std::size_t>& boundaries, std::size_t position) {
  int level = 0;
  for (std::size_t i = 0; i < boundaries.size(); ++i) {
    if (position >= boundaries[i]) level = static_cast<int>(i);
  }
  return level;
}

}  // namespace dnnspace
