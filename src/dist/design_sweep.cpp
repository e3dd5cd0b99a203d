#include "dnnspace/dist/design_sweep.hpp"

#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <string>
#include <utility>

#include "dnnspace/dist/search_record.hpp"

namespace dnnspace::dist {
namespace {

// Message tags between the ranks.
constexpr int kRequestTag = 1;  // worker -> root: a point to search, please
constexpr int kPointTag = 2;    // worker -> root: a finished point's record, and a request
constexpr int kDoneTag = 3;     // worker -> root: stopped; it asks for nothing more
constexpr int kAssignTag = 4;   // root -> worker: the index of a point to search
constexpr int kNoneTag = 5;     // root -> worker: nothing left

bool stopped(const MapperOptions& options) { return options.stop && options.stop->load(); }

}  // namespace

Expected<DesignSweepRun> run_design_sweep(const Network& network, const std::vector<SweepDesign>& designs,
                                          const MapperOptions& options, Ranks& ranks, Checkpoint* checkpoint,
                                          const std::vector<CheckpointRecord>& resumed, const DesignSweepHooks& hooks,
                                          DesignShard shard) {
  DesignSweepRun run;
  const auto in_shard = [&](std::size_t i) { return shard.count <= 1 || i % shard.count == shard.index; };
  std::map<std::size_t, DesignPoint> finished;  // by index in the sweep
  std::map<std::size_t, const CheckpointRecord*> done;
  for (const CheckpointRecord& r : resumed) {
    Expected<std::size_t> index = design_point_index(r.record, r.where);
    if (!index) return index.error();
    if (*index >= designs.size()) {
      return Error{r.where + ": design point index " + std::to_string(*index) + " in a sweep of " +
                   std::to_string(designs.size()) + " points (was the checkpoint written by another run?)"};
    }
    if (in_shard(*index)) done[*index] = &r;  // a point written twice (two resumes racing) counts once
  }
  // Rank 0 rebuilds the resumed points; all ranks agree it could before any searches.
  std::optional<Error> failure;
  if (ranks.is_root()) {
    for (const auto& [index, r] : done) {
      Expected<DesignPoint> p =
          design_point_from_record(r->record, network, designs[index].arch, designs[index].label, options, r->where);
      if (!p) {
        failure = p.error();
        break;
      }
      finished.emplace(index, std::move(*p));
    }
    run.resumed = done.size();
  }
  if (!ranks.all_true(!failure)) {
    return failure ? *failure : Error{"rank 0 could not read the checkpoint (it says why)"};
  }
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < designs.size(); ++i) {
    if (in_shard(i) && !done.contains(i)) todo.push_back(i);
  }
  const auto size = static_cast<std::size_t>(ranks.size());

  if (size > 1 && todo.size() < size) {
    // Fewer points than ranks: all ranks search each point together, every layer's
    // mapspace split over them (MapperOptions::share).
    MapperOptions shared = options;
    shared.share = &ranks.work_share();
    for (std::size_t index : todo) {
      // All ranks go on together: none stopped, and rank 0's checkpoint took the last point.
      if (!ranks.all_true(!stopped(options) && !failure)) {
        run.interrupted = !failure;
        break;
      }
      const SweepDesign& design = designs[index];
      if (hooks.before_point) hooks.before_point(index, design);
      DesignPoint point = evaluate_design(network, design.arch, shared, design.label);
      if (hooks.after_point) hooks.after_point(index);
      run.interrupted = run.interrupted || point.interrupted;
      if (!ranks.is_root()) continue;
      if (checkpoint && !point.interrupted) {
        if (auto ok = checkpoint->append(design_point_record(index, point)); !ok) failure = ok.error();
      }
      finished.insert_or_assign(index, std::move(point));
    }
    if (failure) return *failure;
    for (auto& [index, point] : finished) run.points.push_back(std::move(point));
    return run;
  }

  if (size > 1 && !ranks.threads_may_take_turns()) {
    return Error{"this MPI library does not provide MPI_THREAD_SERIALIZED, which rank 0's dispatcher needs "
                 "(OpenMPI from Debian does)"};
  }
  if (!ranks.is_root()) {
    // A worker: asks rank 0 for a point, searches it, sends it (which asks for the next),
    // until rank 0 has none left or this rank is stopped.
    ranks.send(0, kRequestTag, "");
    for (;;) {
      const Ranks::Message m = ranks.receive();
      if (m.tag == kNoneTag) break;
      const std::size_t index = std::stoull(m.text);
      const SweepDesign& design = designs[index];
      DesignPoint point;
      if (!stopped(options)) point = evaluate_design(network, design.arch, options, design.label);
      if (stopped(options) && (point.layers.empty() || point.interrupted)) {
        run.interrupted = true;
        ranks.send(0, kDoneTag, "stopped");
        break;
      }
      ranks.send(0, kPointTag, design_point_record(index, point).dump());
    }
    return run;
  }

  // Rank 0 searches points too, and a dispatcher thread answers the workers meanwhile:
  // each point goes to whichever rank asks next, so ranks that drew quick points take
  // more (self-scheduling). Only the dispatcher calls MPI while it runs.
  std::atomic<std::size_t> next{0};
  std::mutex mutex;  // finished, the checkpoint, failure
  const auto take = [&]() -> std::optional<std::size_t> {
    if (stopped(options)) return std::nullopt;
    {
      const std::lock_guard<std::mutex> lock(mutex);
      if (failure) return std::nullopt;
    }
    const std::size_t k = next.fetch_add(1);
    return k < todo.size() ? std::optional(todo[k]) : std::nullopt;
  };
  const auto keep = [&](std::size_t index, DesignPoint point, const nlohmann::json* record) {
    const std::lock_guard<std::mutex> lock(mutex);
    if (record && checkpoint && !failure) {
      if (auto ok = checkpoint->append(*record); !ok) failure = ok.error();
    }
    finished.insert_or_assign(index, std::move(point));
  };
  bool worker_stopped = false;
  std::thread dispatcher;
  if (size > 1) {
    dispatcher = std::thread([&] {
      int workers_left = ranks.size() - 1;
      const auto answer = [&](int to) {
        const std::optional<std::size_t> index = take();
        ranks.send(to, index ? kAssignTag : kNoneTag, index ? std::to_string(*index) : std::string());
        if (!index) --workers_left;
      };
      while (workers_left > 0) {
        std::optional<Ranks::Message> m = ranks.try_receive();
        if (!m) {  // a blocking receive would spin a core the searches need
          std::this_thread::sleep_for(std::chrono::microseconds(500));
          continue;
        }
        if (m->tag == kDoneTag) {
          worker_stopped = true;
          --workers_left;
          continue;
        }
        if (m->tag == kPointTag) try {
          const std::string where = "rank " + std::to_string(m->from);
          const nlohmann::json record = nlohmann::json::parse(m->text, nullptr, false);
          Expected<std::size_t> index = design_point_index(record, where);
          Expected<DesignPoint> p = !index ? Expected<DesignPoint>(index.error())
                                    : *index >= designs.size()
                                        ? Expected<DesignPoint>(Error{where + ": sent a design point of no sweep"})
                                        : design_point_from_record(record, network, designs[*index].arch,
                                                                   designs[*index].label, options, where);
          if (p) {
            keep(*index, std::move(*p), &record);
          } else {
            const std::lock_guard<std::mutex> lock(mutex);
            failure = p.error();
          }
        } catch (const std::exception& e) {  // out of memory: no more points are handed out
          const std::lock_guard<std::mutex> lock(mutex);
          failure = Error{std::string("rank 0 could not keep a point: ") + e.what()};
        }
        answer(m->from);
      }
    });
  }
  // An exception here (out of memory) stops the handing out, joins the dispatcher (which
  // still answers every worker) and is thrown on.
  std::exception_ptr thrown;
  try {
    while (const std::optional<std::size_t> index = take()) {
      const SweepDesign& design = designs[*index];
      if (hooks.before_point) hooks.before_point(*index, design);
      DesignPoint point = evaluate_design(network, design.arch, options, design.label);
      if (hooks.after_point) hooks.after_point(*index);
      const bool whole = !point.interrupted;
      const nlohmann::json record = whole ? design_point_record(*index, point) : nlohmann::json();
      keep(*index, std::move(point), whole ? &record : nullptr);
    }
  } catch (...) {
    thrown = std::current_exception();
    next = todo.size();
  }
  if (dispatcher.joinable()) dispatcher.join();
  if (thrown) std::rethrow_exception(thrown);
  if (failure) return *failure;
  run.interrupted = worker_stopped || stopped(options);
  for (auto& [index, point] : finished) {
    run.interrupted = run.interrupted || point.interrupted;
    run.points.push_back(std::move(point));
  }
  return run;
}

}  // namespace dnnspace::dist
