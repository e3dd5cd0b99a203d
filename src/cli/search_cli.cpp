#include "search_cli.hpp"

#include "numeric_flags.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <limits>
#include <optional>

#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/search/search_options.hpp"
#include "exit_codes.hpp"

namespace dnnspace::cli {

void add_search_flags(CLI::App& cmd, SearchFlags& flags) {
  cmd.add_option("--min-util", flags.min_util, "utilization floor, 0..1 (default 0.75, as in 004)")
      ->check(finite_number(0.0, 1.0, "in 0..1"));
  cmd.add_option("--objective", flags.objective, "energy (default), cycles or edp");
  cmd.add_option("--threads", flags.threads, "worker threads (default 0 = all cores)")
      ->transform(whole_number(0, 1024, "in 0..1024 (0 = all cores)"));
  cmd.add_option("--time-limit", flags.time_limit_s,
                 "seconds each search may take (per layer; 0 = none, the default): past it the best mapping "
                 "found so far is reported, marked not proven optimal")
      ->check(finite_number(0.0, 1e6, "in 0..1000000 seconds"));
  cmd.add_option("--bypass", flags.bypass,
                 "fixed (default: each level keeps what the architecture says) or search (the mapper chooses "
                 "which tensors each level below the outermost keeps)");
  cmd.add_option("--buffering", flags.buffering,
                 "fixed (default: as the architecture says) or search (the mapper chooses single or double "
                 "buffering for each level with a capacity)");
}

void apply_storage_flags(const SearchFlags& flags, Architecture& arch) {
  if (auto ok = apply_storage_search(arch, flags.bypass, flags.buffering); !ok) throw CommandFailed(ok.error().message);
}

MapperOptions mapper_options(const SearchFlags& flags) {
  Expected<MapperOptions> mapper = dnnspace::mapper_options(flags.objective, flags.min_util, flags.threads, flags.time_limit_s);
  if (!mapper) throw CommandFailed(mapper.error().message);
  return *mapper;
}

void add_dataflow_flags(CLI::App& cmd, DataflowFlags& flags, const std::string& help) {
  cmd.add_option("--dataflow", flags.dataflow, help)
      ->check(CLI::Validator(
          [](std::string& value) { return value.empty() ? std::string("empty: name a dataflow such as \"C|K\"") : std::string(); },
          "DATAFLOW"));
  cmd.add_option("--fallback", flags.fallback,
                 "a layer the fixed --dataflow cannot map above the utilization floor: replicate (default: "
                 "search the dataflow with one more loop on the axes it cannot fill, 004 Sec. III-C) or none "
                 "(report it unmapped)");
  cmd.add_option("--replication", flags.replication,
                 "without --dataflow: search every dataflow with up to this many loops per array axis, 1 "
                 "(default: the two-loop dataflows, 21 for a CONV layer), 2 (651) or 3 (6531; 004 Sec. III-C)");
}

void apply_dataflow_flags(const DataflowFlags& flags, MapperOptions& mapper, std::span<const Dim> dims) {
  if (auto ok = apply_dataflow_choice(mapper, flags.dataflow, flags.fallback, flags.replication, dims); !ok) {
    throw CommandFailed(ok.error().message);
  }
}

ProgressLine::ProgressLine(std::string label, const std::atomic<std::int64_t>& done)
    : enabled_(::isatty(STDERR_FILENO) == 1), label_(std::move(label)), done_(done) {
  if (enabled_) thread_ = std::thread([this] { loop(); });
}

ProgressLine::~ProgressLine() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
  }
  wake_.notify_all();
  thread_.join();
  std::fprintf(stderr, "\r\033[K");
}

NetworkSearch search_network_with_progress(const Network& network, const Architecture& arch, MapperOptions mapper,
                                           bool fuse, NetworkSearchHooks hooks) {
  mapper.stop = &StopSignalGuard::flag();
  StopSignalGuard sigint;
  std::atomic<std::int64_t> progress{0};
  mapper.progress = &progress;
  std::optional<ProgressLine> line;
  hooks.before_layer = [&](std::size_t i, const Layer& layer, bool searched) {
    progress = 0;
    if (searched) {
      line.emplace("layer " + std::to_string(i + 1) + "/" + std::to_string(network.layers.size()) + " " + layer.name,
                   progress);
    }
  };
  hooks.after_layer = [&](std::size_t) { line.reset(); };
  return fuse ? search_network_fused(network, arch, mapper, hooks) : search_network(network, arch, mapper, hooks);
}

void ProgressLine::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!finished_) {
    std::fprintf(stderr, "\r\033[K%s: %lld work items done (Ctrl-C stops and prints the best so far)",
                 label_.c_str(), static_cast<long long>(done_.load()));
    wake_.wait_for(lock, std::chrono::milliseconds(200));
  }
}

}  // namespace dnnspace::cli
