// dnnspace: the command-line entry point. Each subcommand lives in its own file.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "commands.hpp"
#include "exit_codes.hpp"

int main(int argc, char** argv) {
  CLI::App app{"dnnspace: design and evaluate DNN accelerators (dataflows, memory hierarchies, mappings)"};
  app.require_subcommand(0, 1);
  dnnspace::cli::register_zoo_commands(app);
  dnnspace::cli::register_evaluate_command(app);
  dnnspace::cli::register_optimize_command(app);
  dnnspace::cli::register_train_commands(app);
  dnnspace::cli::register_dataflows_command(app);
  dnnspace::cli::register_dse_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command that already reported, e.g. interrupted (130)
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "dnnspace: error: %s\n", e.what());
    return dnnspace::cli::kExitUsage;
  } catch (const dnnspace::cli::CommandFailed& e) {
    std::fprintf(stderr, "dnnspace: error: %s\n", e.what());
    return dnnspace::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dnnspace: internal error: %s\n", e.what());
    return dnnspace::cli::kExitInternal;
  }
  if (app.get_subcommands().empty()) {
    std::fputs(app.help().c_str(), stdout);
  }
  return dnnspace::cli::kExitOk;
}
