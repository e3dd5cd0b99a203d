// What a schedule says before it meets an architecture: its loop nest after the loop
// primitives, and its buffers with the loop each sits at. Shared by compile_schedule onto
// an architecture and onto the architecture the schedule implies.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/mapping/schedule.hpp"

namespace dnnspace {

/// One loop of the scheduled nest.
struct LoopVar {
  std::string name;
  Dim dim = Dim::N;
  std::int64_t extent = 1;
  Axis axis = Axis::None;
  bool split = false;        ///< made by split (bound() only applies to a dimension's first loop)
  std::string split_where;   ///< the split that made it, for errors
  std::string unroll_where;  ///< the unroll that put it on an axis, for errors
};

/// A buffer primitive resolved against the nest: tensor, where its tile starts in the
/// outermost-first nest (loops at or after `boundary` run inside it); level unresolved.
struct ResolvedBuffer {
  TensorId tensor = TensorId::Inputs;
  int level = -1;
  std::size_t boundary = 0;
  std::string at_text;  ///< "qo" or "root", for messages
  const SchedulePrimitive* primitive = nullptr;
};

struct ScheduleAnalysis {
  std::vector<LoopVar> outer_first;  ///< the nest, outermost first
  std::vector<ResolvedBuffer> buffers;
  bool systolic = false;
};

/// Applies the loop primitives, checks accelerate and resolves each buffer's tensor and
/// loop. Errors are one line naming the primitive's `where`.
Expected<ScheduleAnalysis> analyze_schedule(const Layer& layer, const Schedule& schedule);

/// compile_schedule onto `arch` from the schedule's analysis (so that the implied
/// architecture, which needs the analysis first, does not analyze twice).
Expected<CompiledSchedule> compile_analyzed(const Layer& layer, const Architecture& arch, const ScheduleAnalysis& analysis);

/// The level whose loops hold the loop at `position` of the outermost-first nest, given
/// each level's boundary (level i's loops start at boundaries[i], non-decreasing).
int level_of_loop(const std::vector<std::size_t>& boundaries, std::size_t position);

}  // namespace dnnspace
