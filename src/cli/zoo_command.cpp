// `dnnspace zoo list` and `dnnspace zoo show NAME [--batch B] [--json]`.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <limits>
#include <string>
#include <vector>

#include "commands.hpp"
#include "dnnspace/report/json_text.hpp"
#include "dnnspace/report/network_report.hpp"
#include "dnnspace/workload/zoo.hpp"
#include "exit_codes.hpp"
#include "input_resolution.hpp"
#include "numeric_flags.hpp"

namespace dnnspace::cli {
namespace {

struct ZooShowOptions {
  std::string name;
  std::int64_t batch_value = 1;
  CLI::Option* batch_option = nullptr;  // given or not: zoo and YAML networks differ
  bool json = false;
  std::vector<std::string> input_shapes;
};

void run_zoo_list() {
  std::vector<report::NetworkSummary> rows;
  for (std::string_view name : zoo_names()) {
    Expected<Network> network = zoo_network(name, 1);
    // A zoo name that zoo_network rejects is a bug in the zoo, not a user error.
    if (!network) throw std::logic_error("zoo entry '" + std::string(name) + "': " + network.error().message);
    rows.push_back({std::move(*network), std::string(zoo_description(name))});
  }
  std::fputs(report::network_list_table(rows).c_str(), stdout);
}

void run_zoo_show(const ZooShowOptions& options) {
  Expected<Network> network = resolve_network(
      options.name, options.batch_option->count() > 0 ? std::optional(options.batch_value) : std::nullopt,
      options.input_shapes);
  if (!network) throw CommandFailed(network.error().message);
  if (options.json) {
    std::fputs(report::json_text(report::network_json(*network)).c_str(), stdout);
  } else {
    std::fputs(report::network_table(*network).c_str(), stdout);
  }
}

}  // namespace

void register_zoo_commands(CLI::App& app) {
  CLI::App* zoo = app.add_subcommand("zoo", "The built-in networks (docs/zoo.md)");
  zoo->require_subcommand(1);

  CLI::App* list = zoo->add_subcommand("list", "One line per built-in network: layers, MACs, weights at batch 1");
  list->callback(run_zoo_list);

  auto options = std::make_shared<ZooShowOptions>();
  CLI::App* show = zoo->add_subcommand("show", "The layers of one network (K and C are per group)");
  show->add_option("name", options->name, "A zoo network (see `zoo list`), a network YAML file or an ONNX model (.onnx)")
      ->required()
      ->type_name("NAME|FILE");
  options->batch_option = show->add_option(
      "--batch", options->batch_value, "N of every layer (default: 1 for zoo networks; a YAML network keeps its N)")
      ->transform(whole_number(1, std::numeric_limits<std::int64_t>::max(), ">= 1"));
  show->add_flag("--json", options->json, "Print JSON instead of the table");
  add_input_shape_option(*show, options->input_shapes);
  show->callback([options] { run_zoo_show(*options); });
}

}  // namespace dnnspace::cli
