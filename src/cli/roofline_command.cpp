// `dnnspace roofline`: where each layer's optimal mapping sits under the compute roof and
// each memory level's bandwidth roof (000 Sec. V-A, after Zhang et al.).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "dnnspace/arch/validate.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/arch/gpu_target.hpp"
#include "dnnspace/model/gpu_roofline.hpp"
#include "dnnspace/model/roofline.hpp"
#include "dnnspace/report/gpu_report.hpp"
#include "dnnspace/report/dataflow_report.hpp"
#include "dnnspace/report/json_text.hpp"
#include "dnnspace/report/roofline_report.hpp"
#include "dnnspace/search/network_search.hpp"
#include "exit_codes.hpp"
#include "input_resolution.hpp"
#include "numeric_flags.hpp"
#include "search_cli.hpp"

namespace dnnspace::cli {
namespace {

struct RooflineOptions {
  std::string arch = std::string(kDefaultArch);
  std::string network = "alexnet";
  std::string layer;
  DataflowFlags dataflow;
  SearchFlags search;
  std::vector<std::string> bandwidths;
  std::vector<std::string> input_shapes;
  std::string json_path;
  std::string plot_path;
  std::int64_t batch_value = 16;
  CLI::Option* batch_option = nullptr;
  CLI::Option* network_option = nullptr;
  CLI::Option* json_option = nullptr;
  CLI::Option* arch_option = nullptr;
  CLI::Option* layer_option = nullptr;
  CLI::Option* gpu_option = nullptr;
  CLI::Option* plot_option = nullptr;
  bool partial = false;
  std::string gpu;                  ///< a GPU preset: the bound model instead of an architecture
  std::string precision = "fp32";
  double efficiency = 0.0;          ///< 0 = the preset's
};

// roofline --gpu NAME: every layer under the GPU's roofs (model/gpu_roofline.hpp).
int run_gpu_roofline(const RooflineOptions& options, std::optional<std::int64_t> batch) {
  Expected<GpuTarget> gpu = gpu_preset(options.gpu);
  if (!gpu) throw CommandFailed("--gpu: " + gpu.error().message);
  const Expected<GpuPrecision> precision = parse_gpu_precision(options.precision);
  if (!precision) throw CommandFailed("--precision: " + precision.error().message);
  if (options.efficiency > 0.0) gpu->efficiency = options.efficiency;
  if (options.json_option->count() > 0) {
    if (auto ok = io::check_output_path("--json", options.json_path, {{"--network", options.network}}); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  Expected<Network> network = resolve_network(options.network, batch, options.input_shapes);
  if (!network) throw CommandFailed(network.error().message);
  if (auto ok = check_network_size(*network); !ok) throw CommandFailed(ok.error().message);
  if (options.layer_option->count() > 0) {
    if (auto ok = keep_only_layer(*network, options.layer); !ok) throw CommandFailed(ok.error().message);
  }
  std::vector<std::pair<std::string, GpuLayerCost>> layers;
  for (const Layer& l : network->layers) layers.emplace_back(l.name, gpu_layer_cost(l, *gpu, *precision));
  const std::int64_t run_batch = network->layers.empty() ? 1 : batch_size(network->layers.front());
  std::string out = "roofline of " + network->name + " (batch " + std::to_string(run_batch) + ") on the GPU " + gpu->name +
                    ", " + std::string(gpu_precision_name(*precision)) + "; 1 MAC = 2 ops\n\n";
  out += report::gpu_text(*gpu, *precision, layers);
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
  if (options.json_option->count() > 0) {
    nlohmann::json j = report::gpu_json(*gpu, *precision, layers);
    j["network"] = network->name;
    j["batch"] = run_batch;
    if (auto ok = io::write_file_atomically(options.json_path, report::json_text(j)); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  return kExitOk;
}

// --bandwidth LEVEL=GB/s: the level's bandwidth per instance, in words per cycle at the
// architecture's word width and clock (what an architecture file would say).
void apply_bandwidth(const std::string& text, Architecture& arch) {
  const std::size_t eq = text.find('=');
  std::string names;
  for (const StorageLevel& l : arch.levels) names += (names.empty() ? "" : ", ") + l.name;
  if (eq == std::string::npos) {
    throw CommandFailed("--bandwidth '" + text + "': expected LEVEL=GB/s, e.g. DRAM=25.6 (levels of " + arch.name +
                        ": " + names + ")");
  }
  const std::string name = text.substr(0, eq), value = text.substr(eq + 1);
  StorageLevel* level = nullptr;
  for (StorageLevel& l : arch.levels) {
    if (l.name == name) level = &l;
  }
  if (!level) throw CommandFailed("--bandwidth '" + text + "': no level '" + name + "' in " + arch.name + " (it has: " + names + ")");
  std::string checked = value;
  if (std::string why = finite_number(1e-6, 1e6, "of GB/s in 1e-6..1e6")(checked); !why.empty()) {
    throw CommandFailed("--bandwidth '" + text + "': " + why);
  }
  const double words_per_cycle = std::stod(value) * 1e9 / (arch.clock_mhz * 1e6) / static_cast<double>(word_bytes(arch));
  if (words_per_cycle > kMaxArchNumber) {
    throw CommandFailed("--bandwidth '" + text + "': " + report::fixed(words_per_cycle, 0) + " words per cycle at " +
                        arch.name + "'s " + report::fixed(arch.clock_mhz, 6) + " MHz clock, above the " +
                        report::fixed(kMaxArchNumber, 0) + " an architecture allows");
  }
  level->bandwidth_words_per_cycle = words_per_cycle;
  level->read_bandwidth_words_per_cycle = level->write_bandwidth_words_per_cycle = 0.0;
}

int run_roofline(const RooflineOptions& options) {
  const std::optional<std::int64_t> batch =
      options.batch_option->count() > 0 || options.network_option->count() == 0 ? std::optional(options.batch_value)
                                                                                : std::nullopt;
  if (auto ok = check_batch_option(batch); !ok) throw CommandFailed(ok.error().message);
  if (options.gpu_option->count() > 0) return run_gpu_roofline(options, batch);
  MapperOptions mapper = mapper_options(options.search);
  const bool json = options.json_option->count() > 0, plot = options.plot_option->count() > 0;
  if (plot) {
    const std::string& p = options.plot_path;
    if (p.size() < 4 || p.compare(p.size() - 4, 4, ".svg") != 0) {
      throw CommandFailed("--plot '" + p + "': the figure is written as SVG: give a path ending in .svg");
    }
  }
  for (const auto& [flag, given, path] : {std::tuple{"--json", json, options.json_path}, std::tuple{"--plot", plot, options.plot_path}}) {
    if (!given) continue;
    if (auto ok = io::check_output_path(flag, path, {{"--arch", options.arch}, {"--network", options.network}}); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  if (json && plot && io::same_output_path(options.json_path, options.plot_path)) {
    throw CommandFailed("--plot '" + options.plot_path + "': the same file as --json '" + options.json_path + "'");
  }
  Expected<Architecture> arch_or = io::resolve_arch(options.arch);
  if (!arch_or) throw CommandFailed(arch_or.error().message);
  Architecture arch = *arch_or;
  for (const std::string& b : options.bandwidths) apply_bandwidth(b, arch);
  Expected<Network> network_or = resolve_network(options.network, batch, options.input_shapes);
  if (!network_or) throw CommandFailed(network_or.error().message);
  Network network = *network_or;
  apply_storage_flags(options.search, arch);
  apply_dataflow_flags(options.dataflow, mapper, network_dims(network));
  if (auto ok = check_searchable(network); !ok) throw CommandFailed(ok.error().message);
  if (options.layer_option->count() > 0) {
    if (auto ok = keep_only_layer(network, options.layer); !ok) throw CommandFailed(ok.error().message);
  }

  const NetworkSearch search = search_network_with_progress(network, arch, mapper, false);
  std::vector<report::RooflineRow> rows;
  std::vector<Roofline> mapped;
  for (const LayerSearch& ls : search.layers) {
    report::RooflineRow row{ls.name, ls.result.found, {}};
    if (row.found) {
      // The architecture as costed: with the storage the mapper chose where it was left open.
      row.roofline = roofline(with_storage(arch, ls.result.storage), ls.result.cost);
      mapped.push_back(row.roofline);
    }
    rows.push_back(row);
  }
  Roofline total = roofline_sum(mapped);
  total.peak_ops_per_s = 2.0 * static_cast<double>(pe_count(arch)) * arch.clock_mhz * 1e6;  // also with no layer mapped
  const std::int64_t run_batch = network.layers.empty() ? 1 : batch_size(network.layers.front());
  std::string out = "roofline of " + network.name + " (batch " + std::to_string(run_batch) + ") on " + arch.name +
                    ": each layer's best mapping (objective " + options.search.objective + ", " +
                    report::dataflow_choice_text(options.dataflow.dataflow, options.dataflow.replication) +
                    "); 1 MAC = 2 ops\n\n";
  out += report::roofline_text(arch, rows, total);
  if (!search.unmapped.empty()) out += "NOT the network's total: layers without a mapping are left out\n";
  if (search.interrupted) out += "interrupted: the layers after the last one shown were not searched\n";
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
  if (json) {
    nlohmann::json j = report::roofline_json(arch, rows, total);
    j["network"] = network.name;
    j["arch"] = arch.name;
    j["batch"] = run_batch;
    j["objective"] = options.search.objective;
    j["complete"] = search.complete();
    j["interrupted"] = search.interrupted;
    if (auto ok = io::write_file_atomically(options.json_path, report::json_text(j)); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  if (plot) {
    const std::string title = "Roofline: " + network.name + " on " + arch.name + " (batch " + std::to_string(run_batch) + ")";
    if (auto ok = io::write_file_atomically(options.plot_path, report::roofline_svg(arch, rows, total, title)); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  if (search.interrupted) return StopSignalGuard::exit_code();
  if (!search.unmapped.empty() && !options.partial) {
    std::fprintf(stderr, "dnnspace: %zu layers have no mapping: the total is not the network's; --partial accepts "
                 "partial results (exit 0)\n", search.unmapped.size());
    return kExitIncomplete;
  }
  return kExitOk;
}

}  // namespace

void register_roofline_command(CLI::App& app) {
  auto options = std::make_shared<RooflineOptions>();
  CLI::App* cmd = app.add_subcommand(
      "roofline", "Roofline of every layer's best mapping: compute and bandwidth roofs per level (000 Sec. V-A)");
  options->arch_option = cmd->add_option("--arch", options->arch, "preset name or architecture YAML (default eyeriss)");
  options->network_option =
      cmd->add_option("--network", options->network, "zoo name, network YAML or ONNX model (default alexnet, batch 16)");
  options->layer_option = cmd->add_option("--layer", options->layer, "only this layer of the network");
  options->batch_option = cmd->add_option("--batch", options->batch_value, "batch size N (default 16 for the default network, else 1 for zoo networks)")
                              ->transform(whole_number(1, std::numeric_limits<std::int64_t>::max(), ">= 1"));
  cmd->add_option("--bandwidth", options->bandwidths,
                  "LEVEL=GB/s: set a level's bandwidth per instance (repeatable; e.g. DRAM=25.6); the presets leave "
                  "most levels unlimited, which have no roof");
  add_dataflow_flags(*cmd, options->dataflow, "fixed dataflow: U|V such as \"C|K\", or WS, OS, RS, NLR (default: the free search)");
  add_search_flags(*cmd, options->search);
  add_input_shape_option(*cmd, options->input_shapes);
  options->json_option = cmd->add_option("--json", options->json_path, "also write the results as JSON to this file");
  options->plot_option = cmd->add_option("--plot", options->plot_path, "also draw the roofline as an SVG figure to this file");
  cmd->add_flag("--partial", options->partial, "exit 0 even when some layers have no mapping (without it such a run exits 4)");
  CLI::Option* gpu = options->gpu_option = cmd->add_option("--gpu", options->gpu,
                                     "a GPU instead of an architecture: k20m, gtx680 or a100 (a bound model, docs/platforms.md)");
  cmd->add_option("--precision", options->precision, "with --gpu: fp32, fp16 or int8 (default fp32)")->needs(gpu);
  cmd->add_option("--efficiency", options->efficiency,
                  "with --gpu: the fraction of the peak its compute roof takes, in 0.001..1 (default: the preset's, 0.75)")
      ->transform(finite_number(1e-3, 1.0, "in 0.001..1"))
      ->needs(gpu);
  for (const char* flag : {"--arch", "--bandwidth", "--plot", "--dataflow", "--replication", "--fallback", "--min-util",
                           "--objective", "--bypass", "--buffering", "--time-limit", "--threads", "--partial"}) {
    gpu->excludes(cmd->get_option(flag));
  }
  cmd->callback([options] {
    const int code = run_roofline(*options);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace dnnspace::cli
