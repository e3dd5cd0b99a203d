#include "dnnspace/dist/design_sweep.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "dnnspace/dist/search_record.hpp"

namespace dnnspace::dist {
namespace {

// Message tags between the ranks.
constexpr int kPointTag = 1;  // worker -> root: a finished point's record
constexpr int kDoneTag = 2;   // worker -> root: no more points ("stopped" if it was stopped)
constexpr int kStopTag = 3;   // root -> worker: stop before the next point
constexpr int kAckTag = 4;    // root -> worker: its end received; nothing more will come

bool stopped(const MapperOptions& options) { return options.stop && options.stop->load(); }

}  // namespace

Expected<DesignSweepRun> run_design_sweep(const Network& network, const std::vector<SweepDesign>& designs,
                                          const MapperOptions& options, Ranks& ranks, Checkpoint* checkpoint,
                                          const std::vector<CheckpointRecord>& resumed, const DesignSweepHooks& hooks) {
  DesignSweepRun run;
  std::map<std::size_t, DesignPoint> finished;  // by index in the sweep
  std::map<std::size_t, const CheckpointRecord*> done;
  for (const CheckpointRecord& r : resumed) {
    Expected<std::size_t> index = design_point_index(r.record, r.where);
    if (!index) return index.error();
    if (*index >= designs.size()) {
      return Error{r.where + ": design point " + std::to_string(*index + 1) + " of a sweep of " +
                   std::to_string(designs.size()) + " (was the checkpoint written by another run?)"};
    }
    done[*index] = &r;  // a point written twice (two resumes racing) counts once
  }
  if (ranks.is_root()) {
    for (const auto& [index, r] : done) {
      Expected<DesignPoint> p =
          design_point_from_record(r->record, network, designs[index].arch, designs[index].label, options, r->where);
      if (!p) return p.error();
      finished.emplace(index, std::move(*p));
    }
    run.resumed = done.size();
  }
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < designs.size(); ++i) {
    if (!done.contains(i)) todo.push_back(i);
  }
  const auto size = static_cast<std::size_t>(ranks.size());
  const auto rank = static_cast<std::size_t>(ranks.rank());

  if (size > 1 && todo.size() < size) {
    // Fewer points than ranks: all ranks search each point together, every layer's
    // mapspace split over them (MapperOptions::share).
    MapperOptions shared = options;
    shared.share = &ranks.work_share();
    for (std::size_t index : todo) {
      if (stop_requested(shared)) {
        run.interrupted = true;
        break;
      }
      const SweepDesign& design = designs[index];
      if (hooks.before_point) hooks.before_point(index, design);
      DesignPoint point = evaluate_design(network, design.arch, shared, design.label);
      if (hooks.after_point) hooks.after_point(index);
      run.interrupted = run.interrupted || point.interrupted;
      if (!ranks.is_root()) continue;
      if (checkpoint && !point.interrupted) {
        if (auto ok = checkpoint->append(design_point_record(index, point)); !ok) return ok.error();
      }
      finished.insert_or_assign(index, std::move(point));
    }
    for (auto& [index, point] : finished) run.points.push_back(std::move(point));
    return run;
  }

  // Rank 0: a worker's point arrived (or its end).
  int workers_done = 0;
  std::vector<bool> worker_done(size, false);
  bool stop_sent = false;
  const auto handle = [&](Ranks::Message m) -> Expected<void> {
    if (m.tag == kDoneTag) {
      ++workers_done;
      worker_done[static_cast<std::size_t>(m.from)] = true;
      run.interrupted = run.interrupted || m.text == "stopped";
      ranks.send(m.from, kAckTag, "");
      return {};
    }
    const std::string where = "rank " + std::to_string(m.from);
    const nlohmann::json record = nlohmann::json::parse(m.text, nullptr, false);
    Expected<std::size_t> index = design_point_index(record, where);
    if (!index) return index.error();
    if (*index >= designs.size()) return Error{where + ": sent design point " + std::to_string(*index) + " of no sweep"};
    Expected<DesignPoint> p =
        design_point_from_record(record, network, designs[*index].arch, designs[*index].label, options, where);
    if (!p) return p.error();
    if (checkpoint) {
      if (auto ok = checkpoint->append(record); !ok) return ok.error();
    }
    finished.insert_or_assign(*index, std::move(*p));
    return {};
  };
  const auto stop_workers = [&] {
    if (stop_sent) return;
    stop_sent = true;
    for (int r = 1; r < ranks.size(); ++r) {
      if (!worker_done[static_cast<std::size_t>(r)]) ranks.send(r, kStopTag, "");
    }
  };

  bool told_to_stop = false;
  for (std::size_t k = rank; k < todo.size(); k += size) {
    if (stopped(options) || told_to_stop) break;
    const std::size_t index = todo[k];
    const SweepDesign& design = designs[index];
    if (hooks.before_point) hooks.before_point(index, design);
    DesignPoint point = evaluate_design(network, design.arch, options, design.label);
    if (hooks.after_point) hooks.after_point(index);
    if (!point.interrupted) {
      const nlohmann::json record = design_point_record(index, point);
      if (ranks.is_root()) {
        if (checkpoint) {
          if (auto ok = checkpoint->append(record); !ok) return ok.error();
        }
      } else {
        ranks.send(0, kPointTag, record.dump());
      }
    }
    if (ranks.is_root()) {
      finished.insert_or_assign(index, std::move(point));
      while (std::optional<Ranks::Message> m = ranks.try_receive()) {
        if (auto ok = handle(std::move(*m)); !ok) return ok.error();
      }
      if (stopped(options)) stop_workers();
    } else {
      while (std::optional<Ranks::Message> m = ranks.try_receive()) told_to_stop = told_to_stop || m->tag == kStopTag;
    }
  }
  if (ranks.is_root()) {
    if (stopped(options)) stop_workers();
    while (workers_done < ranks.size() - 1) {
      if (auto ok = handle(ranks.receive()); !ok) return ok.error();
    }
    run.interrupted = run.interrupted || stopped(options);
    for (auto& [index, point] : finished) {
      run.interrupted = run.interrupted || point.interrupted;
      run.points.push_back(std::move(point));
    }
  } else {
    ranks.send(0, kDoneTag, stopped(options) || told_to_stop ? "stopped" : "");
    // Rank 0 answers the end last, so a stop it sent meanwhile is received before.
    while (ranks.receive().tag != kAckTag) {
    }
  }
  return run;
}

}  // namespace dnnspace::dist
