// `dnnspace evaluate [--arch A] [--layer L] [--mapping M] [--batch B] [--json FILE]`.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <limits>
#include <string>

#include "commands.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/io/mapping_yaml.hpp"
#include "dnnspace/mapping/dataflow.hpp"
#include "dnnspace/arch/storage_choice.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/mapping/print.hpp"
#include "dnnspace/mapping/schedule.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/report/json_text.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "exit_codes.hpp"
#include "input_resolution.hpp"
#include "schedule_input.hpp"
#include "numeric_flags.hpp"
#include "scalesim_inputs.hpp"

namespace dnnspace::cli {
namespace {

struct EvaluateOptions {
  std::string arch;
  std::string layer;
  std::string mapping;
  std::string schedule;
  bool print_schedule = false;
  std::string json_path;
  std::string pass = "forward";
  std::int64_t batch_value = 1;
  // Whether each option was given: defaults depend on which ones were.
  CLI::Option* arch_option = nullptr;
  CLI::Option* layer_option = nullptr;
  CLI::Option* mapping_option = nullptr;
  CLI::Option* schedule_option = nullptr;
  CLI::Option* batch_option = nullptr;
  CLI::Option* json_option = nullptr;
  std::string density;
  CLI::Option* density_option = nullptr;
  ScaleSimFlags scalesim;
};

// A mapping and where it came from, for messages and the report header.
struct ResolvedMapping {
  Mapping mapping;
  std::string origin;
  std::string default_blocking_yaml;  // set when the mapping was derived from a dataflow
  std::string dataflow;
};

ResolvedMapping resolve_mapping(const EvaluateOptions& options, bool all_defaulted, const Layer& layer,
                                const Architecture& arch) {
  if (all_defaulted) {
    const std::string origin(kDefaultMappingOrigin);
    return {value_or_fail(io::parse_mapping_yaml(kDefaultMappingYaml, origin, arch)), origin, "", ""};
  }
  if (options.mapping_option->count() == 0) {
    throw CommandFailed(
        "--mapping: missing; give a mapping YAML file (see examples/mappings/) or a dataflow "
        "(U|V such as \"C|K\", or WS, OS, RS, NLR) for a default blocking; only a bare `dnnspace evaluate` "
        "uses the built-in mapping");
  }
  if (looks_like_file(options.mapping)) {
    return {value_or_fail(io::load_mapping_yaml(options.mapping, arch, layer_dims(layer))), options.mapping, "", ""};
  }
  Expected<Dataflow> dataflow = parse_dataflow(options.mapping, layer_dims(layer));
  if (!dataflow) {
    throw CommandFailed("--mapping '" + options.mapping + "': no such file, and not a dataflow: " +
                        dataflow.error().message);
  }
  Expected<Mapping> mapping = default_mapping(layer, arch, *dataflow);
  if (!mapping) throw CommandFailed("--mapping '" + options.mapping + "': " + mapping.error().message);
  const std::string name = dataflow_name(*dataflow);
  return {*mapping, "default blocking for dataflow " + name, format_mapping_yaml(arch, *mapping), name};
}

void run_evaluate(const EvaluateOptions& options) {
  if (options.scalesim.given()) {
    run_scalesim_evaluate(options.scalesim,
                          options.json_option->count() > 0 ? std::optional(options.json_path) : std::nullopt);
    return;
  }
  const bool scheduled = options.schedule_option->count() > 0;
  const bool all_defaulted = options.arch_option->count() == 0 && options.layer_option->count() == 0 &&
                             options.mapping_option->count() == 0 && !scheduled;
  const std::optional<std::int64_t> batch =
      options.batch_option->count() > 0 ? std::optional(options.batch_value) : std::nullopt;
  if (auto ok = check_batch_option(batch); !ok) throw CommandFailed(ok.error().message);
  const Pass pass = value_or_fail(pass_option(options.pass));

  // Refuse before reading anything: a JSON report must never replace a spec.
  if (options.json_option->count() > 0) {
    if (auto ok = io::check_output_path("--json", options.json_path, {{"--arch", options.arch}, {"--layer", options.layer}, {"--mapping", options.mapping}, {"--schedule", options.schedule}}); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }

  // A schedule without --arch runs on the architecture it implies (docs/schedules.md).
  const bool implied_arch = scheduled && options.arch_option->count() == 0;
  const std::string arch_spec = options.arch_option->count() > 0 ? options.arch
                                : implied_arch ? std::string("the architecture the schedule implies")
                                               : std::string(kDefaultArch);
  const bool layer_given = options.layer_option->count() > 0;
  const std::string layer_spec = layer_given ? options.layer : std::string(kDefaultLayer);
  Architecture arch = implied_arch ? Architecture{} : value_or_fail(io::resolve_arch(arch_spec));
  Layer layer = with_pass(value_or_fail(resolve_layer(layer_spec, batch, layer_given ? 1 : kDefaultBatch)), pass);
  if (options.density_option->count() > 0) {
    if (pass != Pass::Forward) throw CommandFailed("--density: the densities are the forward pass's; not with --pass " + options.pass);
    apply_density(layer, value_or_fail(density_option(options.density)));
  }
  // A schedule says what each level keeps and the array's timing: it replaces the
  // architecture's storage before anything else reads it.
  ResolvedMapping resolved;
  if (scheduled) {
    CompiledSchedule compiled = compile_schedule_file(options.schedule, layer, implied_arch ? nullptr : &arch);
    arch = std::move(compiled.arch);
    resolved = {std::move(compiled.mapping), "schedule " + options.schedule, "", ""};
  }
  if (auto ok = check_storage_fixed(arch, arch_spec); !ok) throw CommandFailed(ok.error().message);
  if (options.density_option->count() > 0) note_dense_architecture(arch);
  if (!scheduled) resolved = resolve_mapping(options, all_defaulted, layer, arch);
  if (auto ok = check_mapping(layer, arch, resolved.mapping); !ok) {
    throw CommandFailed(resolved.origin + ": " + ok.error().message);
  }

  std::string schedule_out;
  if (options.print_schedule) {
    Expected<std::string> text = schedule_text(layer, arch, resolved.mapping);
    if (!text) throw CommandFailed("--print-schedule: " + text.error().message);
    schedule_out = *text;
  }
  const CostResult cost = evaluate(prepare(layer, arch), resolved.mapping);
  std::string out;
  if (!resolved.default_blocking_yaml.empty()) {
    out += "default blocking for dataflow " + resolved.dataflow +
           " (save it to a file, edit it and pass the file with --mapping):\n" + resolved.default_blocking_yaml +
           "\n";
  }
  out += "evaluating " + layer_spec + " (batch " + std::to_string(batch_size(layer)) + ") on " + arch_spec +
         " with " + resolved.origin + "\n\n";
  out += report::evaluation_table(layer, arch, resolved.mapping, cost);
  if (options.print_schedule) {
    // The flags that give the same layer and architecture back.
    std::string flags = " --layer " + layer_spec + " --batch " + std::to_string(batch_size(layer));
    if (layer.pass != Pass::Forward) flags += " --pass " + std::string(pass_name(layer.pass));
    if (!implied_arch) flags += " --arch " + arch_spec;
    out += "\nschedule (read back with --schedule FILE" + flags + "):\n" + schedule_out;
  }
  std::fputs(out.c_str(), stdout);

  if (options.json_option->count() > 0) {
    nlohmann::json json = report::evaluation_json(layer, arch, resolved.mapping, cost);
    json["sources"] = {{"arch", arch_spec}, {"layer", layer_spec}, {"mapping", resolved.origin}};
    if (options.print_schedule) json["schedule"] = schedule_out;
    if (auto ok = io::write_file_atomically(options.json_path, report::json_text(json)); !ok) {
      throw CommandFailed("--json: " + ok.error().message);
    }
  }
}

}  // namespace

void register_evaluate_command(CLI::App& app) {
  auto options = std::make_shared<EvaluateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Energy, accesses, cycles and utilization of one layer mapped onto one architecture");
  options->arch_option = cmd->add_option("--arch", options->arch,
                                         "Architecture: a preset (eyeriss, eyeriss-64b, eyeriss-flat, "
                                         "eyeriss-chip, tpu-like) or a YAML file (default: eyeriss)")
                              ->type_name("NAME|FILE");
  options->layer_option = cmd->add_option(
      "--layer,--workload", options->layer,
      "Layer: NETWORK/LAYER from the zoo, or a layer or workload YAML file (default: alexnet/conv3)")
                               ->type_name("NET/LAYER|FILE");
  options->mapping_option = cmd->add_option(
      "--mapping", options->mapping,
      "Mapping YAML file, or a dataflow (\"C|K\", WS, OS, RS, NLR) to evaluate its default blocking")
                                 ->type_name("FILE|DATAFLOW");
  options->schedule_option =
      cmd->add_option("--schedule", options->schedule,
                      "Schedule file (docs/schedules.md): Halide-style primitives compiled to the mapping; it also "
                      "says which tensors each level keeps and whether the array is systolic. Without --arch: on the "
                      "architecture the schedule implies (its buffers' levels, sized to their tiles)")
          ->type_name("FILE")
          ->excludes(options->mapping_option);
  cmd->add_flag("--print-schedule", options->print_schedule, "Also print the mapping as a schedule (the --schedule form)");
  options->batch_option = cmd->add_option(
      "--batch", options->batch_value,
      "N (batch) of the layer (default: 1 for zoo layers, 16 for the default layer; a YAML layer keeps its N)")
      ->transform(whole_number(1, std::numeric_limits<std::int64_t>::max(), ">= 1"));
  options->json_option = cmd->add_option("--json", options->json_path, "Also write the results as JSON to FILE")
                              ->type_name("FILE");
  add_pass_option(*cmd, options->pass);
  options->density_option = add_density_option(*cmd, options->density);
  add_scalesim_flags(*cmd, options->scalesim,
                     {options->arch_option, options->layer_option, options->mapping_option, options->batch_option,
                      cmd->get_option("--pass"), options->schedule_option});
  cmd->callback([options] { run_evaluate(*options); });
}

}  // namespace dnnspace::cli
