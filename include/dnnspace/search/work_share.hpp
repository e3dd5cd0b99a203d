// One search split over several processes (an MPI run, docs/distributed.md): each process
// searches the work items dealt to it, and the processes combine what the waves' bounds
// and the result need through these reductions. Every process calls them in the same
// order, so the result, and every counter of it, is the one a single process finds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace dnnspace {

struct MapperOptions;

class WorkShare {
 public:
  virtual ~WorkShare() = default;
  virtual int rank() const noexcept = 0;  ///< this process, 0..size-1
  virtual int size() const noexcept = 0;
  /// Element-wise minimum over the processes, in place.
  virtual void min_all(std::span<double> values) = 0;
  /// Element-wise sum over the processes, in place.
  virtual void sum_all(std::span<std::int64_t> values) = 0;
  /// `bytes` of process `root` copied to every process.
  virtual void broadcast(std::span<std::byte> bytes, int root) = 0;
};

/// Whether the search should stop: `options.stop`, and with `options.share`, whether it is
/// set in any process (a reduction every process must make at the same point).
bool stop_requested(const MapperOptions& options);

}  // namespace dnnspace
