// `dnnspace optimize`: the best mapping of every layer of a network on one architecture.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "commands.hpp"
#include "dnnspace/core/checked.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/mapping/schedule.hpp"
#include "dnnspace/report/dataflow_report.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/report/json_text.hpp"
#include "dnnspace/report/optimize_report.hpp"
#include "dnnspace/report/training_report.hpp"
#include "dnnspace/report/text_table.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/search/network_search.hpp"
#include "dnnspace/search/training_search.hpp"
#include "exit_codes.hpp"
#include "input_resolution.hpp"
#include "schedule_input.hpp"
#include "numeric_flags.hpp"
#include "checkpoint_flags.hpp"
#include "dnnspace/dist/search_record.hpp"
#include "scalesim_inputs.hpp"
#include "search_cli.hpp"

namespace dnnspace::cli {
namespace {

struct OptimizeOptions {
  std::string arch = "eyeriss";
  std::string network = "alexnet";
  std::string layer;
  std::string schedule;
  bool print_schedule = false;
  DataflowFlags dataflow;
  SearchFlags search;
  std::string json_path;
  std::string pass = "forward";
  bool partial = false;
  bool fuse = false;
  bool training = false;
  std::string optimizer = "sgd";
  std::int64_t time_steps = 1;
  std::string keep_activations = "auto";
  std::int64_t batch_value = 16;
  CLI::Option* batch_option = nullptr;
  CLI::Option* network_option = nullptr;
  CLI::Option* arch_option = nullptr;
  CLI::Option* json_option = nullptr;
  ScaleSimFlags scalesim;
  std::vector<std::string> input_shapes;
  CheckpointFlags checkpoint;
  std::string density;
  CLI::Option* density_option = nullptr;
};

// A layer's search as a checkpoint record: its index and name in the run's network.
nlohmann::json layer_record(std::size_t index, const Layer& layer, const MapperResult& result, const Architecture& arch) {
  nlohmann::json record = dist::mapper_result_record(result, arch);
  record["layer"] = index;
  record["name"] = layer.name;
  return record;
}

// The searches a resumed checkpoint holds, by layer index; an error names the record.
std::map<std::size_t, MapperResult> resumed_layers(const std::vector<dist::CheckpointRecord>& records,
                                                  const Network& network, const Architecture& arch) {
  std::map<std::size_t, MapperResult> out;
  for (const dist::CheckpointRecord& r : records) {
    const nlohmann::json& j = r.record;
    if (!j.is_object() || !j.contains("layer") || !j["layer"].is_number_unsigned() || !j.contains("name") ||
        !j["name"].is_string()) {
      throw CommandFailed(r.where + ": not a record this version of dnnspace wrote: 'layer' or 'name' missing");
    }
    const auto index = j["layer"].get<std::size_t>();
    if (j.value("interrupted", false) == true) {
      throw CommandFailed(r.where + ": a layer search that was interrupted (a checkpoint holds finished searches only)");
    }
    if (index >= network.layers.size() || network.layers[index].name != j["name"].get<std::string>()) {
      throw CommandFailed(r.where + ": a search of layer '" + j["name"].get<std::string>() + "', which is not layer " +
                          std::to_string(index + 1) + " of " + network.name + " (was the checkpoint written by another run?)");
    }
    out.insert_or_assign(index, value_or_fail(dist::mapper_result_from_record(j, network.layers[index], arch, r.where)));
  }
  return out;
}

// --schedule: the schedule fixes the accelerator, the mapper searches the blocking. It is
// compiled on the run's first layer (its loops, buffers and unrolls must be legal there);
// the architecture takes its storage and array timing, the search its unrolled dimensions
// as the dataflow. Its factors are not imposed: the mapper chooses every layer's.
void apply_schedule(OptimizeOptions& options, const Network& network, Architecture& arch) {
  if (network.layers.empty()) return;
  const CompiledSchedule compiled = compile_schedule_file(options.schedule, network.layers.front(), &arch,
                                                          "compiled on " + network.layers.front().name + ", the run's first layer");
  arch = compiled.arch;
  Dataflow dataflow;
  dataflow.rows = compiled.unrolled_rows;
  dataflow.cols = compiled.unrolled_cols;
  if (dataflow.rows.empty() && dataflow.cols.empty()) return;
  // The search takes a dataflow of distinct dimensions per axis; a schedule may unroll two
  // loops of one dimension, which evaluate takes but optimize cannot search.
  const std::string name = dataflow_name(dataflow);
  if (auto ok = parse_dataflow(name, network.layers.front().dims); !ok) {
    throw CommandFailed(options.schedule + ": its unrolled loops make the dataflow " + name +
                        ", which optimize cannot search (" + ok.error().message +
                        "); unroll each dimension once per axis, or evaluate the schedule as it is");
  }
  options.dataflow.dataflow = name;
}

// The report's first line: what was searched, on what, and how.
std::string search_header(const OptimizeOptions& options, const Network& network, const Architecture& arch,
                          const std::string& batch_text) {
  return "optimizing " + network.name + " (batch " + batch_text + ") on " + arch.name + ", objective " +
         options.search.objective + ", utilization >= " + fixed(options.search.min_util, 2) + ", " +
         report::dataflow_choice_text(options.dataflow.dataflow, options.dataflow.replication) +
         (network.layers.empty() || network.layers.front().pass == Pass::Forward
              ? std::string()
              : ", pass " + std::string(pass_name(network.layers.front().pass))) +
         (leaves_storage_open(arch) ? ", " + report::storage_search_text(arch) : std::string());
}

// optimize --training: every pass of a training step searched, with the updates and the
// activations kept for backprop (docs/search.md, "Training").
int run_training(const OptimizeOptions& options, const Network& network, const Architecture& arch,
                 MapperOptions mapper, const std::string& header) {
  TrainingOptions training;
  training.optimizer = *parse_optimizer(options.optimizer);  // checked by run_optimize
  training.time_steps = options.time_steps;
  training.keep_on_chip = options.keep_activations == "auto";
  if (auto ok = check_trainable(network); !ok) throw CommandFailed(ok.error().message);
  if (!checked_mul(training_macs(network), options.time_steps)) {
    throw CommandFailed("--time-steps " + std::to_string(options.time_steps) + ": the MACs of a training step of " +
                        network.name + " exceed 2^63 - 1");
  }
  mapper.stop = &StopSignalGuard::flag();
  std::optional<StopSignalGuard> sigint(std::in_place);
  std::atomic<std::int64_t> progress{0};
  mapper.progress = &progress;
  std::optional<ProgressLine> line;
  TrainingSearchHooks hooks;
  hooks.before_pass = [&](std::size_t i, const Layer& pass) {
    progress = 0;
    line.emplace("layer " + std::to_string(i + 1) + "/" + std::to_string(network.layers.size()) + " " + pass.name + " " +
                     std::string(pass_name(pass.pass)),
                 progress);
  };
  hooks.after_pass = [&] { line.reset(); };
  Expected<TrainingSearch> searched = search_training(network, arch, mapper, training, hooks);
  sigint.reset();
  if (!searched) throw CommandFailed(searched.error().message);
  const TrainingSearch& search = *searched;
  std::string out = header + ", training step: optimizer " + options.optimizer +
                    (options.time_steps > 1 ? ", " + std::to_string(options.time_steps) + " time steps" : std::string()) +
                    "\n\n";
  out += report::training_text(network, arch, search, training);
  std::fputs(out.c_str(), stdout);
  if (options.json_option->count() > 0) {
    nlohmann::json j = report::training_json(network, arch, search, training);
    j["network"] = network.name;
    j["arch"] = arch.name;
    j["batch"] = network.layers.empty() ? 1 : batch_size(network.layers.front());
    j["objective"] = options.search.objective;
    j["min_utilization"] = options.search.min_util;
    if (auto ok = io::write_file_atomically(options.json_path, report::json_text(j)); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  std::fflush(stdout);  // the report before any complaint about it
  if (search.interrupted) return StopSignalGuard::exit_code();
  if (!search.unmapped.empty() && !options.partial) {
    std::fprintf(stderr, "dnnspace: %zu passes have no mapping: the totals are not the step's; --partial accepts "
                 "partial results (exit 0)\n", search.unmapped.size());
    return kExitIncomplete;
  }
  return kExitOk;
}

// Takes a copy: --schedule sets its dataflow.
int run_optimize(OptimizeOptions options) {
  const std::optional<std::int64_t> batch =
      options.batch_option->count() > 0 || options.network_option->count() == 0 ? std::optional(options.batch_value)
                                                                                : std::nullopt;
  if (auto ok = check_batch_option(batch); !ok) throw CommandFailed(ok.error().message);
  const Expected<Pass> pass = pass_option(options.pass);
  if (!pass) throw CommandFailed(pass.error().message);
  MapperOptions mapper = mapper_options(options.search);
  if (const Expected<Optimizer> optimizer = parse_optimizer(options.optimizer); !optimizer) {
    throw CommandFailed("--optimizer: " + optimizer.error().message);
  }
  if (options.keep_activations != "auto" && options.keep_activations != "dram") {
    throw CommandFailed("--keep-activations '" + options.keep_activations + "': allowed: auto, dram");
  }
  const bool json = options.json_option->count() > 0;
  check_checkpoint_paths(options.checkpoint, {{"--json", json ? options.json_path : std::string()}});
  if (json) {
    // The inputs this run reads (the defaults of --arch and --network are not read with SCALE-Sim's files).
    const bool scalesim = options.scalesim.given();
    if (auto ok = io::check_output_path("--json", options.json_path,
                                        {{"--arch", scalesim ? std::string() : options.arch},
                                         {"--network", scalesim ? std::string() : options.network},
                                         {"--scalesim-config", options.scalesim.config},
                                         {"--scalesim-topology", options.scalesim.topology},
                                         {"--schedule", options.schedule}});
        !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  Architecture arch;
  Network network;
  if (options.scalesim.given()) {
    ScaleSimInputs in = load_scalesim_inputs(options.scalesim);
    arch = std::move(in.arch);
    network = std::move(in.network);
  } else {
    Expected<Architecture> arch_or = io::resolve_arch(options.arch);
    if (!arch_or) throw CommandFailed(arch_or.error().message);
    arch = *arch_or;
    Expected<Network> network_or = resolve_network(options.network, batch, options.input_shapes);
    if (!network_or) throw CommandFailed(network_or.error().message);
    network = *network_or;
  }
  apply_storage_flags(options.search, arch);
  apply_dataflow_flags(options.dataflow, mapper, network_dims(network));
  for (Layer& l : network.layers) l.pass = *pass;
  if (options.density_option->count() > 0) {
    if (*pass != Pass::Forward) throw CommandFailed("--density: the densities are the forward pass's; not with --pass " + options.pass);
    Expected<PerTensor<double>> density = density_option(options.density);
    if (!density) throw CommandFailed(density.error().message);
    apply_density(network, *density);
    note_dense_architecture(arch);
  }
  if (auto ok = check_searchable(network); !ok) throw CommandFailed(ok.error().message);
  if (!options.layer.empty()) {
    if (auto ok = keep_only_layer(network, options.layer); !ok) throw CommandFailed(ok.error().message);
  }
  if (!options.schedule.empty()) {
    apply_schedule(options, network, arch);
    apply_dataflow_flags(options.dataflow, mapper, network_dims(network));
  }
  if (dist::launched_size() > 1 && (options.training || options.fuse)) {
    throw CommandFailed(std::string(options.training ? "--training" : "--fuse") +
                        ": not under mpirun (optimize splits each layer's own search over the ranks; this one is "
                        "chosen across layers): run it without mpirun");
  }
  if (options.training) {
    const std::int64_t run_batch = network.layers.empty() ? 1 : batch_size(network.layers.front());
    return run_training(options, network, arch, mapper, search_header(options, network, arch, std::to_string(run_batch)));
  }
  if (options.fuse) {
    if (auto ok = check_fusable(arch); !ok) throw CommandFailed(ok.error().message);
  }
  dist::Ranks& ranks = dist::Ranks::world();
  share_cores(mapper, options.search, ranks);
  if (ranks.size() > 1) mapper.share = &ranks.work_share();  // each layer's mapspace split over the ranks
  std::optional<dist::Checkpoint> checkpoint;
  std::optional<std::string> checkpoint_failure;
  std::map<std::size_t, MapperResult> resumed;
  NetworkSearchHooks hooks;
  if (options.checkpoint.given()) {
    checkpoint = open_checkpoint(options.checkpoint, "optimize",
                                 search_settings(network, arch, options.search, options.dataflow), ranks);
    resumed = resumed_layers(checkpoint->records(), network, arch);
    hooks.known = [&](std::size_t i, const Layer&) {
      const auto it = resumed.find(i);
      return it == resumed.end() ? std::nullopt : std::optional<MapperResult>(it->second);
    };
    if (ranks.is_root()) {
      // A failed append stops the search (every rank, at the next layer) and is reported after.
      hooks.searched = [&](std::size_t i, const MapperResult& r) {
        if (checkpoint_failure) return;
        if (auto ok = checkpoint->append(layer_record(i, network.layers[i], r, arch)); !ok) {
          checkpoint_failure = ok.error().message;
          StopSignalGuard::flag() = true;
        }
      };
    }
    if (!resumed.empty() && ranks.is_root()) {
      std::fprintf(stderr, "dnnspace: resumed %zu layer searches from '%s'\n", resumed.size(), checkpoint->path().c_str());
    }
  }
  const NetworkSearch search = search_network_with_progress(network, arch, mapper, options.fuse, hooks);
  if (checkpoint_failure) throw CommandFailed(*checkpoint_failure);
  const bool interrupted = search.interrupted;
  if (!ranks.is_root()) return interrupted ? StopSignalGuard::exit_code() : kExitOk;  // rank 0 reports

  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"layer", "dataflow", "energy (pJ)", "pJ/MAC"};
  for (const StorageLevel& level : arch.levels) header.push_back(level.name);
  const bool leaks = has_leakage(arch);  // a Leakage column only for an architecture that leaks
  for (const char* h : {"Array", "MAC"}) header.emplace_back(h);
  if (leaks) header.emplace_back("Leakage");
  for (const char* h : {"cycles", "util"}) header.emplace_back(h);
  rows.push_back(header);
  std::string mappings;
  for (std::size_t i = 0; i < search.layers.size(); ++i) {
    const LayerSearch& ls = search.layers[i];
    const Layer& layer = network.layers[i];
    const MapperResult& result = ls.result;
    if (!result.found) {
      rows.push_back({layer.name, "-",
                      result.interrupted ? "interrupted" : result.timed_out ? "no mapping within --time-limit" : "no mapping",
                      "", ""});
      rows.back().resize(header.size());
      continue;
    }
    const CostResult& c = result.cost;
    // A layer whose search was cut short shows the best mapping seen so far.
    const std::string mark = result.interrupted ? " (stopped)" : result.timed_out ? " (time limit)" : "";
    std::vector<std::string> row = {layer.name + mark, dataflow_name(dataflow_of(result.mapping, arch)) + (result.replicated ? " *" : ""),
                                    report::group_digits_of(c.energy_pj),
                                    fixed(c.energy_pj / static_cast<double>(c.macs), 4)};
    for (int l = 0; l < c.num_levels; ++l) {
      row.push_back(report::group_digits_of(c.levels[static_cast<std::size_t>(l)].energy_total_pj));
    }
    row.push_back(report::group_digits_of(c.array_energy_pj));
    row.push_back(report::group_digits_of(c.mac_energy_pj));
    if (leaks) row.push_back(report::group_digits_of(c.leakage_energy_pj));
    row.push_back(report::group_digits(c.cycles));
    row.push_back(fixed(c.utilization * 100.0, 1) + "%");
    rows.push_back(row);
    // The architecture as costed: with the storage the mapper chose where it was left open.
    const Architecture costed = with_storage(arch, result.storage);
    mappings += "  " + layer.name + ": " + report::compact_mapping(costed, result.mapping) + "\n";
    if (options.print_schedule) {
      const Expected<std::string> text = schedule_text(layer, costed, result.mapping);
      std::string indented;
      for (char ch : text ? *text : "(no schedule: " + text.error().message + ")\n") {
        if (indented.empty() || indented.back() == '\n') indented += "    ";
        indented += ch;
      }
      mappings += indented;
    }
    if (leaves_storage_open(arch)) mappings += "    storage: " + report::storage_text(costed) + "\n";
  }

  // Metrics of 003 Table V for the whole run.
  const NetworkTotals& total = search.total;
  const TableVMetrics& metrics = search.metrics;
  const std::int64_t run_batch = network.layers.empty() ? 1 : batch_size(network.layers.front());
  bool one_batch = true;
  for (const Layer& l : network.layers) one_batch = one_batch && batch_size(l) == run_batch;
  const std::string batch_text = one_batch ? std::to_string(run_batch) : std::string("per layer");
  std::string out = search_header(options, network, arch, batch_text) + "\n\n";
  out += report::render_table(rows) + "\n";
  if (total.layers_replicated > 0) {
    out += "* " + options.dataflow.dataflow + " has no mapping of this layer at utilization >= " +
           fixed(options.search.min_util, 2) +
           "; searched with one more loop on the axes it cannot fill (004 Sec. III-C; --fallback none "
           "reports it unmapped)\n\n";
  }
  std::string unproven;  // what a time limit left unsearched, per layer
  for (std::size_t i = 0; i < search.layers.size(); ++i) {
    const MapperResult& r = search.layers[i].result;
    if (!r.timed_out || !search.layers[i].same_search_as.empty()) continue;
    unproven += "  " + network.layers[i].name + ": " + report::group_digits(r.work_items_searched) + " of " +
                report::group_digits(r.work_items) + " work items searched" +
                (leaves_storage_open(arch) ? " (" + std::to_string(r.storage_choices_searched) + " storage choices begun)"
                                           : std::string()) +
                "\n";
  }
  if (!unproven.empty()) {
    out += "(time limit) --time-limit " + fixed(options.search.time_limit_s, 1) +
           " s stopped these searches: each result is the best of the part searched, not proven optimal\n" + unproven +
           "\n";
  }
  out += "mappings (outermost level first; | rows/cols = spatial):\n" + mappings + "\n";
  out += "total (" + std::to_string(total.layers_mapped) + " of " + std::to_string(network.layers.size()) +
         " layers mapped" + (interrupted ? ", interrupted" : "") + ")\n";
  if (!search.unmapped.empty()) {
    std::string names;
    for (const std::string& n : search.unmapped) names += (names.empty() ? "" : ", ") + n;
    out += "  NOT a network total: these layers have no mapping and are in no sum below: " + names + "\n";
  }
  out += "  energy            " + report::group_digits_of(total.energy_pj) + " pJ (" +
         (total.macs ? fixed(total.energy_pj / static_cast<double>(total.macs), 4) : "-") + " pJ/MAC)\n";
  out += "  MACs              " + report::group_digits(total.macs) + "\n";
  out += "  off-chip          " + report::group_digits(total.offchip_bytes) + " B (" +
         report::group_digits_of(metrics.offchip_bytes_per_inference) + " B per inference)\n";
  out += "  latency           " + report::group_digits(total.cycles) + " cycles = " +
         fixed(metrics.latency_s * 1e3, 3) + " ms at " + std::to_string(static_cast<int>(arch.clock_mhz)) + " MHz\n";
  out += "  throughput        " + fixed(metrics.throughput_inferences_per_s, 1) + " inferences/s at batch " +
         batch_text + "\n";
  out += "  on-chip memory    " + report::group_digits(metrics.onchip_memory_bytes) + " B; PEs " +
         std::to_string(metrics.pes) + "; bits per operand " + std::to_string(metrics.bits_per_operand) + "\n";
  if (leaks) out += "  leakage           " + report::group_digits_of(total.leakage_energy_pj) + " pJ (in the energy)\n";
  out += "  area              " + report::area_text(arch) + "\n";
  std::int64_t saved = 0;
  if (options.fuse) {
    // Which tensors stay on chip between layers, and the off-chip traffic that saves.
    const std::string home = arch.levels[static_cast<std::size_t>(search.residency_level)].name;
    std::vector<std::vector<std::string>> rows_b = {{"boundary", "tensor", "stays in " + home, "off-chip bytes saved"}};
    for (const LayerBoundary& b : search.boundaries) {
      saved += b.dram_bytes_saved;
      rows_b.push_back({b.from + " -> " + b.to, b.connected ? report::group_digits(b.tensor_bytes) + " B" : "-",
                        !b.connected ? "no: not a sole reader of the other"
                        : !b.fits    ? "no: larger than the level"
                        : b.resident ? "yes"
                                     : "no: not worth it, or no mapping with it",
                        b.resident ? report::group_digits(b.dram_bytes_saved) : ""});
    }
    out += "\ntensors kept on chip between layers (--fuse):\n" + report::render_table(rows_b, "  ");
    out += "  off-chip bytes saved " + report::group_digits(saved) + " (already out of the totals above)\n";
  }
  std::fputs(out.c_str(), stdout);

  if (json) {
    const nlohmann::json j =
        report::optimize_json(network, arch, search, {options.search.objective, options.search.min_util, options.fuse});
    if (auto ok = io::write_file_atomically(options.json_path, report::json_text(j)); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  if (interrupted) return StopSignalGuard::exit_code();
  if (!search.unmapped.empty() && !options.partial) {
    std::string names;
    for (const std::string& n : search.unmapped) names += (names.empty() ? "" : ", ") + n;
    std::fprintf(stderr,
                 "dnnspace: %zu of %zu layers have no mapping (%s): the totals are not the network's; "
                 "--partial accepts partial results (exit 0)\n",
                 search.unmapped.size(), network.layers.size(), names.c_str());
    return kExitIncomplete;
  }
  return kExitOk;
}

}  // namespace

void register_optimize_command(CLI::App& app) {
  auto options = std::make_shared<OptimizeOptions>();
  CLI::App* cmd = app.add_subcommand("optimize", "Best mapping of every layer of a network on one architecture (004 Sec. VI)");
  options->arch_option = cmd->add_option("--arch", options->arch, "preset name or architecture YAML (default eyeriss)");
  options->network_option = cmd->add_option("--network", options->network, "zoo name, network YAML or ONNX model (default alexnet, batch 16)");
  cmd->add_option("--layer", options->layer, "only this layer of the network");
  options->batch_option = cmd->add_option("--batch", options->batch_value, "batch size N (default 16 for the default network, else 1 for zoo networks)")
      ->transform(whole_number(1, std::numeric_limits<std::int64_t>::max(), ">= 1"));
  CLI::Option* schedule = cmd->add_option("--schedule", options->schedule,
                                          "schedule file (docs/schedules.md): fixes what each level keeps, the array's "
                                          "timing and the unrolled dimensions; the blocking is searched")
                              ->type_name("FILE");
  cmd->add_flag("--print-schedule", options->print_schedule, "also print each layer's best mapping as a schedule");
  add_dataflow_flags(*cmd, options->dataflow, "fixed dataflow: U|V such as \"C|K\", or WS, OS, RS, NLR (default: the free search, --replication)");
  add_search_flags(*cmd, options->search);
  add_pass_option(*cmd, options->pass);
  cmd->add_flag("--fuse", options->fuse,
                "let tensors stay on chip between consecutive layers: each boundary's tensor may stay in the outermost "
                "on-chip level instead of going to DRAM and back, chosen for the whole network (docs/search.md)");
  CLI::Option* training = cmd->add_flag(
      "--training", options->training,
      "cost a training step instead of inference: every layer's forward, dgrad and wgrad passes each optimally mapped, "
      "the optimizer's update, and the activations kept for backprop (docs/search.md)");
  cmd->add_option("--optimizer", options->optimizer, "with --training: sgd, momentum or adam (default sgd)")
      ->needs(training);
  cmd->add_option("--time-steps", options->time_steps,
                  "with --training: backprop through time over this many steps of the network (a recurrent network "
                  "is one step; default 1)")
      ->transform(whole_number(1, 1000000, "in 1..1000000"))
      ->needs(training);
  cmd->add_option("--keep-activations", options->keep_activations,
                  "with --training: auto (on chip while they fit in half the outermost on-chip level, else DRAM) or "
                  "dram (default auto)")
      ->needs(training);
  training->excludes(cmd->get_option("--fuse"));
  training->excludes(cmd->get_option("--layer"));
  // A checkpoint keeps each layer's own search; --fuse and --training choose across layers.
  add_checkpoint_flags(*cmd, options->checkpoint, "layer search");
  for (CLI::Option* o : {options->checkpoint.checkpoint_option, options->checkpoint.resume_option}) {
    o->excludes(training)->excludes(cmd->get_option("--fuse"));
  }
  cmd->add_flag("--partial", options->partial,
                "exit 0 even when some layers have no mapping (their totals leave them out); without it such a "
                "run exits 4");
  options->json_option = cmd->add_option("--json", options->json_path, "also write the results as JSON to this file");
  add_input_shape_option(*cmd, options->input_shapes);
  options->density_option = add_density_option(*cmd, options->density);
  options->density_option->excludes(training);
  add_scalesim_flags(*cmd, options->scalesim,
                     {options->arch_option, options->network_option, options->batch_option, cmd->get_option("--pass"),
                      cmd->get_option("--input-shape"), training});
  training->excludes(cmd->get_option("--pass"));
  // The schedule fixes the dataflow and what each level keeps; training maps three passes.
  schedule->excludes(cmd->get_option("--dataflow"))->excludes(cmd->get_option("--bypass"))->excludes(training);
  schedule->excludes(cmd->get_option("--scalesim-config"));
  cmd->callback([options] {
    const int code = run_optimize(*options);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace dnnspace::cli
