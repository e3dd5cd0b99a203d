// The dnnspace subcommands: each file registers one command family on the CLI11 app.
#pragma once

#include <CLI/CLI.hpp>

namespace dnnspace::cli {

/// `dnnspace zoo list` and `dnnspace zoo show NAME [--json]`.
void register_zoo_commands(CLI::App& app);
/// `dnnspace evaluate --arch A --layer L --mapping M [--json FILE]`.
void register_evaluate_command(CLI::App& app);
/// `dnnspace optimize --arch A --network NET [--layer L] [--dataflow D] [--min-util U] ...`.
void register_optimize_command(CLI::App& app);
/// `dnnspace dataflows --arch A --layer L [--replication 2|3] ...`.
void register_dataflows_command(CLI::App& app);
/// `dnnspace dse --network NET --base A (--sweep KEY=VALUES... | --auto) ...`.
void register_dse_command(CLI::App& app);
/// `dnnspace train --network N --epochs E ...` and `dnnspace infer --network N --weights W ...`.
void register_train_commands(CLI::App& app);

/// `dnnspace roofline --arch A --network NET [--bandwidth LEVEL=GB/s] [--plot FILE.svg] [--json FILE]`.
void register_roofline_command(CLI::App& app);

/// `dnnspace scale --arch A --network NET --nodes 1,4,16,64 --parallel model|data|hybrid [--training] ...`.
void register_scale_command(CLI::App& app);

/// `dnnspace generate --arch A --layer L --mapping M --out DIR [--operand-bits 8] [--accumulator-bits 32] [--json FILE]`.
void register_generate_command(CLI::App& app);

/// `dnnspace plot RESULT.json [--out FILE.png|.svg|.pdf]` and `dnnspace report RESULT.json --html FILE.html`.
void register_figure_commands(CLI::App& app);

/// `dnnspace minerva [--dataset D] [--stages 1-5] [--out DIR] [--quick] ...`: 001's Minerva flow.
void register_minerva_command(CLI::App& app);

}  // namespace dnnspace::cli
