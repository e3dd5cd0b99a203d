// Running a long C++ call from Python: without the GIL (other Python threads run), and
// interruptible by Ctrl-C. The call runs on a worker thread while the calling thread
// checks for signals every 50 ms; on SIGINT it sets `stop` (the search keeps its best so
// far and returns soon) and, once the worker has finished, raises KeyboardInterrupt.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace dnnspace::python {

template <typename Work>
auto run_interruptible(std::atomic<bool>& stop, Work&& work) -> decltype(work()) {
  namespace py = pybind11;
  using Result = decltype(work());
  std::optional<Result> result;
  std::exception_ptr failure;
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        result.emplace(work());
      } catch (...) {
        failure = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        done = true;
      }
      finished.notify_all();
    });
    std::unique_lock<std::mutex> lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
      if (interrupted) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        // Runs Python's signal handlers (main thread only): SIGINT's raises KeyboardInterrupt.
        if (PyErr_CheckSignals() != 0) {
          interrupted = true;
          stop.store(true);
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (interrupted) throw py::error_already_set();  // the KeyboardInterrupt the handler set
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

}  // namespace dnnspace::python
