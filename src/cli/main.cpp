// dnnspace: the command-line entry point. Each subcommand lives in its own file.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "dnnspace/dist/ranks.hpp"
#include "exit_codes.hpp"

namespace {

// An error is one line: control characters a user put in a name, path or flag (a
// newline, a tab) are printed escaped ("\n", "\x09"), never raw.
void print_error(const char* prefix, const char* message) {
  // In an MPI run every rank reads the same inputs and fails the same way: rank 0 says it.
  if (dnnspace::dist::is_other_rank()) return;
  std::string line;
  for (const char* p = message; *p; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '\n') {
      line += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      line += hex;
    } else {
      line += static_cast<char>(c);
    }
  }
  std::fprintf(stderr, "dnnspace: %s: %s\n", prefix, line.c_str());
}

int run(int argc, char** argv) {
  CLI::App app{"dnnspace: design and evaluate DNN accelerators (dataflows, memory hierarchies, mappings)"};
  app.require_subcommand(0, 1);
  dnnspace::cli::register_zoo_commands(app);
  dnnspace::cli::register_evaluate_command(app);
  dnnspace::cli::register_optimize_command(app);
  dnnspace::cli::register_train_commands(app);
  dnnspace::cli::register_dataflows_command(app);
  dnnspace::cli::register_dse_command(app);
  dnnspace::cli::register_roofline_command(app);
  dnnspace::cli::register_scale_command(app);
  dnnspace::cli::register_generate_command(app);
  dnnspace::cli::register_figure_commands(app);
  dnnspace::cli::register_minerva_command(app);
  // Under mpirun only dse and optimize share their work over the ranks; another command
  // would run whole on every rank.
  if (dnnspace::dist::launched_size() > 1 && argc > 1 && std::string_view(argv[1]) != "dse" &&
      std::string_view(argv[1]) != "optimize") {
    print_error("error", (std::string(argv[1]) + ": only dse and optimize run over MPI ranks (docs/distributed.md); "
                          "run it without mpirun").c_str());
    return dnnspace::cli::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command that already reported, e.g. interrupted (130)
  } catch (const CLI::ParseError& e) {
    print_error("error", e.what());
    return dnnspace::cli::kExitUsage;
  } catch (const dnnspace::cli::CommandFailed& e) {
    print_error("error", e.what());
    return dnnspace::cli::kExitUsage;
  } catch (const std::bad_alloc&) {
    print_error("error", "out of memory (a smaller search helps: a higher --min-util, a fixed --dataflow, "
                         "no --replication, fewer storage choices)");
    return dnnspace::cli::kExitInternal;
  } catch (const std::exception& e) {
    print_error("internal error", e.what());
    return dnnspace::cli::kExitInternal;
  }
  if (app.get_subcommands().empty()) {
    std::fputs(app.help().c_str(), stdout);
  }
  return dnnspace::cli::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const int code = run(argc, argv);
  dnnspace::dist::end_mpi();
  return code;
}
