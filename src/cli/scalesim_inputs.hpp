// SCALE-Sim's configuration and topology files as the CLI takes them
// (--scalesim-config FILE.cfg --scalesim-topology FILE.csv on evaluate and optimize).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/io/scalesim.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace::cli {

struct ScaleSimFlags {
  std::string config;
  std::string topology;
  CLI::Option* config_option = nullptr;
  CLI::Option* topology_option = nullptr;
  bool given() const { return config_option != nullptr && config_option->count() > 0; }
};

/// Registers the two flags on `cmd` (each needs the other; both exclude `excluded`).
void add_scalesim_flags(CLI::App& cmd, ScaleSimFlags& flags, const std::vector<CLI::Option*>& excluded);

/// What the two files say, as dnnspace's architecture, network and SCALE-Sim's dataflow.
struct ScaleSimInputs {
  io::ScaleSimConfig config;
  Architecture arch;
  Network network;
};

/// Reads both files; throws CommandFailed with the reader's one-line error.
ScaleSimInputs load_scalesim_inputs(const ScaleSimFlags& flags);

/// `evaluate` with SCALE-Sim's files: every layer of the topology with SCALE-Sim's own
/// mapping for the configured dataflow; the table on stdout, JSON to json_path if given.
void run_scalesim_evaluate(const ScaleSimFlags& flags, const std::optional<std::string>& json_path);

}  // namespace dnnspace::cli
