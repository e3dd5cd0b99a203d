// `dnnspace scale`: a network over 1..n nodes by model, data or hybrid parallelism
// (000 Sec. III-IV; docs/platforms.md, "Many nodes").
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/io/fpga_yaml.hpp"
#include "dnnspace/report/json_text.hpp"
#include "dnnspace/report/scale_report.hpp"
#include "dnnspace/search/scale.hpp"
#include "exit_codes.hpp"
#include "input_resolution.hpp"
#include "numeric_flags.hpp"
#include "search_cli.hpp"

namespace dnnspace::cli {
namespace {

struct ScaleFlags {
  std::string arch = std::string(kDefaultArch);
  std::string network = "alexnet";
  std::string nodes = "1,4,16,64";
  std::string parallel = "data";
  bool training = false;
  bool overlap = false;
  bool partial = false;
  std::string topology = "ring";
  double link_gbps = 6.4;
  double link_latency_us = 0.1;
  double link_pj_per_bit = 0.0;
  std::string precision = "fp32";
  SearchFlags search;
  DataflowFlags dataflow;
  std::vector<std::string> input_shapes;
  std::string json_path;
  std::int64_t batch_value = 64;  // the default network's: one sample per node at the default 64 nodes
  CLI::Option* batch_option = nullptr;
  CLI::Option* network_option = nullptr;
  CLI::Option* json_option = nullptr;
  CLI::App* cmd = nullptr;  ///< to ask which options were given
};

std::vector<std::int64_t> parse_nodes(const std::string& text) {
  std::vector<std::int64_t> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    std::string part = text.substr(start, end - start);
    if (!whole_number(1, 1 << 20, "")(part).empty()) {
      throw CommandFailed("--nodes '" + text + "': expected node counts in 1..1048576 separated by commas, e.g. 1,4,16,64");
    }
    out.push_back(std::stoll(part));
    start = end + 1;
  }
  return out;
}

ScaleNode resolve_node(const ScaleFlags& flags) {
  ScaleNode node;
  if (flags.arch.starts_with("gpu:")) {
    Expected<GpuTarget> gpu = gpu_preset(flags.arch.substr(4));
    if (!gpu) throw CommandFailed("--arch: " + gpu.error().message);
    node.kind = ScaleNode::Kind::Gpu;
    node.gpu = *gpu;
    const Expected<GpuPrecision> p = parse_gpu_precision(flags.precision);
    if (!p) throw CommandFailed("--precision: " + p.error().message);
    node.precision = *p;
  } else if (flags.arch.starts_with("fpga:")) {
    Expected<FpgaTarget> fpga = io::resolve_fpga_target(flags.arch.substr(5));
    if (!fpga) throw CommandFailed("--arch: " + fpga.error().message);
    node.kind = ScaleNode::Kind::Fpga;
    node.fpga = *fpga;
  } else {
    Expected<Architecture> arch = io::resolve_arch(flags.arch);
    if (!arch) throw CommandFailed(arch.error().message);
    node.arch = *arch;
    apply_storage_flags(flags.search, node.arch);
  }
  if (flags.cmd->get_option("--precision")->count() > 0 && node.kind != ScaleNode::Kind::Gpu) {
    throw CommandFailed("--precision: applies to a GPU node (--arch gpu:NAME) only");
  }
  if (node.kind != ScaleNode::Kind::Asic) {
    // The mapper's flags shape an ASIC node's mappings; a GPU or FPGA node has none.
    for (const char* flag : {"--dataflow", "--replication", "--fallback", "--min-util", "--objective", "--bypass",
                             "--buffering", "--time-limit"}) {
      if (flags.cmd->get_option(flag)->count() > 0) {
        throw CommandFailed(std::string(flag) + ": applies to an ASIC node (an architecture), not to " + node.name());
      }
    }
  }
  return node;
}

int run_scale(const ScaleFlags& flags) {
  const std::optional<std::int64_t> batch =
      flags.batch_option->count() > 0 || flags.network_option->count() == 0 ? std::optional(flags.batch_value)
                                                                            : std::nullopt;
  if (auto ok = check_batch_option(batch); !ok) throw CommandFailed(ok.error().message);
  const std::vector<std::int64_t> nodes = parse_nodes(flags.nodes);
  const Expected<Parallelism> parallel = parse_parallelism(flags.parallel);
  if (!parallel) throw CommandFailed("--parallel: " + parallel.error().message);
  const Expected<Topology> topology = parse_topology(flags.topology);
  if (!topology) throw CommandFailed("--topology: " + topology.error().message);
  if (flags.json_option->count() > 0) {
    if (auto ok = io::check_output_path("--json", flags.json_path, {{"--arch", flags.arch}, {"--network", flags.network}});
        !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  ScaleOptions options;
  options.parallelism = *parallel;
  options.training = flags.training;
  options.overlap = flags.overlap;
  options.links = Links{flags.link_gbps, flags.link_latency_us, *topology, flags.link_pj_per_bit};
  options.mapper = mapper_options(flags.search);
  const ScaleNode node = resolve_node(flags);
  Expected<Network> network = resolve_network(flags.network, batch, flags.input_shapes);
  if (!network) throw CommandFailed(network.error().message);
  if (node.kind == ScaleNode::Kind::Asic) {
    apply_dataflow_flags(flags.dataflow, options.mapper, network_dims(*network));
    if (auto ok = check_searchable(*network); !ok) throw CommandFailed(ok.error().message);
  }
  Expected<ScaleStudy> study = Error{""};
  {
    StopSignalGuard sigint;
    std::atomic<std::int64_t> progress{0};
    options.mapper.progress = &progress;
    ProgressLine line("scaling " + network->name + " on " + node.name(), progress);
    study = scale_network(*network, node, nodes, options, &StopSignalGuard::flag());
  }
  if (!study) throw CommandFailed(study.error().message);
  std::string out = std::string(flags.training ? "training step" : "inference") + " of " + network->name + " (batch " +
                    std::to_string(study->batch) + ") on 1.." + std::to_string(*std::max_element(nodes.begin(), nodes.end())) +
                    " nodes of " + node.name() + ", " + flags.parallel + " parallelism; links " +
                    report::compact_number(flags.link_gbps) + " GB/s per direction, " +
                    report::compact_number(flags.link_latency_us) + " us, " +
                    flags.topology + (flags.overlap ? "; communication overlaps compute" : "; communication after compute") +
                    "\n\n";
  out += report::scale_text(*study);
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
  if (flags.json_option->count() > 0) {
    nlohmann::json j = report::scale_json(*study);
    j["network"] = network->name;
    j["node"] = node.name();
    j["parallel"] = flags.parallel;
    j["training"] = flags.training;
    j["overlap"] = flags.overlap;
    j["links"] = {{"bandwidth_gbps", flags.link_gbps},
                  {"latency_us", flags.link_latency_us},
                  {"topology", flags.topology},
                  {"energy_pj_per_bit", flags.link_pj_per_bit}};
    if (auto ok = io::write_file_atomically(flags.json_path, report::json_text(j)); !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  if (study->interrupted) return StopSignalGuard::exit_code();
  for (const ScalePoint& p : study->points) {
    if (!p.complete && !flags.partial) {
      std::fprintf(stderr, "dnnspace: at %lld nodes some layers have no mapping or do not run (the notes say which): "
                   "those rows are not the network's; lower --min-util, or --partial accepts them (exit 0)\n",
                   static_cast<long long>(p.nodes));
      return kExitIncomplete;
    }
  }
  return kExitOk;
}

}  // namespace

void register_scale_command(CLI::App& app) {
  auto flags = std::make_shared<ScaleFlags>();
  CLI::App* cmd = flags->cmd = app.add_subcommand(
      "scale", "A network over many nodes by model, data or hybrid parallelism (000 Sec. III-IV; docs/platforms.md)");
  cmd->add_option("--arch", flags->arch, "the node: preset or architecture YAML, gpu:NAME, or fpga:NAME|FILE.yaml (default eyeriss)");
  flags->network_option =
      cmd->add_option("--network", flags->network, "zoo name, network YAML or ONNX model (default alexnet, batch 64)");
  flags->batch_option = cmd->add_option("--batch", flags->batch_value, "the mini-batch of one step (default 64 for the default network, else 1 for zoo networks)")
                            ->transform(whole_number(1, std::numeric_limits<std::int64_t>::max(), ">= 1"));
  cmd->add_option("--nodes", flags->nodes, "node counts, e.g. 1,4,16,64 (default)");
  cmd->add_option("--parallel", flags->parallel, "data (split the batch, default), model (split each layer's output channels) or hybrid (convolutions by data, the rest by model)");
  cmd->add_flag("--training", flags->training, "a training step (forward, dgrad, wgrad, sgd update) instead of inference");
  cmd->add_flag("--overlap", flags->overlap, "communication overlaps compute: a step takes the longer of the two, not their sum");
  cmd->add_option("--topology", flags->topology, "ring (default), mesh, fat-tree or all-to-all");
  cmd->add_option("--link-gbps", flags->link_gbps, "each link's bandwidth per direction in GB/s (default 6.4, DaDianNao's HT link)")
      ->transform(finite_number(1e-6, 1e6, "in 1e-6..1e6"));
  cmd->add_option("--link-latency-us", flags->link_latency_us, "per message, in microseconds (default 0.1)")
      ->transform(finite_number(0.0, 1e6, "in 0..1e6"));
  cmd->add_option("--link-pj-per-bit", flags->link_pj_per_bit, "energy of a bit crossing a link (default 0)")
      ->transform(finite_number(0.0, 1e6, "in 0..1e6"));
  cmd->add_option("--precision", flags->precision, "a GPU node's: fp32 (default), fp16 or int8");
  add_search_flags(*cmd, flags->search);
  add_dataflow_flags(*cmd, flags->dataflow, "an ASIC node's fixed dataflow (default: the free search)");
  add_input_shape_option(*cmd, flags->input_shapes);
  flags->json_option = cmd->add_option("--json", flags->json_path, "also write the results as JSON to this file");
  cmd->add_flag("--partial", flags->partial, "exit 0 even when some node count has layers without a mapping (else exit 4)");
  cmd->callback([flags] {
    const int code = run_scale(*flags);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace dnnspace::cli
