// `dnnspace generate --arch A --layer L --mapping M.yaml --out DIR [--operand-bits 8]
// [--accumulator-bits 32] [--json FILE]`, or `--schedule S.sched [--arch A]` instead of the
// mapping: synthesizable Verilog of 004's accelerator template for the mapped layer, and its
// testbench (docs/hardware.md).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "commands.hpp"
#include "dnnspace/hardware/generate.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/io/mapping_yaml.hpp"
#include "dnnspace/report/json_text.hpp"
#include "exit_codes.hpp"
#include "generate_design.hpp"
#include "input_resolution.hpp"
#include "numeric_flags.hpp"
#include "schedule_input.hpp"

namespace dnnspace::cli {
namespace {

struct GenerateOptions {
  std::string arch;
  std::string layer;
  std::string mapping;
  std::string schedule;
  std::string out_dir;
  std::string json_path;
  int operand_bits = 8;
  int accumulator_bits = 32;
  CLI::Option* json_option = nullptr;
  CLI::Option* arch_option = nullptr;
  CLI::Option* schedule_option = nullptr;
};

std::string summary_text(const GeneratedDesign& d, const GenerateRequest& r) {
  const DesignSummary& s = d.summary;
  const std::string family = hardware_family_name(s.family);
  // "an R|P", "a C|K": the article of the letter's name.
  const char* article = std::string_view("AEFHILMNORSX").find(family.front()) != std::string_view::npos ? "an " : "a ";
  std::string out = "generated " + std::string(article) + family + " accelerator for " + r.layer_source +
                    " on " + r.arch_source + " with " + r.mapping_source + " in " + r.out_dir + "\n";
  out += "  array        " + std::to_string(s.rows) + "x" + std::to_string(s.cols) + " PEs (" + std::to_string(s.used_rows) +
         "x" + std::to_string(s.used_cols) + " used), " + std::to_string(s.folds) + (s.folds == 1 ? " fold x " : " folds x ") + std::to_string(s.steps) +
         (s.steps == 1 ? " step\n" : " steps\n");
  out += "  buffer banks inputs " + std::to_string(s.bank_words[TensorId::Inputs]) + ", weights " +
         std::to_string(s.bank_words[TensorId::Weights]) + ", outputs " + std::to_string(s.bank_words[TensorId::Outputs]) +
         " words (" + std::to_string(s.address_bits) + "-bit addresses)\n";
  out += "  datapath     " + std::to_string(s.operand_bits) + "-bit signed operands, " + std::to_string(s.accumulator_bits) +
         "-bit accumulators; " + std::to_string(s.config_words) + " configuration registers (" + d.config_file + ")\n";
  std::string rtl;
  for (const std::string& f : d.rtl_files) rtl += " " + f;
  out += "  RTL         " + rtl + " (top " + s.top_module + ")\n";
  out += "  testbench    " + d.testbench_file + " (top " + s.testbench_module +
         "): put inputs.hex and weights.hex (one two's-complement word per line, element order) beside it, then\n"
         "    verilator --binary --top-module " + s.testbench_module + rtl + " " + d.testbench_file +
         " && obj_dir/V" + s.testbench_module + "   (writes result.txt)\n";
  out += "  synthesis    yosys -p 'read_verilog -sv" + rtl + "; synth -top " + s.top_module + "; stat'\n";
  return out;
}

nlohmann::json summary_json(const GeneratedDesign& d, const GenerateRequest& r) {
  const DesignSummary& s = d.summary;
  nlohmann::json files = nlohmann::json::array();
  for (const GeneratedFile& f : d.files) files.push_back(f.name);
  return {{"family", hardware_family_name(s.family)},
          {"top_module", s.top_module},
          {"testbench_module", s.testbench_module},
          {"array", {{"rows", s.rows}, {"cols", s.cols}, {"used_rows", s.used_rows}, {"used_cols", s.used_cols}}},
          {"bank_words",
           {{"inputs", s.bank_words[TensorId::Inputs]},
            {"weights", s.bank_words[TensorId::Weights]},
            {"outputs", s.bank_words[TensorId::Outputs]}}},
          {"address_bits", s.address_bits},
          {"operand_bits", s.operand_bits},
          {"accumulator_bits", s.accumulator_bits},
          {"folds", s.folds},
          {"steps", s.steps},
          {"config_words", s.config_words},
          {"files", files},
          {"directory", r.out_dir},
          {"sources", {{"arch", r.arch_source}, {"layer", r.layer_source}, {"mapping", r.mapping_source}}}};
}

void run_generate(const GenerateOptions& o) {
  const bool scheduled = o.schedule_option->count() > 0;
  const bool implied_arch = scheduled && o.arch_option->count() == 0;
  if (!scheduled && o.mapping.empty()) {
    throw CommandFailed("generate: give the mapping as --mapping FILE.yaml or as --schedule FILE (docs/hardware.md)");
  }
  if (!scheduled && o.arch_option->count() == 0) {
    throw CommandFailed("generate: --mapping needs --arch (a schedule without --arch implies its architecture)");
  }
  GenerateRequest request;
  request.arch_source = implied_arch ? std::string("the architecture the schedule implies") : o.arch;
  request.layer_source = o.layer;
  request.mapping_source = scheduled ? "schedule " + o.schedule : o.mapping;
  request.out_dir = o.out_dir;
  request.options.operand_bits = o.operand_bits;
  request.options.accumulator_bits = o.accumulator_bits;
  if (o.json_option->count() > 0) {
    if (auto ok = io::check_output_path("--json", o.json_path,
                                        {{"--arch", o.arch}, {"--layer", o.layer}, {"--mapping", o.mapping}, {"--schedule", o.schedule}});
        !ok) {
      throw CommandFailed(ok.error().message);
    }
    request.json_path = o.json_path;
  }
  const Layer layer = value_or_fail(resolve_layer(o.layer, std::nullopt));
  if (scheduled) {
    const Architecture arch = implied_arch ? Architecture{} : value_or_fail(io::resolve_arch(o.arch));
    const CompiledSchedule compiled = compile_schedule_file(o.schedule, layer, implied_arch ? nullptr : &arch);
    generate_design(layer, compiled.arch, compiled.mapping, request);
    return;
  }
  const Architecture arch = value_or_fail(io::resolve_arch(o.arch));
  if (!looks_like_file(o.mapping)) {
    throw CommandFailed("--mapping '" + o.mapping + "': give a mapping YAML file (see examples/hardware/)");
  }
  const Mapping mapping = value_or_fail(io::load_mapping_yaml(o.mapping, arch, layer_dims(layer)));
  generate_design(layer, arch, mapping, request);
}

}  // namespace

void generate_design(const Layer& layer, const Architecture& arch, const Mapping& mapping, const GenerateRequest& request) {
  const Expected<GeneratedDesign> design = generate_hardware(layer, arch, mapping, request.options);
  if (!design) throw CommandFailed(request.mapping_source + ": " + design.error().message);

  // The directory: created if missing; no file of the design may exist yet.
  namespace fs = std::filesystem;
  const fs::path dir(request.out_dir);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw CommandFailed("--out '" + request.out_dir + "': not a directory");
  }
  if (!fs::exists(dir, ec) && !fs::create_directory(dir, ec)) {
    throw CommandFailed("--out '" + request.out_dir + "': cannot create the directory (" + ec.message() +
                        "); its parent must exist");
  }
  for (const GeneratedFile& f : design->files) {
    if (fs::exists(dir / f.name, ec) || fs::is_symlink(dir / f.name, ec)) {
      throw CommandFailed("--out '" + request.out_dir + "': " + f.name +
                          " exists; generate never replaces files: give a new or empty directory");
    }
  }
  for (const GeneratedFile& f : design->files) {
    if (auto ok = io::write_file_atomically((dir / f.name).string(), f.text); !ok) {
      throw CommandFailed("--out: " + ok.error().message);
    }
  }
  const std::string text = summary_text(*design, request);
  std::fputs(text.c_str(), stdout);
  if (request.json_path) {
    if (auto ok = io::write_file_atomically(*request.json_path, report::json_text(summary_json(*design, request))); !ok) {
      throw CommandFailed("--json: " + ok.error().message);
    }
  }
}

void register_generate_command(CLI::App& app) {
  auto o = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "generate", "Synthesizable Verilog of 004's accelerator template for a mapped layer, with its testbench");
  o->arch_option = cmd->add_option("--arch", o->arch,
                                   "Architecture: a preset or a YAML file (docs/hardware.md: the supported shapes); "
                                   "optional with --schedule, which otherwise implies one")
                       ->type_name("NAME|FILE");
  cmd->add_option("--layer,--workload", o->layer, "Layer: NETWORK/LAYER from the zoo, or a layer YAML file")
      ->required()
      ->type_name("NET/LAYER|FILE");
  CLI::Option* mapping_option = cmd->add_option("--mapping", o->mapping, "Mapping YAML file")->type_name("FILE");
  o->schedule_option =
      cmd->add_option("--schedule", o->schedule,
                      "Schedule file (docs/schedules.md) instead of --mapping: its unrolled loops shape the array, "
                      "its buffers the levels, systolic() the timing")
          ->type_name("FILE")
          ->excludes(mapping_option);
  cmd->add_option("--out", o->out_dir, "Directory for the generated files (created if missing; no file is replaced)")
      ->required()
      ->type_name("DIR");
  cmd->add_option("--operand-bits", o->operand_bits, "Bits of the signed inputs and weights (2..16, default 8)")
      ->transform(whole_number(2, 16, "in 2..16"));
  cmd->add_option("--accumulator-bits", o->accumulator_bits,
                  "Bits of the products and partial sums (2 x operand bits + 1 .. 64, default 32)")
      ->transform(whole_number(3, 64, "in 3..64"));
  o->json_option = cmd->add_option("--json", o->json_path, "Also write the summary as JSON to FILE")->type_name("FILE");
  cmd->callback([o] { run_generate(*o); });
}

}  // namespace dnnspace::cli
