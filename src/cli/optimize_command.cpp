// `dnnspace optimize`: the best mapping of every layer of a network on one architecture.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "commands.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/report/dataflow_report.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/report/text_table.hpp"
#include "dnnspace/search/mapper.hpp"
#include "exit_codes.hpp"
#include "input_resolution.hpp"
#include "search_cli.hpp"

namespace dnnspace::cli {
namespace {

struct OptimizeOptions {
  std::string arch = "eyeriss";
  std::string network = "alexnet";
  std::string layer;
  DataflowFlags dataflow;
  SearchFlags search;
  std::string json_path;
  std::string pass = "forward";
  std::int64_t batch_value = 16;
  CLI::Option* batch_option = nullptr;
  CLI::Option* network_option = nullptr;
};

int run_optimize(const OptimizeOptions& options) {
  const std::optional<std::int64_t> batch =
      options.batch_option->count() > 0 || options.network_option->count() == 0 ? std::optional(options.batch_value)
                                                                                : std::nullopt;
  if (auto ok = check_batch_option(batch); !ok) throw CommandFailed(ok.error().message);
  const Expected<Pass> pass = pass_option(options.pass);
  if (!pass) throw CommandFailed(pass.error().message);
  MapperOptions mapper = mapper_options(options.search);
  apply_dataflow_flags(options.dataflow, mapper);
  if (!options.json_path.empty() && (same_file(options.json_path, options.arch) ||
                                     same_file(options.json_path, options.network))) {
    throw CommandFailed("--json '" + options.json_path + "': is an input file; refusing to overwrite it");
  }
  Expected<Architecture> arch_or = io::resolve_arch(options.arch);
  if (!arch_or) throw CommandFailed(arch_or.error().message);
  const Architecture arch = *arch_or;
  Expected<Network> network_or = resolve_network(options.network, batch);
  if (!network_or) throw CommandFailed(network_or.error().message);
  Network network = *network_or;
  for (Layer& l : network.layers) l.pass = *pass;
  if (auto ok = check_searchable(network); !ok) throw CommandFailed(ok.error().message);
  if (!options.layer.empty()) {
    const Layer* layer = find_layer(network, options.layer);
    if (!layer) {
      std::string names;
      for (const Layer& l : network.layers) names += (names.empty() ? "" : ", ") + l.name;
      throw CommandFailed("--layer '" + options.layer + "': network '" + network.name + "' has: " + names);
    }
    network.layers = {*layer};
  }
  mapper.stop = &SigintGuard::flag();

  std::optional<SigintGuard> sigint(std::in_place);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"layer", "dataflow", "energy (pJ)", "pJ/MAC"};
  for (const StorageLevel& level : arch.levels) header.push_back(level.name);
  for (const char* h : {"Array", "MAC", "cycles", "util"}) header.emplace_back(h);
  rows.push_back(header);
  nlohmann::json layers_json = nlohmann::json::array();
  std::string mappings;
  double total_energy = 0;
  std::int64_t total_macs = 0, total_cycles = 0, total_offchip = 0, missing = 0, done_layers = 0;
  std::int64_t total_evaluated = 0;  // mappings the cost model evaluated, all layers
  std::int64_t replicated = 0;       // layers mapped with a replicated extension of --dataflow
  std::vector<std::tuple<Layer, std::string, MapperResult>> solved;  // searched shapes
  for (std::size_t i = 0; i < network.layers.size() && !SigintGuard::flag().load(); ++i) {
    const Layer& layer = network.layers[i];
    std::atomic<std::int64_t> progress{0};
    mapper.progress = &progress;
    MapperResult result;
    // Layers of the same shape (ResNet's repeated blocks) have the same best mapping:
    // search each shape once.
    Layer shape = layer;
    shape.name.clear();
    std::string same_as;
    for (const auto& [earlier_shape, earlier_name, earlier] : solved) {
      if (earlier_shape == shape && !earlier.interrupted) {
        result = earlier;
        result.evaluated = 0;
        same_as = earlier_name;
        break;
      }
    }
    if (same_as.empty()) {
      ProgressLine line("layer " + std::to_string(i + 1) + "/" + std::to_string(network.layers.size()) + " " +
                            layer.name,
                        progress);
      result = find_best_mapping(layer, arch, mapper);
      solved.emplace_back(shape, layer.name, result);
    }
    ++done_layers;
    total_evaluated += result.evaluated;
    if (!result.found) {
      ++missing;
      rows.push_back({layer.name, "-", result.interrupted ? "interrupted" : "no mapping", "", ""});
      rows.back().resize(header.size());
      layers_json.push_back({{"name", layer.name}, {"found", false}});
      continue;
    }
    const CostResult& c = result.cost;
    // A layer whose search was cut short shows the best mapping seen so far.
    std::vector<std::string> row = {layer.name + (result.interrupted ? " (stopped)" : ""), dataflow_name(dataflow_of(result.mapping, arch)) + (result.replicated ? " *" : ""),
                                    report::group_digits(static_cast<std::int64_t>(c.energy_pj)),
                                    fixed(c.energy_pj / static_cast<double>(c.macs), 4)};
    for (int l = 0; l < c.num_levels; ++l) {
      row.push_back(report::group_digits(static_cast<std::int64_t>(c.levels[static_cast<std::size_t>(l)].energy_total_pj)));
    }
    row.push_back(report::group_digits(static_cast<std::int64_t>(c.array_energy_pj)));
    row.push_back(report::group_digits(static_cast<std::int64_t>(c.mac_energy_pj)));
    row.push_back(report::group_digits(c.cycles));
    row.push_back(fixed(c.utilization * 100.0, 1) + "%");
    rows.push_back(row);
    mappings += "  " + layer.name + ": " + report::compact_mapping(arch, result.mapping) + "\n";
    nlohmann::json lj = report::evaluation_json(layer, arch, result.mapping, c);
    lj["name"] = layer.name;
    lj["found"] = true;
    lj["interrupted"] = result.interrupted;
    lj["replicated"] = result.replicated;
    lj["mappings_evaluated"] = result.evaluated;
    if (same_as.empty()) {
      // What the bounds of docs/search.md did in this search.
      lj["search"] = {{"work_items", result.work_items},
                      {"pruned_blockings", result.pruned},
                      {"skipped_items", result.skipped_items},
                      {"skipped_blockings", result.skipped_blockings},
                      {"skipped_subtrees", result.skipped_subtrees},
                      {"bound_evaluations", result.bound_evaluations}};
    } else {
      lj["same_search_as"] = same_as;
    }
    layers_json.push_back(lj);
    total_energy += c.energy_pj;
    total_macs += c.macs;
    total_cycles += c.cycles;
    total_offchip += c.offchip_bytes;
    replicated += result.replicated ? 1 : 0;
  }
  const bool interrupted = SigintGuard::flag().load();
  sigint.reset();

  // Metrics of 003 Table V for the whole run.
  const std::int64_t batch_size = network.layers.empty() ? 1 : network.layers.front().bounds[Dim::N];
  const double latency_s = static_cast<double>(total_cycles) / (arch.clock_mhz * 1e6);
  std::int64_t onchip_bytes = 0;
  for (std::size_t l = 1; l < arch.levels.size(); ++l) {
    const std::int64_t copies = static_cast<int>(l) > arch.array.parent_level ? pe_count(arch) : 1;
    onchip_bytes += arch.levels[l].capacity_bytes * copies;
  }
  std::string out = "optimizing " + network.name + " (N=" + std::to_string(batch_size) + ") on " + arch.name +
                    ", objective " + options.search.objective + ", utilization >= " + fixed(options.search.min_util, 2) +
                    ", " + report::dataflow_choice_text(options.dataflow.dataflow, options.dataflow.replication) + "\n\n";
  out += report::render_table(rows) + "\n";
  if (replicated > 0) {
    out += "* " + options.dataflow.dataflow + " has no mapping of this layer at utilization >= " +
           fixed(options.search.min_util, 2) +
           "; searched with one more loop on the axes it cannot fill (004 Sec. III-C; --fallback none "
           "reports it unmapped)\n\n";
  }
  out += "mappings (outermost level first; | rows/cols = spatial):\n" + mappings + "\n";
  out += "total (" + std::to_string(done_layers - missing) + " of " + std::to_string(network.layers.size()) +
         " layers mapped" + (interrupted ? ", interrupted" : "") + ")\n";
  out += "  energy            " + report::group_digits(static_cast<std::int64_t>(total_energy)) + " pJ (" +
         (total_macs ? fixed(total_energy / static_cast<double>(total_macs), 4) : "-") + " pJ/MAC)\n";
  out += "  MACs              " + report::group_digits(total_macs) + "\n";
  out += "  off-chip          " + report::group_digits(total_offchip) + " B (" +
         report::group_digits(total_offchip / std::max<std::int64_t>(1, batch_size)) + " B per inference)\n";
  out += "  latency           " + report::group_digits(total_cycles) + " cycles = " +
         fixed(latency_s * 1e3, 3) + " ms at " + std::to_string(static_cast<int>(arch.clock_mhz)) + " MHz\n";
  out += "  throughput        " + fixed(latency_s > 0 ? static_cast<double>(batch_size) / latency_s : 0.0, 1) +
         " inferences/s at batch " + std::to_string(batch_size) + "\n";
  out += "  on-chip memory    " + report::group_digits(onchip_bytes) + " B; PEs " + std::to_string(pe_count(arch)) +
         "; bits per operand " + std::to_string(arch.word_bits) + "\n";
  std::fputs(out.c_str(), stdout);

  if (!options.json_path.empty()) {
    nlohmann::json j = {{"network", network.name},
                        {"arch", arch.name},
                        {"batch", batch_size},
                        {"objective", options.search.objective},
                        {"min_utilization", options.search.min_util},
                        {"interrupted", interrupted},
                        {"layers", layers_json},
                        {"total",
                         {{"energy_pj", total_energy},
                          {"macs", total_macs},
                          {"cycles", total_cycles},
                          {"offchip_bytes", total_offchip},
                          {"layers_mapped", done_layers - missing},
                          {"mappings_evaluated", total_evaluated}}},
                        {"metrics",
                         {{"latency_s", latency_s},
                          {"throughput_inferences_per_s", latency_s > 0 ? static_cast<double>(batch_size) / latency_s : 0.0},
                          {"offchip_bytes_per_inference", total_offchip / std::max<std::int64_t>(1, batch_size)},
                          {"onchip_memory_bytes", onchip_bytes},
                          {"pes", pe_count(arch)},
                          {"bits_per_operand", arch.word_bits}}}};
    if (auto ok = io::write_file_atomically(options.json_path, j.dump(2) + "\n"); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  return interrupted ? kExitInterrupted : kExitOk;
}

}  // namespace

void register_optimize_command(CLI::App& app) {
  auto options = std::make_shared<OptimizeOptions>();
  CLI::App* cmd = app.add_subcommand("optimize", "Best mapping of every layer of a network on one architecture (004 Sec. VI)");
  cmd->add_option("--arch", options->arch, "preset name or architecture YAML (default eyeriss)");
  options->network_option = cmd->add_option("--network", options->network, "zoo name or network YAML (default alexnet, batch 16)");
  cmd->add_option("--layer", options->layer, "only this layer of the network");
  options->batch_option = cmd->add_option("--batch", options->batch_value, "batch size N (default 16 for the default network, else 1 for zoo networks)");
  add_dataflow_flags(*cmd, options->dataflow, "fixed dataflow: U|V such as \"C|K\", or WS, OS, RS, NLR (default: the free search, --replication)");
  add_search_flags(*cmd, options->search);
  add_pass_option(*cmd, options->pass);
  cmd->add_option("--json", options->json_path, "also write the results as JSON to this file");
  cmd->callback([options] {
    const int code = run_optimize(*options);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace dnnspace::cli
