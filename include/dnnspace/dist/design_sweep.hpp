// A sweep's design points evaluated over the ranks of an MPI run, with a checkpoint
// (docs/distributed.md). Points go to whichever rank asks next (self-scheduling: rank 0
// searches points too, and a dispatcher thread of its own answers the other ranks): a
// rank that drew quick points takes more. Every rank searches with the same mapper,
// which is deterministic, and sends each finished point to rank 0 as a record; rank 0
// appends it to the checkpoint and rebuilds it. With fewer points than ranks, all ranks
// search each point together instead, each layer's mapspace split over them
// (MapperOptions::share). The result is the same, bit for bit, for any number of ranks
// and after any number of resumes.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/dist/checkpoint.hpp"
#include "dnnspace/dist/ranks.hpp"
#include "dnnspace/search/arch_variant.hpp"
#include "dnnspace/search/dse.hpp"

namespace dnnspace::dist {

struct DesignSweepRun {
  /// On rank 0: the points finished (here, on another rank or in the checkpoint read), in
  /// sweep order, and a point this rank stopped in the middle of (marked interrupted).
  /// Empty on the other ranks.
  std::vector<DesignPoint> points;
  std::size_t resumed = 0;  ///< points taken from the checkpoint
  bool interrupted = false; ///< some rank was stopped: points are missing
};

/// Called around each point this rank searches (progress displays).
struct DesignSweepHooks {
  std::function<void(std::size_t index, const SweepDesign& design)> before_point;
  std::function<void(std::size_t index)> after_point;
};

/// A part of a sweep: the points whose index mod `count` is `index` (a task of a job
/// array, docs/distributed.md). The default is the whole sweep.
struct DesignShard {
  std::size_t index = 0;
  std::size_t count = 1;
};

/// Evaluates `designs` on `network` with `options` (its `stop` stops this rank; once rank
/// 0 is stopped it hands out no more points). `checkpoint` (rank 0's, may be null)
/// receives each finished point; `resumed` holds the records of an earlier run (every
/// rank reads them, so that all deal out the same points). Only the points of `shard` are
/// searched and returned (resumed records of other points are skipped). Errors: a
/// resumed record that does not belong to this sweep.
[[nodiscard]] Expected<DesignSweepRun> run_design_sweep(const Network& network, const std::vector<SweepDesign>& designs,
                                                        const MapperOptions& options, Ranks& ranks,
                                                        Checkpoint* checkpoint,
                                                        const std::vector<CheckpointRecord>& resumed,
                                                        const DesignSweepHooks& hooks = {}, DesignShard shard = {});

}  // namespace dnnspace::dist
