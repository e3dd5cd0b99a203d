#include "stop_signals.hpp"

#include <csignal>

namespace dnnspace::cli {
namespace {

// A signal handler may only touch lock-free atomics with static storage.
std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int signal) {
  g_signal.store(signal);
  g_stop.store(true);
}

}  // namespace

StopSignalGuard::StopSignalGuard() {
  g_stop.store(false);
  g_signal.store(0);
  previous_int_ = std::signal(SIGINT, on_stop_signal);
  previous_term_ = std::signal(SIGTERM, on_stop_signal);
}

StopSignalGuard::~StopSignalGuard() {
  std::signal(SIGINT, previous_int_);
  std::signal(SIGTERM, previous_term_);
}

std::atomic<bool>& StopSignalGuard::flag() noexcept { return g_stop; }

int StopSignalGuard::exit_code() noexcept {
  const int signal = g_signal.load();
  return 128 + (signal != 0 ? signal : SIGINT);
}

}  // namespace dnnspace::cli
