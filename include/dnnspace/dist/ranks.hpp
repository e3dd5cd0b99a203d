// The processes of an MPI run (docs/distributed.md). The command joins MPI only when an
// MPI launcher started it (mpirun sets OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK);
// otherwise it is one process of one rank and never touches MPI, so the same binary runs
// with or without mpirun.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "dnnspace/search/work_share.hpp"

namespace dnnspace::dist {

class Ranks {
 public:
  /// This process's group: MPI's world when launched by mpirun (MPI is initialized on
  /// the first call), else a group of one.
  static Ranks& world();

  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }
  bool is_root() const noexcept { return rank_ == 0; }
  /// Ranks on this machine (for the threads each may use), 1 without MPI.
  int local_size() const noexcept { return local_size_; }
  /// Whether MPI lets a second thread make the calls while the first does not (true
  /// without MPI).
  bool threads_may_take_turns() const noexcept { return serialized_; }

  /// Sends `text` to rank `to` with `tag` (blocking until the buffer can be reused).
  void send(int to, int tag, const std::string& text);
  /// A message that has arrived from any rank (any tag), without waiting: (rank, tag, text).
  struct Message {
    int from = 0;
    int tag = 0;
    std::string text;
  };
  std::optional<Message> try_receive();
  /// The next message from any rank, waiting for it.
  Message receive();

  /// The ranks as a WorkShare for the mapper (MapperOptions::share): one search split over
  /// all of them. Only for a group of more than one.
  WorkShare& work_share();

  /// Whether every rank passes true (all ranks must call it together): ranks that set up
  /// a run check with it that all can start, so none waits for one that failed.
  bool all_true(bool ok);

  Ranks(const Ranks&) = delete;
  Ranks& operator=(const Ranks&) = delete;

 private:
  Ranks();
  int rank_ = 0;
  int size_ = 1;
  int local_size_ = 1;
  bool mpi_ = false;
  bool serialized_ = true;
  std::unique_ptr<WorkShare> share_;
};

/// Whether an MPI launcher started this process (its environment says so).
bool launched_by_mpi() noexcept;

/// The number of processes the launcher started (its environment), 1 without one.
int launched_size() noexcept;

/// Whether this process is a rank other than 0 of an MPI run (it prints nothing).
bool is_other_rank() noexcept;

/// Ends MPI if this process joined it (at the command's exit, on every rank).
void end_mpi() noexcept;

}  // namespace dnnspace::dist
