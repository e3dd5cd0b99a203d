// A schedule compiled onto an architecture (docs/schedules.md, "How a schedule becomes a
// mapping"): buffers to levels, loops to the levels between buffers, unrolls to the array.
#include <algorithm>
#include <optional>

#include "dnnspace/arch/storage_choice.hpp"
#include "dnnspace/core/checked.hpp"
#include "dnnspace/mapping/schedule.hpp"
#include "schedule_analysis.hpp"
#include "schedule_names.hpp"

namespace dnnspace {
namespace {

// Puts `value` first: an axis lists its innermost unrolled loop first (nearest
// neighbours), and the nest is walked outermost first.
template <typename Vector, typename T>
void push_front(Vector& v, const T& value) {
  v.push_back(value);
  for (std::size_t j = v.size() - 1; j > 0; --j) std::swap(v[j], v[j - 1]);
}

}  // namespace

Expected<CompiledSchedule> compile_schedule(const Layer& layer, const Architecture& arch, const Schedule& schedule) {
  Expected<ScheduleAnalysis> analysis = analyze_schedule(layer, schedule);
  if (!analysis) return analysis.error();
  return compile_analyzed(layer, arch, *analysis);
}

Expected<CompiledSchedule> compile_analyzed(const Layer& layer, const Architecture& arch, const ScheduleAnalysis& analysis) {
  const bool systolic = analysis.systolic;
  const std::vector<LoopVar>& outer_first = analysis.outer_first;

  // Buffers: which level.
  const int num_levels = static_cast<int>(arch.levels.size());
  std::vector<ResolvedBuffer> resolved;
  bool any_named = false, any_unnamed = false;
  for (ResolvedBuffer b : analysis.buffers) {
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
      return Error{at(b.primitive->where) + what + ".compute_at(" + b.at_text + "): " + level.name + "'s buffers sit at one loop, and the one of " +
                   tensor_name(layer, first_buffer[li]->tensor) + " is at " + first_buffer[li]->at_text};
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
  std::vector<std::size_t> boundaries;
  for (const std::optional<std::size_t>& b : boundary) boundaries.push_back(*b);
  // The level the unrolled loops lie in: loops of extent 1 run nowhere and decide nothing.
  int unrolled_level = -1;
  const LoopVar* first_unrolled = nullptr;
  const LoopVar* last_on_axis[2] = {nullptr, nullptr};  // rows, cols: for "beyond the array"
  FixedVector<Dim, kMaxSpatialLoops> unrolled_rows, unrolled_cols;
  PerDim<int> loops_per_dim{};
  for (std::size_t k = 0; k < outer_first.size(); ++k) {
    const LoopVar& l = outer_first[k];
    const int level = level_of_loop(boundaries, k);
    if (l.axis != Axis::None) {
      auto& dims = l.axis == Axis::Rows ? unrolled_rows : unrolled_cols;
      if (dims.full()) {
        return Error{at(l.unroll_where) + "unroll(" + l.name + "): at most " + std::to_string(kMaxSpatialLoops) +
                     " loops unroll onto one axis"};
      }
      push_front(dims, l.dim);
      if (l.extent > 1) {
        if (unrolled_level >= 0 && unrolled_level != level) {
          return Error{at(l.unroll_where) + "unroll(" + l.name + "): unrolled loops lie in one level's loops, and " +
                       first_unrolled->name + " is in " + arch.levels[static_cast<std::size_t>(unrolled_level)].name + "'s, " +
                       l.name + " in " + arch.levels[static_cast<std::size_t>(level)].name + "'s"};
        }
        unrolled_level = level;
        first_unrolled = &l;
        last_on_axis[l.axis == Axis::Rows ? 0 : 1] = &l;
      }
    }
    if (l.extent == 1) continue;
    if (++loops_per_dim[l.dim] > static_cast<int>(kMaxLoopsPerDim)) {
      return Error{at(l.split_where) + "dimension " + std::string(1, dim_letter(l.dim)) + " is split into more than " +
                   std::to_string(kMaxLoopsPerDim) + " loops"};
    }
    LevelLoops& target = out.mapping.levels[static_cast<std::size_t>(level)];
    const Loop loop{l.extent, l.dim};
    if (l.axis == Axis::None) {
      if (target.temporal.size() == target.temporal.capacity()) {
        return Error{at(l.split_where) + "level " + arch.levels[static_cast<std::size_t>(level)].name + " gets more than " +
                     std::to_string(kMaxTemporalLoops) + " loops (at " + l.name + ")"};
      }
      target.temporal.push_back(loop);
    } else {
      // The innermost unrolled loop of an axis is listed first (nearest neighbours).
      auto& axis_loops = l.axis == Axis::Rows ? target.rows : target.cols;
      push_front(axis_loops, loop);
    }
  }
  if (unrolled_level >= 0 && unrolled_level != arch.array.parent_level) {
    return Error{at(first_unrolled->unroll_where) + "unroll(" + first_unrolled->name + "): the PE array of " + arch.name +
                 " is fed by " + arch.levels[static_cast<std::size_t>(arch.array.parent_level)].name +
                 ", but the unrolled loops are " + arch.levels[static_cast<std::size_t>(unrolled_level)].name +
                 "'s (move the buffers' compute_at)"};
  }
  // The array's size: the unrolled loops of each axis fit it.
  const LevelLoops& feeding = out.mapping.levels[static_cast<std::size_t>(arch.array.parent_level)];
  for (Axis axis : {Axis::Rows, Axis::Cols}) {
    std::int64_t need = 1;  // saturating: a schedule may unroll any extents
    for (const Loop& loop : axis == Axis::Rows ? feeding.rows : feeding.cols) need = saturating_mul(need, loop.factor);
    const std::int64_t have = axis == Axis::Rows ? arch.array.rows : arch.array.cols;
    if (need > have) {
      const LoopVar* last = last_on_axis[axis == Axis::Rows ? 0 : 1];
      return Error{at(last->unroll_where) + "unroll(" + last->name + ", " + (axis == Axis::Rows ? "rows" : "cols") +
                   "): unroll beyond the array: the loops unrolled on " + (axis == Axis::Rows ? "rows" : "cols") + " take " +
                   std::to_string(need) + " PEs, and " + arch.name + " has " + std::to_string(have)};
    }
  }
  out.unrolled_rows = unrolled_rows;
  out.unrolled_cols = unrolled_cols;
  return out;
}

}  // namespace dnnspace
