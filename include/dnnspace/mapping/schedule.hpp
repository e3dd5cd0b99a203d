// Schedules: 004's Halide-style scheduling language (Sec. IV-A, Table III) over any
// workload, compiled to a mapping on an architecture, and every mapping printed back as one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// The primitives of 004 Table III (plus Halide's `bound`): loop blocking (split, tile,
/// reorder), dataflow (unroll onto an array axis, systolic), resource allocation
/// (in().compute_at(): a buffer level for a tensor at a loop) and the accelerator's scope
/// (accelerate). docs/schedules.md defines each.
enum class PrimitiveKind : std::uint8_t { Split, Reorder, Unroll, Systolic, Accelerate, Buffer, Bound };

/// One primitive as written. `where` says where it came from ("conv.sched:4"), for errors.
struct SchedulePrimitive {
  PrimitiveKind kind = PrimitiveKind::Split;
  /// Split: {var, outer, inner}; Reorder: every listed var, innermost first; Unroll and
  /// Bound: {var}; Buffer: {the loop it is computed at}, or empty for compute_root().
  std::vector<std::string> vars;
  std::int64_t number = 0;         ///< Split: the inner loop's extent; Bound: the extent
  Axis axis = Axis::None;          ///< Unroll: the array axis
  std::vector<std::string> names;  ///< Accelerate: its operands; Buffer: {tensor}
  std::string level;               ///< Buffer: the storage level's name ("" = by position)
  std::string where;
  friend bool operator==(const SchedulePrimitive&, const SchedulePrimitive&) = default;
};

/// A schedule of one layer's loop nest: primitives applied in order. The builder methods
/// append them, Halide-style (`s.tile("q", "p", "qo", "po", "qi", "pi", 28, 28)`); the text
/// form (io/schedule_text.hpp) produces the same value.
class Schedule {
 public:
  /// split(v, outer, inner, f): v becomes `outer` (extent ceil(extent / f)) around `inner`
  /// (extent f); a split that does not divide leaves a partial last tile, as mappings do.
  Schedule& split(std::string var, std::string outer, std::string inner, std::int64_t factor, std::string where = "");
  /// Halide's tile: split(x, xo, xi, fx), split(y, yo, yi, fy), reorder(xi, yi, xo, yo).
  Schedule& tile(std::string x, std::string y, std::string xo, std::string yo, std::string xi, std::string yi,
                 std::int64_t fx, std::int64_t fy, std::string where = "");
  /// reorder(v1, v2, ...): innermost first; the listed loops take the places they hold.
  Schedule& reorder(std::vector<std::string> innermost_first, std::string where = "");
  /// unroll(v, axis): the loop runs in space on the array's rows or columns. On one axis
  /// the innermost unrolled loop gets the nearest neighbours (004 Sec. III-C).
  Schedule& unroll(std::string var, Axis axis, std::string where = "");
  /// systolic(): operands move PE to PE (the array's timing becomes systolic).
  Schedule& systolic(std::string where = "");
  /// accelerate({operands}): the output is computed on the accelerator, reading these.
  Schedule& accelerate(std::vector<std::string> operands, std::string where = "");
  /// bound(v, 0, extent): the loop runs `extent` iterations (>= the dimension's bound:
  /// a padded last tile), before any split of v.
  Schedule& bound(std::string var, std::int64_t extent, std::string where = "");
  /// tensor.in(level).compute_at(output, var): the tensor gets a buffer on `level` whose
  /// tile is what the loops inside `var` touch. An empty var: compute_root(), the whole
  /// tensor. An empty level: levels by position (every buffer unnamed, see compile).
  Schedule& buffer(std::string tensor, std::string level, std::string at_var, std::string where = "");

  std::vector<SchedulePrimitive> primitives;
  friend bool operator==(const Schedule&, const Schedule&) = default;
};

/// A schedule compiled onto an architecture: the architecture as the schedule configures
/// it (which tensors each level buffers, systolic or ideal array timing) and the mapping.
struct CompiledSchedule {
  Architecture arch;
  Mapping mapping;
  /// The dimensions of the unrolled loops per axis, nearest neighbours first, loops of
  /// extent 1 included (the dataflow the schedule asks for, whatever the layer's bounds).
  FixedVector<Dim, kMaxSpatialLoops> unrolled_rows;
  FixedVector<Dim, kMaxSpatialLoops> unrolled_cols;
};

/// Compiles a schedule of `layer` onto `arch` (docs/schedules.md):
/// - The loop nest starts with one loop per dimension, Halide's default order: the
///   output's dimensions outermost (for a convolution G N K P Q), then the reduction
///   dimensions (C R S), innermost last. Loop names: the lower-case dimension letters; a
///   convolution also answers to Fig. 2's x (Q), y (P), r.x (S), r.y (R), r.z (C).
/// - Buffers name their level (`in(GlobalBuffer)`) or none do; unnamed buffers form
///   levels by the loop they sit at, outermost first, matched to the levels below DRAM in
///   order. Every level below DRAM gets at least one buffer; its loops are those between
///   its buffers' loop and the next inner level's. A tensor without a buffer on a level
///   bypasses it.
/// - Unrolled loops must all lie in the loops of the level that feeds the array and fit
///   its rows and columns. Loops of extent 1 are dropped.
/// Errors are one line naming the primitive (its `where`) and the reason.
Expected<CompiledSchedule> compile_schedule(const Layer& layer, const Architecture& arch, const Schedule& schedule);

/// What the architecture a schedule implies is built from (compile_schedule without one).
struct ImpliedArchitecture {
  int word_bits = 16;
  std::string technology = "interstellar-28nm";  ///< a tech_table_names() entry
  double clock_mhz = 400.0;
};

/// Compiles a schedule onto the architecture it implies (004 Sec. IV-A: "the compiler
/// automatically determines the necessary buffer sizes"): DRAM, then one level per level of
/// buffers (named as in(LEVEL) names them, else L1, L2, ... outermost first), each keeping
/// the tensors buffered there with a capacity of exactly its tiles, single-buffered; the
/// array as large as the unrolled loops (1x1 without any), under the level whose loops they
/// lie in (the innermost level without unrolls); energies from the technology table by
/// each level's size (SRAM above the array, register files below). Errors as above.
Expected<CompiledSchedule> compile_schedule(const Layer& layer, const Schedule& schedule,
                                            const ImpliedArchitecture& implied = {});

/// The mapping as a schedule in the text form, which compiles back to the same mapping
/// (loops of factor 1 aside) on the same architecture. Errors when a level below DRAM
/// holds no tensor (no buffer could place its loops).
Expected<std::string> schedule_text(const Layer& layer, const Architecture& arch, const Mapping& mapping);

}  // namespace dnnspace
