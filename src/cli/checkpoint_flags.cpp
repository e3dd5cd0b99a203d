#include "checkpoint_flags.hpp"

#include <algorithm>
#include <thread>

#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "exit_codes.hpp"

namespace dnnspace::cli {

void add_checkpoint_flags(CLI::App& cmd, CheckpointFlags& flags, const std::string& unit) {
  flags.checkpoint_option =
      cmd.add_option("--checkpoint", flags.checkpoint,
                     "append each finished " + unit + " to this new file, so that a stopped run can be resumed "
                     "(docs/distributed.md)")
          ->type_name("FILE");
  flags.resume_option = cmd.add_option("--resume", flags.resume,
                                       "a checkpoint of an earlier run with the same settings: take its " + unit +
                                           "s, search the rest, and go on appending to it")
                            ->type_name("FILE");
}

void check_checkpoint_paths(const CheckpointFlags& flags, const std::vector<std::pair<std::string, std::string>>& outputs) {
  for (const auto& [option, flag, path] : {std::tuple{flags.checkpoint_option, "--checkpoint", &flags.checkpoint},
                                           std::tuple{flags.resume_option, "--resume", &flags.resume}}) {
    if (option->count() == 0) continue;
    if (path->empty()) throw CommandFailed(std::string(flag) + ": an empty value (allowed: the path of a checkpoint file)");
    for (const auto& [out_flag, out_path] : outputs) {
      if (out_path.empty()) continue;  // not given
      if (io::same_output_path(*path, out_path)) {
        throw CommandFailed(std::string(flag) + " and " + out_flag + " name the same file '" + *path + "'");
      }
    }
  }
  if (flags.checkpoint_option->count() > 0 && flags.resume_option->count() > 0 &&
      !io::same_output_path(flags.checkpoint, flags.resume)) {
    throw CommandFailed("--checkpoint '" + flags.checkpoint + "' and --resume '" + flags.resume +
                        "' name different files: --resume FILE goes on appending to FILE (give one of them)");
  }
}

nlohmann::json search_settings(const Network& network, const Architecture& arch, const SearchFlags& search,
                               const DataflowFlags& dataflow) {
  nlohmann::json layers = nlohmann::json::array();
  for (const Layer& l : network.layers) {
    std::string bounds;
    for (Dim d : l.dims) bounds += std::string(1, dim_letter(d)) + std::to_string(l.bounds[d]);
    nlohmann::json entry = {l.name, bounds, macs(l), std::string(pass_name(l.pass))};
    // A sparse layer's densities change its costs: a resume must have the same ones.
    for (TensorId t : layer_tensors(l)) {
      if (l.density[t] != 1.0) entry.push_back(std::string(tensor_name(l, t)) + "=" + nlohmann::json(l.density[t]).dump());
    }
    layers.push_back(entry);
  }
  return {{"network", network.name},
          {"layers", layers},
          {"arch", report::architecture_json(arch)},
          {"objective", search.objective},
          {"min_util", search.min_util},
          {"time_limit_s", search.time_limit_s},
          {"bypass", search.bypass},
          {"buffering", search.buffering},
          {"dataflow", dataflow.dataflow},
          {"fallback", dataflow.fallback},
          {"replication", dataflow.replication}};
}

std::optional<dist::Checkpoint> open_checkpoint(const CheckpointFlags& flags, const std::string& command,
                                                const nlohmann::json& settings, dist::Ranks& ranks) {
  std::optional<dist::Checkpoint> checkpoint;
  std::optional<std::string> failure;
  if (flags.given()) {
    const bool resume = flags.resume_option->count() > 0;
    Expected<dist::Checkpoint> opened =
        dist::Checkpoint::open(resume ? "--resume" : "--checkpoint", resume ? flags.resume : flags.checkpoint, command,
                               settings, resume, /*append=*/ranks.is_root());
    if (opened) {
      checkpoint.emplace(std::move(*opened));
    } else {
      failure = opened.error().message;
    }
  }
  if (!ranks.all_true(!failure)) {
    throw CommandFailed(failure ? *failure
                                : "another rank of this MPI run could not start (run it without mpirun to see why)");
  }
  return checkpoint;
}

void share_cores(MapperOptions& mapper, const SearchFlags& flags, const dist::Ranks& ranks) {
  if (ranks.size() <= 1 || flags.threads != 0) return;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  mapper.threads = std::max(1, cores / ranks.local_size());
}

}  // namespace dnnspace::cli
