// `dnnspace dse`: hardware design-space exploration over a network (004 Sec. VI-B, VI-C):
// sweeps of memory sizes, array shape and hierarchy, or the auto-optimizer.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>
#include <limits>
#include <string>
#include <vector>

#include "commands.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/report/json_text.hpp"
#include "dnnspace/report/dse_report.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/search/arch_variant.hpp"
#include "dnnspace/search/dse.hpp"
#include "exit_codes.hpp"
#include "input_resolution.hpp"
#include "numeric_flags.hpp"
#include "search_cli.hpp"

namespace dnnspace::cli {
namespace {

struct DseOptions {
  std::string base = std::string(kDefaultArch);
  std::string network = "alexnet";
  std::vector<std::string> input_shapes;
  std::vector<std::string> sweeps;
  bool auto_optimize = false;
  DataflowFlags dataflow;
  SearchFlags search;
  std::string json_path;
  std::string csv_path;
  std::int64_t batch_value = 16;
  CLI::Option* batch_option = nullptr;
  CLI::Option* network_option = nullptr;
};

void write_output(const std::string& path, const std::string& text) {
  if (path.empty()) return;
  if (auto ok = io::write_file_atomically(path, text); !ok) throw CommandFailed(ok.error().message);
}

int run_dse(const DseOptions& options) {
  const std::optional<std::int64_t> batch =
      options.batch_option->count() > 0 || options.network_option->count() == 0 ? std::optional(options.batch_value)
                                                                                : std::nullopt;
  if (auto ok = check_batch_option(batch); !ok) throw CommandFailed(ok.error().message);
  MapperOptions mapper = mapper_options(options.search);
  if (options.auto_optimize && !options.sweeps.empty()) {
    throw CommandFailed("--auto: searches its own memory sizes (004 Sec. VI-C); give either --auto or --sweep, not both");
  }
  if (options.auto_optimize && !options.dataflow.dataflow.empty()) {
    throw CommandFailed("--auto: fixes the dataflow to C|K (004 Sec. VI-C); --dataflow cannot be combined with it");
  }
  if (options.auto_optimize && options.dataflow.replication > 1) {
    throw CommandFailed("--auto: fixes the dataflow to C|K (004 Sec. VI-C); --replication cannot be combined with it");
  }
  if (!options.auto_optimize && options.sweeps.empty()) {
    throw CommandFailed("dse: give --sweep KEY=VALUES (keys rf, rf2, gb, gb2, array, levels; docs/cli.md) or --auto");
  }
  for (const auto& [flag, out] : {std::pair{"--json", &options.json_path}, std::pair{"--csv", &options.csv_path}}) {
    if (out->empty()) continue;
    if (auto ok = io::check_output_path(flag, *out, {{"--base", options.base}, {"--network", options.network}}); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  if (!options.json_path.empty() && options.json_path == options.csv_path) {
    throw CommandFailed("--json and --csv name the same file '" + options.json_path + "'");
  }
  std::vector<SweepAxis> axes;
  for (const std::string& text : options.sweeps) {
    Expected<SweepAxis> axis = parse_sweep(text);
    if (!axis) throw CommandFailed("--" + axis.error().message);
    axes.push_back(std::move(*axis));
  }
  if (auto ok = check_sweep_axes(axes); !ok) throw CommandFailed("--" + ok.error().message);
  Expected<Architecture> base = io::resolve_arch(options.base);
  if (!base) throw CommandFailed("--base: " + base.error().message);
  apply_storage_flags(options.search, *base);
  Expected<Network> network = resolve_network(options.network, batch, options.input_shapes);
  if (!network) throw CommandFailed(network.error().message);
  if (auto ok = check_searchable(*network); !ok) throw CommandFailed(ok.error().message);
  apply_dataflow_flags(options.dataflow, mapper, network_dims(*network));

  std::atomic<std::int64_t> progress{0};
  mapper.progress = &progress;
  report::DseInfo info{network->name,      base->name, options.search.objective, options.search.min_util, options.dataflow.dataflow,
                       network->layers.size(), false, mapper.max_loops_per_axis, report::storage_search_text(*base)};

  if (options.auto_optimize) {
    Expected<AutoOptimizerResult> result = Error{""};
    {
      StopSignalGuard sigint;
      mapper.stop = &StopSignalGuard::flag();
      ProgressLine line("auto-optimizer on " + network->name, progress);
      result = auto_optimize(*network, *base, mapper);
    }
    if (!result) throw CommandFailed(result.error().message);
    info.interrupted = result->interrupted;
    info.dataflow = "C|K";  // what auto_optimize fixes
    std::fputs(report::auto_optimizer_table(*result, info).c_str(), stdout);
    write_output(options.json_path, report::json_text(report::auto_optimizer_json(*result, info)));
    std::vector<DesignPoint> all = {result->base};
    all.insert(all.end(), result->explored.begin(), result->explored.end());
    write_output(options.csv_path, report::dse_csv(all, design_fronts(all)));
    return result->interrupted ? StopSignalGuard::exit_code() : kExitOk;
  }

  // Every point is built before any search, so a bad value fails at once.
  const std::vector<SweepPoint> sweep = sweep_points(axes);
  std::vector<Architecture> archs;
  for (const SweepPoint& point : sweep) {
    Expected<Architecture> arch = apply_sweep_point(*base, point);
    if (!arch) throw CommandFailed("--sweep: " + arch.error().message);
    archs.push_back(std::move(*arch));
  }
  std::vector<DesignPoint> points;
  {
    StopSignalGuard sigint;
    mapper.stop = &StopSignalGuard::flag();
    for (std::size_t i = 0; i < sweep.size() && !StopSignalGuard::flag().load(); ++i) {
      const std::string label = sweep_point_label(sweep[i]);
      ProgressLine line("point " + std::to_string(i + 1) + "/" + std::to_string(sweep.size()) + " " + label, progress);
      points.push_back(evaluate_design(*network, archs[i], mapper, label));
    }
    info.interrupted = StopSignalGuard::flag().load();
  }
  const DesignFronts fronts = design_fronts(points);
  std::fputs(report::dse_table(points, fronts, info).c_str(), stdout);
  write_output(options.json_path, report::json_text(report::dse_json(points, fronts, info)));
  write_output(options.csv_path, report::dse_csv(points, fronts));
  return info.interrupted ? StopSignalGuard::exit_code() : kExitOk;
}

}  // namespace

void register_dse_command(CLI::App& app) {
  auto options = std::make_shared<DseOptions>();
  CLI::App* cmd = app.add_subcommand(
      "dse", "Hardware design-space exploration over a network: memory sizes, array shape, hierarchy (004 Sec. VI-B/C)");
  options->network_option =
      cmd->add_option("--network", options->network, "zoo name, network YAML or ONNX model (default alexnet, batch 16)");
  add_input_shape_option(*cmd, options->input_shapes);
  cmd->add_option("--base", options->base, "the architecture to vary: preset name or YAML (default eyeriss)");
  cmd->add_option("--sweep", options->sweeps,
                  "KEY=VALUES, repeatable (cross product): rf|rf2|gb|gb2=SIZES (64,512B,64K,1M or 16..512), "
                  "array=16x16,32x8, levels=base,+rf2,+gb2,+rf2+gb2")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--auto", options->auto_optimize,
                "004's auto-optimizer: dataflow C|K, RF and buffer sizes, then a second RF level");
  options->batch_option = cmd->add_option(
      "--batch", options->batch_value, "batch size N (default 16 for the default network, else 1 for zoo networks)")
      ->transform(whole_number(1, std::numeric_limits<std::int64_t>::max(), ">= 1"));
  add_dataflow_flags(*cmd, options->dataflow, "fixed dataflow for every layer (default: the free search, --replication)");
  add_search_flags(*cmd, options->search);
  cmd->add_option("--json", options->json_path, "also write the results as JSON to this file");
  cmd->add_option("--csv", options->csv_path, "also write one CSV row per design point to this file");
  cmd->callback([options] {
    const int code = run_dse(*options);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace dnnspace::cli
