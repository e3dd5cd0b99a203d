#include "scalesim_inputs.hpp"

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "dnnspace/report/json_text.hpp"
#include "dnnspace/core/checked.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/report/text_table.hpp"
#include "exit_codes.hpp"

namespace dnnspace::cli {

void add_scalesim_flags(CLI::App& cmd, ScaleSimFlags& flags, const std::vector<CLI::Option*>& excluded) {
  flags.config_option =
      cmd.add_option("--scalesim-config", flags.config,
                     "a SCALE-Sim configuration (.cfg): the array, its SRAMs and dataflow become the architecture")
          ->type_name("FILE.cfg");
  flags.topology_option =
      cmd.add_option("--scalesim-topology", flags.topology,
                     "a SCALE-Sim topology (.csv, convolution or M,N,K form): its layers become the network")
          ->type_name("FILE.csv");
  flags.config_option->needs(flags.topology_option);
  flags.topology_option->needs(flags.config_option);
  for (CLI::Option* other : excluded) {
    flags.config_option->excludes(other);
    flags.topology_option->excludes(other);
  }
}

ScaleSimInputs load_scalesim_inputs(const ScaleSimFlags& flags) {
  Expected<io::ScaleSimConfig> config = io::load_scalesim_config(flags.config);
  if (!config) throw CommandFailed("--scalesim-config: " + config.error().message);
  Expected<std::vector<io::ScaleSimLayer>> topology = io::load_scalesim_topology(flags.topology);
  if (!topology) throw CommandFailed("--scalesim-topology: " + topology.error().message);
  Expected<Architecture> arch = io::scalesim_architecture(*config);
  if (!arch) throw CommandFailed("--scalesim-config " + flags.config + ": " + arch.error().message);
  Expected<Network> network = io::scalesim_network(*topology, std::filesystem::path(flags.topology).stem().string());
  if (!network) throw CommandFailed("--scalesim-topology " + flags.topology + ": " + network.error().message);
  return {*config, *arch, *network};
}

void run_scalesim_evaluate(const ScaleSimFlags& flags, const std::optional<std::string>& json_path) {
  if (json_path) {
    if (auto ok = io::check_output_path("--json", *json_path,
                                        {{"--scalesim-config", flags.config}, {"--scalesim-topology", flags.topology}});
        !ok) {
      throw CommandFailed(ok.error().message);
    }
  }
  const ScaleSimInputs in = load_scalesim_inputs(flags);
  const Architecture& arch = in.arch;
  const std::string dataflow(io::systolic_dataflow_name(in.config.dataflow));

  std::vector<std::vector<std::string>> rows = {{"layer", "P x C x K", "folds", "compute", "fill+drain", "cycles",
                                                 "SCALE-Sim", "util", "pJ/MAC", "fits"}};
  nlohmann::json layers = nlohmann::json::array();
  std::int64_t total_cycles = 0, total_reported = 0, total_macs = 0;
  double total_energy = 0.0;
  bool all_fit = true;
  for (const Layer& layer : in.network.layers) {
    const Mapping mapping = io::scalesim_mapping(layer, arch, in.config.dataflow);
    if (auto ok = check_mapping_structure(layer, arch, mapping); !ok) {
      throw CommandFailed("SCALE-Sim mapping of layer '" + layer.name + "': " + ok.error().message);
    }
    const CostResult cost = evaluate(prepare(layer, arch), mapping);
    const std::int64_t reported = io::scalesim_reported_cycles(cost.cycles);
    std::string fits = "yes";
    if (!cost.feasible()) {
      all_fit = false;
      fits = cost.infeasibility == Infeasibility::Capacity
                 ? "no: " + arch.levels[static_cast<std::size_t>(cost.infeasible_level)].name
                 : std::string("no: array");
    }
    std::string shape = report::group_digits(layer.bounds[Dim::P]) + " x " + report::group_digits(layer.bounds[Dim::C]) +
                        " x " + report::group_digits(layer.bounds[Dim::K]);
    if (layer.bounds[Dim::G] > 1) shape += " x " + report::group_digits(layer.bounds[Dim::G]) + " groups";
    rows.push_back({layer.name, shape, report::group_digits(cost.folds), report::group_digits(cost.compute_cycles),
                    report::group_digits(cost.fill_drain_cycles), report::group_digits(cost.cycles),
                    report::group_digits(reported), report::fixed(cost.achieved_utilization * 100.0, 1) + "%",
                    report::fixed(cost.energy_pj / static_cast<double>(cost.macs), 3), fits});
    nlohmann::json lj = report::evaluation_json(layer, arch, mapping, cost);
    lj["name"] = layer.name;
    lj["scalesim_total_cycles"] = reported;
    layers.push_back(lj);
    // Each layer's counts fit; their sums may not (thousands of huge layers).
    const std::optional<std::int64_t> cycles = checked_add(total_cycles, cost.cycles);
    const std::optional<std::int64_t> macs = checked_add(total_macs, cost.macs);
    if (!cycles || !macs) {
      throw CommandFailed("--scalesim-topology " + flags.topology + ": the layers' total cycles or MACs pass 2^63 - 1 at layer '" +
                          layer.name + "'; split the topology");
    }
    total_cycles = *cycles;
    total_macs = *macs;
    total_reported += reported;
    total_energy += cost.energy_pj;
  }

  std::string out = fmt::format(
      "SCALE-Sim run '{}' ({}): {}x{} systolic array, dataflow {}, SRAMs {} / {} / {} KB (ifmap / filter / ofmap), "
      "{}\n\n",
      arch.name, flags.config, arch.array.rows, arch.array.cols, dataflow, in.config.ifmap_sram_kb,
      in.config.filter_sram_kb, in.config.ofmap_sram_kb,
      in.config.user_bandwidth ? fmt::format("DRAM {} words per cycle", in.config.bandwidth_words_per_cycle)
                               : std::string("interface bandwidth as needed (CALC)"));
  out += report::render_table(rows) + "\n";
  out += "total: " + report::group_digits(total_cycles) + " cycles (SCALE-Sim's report: " +
         report::group_digits(total_reported) + "), " + report::group_digits(total_macs) + " MACs, " +
         report::group_digits_of(total_energy) + " pJ\n";
  out += "SCALE-Sim lowers each layer to a matrix product (P output pixels x C window x K filters) and walks it fold "
         "by fold; the SCALE-Sim column is its COMPUTE_REPORT's Total Cycles, the index of the last cycle counted "
         "from 0 (docs/scalesim.md)\n";
  if (!all_fit) {
    out += "note: some folds do not fit the SRAMs as dnnspace counts them (a tile is kept whole; SCALE-Sim streams "
           "a fold through its buffers): their energies assume the tile fits, their cycles are unaffected\n";
  }
  std::fputs(out.c_str(), stdout);

  if (json_path) {
    const nlohmann::json j = {
        {"arch", arch.name},
        {"dataflow", dataflow},
        {"sources", {{"scalesim_config", flags.config}, {"scalesim_topology", flags.topology}}},
        {"layers", layers},
        {"total",
         {{"cycles", total_cycles}, {"scalesim_total_cycles", total_reported}, {"macs", total_macs},
          {"energy_pj", total_energy}}}};
    if (auto ok = io::write_file_atomically(*json_path, report::json_text(j)); !ok) throw CommandFailed("--json: " + ok.error().message);
  }
}

}  // namespace dnnspace::cli
