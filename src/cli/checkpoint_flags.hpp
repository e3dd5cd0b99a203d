// --checkpoint and --resume, as dse and optimize take them (docs/distributed.md), and
// what an MPI run of either shares: the machine's cores among its ranks.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/dist/checkpoint.hpp"
#include "dnnspace/dist/ranks.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/workload/network.hpp"
#include "search_cli.hpp"

namespace dnnspace::cli {

struct CheckpointFlags {
  std::string checkpoint;  ///< --checkpoint: a new file to append each finished unit to
  std::string resume;      ///< --resume: a checkpoint of an earlier run, read and appended to
  CLI::Option* checkpoint_option = nullptr;
  CLI::Option* resume_option = nullptr;
  bool given() const { return checkpoint_option->count() > 0 || resume_option->count() > 0; }
};

/// Registers --checkpoint and --resume; `unit` says what a record is ("design point").
void add_checkpoint_flags(CLI::App& cmd, CheckpointFlags& flags, const std::string& unit);

/// Throws CommandFailed when a checkpoint flag names the same file as one of `outputs`
/// (flag, path; only those given), or --checkpoint and --resume name different files.
void check_checkpoint_paths(const CheckpointFlags& flags, const std::vector<std::pair<std::string, std::string>>& outputs);

/// What decides a search's results, the header of its checkpoint: the network's layers
/// (names, bounds, MACs), the architecture as searched, and the search's flags (not
/// --threads: the mapper is deterministic).
nlohmann::json search_settings(const Network& network, const Architecture& arch, const SearchFlags& search,
                               const DataflowFlags& dataflow);

/// Opens the checkpoint of `command` for the ranks: rank 0 creates or resumes it, the
/// others read a resumed one. All ranks agree before any search starts, so none waits for
/// a rank that failed: a failure on any throws CommandFailed on all. nullopt when neither
/// flag was given.
std::optional<dist::Checkpoint> open_checkpoint(const CheckpointFlags& flags, const std::string& command,
                                                const nlohmann::json& settings, dist::Ranks& ranks);

/// In an MPI run without --threads, the ranks on one machine share its cores.
void share_cores(MapperOptions& mapper, const SearchFlags& flags, const dist::Ranks& ranks);

}  // namespace dnnspace::cli
