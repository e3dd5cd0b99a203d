// Stopping a long command cleanly: Ctrl-C (SIGINT) and a scheduler's SIGTERM.
#pragma once

#include <atomic>

namespace dnnspace::cli {

/// While alive, SIGINT (Ctrl-C) and SIGTERM (what a batch scheduler or `kill` sends) set
/// flag() instead of killing the process, so the command can print and write its best
/// results so far and exit with exit_code(). The previous handlers are restored after.
class StopSignalGuard {
 public:
  StopSignalGuard();
  ~StopSignalGuard();
  StopSignalGuard(const StopSignalGuard&) = delete;
  StopSignalGuard& operator=(const StopSignalGuard&) = delete;

  /// Set by either signal; cleared when a guard is created.
  static std::atomic<bool>& flag() noexcept;
  /// The exit code after a stop: 128 + the signal, 130 for SIGINT and 143 for SIGTERM.
  static int exit_code() noexcept;

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
};

}  // namespace dnnspace::cli
