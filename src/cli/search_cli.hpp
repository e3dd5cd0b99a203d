// What the searching commands (optimize, dataflows, dse) share: option checks, the
// progress line on a terminal, and Ctrl-C handling that keeps the best so far.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>

#include "dnnspace/report/text_table.hpp"
#include "stop_signals.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/search/network_search.hpp"

namespace dnnspace::cli {

using report::fixed;

/// The flags every searching command takes: --objective, --min-util, --threads.
struct SearchFlags {
  std::string objective = "energy";
  double min_util = 0.75;
  int threads = 0;
  double time_limit_s = 0.0;        ///< per mapper run; 0 = none
  std::string bypass = "fixed";     ///< fixed | search
  std::string buffering = "fixed";  ///< fixed | search
};

/// Registers --min-util, --objective, --threads, --time-limit, --bypass and --buffering
/// on `cmd`, bound to `flags`.
void add_search_flags(CLI::App& cmd, SearchFlags& flags);

/// --bypass search: every level below the outermost leaves what it keeps to the mapper;
/// --buffering search: every level with a capacity leaves its buffering to it (fixed:
/// as the architecture says). Throws CommandFailed with one line on another value, or
/// when the architecture then has more storage choices than the mapper enumerates.
void apply_storage_flags(const SearchFlags& flags, Architecture& arch);

/// Checks the flags (--min-util in 0..1, --threads >= 0, --objective energy|cycles|edp;
/// otherwise throws CommandFailed with one line) and returns the mapper options they set.
MapperOptions mapper_options(const SearchFlags& flags);

/// The fixed-dataflow flags of optimize and dse: --dataflow and --fallback.
struct DataflowFlags {
  std::string dataflow;               ///< empty = the free search
  std::string fallback = "replicate";  ///< replicate | none
  int replication = 1;                ///< the free search's loops per array axis, 1..3
};

/// Registers --dataflow (with `help`), --fallback and --replication on `cmd`, bound to `flags`.
void add_dataflow_flags(CLI::App& cmd, DataflowFlags& flags, const std::string& help);

/// Checks the flags (a dataflow parse_dataflow accepts, --fallback replicate|none,
/// --replication 1..3 and only without --dataflow; otherwise throws CommandFailed with one
/// line) and sets `mapper.dataflows`, `mapper.replicate_if_unmapped` and
/// `mapper.max_loops_per_axis`.
/// `dims`: the dimensions a dataflow may name (every dimension of some layer searched).
void apply_dataflow_flags(const DataflowFlags& flags, MapperOptions& mapper, std::span<const Dim> dims);

/// Shows "LABEL: k work items done (Ctrl-C stops ...)" on stderr while alive, refreshed
/// every 200 ms, when stderr is a terminal; nothing otherwise.
class ProgressLine {
 public:
  ProgressLine(std::string label, const std::atomic<std::int64_t>& done);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void loop();
  bool enabled_;
  std::string label_;
  const std::atomic<std::int64_t>& done_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool finished_ = false;
  std::thread thread_;
};

/// search_network (or search_network_fused with `fuse`) as a command runs it: a progress
/// line per searched layer on a terminal, and Ctrl-C or SIGTERM stopping it with the
/// layers reached keeping their best so far (`interrupted` set; the caller exits with
/// StopSignalGuard::exit_code() after reporting). `mapper.stop` and `mapper.progress`
/// are set here; `hooks`' known and searched (a checkpoint's) are passed on.
NetworkSearch search_network_with_progress(const Network& network, const Architecture& arch, MapperOptions mapper,
                                           bool fuse, NetworkSearchHooks hooks = {});

}  // namespace dnnspace::cli
