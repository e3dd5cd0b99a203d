// `dnnspace dataflows`: every U|V dataflow of one layer, each with its optimal blocking
// (004 Sec. III-C, VI-A, Fig. 7 and 8).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>
#include <limits>
#include <string>

#include "commands.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/report/json_text.hpp"
#include "dnnspace/report/dataflow_report.hpp"
#include "dnnspace/search/dataflow_sweep.hpp"
#include "exit_codes.hpp"
#include "input_resolution.hpp"
#include "numeric_flags.hpp"
#include "search_cli.hpp"

namespace dnnspace::cli {
namespace {

struct DataflowsOptions {
  std::string arch = std::string(kDefaultArch);
  std::string layer;
  SearchFlags search;
  std::string json_path;
  int replication = 1;
  std::int64_t batch_value = 1;
  CLI::Option* batch_option = nullptr;
  CLI::Option* replication_option = nullptr;
};

int run_dataflows(const DataflowsOptions& options) {
  const std::optional<std::int64_t> batch =
      options.batch_option->count() > 0 ? std::optional(options.batch_value) : std::nullopt;
  if (auto ok = check_batch_option(batch); !ok) throw CommandFailed(ok.error().message);
  MapperOptions mapper = mapper_options(options.search);
  if (options.replication_option->count() > 0 && options.replication != 2 && options.replication != 3) {
    throw CommandFailed("--replication " + std::to_string(options.replication) +
                        ": allowed: 2 or 3 (the most loops unrolled on one array axis; without it, one per axis)");
  }
  const bool layer_given = !options.layer.empty();
  const std::string layer_spec = layer_given ? options.layer : std::string(kDefaultLayer);
  if (!options.json_path.empty()) {
    if (auto ok = io::check_output_path("--json", options.json_path, {{"--arch", options.arch}, {"--layer", layer_spec}}); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  Expected<Architecture> arch = io::resolve_arch(options.arch);
  if (!arch) throw CommandFailed(arch.error().message);
  apply_storage_flags(options.search, *arch);
  Expected<Layer> layer = resolve_layer(layer_spec, batch, layer_given ? 1 : kDefaultBatch);
  if (!layer) throw CommandFailed(layer.error().message);
  if (auto ok = check_searchable(*layer); !ok) throw CommandFailed(ok.error().message);
  Expected<std::vector<Dataflow>> space = dataflow_space(*layer, options.replication);
  if (!space) throw CommandFailed("--replication: " + space.error().message);

  std::atomic<std::int64_t> progress{0};
  mapper.progress = &progress;
  std::vector<DataflowPoint> points;
  bool interrupted = false;
  {
    StopSignalGuard sigint;
    mapper.stop = &StopSignalGuard::flag();
    ProgressLine line("searching " + std::to_string(space->size()) + " dataflows of " + layer->name, progress);
    Expected<std::vector<DataflowPoint>> swept = sweep_dataflows(*layer, *arch, *space, mapper);
    if (!swept) throw CommandFailed("dataflows: " + swept.error().message);
    points = std::move(*swept);
    interrupted = StopSignalGuard::flag().load();
  }
  report::DataflowSweepInfo info{options.search.objective, options.search.min_util, options.replication, interrupted,
                                 static_cast<std::int64_t>(space->size())};
  std::fputs(report::dataflow_sweep_table(*layer, *arch, points, info).c_str(), stdout);
  if (!options.json_path.empty()) {
    const nlohmann::json j = report::dataflow_sweep_json(*layer, *arch, points, info);
    if (auto ok = io::write_file_atomically(options.json_path, report::json_text(j)); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  return interrupted ? StopSignalGuard::exit_code() : kExitOk;
}

}  // namespace

void register_dataflows_command(CLI::App& app) {
  auto options = std::make_shared<DataflowsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "dataflows", "Every U|V dataflow of one layer with its optimal blocking, ranked (004 Sec. III-C, Fig. 7-8)");
  cmd->add_option("--arch", options->arch, "preset name or architecture YAML (default eyeriss)");
  cmd->add_option("--layer,--workload", options->layer,
                  "zoo layer NET/LAYER, or a layer or workload YAML (default alexnet/conv3 at batch 16)");
  options->batch_option = cmd->add_option(
      "--batch", options->batch_value,
      "N (batch) of the layer (default: 1 for zoo layers, 16 for the default layer; a YAML layer keeps its N)")
      ->transform(whole_number(1, std::numeric_limits<std::int64_t>::max(), ">= 1"));
  options->replication_option = cmd->add_option(
      "--replication", options->replication,
      "also dataflows with up to 2 or 3 loops on one array axis (default: one loop per axis, 21 for a CONV layer)");
  add_search_flags(*cmd, options->search);
  cmd->add_option("--json", options->json_path, "also write the results as JSON to this file");
  cmd->callback([options] {
    const int code = run_dataflows(*options);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace dnnspace::cli
