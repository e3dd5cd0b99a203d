// `dnnspace dse`: hardware design-space exploration over a network (004 Sec. VI-B, VI-C):
// sweeps of memory sizes, array shape and hierarchy, or the auto-optimizer.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <optional>
#include <limits>
#include <string>
#include <vector>

#include "checkpoint_flags.hpp"
#include "commands.hpp"
#include "dnnspace/dist/checkpoint.hpp"
#include "dnnspace/dist/design_sweep.hpp"
#include "dnnspace/dist/ranks.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/io/fpga_yaml.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/report/json_text.hpp"
#include "dnnspace/report/dse_report.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/search/arch_variant.hpp"
#include "dnnspace/search/dse.hpp"
#include "dnnspace/search/fpga_dse.hpp"
#include "dnnspace/report/fpga_report.hpp"
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
  CheckpointFlags checkpoint;
  std::string shard;  ///< --shard K/M: only the points whose index mod M is K
  std::int64_t batch_value = 16;
  CLI::Option* batch_option = nullptr;
  CLI::Option* network_option = nullptr;
  std::string target;       ///< fpga:NAME: Zhang et al.'s FPGA design space instead of a sweep
  std::string design;       ///< with --target: Tm,Tn,Tr,Tc to report as well
  std::string plot_path;    ///< with --target: the design-space figure (SVG)
  std::string plot_layer;   ///< its layer (default: the first the engine runs)
  CLI::App* cmd = nullptr;  ///< to ask which options were given
};

void write_output(const std::string& path, const std::string& text) {
  if (path.empty()) return;
  if (auto ok = io::write_file_atomically(path, text); !ok) throw CommandFailed(ok.error().message);
}

// --design Tm,Tn,Tr,Tc: four whole numbers >= 1.
TiledConvDesign parse_design(const std::string& text) {
  TiledConvDesign d;
  std::array<std::int64_t*, 4> fields = {&d.tm, &d.tn, &d.tr, &d.tc};
  std::size_t start = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::size_t end = i + 1 < fields.size() ? text.find(',', start) : text.size();
    const std::string part = end == std::string::npos ? std::string() : text.substr(start, end - start);
    std::string checked = part;
    if (end == std::string::npos || !whole_number(1, 1 << 20, "")(checked).empty() || (i + 1 == fields.size() && text.find(',', start) != std::string::npos)) {
      throw CommandFailed("--design '" + text + "': expected Tm,Tn,Tr,Tc, four whole numbers in 1..1048576, e.g. 64,7,13,13");
    }
    *fields[i] = std::stoll(part);
    start = end + 1;
  }
  return d;
}

// dse --target fpga:NAME: Zhang et al.'s tiled engine, every legal design (docs/platforms.md).
// --shard K/M: whole numbers, 0 <= K < M <= 1,000,000.
dist::DesignShard parse_shard(const std::string& text, bool given) {
  if (!given) return {};
  const std::size_t slash = text.find('/');
  const auto number = [](const std::string& part) -> std::optional<std::size_t> {
    if (part.empty() || part.size() > 7 || part.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return static_cast<std::size_t>(std::stoul(part));
  };
  const std::optional<std::size_t> k = slash == std::string::npos ? std::nullopt : number(text.substr(0, slash));
  const std::optional<std::size_t> m = slash == std::string::npos ? std::nullopt : number(text.substr(slash + 1));
  if (!k || !m || *m < 1 || *m > 1000000 || *k >= *m) {
    throw CommandFailed("--shard '" + text + "': expected K/M with whole numbers 0 <= K < M <= 1000000 (task K of M, "
                        "e.g. 0/4): the points whose index mod M is K");
  }
  return {*k, *m};
}

int run_fpga_dse(const DseOptions& options, std::optional<std::int64_t> batch) {
  const std::string prefix = "fpga:";
  if (options.target.rfind(prefix, 0) != 0) {
    throw CommandFailed("--target '" + options.target +
                        "': expected fpga:NAME or fpga:FILE.yaml (built in: fpga:vc707, fpga:zcu102)");
  }
  Expected<FpgaTarget> target = io::resolve_fpga_target(options.target.substr(prefix.size()));
  if (!target) throw CommandFailed("--target: " + target.error().message);
  if (!options.plot_path.empty()) {
    const std::string& p = options.plot_path;
    if (p.size() < 4 || p.compare(p.size() - 4, 4, ".svg") != 0) {
      throw CommandFailed("--plot '" + p + "': the figure is written as SVG: give a path ending in .svg");
    }
  }
  const std::optional<TiledConvDesign> design =
      options.design.empty() ? std::nullopt : std::optional(parse_design(options.design));
  Expected<Network> network = resolve_network(options.network, batch, options.input_shapes);
  if (!network) throw CommandFailed(network.error().message);
  if (auto ok = check_network_size(*network); !ok) throw CommandFailed(ok.error().message);
  const Layer* plotted = nullptr;
  for (const Layer& l : network->layers) {
    if (options.plot_layer.empty() ? !plotted && conv_shape(l).has_value() : l.name == options.plot_layer) plotted = &l;
  }
  if (!options.plot_layer.empty() && (!plotted || !conv_shape(*plotted))) {
    std::string names;
    for (const Layer& l : network->layers) {
      if (conv_shape(l)) names += (names.empty() ? "" : ", ") + l.name;
    }
    throw CommandFailed("--plot-layer '" + options.plot_layer + "': not a convolution of " + network->name +
                        " (the engine runs: " + names + ")");
  }
  Expected<FpgaExploration> explored = Error{""};
  std::optional<StopSignalGuard> sigint(std::in_place);
  explored = explore_fpga(*network, *target, &StopSignalGuard::flag());
  if (!explored) throw CommandFailed(explored.error().message);
  // The frontier: the best shared design within 1/8, 2/8, ... of the DSPs.
  std::vector<std::int64_t> budgets;
  for (std::int64_t k = 1; k <= 8; ++k) {
    const std::int64_t b = target->dsp_slices / 8 * k + (k == 8 ? target->dsp_slices % 8 : 0);
    if (b >= target->dsp_per_mac && (budgets.empty() || b > budgets.back())) budgets.push_back(b);
  }
  Expected<std::vector<FpgaFrontierPoint>> frontier = fpga_frontier(*network, *target, budgets, &StopSignalGuard::flag());
  if (!frontier) throw CommandFailed(frontier.error().message);
  std::optional<report::GivenFpgaDesign> given;
  if (design) {
    Expected<std::vector<FpgaLayerRun>> runs = run_on_design(*network, *design, *target);
    if (!runs) throw CommandFailed(runs.error().message);
    std::vector<ConvShape> shapes;
    for (const FpgaLayerRun& r : *runs) shapes.push_back(r.shape);
    given = report::GivenFpgaDesign{*design, tiled_conv_resources(*design, shapes, *target), *runs};
  }
  const std::int64_t run_batch = network->layers.empty() ? 1 : batch_size(network->layers.front());
  std::fputs(report::fpga_text(*target, network->name, run_batch, *explored, given, *frontier).c_str(), stdout);
  std::fflush(stdout);
  write_output(options.json_path,
               report::json_text(report::fpga_json(*target, network->name, run_batch, *explored, given, *frontier)));
  if (!options.plot_path.empty() && plotted) {
    const ConvShape shape = *conv_shape(*plotted);
    std::vector<std::pair<std::string, TiledConvCost>> marked;
    for (const FpgaLayerRun& r : explored->best_per_layer) {
      if (r.name == plotted->name) marked.emplace_back("best for " + r.name + " " + design_text(r.design), r.cost);
    }
    if (explored->found) marked.emplace_back("shared " + design_text(explored->shared), tiled_conv_cost(shape, explored->shared, *target));
    if (design) marked.emplace_back("given " + design_text(*design), tiled_conv_cost(shape, *design, *target));
    const std::string svg = report::fpga_design_space_svg(
        *target, shape, "Design space of " + network->name + " " + plotted->name + " on " + target->name, marked,
        &StopSignalGuard::flag());
    if (!StopSignalGuard::flag().load()) write_output(options.plot_path, svg);  // not a cloud cut short
  }
  const bool stopped = explored->interrupted || StopSignalGuard::flag().load();
  sigint.reset();
  return stopped ? StopSignalGuard::exit_code() : kExitOk;
}

int run_dse(const DseOptions& options) {
  const std::optional<std::int64_t> batch =
      options.batch_option->count() > 0 || options.network_option->count() == 0 ? std::optional(options.batch_value)
                                                                                : std::nullopt;
  if (auto ok = check_batch_option(batch); !ok) throw CommandFailed(ok.error().message);
  for (const auto& [flag, out] : {std::pair{"--json", &options.json_path}, std::pair{"--csv", &options.csv_path},
                                  std::pair{"--plot", &options.plot_path}}) {
    if (options.cmd->get_option(flag)->count() == 0) continue;
    if (auto ok = io::check_output_path(flag, *out,
                                        {{"--base", options.base},
                                         {"--network", options.network},
                                         {"--target", options.target.starts_with("fpga:") ? options.target.substr(5) : ""}});
        !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  const auto given = [&](const char* flag) { return options.cmd->get_option(flag)->count() > 0; };
  if (given("--json") && given("--plot") && io::same_output_path(options.json_path, options.plot_path)) {
    throw CommandFailed("--json and --plot name the same file '" + options.json_path + "'");
  }
  for (const char* flag : {"--design", "--plot-layer", "--target"}) {
    if (given(flag) && options.cmd->get_option(flag)->as<std::string>().empty()) {
      throw CommandFailed(std::string(flag) + ": an empty value");
    }
  }
  if (dist::launched_size() > 1 && (!options.target.empty() || options.auto_optimize)) {
    throw CommandFailed(std::string(options.auto_optimize ? "--auto" : "--target") +
                        ": not under mpirun (only a --sweep's design points are shared over the ranks): run it "
                        "without mpirun");
  }
  if (!options.target.empty()) {
    // Zhang et al. run one image at a time: the default network runs at batch 1 here.
    return run_fpga_dse(options, options.batch_option->count() > 0 ? batch : std::optional<std::int64_t>(1));
  }
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
  if (given("--json") && given("--csv") && io::same_output_path(options.json_path, options.csv_path)) {
    throw CommandFailed("--json and --csv name the same file '" + options.json_path + "'");
  }
  check_checkpoint_paths(options.checkpoint, {{"--json", options.json_path}, {"--csv", options.csv_path}});
  const std::vector<SweepAxis> axes = value_or_fail(parse_sweeps(options.sweeps));
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
  const std::vector<SweepDesign> designs = value_or_fail(sweep_designs(*base, axes));
  dist::Ranks& ranks = dist::Ranks::world();
  share_cores(mapper, options.search, ranks);
  nlohmann::json settings = search_settings(*network, *base, options.search, options.dataflow);
  settings["sweeps"] = options.sweeps;
  const dist::DesignShard shard = parse_shard(options.shard, given("--shard"));
  std::optional<dist::Checkpoint> checkpoint = open_checkpoint(options.checkpoint, "dse", settings, ranks);
  Expected<dist::DesignSweepRun> run = Error{""};
  {
    StopSignalGuard sigint;
    mapper.stop = &StopSignalGuard::flag();
    std::optional<ProgressLine> line;
    dist::DesignSweepHooks hooks;
    if (ranks.is_root()) {
      hooks.before_point = [&](std::size_t i, const SweepDesign& d) {
        progress = 0;
        line.emplace("point " + std::to_string(i + 1) + "/" + std::to_string(designs.size()) + " " + d.label, progress);
      };
      hooks.after_point = [&](std::size_t) { line.reset(); };
    }
    static const std::vector<dist::CheckpointRecord> kNone;
    run = dist::run_design_sweep(*network, designs, mapper, ranks, ranks.is_root() && checkpoint ? &*checkpoint : nullptr,
                                 checkpoint ? checkpoint->records() : kNone, hooks, shard);
  }
  if (!run) throw CommandFailed(run.error().message);
  info.interrupted = run->interrupted;
  if (!ranks.is_root()) return info.interrupted ? StopSignalGuard::exit_code() : kExitOk;
  if (shard.count > 1) {
    std::fprintf(stderr, "dnnspace: shard %zu/%zu: %zu of the sweep's %zu design points\n", shard.index, shard.count,
                 (designs.size() + shard.count - 1 - shard.index) / shard.count, designs.size());
  }
  if (checkpoint && run->resumed > 0) {
    std::fprintf(stderr, "dnnspace: resumed %zu of %zu design points from '%s'\n", run->resumed, designs.size(),
                 checkpoint->path().c_str());
  }
  const std::vector<DesignPoint>& points = run->points;
  const DesignFronts fronts = design_fronts(points);
  std::fputs(report::dse_table(points, fronts, info).c_str(), stdout);
  write_output(options.json_path, report::json_text(report::dse_json(points, fronts, info)));
  write_output(options.csv_path, report::dse_csv(points, fronts));
  return info.interrupted ? StopSignalGuard::exit_code() : kExitOk;
}

}  // namespace

void register_dse_command(CLI::App& app) {
  auto options = std::make_shared<DseOptions>();
  CLI::App* cmd = options->cmd = app.add_subcommand(
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
  CLI::Option* csv = cmd->add_option("--csv", options->csv_path, "also write one CSV row per design point to this file");
  add_checkpoint_flags(*cmd, options->checkpoint, "design point");
  CLI::Option* shard = cmd->add_option(
      "--shard", options->shard,
      "K/M: only the design points whose index mod M is K (task K of a job array of M; their checkpoints "
      "concatenated resume as the whole sweep, docs/distributed.md)");
  CLI::Option* target = cmd->add_option(
      "--target", options->target,
      "fpga:NAME (vc707, zcu102): Zhang et al.'s FPGA design space instead of a sweep: every legal <Tm,Tn,Tr,Tc> "
      "of the tiled convolution engine, the best per layer and for all layers (docs/platforms.md)");
  cmd->add_option("--design", options->design, "with --target: also report this design, Tm,Tn,Tr,Tc (e.g. 64,7,13,13)")
      ->needs(target);
  CLI::Option* plot = cmd->add_option("--plot", options->plot_path,
                                      "with --target: draw one layer's design space (every legal design) to this SVG file")
                          ->needs(target);
  cmd->add_option("--plot-layer", options->plot_layer, "with --plot: the layer to draw (default: the first convolution)")
      ->needs(plot);
  for (const char* flag : {"--sweep", "--auto", "--base", "--dataflow", "--replication", "--fallback", "--min-util",
                           "--objective", "--bypass", "--buffering", "--time-limit", "--threads"}) {
    target->excludes(cmd->get_option(flag));
  }
  target->excludes(csv);
  for (CLI::Option* o : {options->checkpoint.checkpoint_option, options->checkpoint.resume_option, shard}) {
    target->excludes(o);
    cmd->get_option("--auto")->excludes(o);
  }
  cmd->callback([options] {
    const int code = run_dse(*options);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace dnnspace::cli
