// `dnnspace plot` and `dnnspace report`: a result's figure and its HTML page. Both are drawn
// by the Python package (python/dnnspace: plot.py and report.py, on matplotlib); these
// commands find the package next to the command (the build tree, build/python) or under
// the install prefix, and run it with Debian's python3. Its errors are one line, as ours.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "python_module.hpp"
#include "exit_codes.hpp"

#ifndef DNNSPACE_PYTHON
#define DNNSPACE_PYTHON "/usr/bin/python3"
#endif
#ifndef DNNSPACE_PYTHON_INSTALL_DIR
#define DNNSPACE_PYTHON_INSTALL_DIR "lib/python3/dist-packages"
#endif

extern char** environ;

namespace dnnspace::cli {
namespace {

namespace fs = std::filesystem;

/// The directory that holds the dnnspace package: build/python beside a built command, or
/// PREFIX/lib/python3.N/dist-packages beside PREFIX/bin/dnnspace.
fs::path python_package_root() {
  std::error_code ec;
  const fs::path exe_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  if (ec) throw CommandFailed("cannot locate the dnnspace command itself (/proc/self/exe): " + ec.message());
  const fs::path candidates[] = {exe_dir / "python", exe_dir.parent_path() / DNNSPACE_PYTHON_INSTALL_DIR};
  for (const fs::path& root : candidates) {
    if (fs::is_regular_file(root / "dnnspace" / "plot.py", ec)) return root;
  }
  throw CommandFailed("the dnnspace Python package (plot.py, report.py) is not in " + candidates[0].string() +
                      " nor in " + candidates[1].string() + ": build it (make build) or install it (make install)");
}

}  // namespace

int run_python_module(const std::string& module, const std::vector<std::string>& args) {
  const fs::path root = python_package_root();
  std::string pythonpath = root.string();
  if (const char* old = std::getenv("PYTHONPATH"); old && *old) pythonpath += ":" + std::string(old);
  // -P: the current directory is not put on the module path (a dnnspace.py or json.py
  // there is not imported instead of ours or the standard library's).
  std::vector<std::string> argv_text = {DNNSPACE_PYTHON, "-P", "-m", module};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid < 0) throw CommandFailed(std::string("cannot start python3: ") + std::strerror(errno));
  if (pid == 0) {
    ::setenv("PYTHONPATH", pythonpath.c_str(), 1);
    ::setenv("PYTHONDONTWRITEBYTECODE", "1", 1);  // nothing written into the package's directory
    ::execve(argv[0], argv.data(), environ);
    std::fprintf(stderr, "dnnspace: error: cannot run %s (%s): install python3 and python3-matplotlib "
                 "(scripts/install-deps)\n", argv[0], std::strerror(errno));
    std::_Exit(kExitUsage);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw CommandFailed(std::string("waiting for python3: ") + std::strerror(errno));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);  // as a shell reports a signal (130 for Ctrl-C)
}

void register_figure_commands(CLI::App& app) {
  struct Options {
    std::string result;
    std::string out;
    std::string html;
  };
  auto plot = std::make_shared<Options>();
  CLI::App* p = app.add_subcommand(
      "plot", "The figure of a result JSON (evaluate, optimize, dataflows, dse --sweep, roofline) as PNG, SVG or PDF");
  p->add_option("result", plot->result, "a JSON file a dnnspace command wrote (--json)")->required();
  CLI::Option* out = p->add_option("--out", plot->out, "the figure, FILE.png, FILE.svg or FILE.pdf (default: RESULT with .png)");
  p->callback([plot, out] {
    std::vector<std::string> args = {plot->result};
    if (out->count() > 0) args.insert(args.end(), {"--out", plot->out});
    const int code = run_python_module("dnnspace.plot", args);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
  auto report = std::make_shared<Options>();
  CLI::App* r = app.add_subcommand(
      "report", "A result JSON as one self-contained HTML page: key numbers, the figure, tables, loop nests");
  r->add_option("result", report->result, "a JSON file a dnnspace command wrote (--json)")->required();
  r->add_option("--html", report->html, "the page to write, FILE.html")->required();
  r->callback([report] {
    const int code = run_python_module("dnnspace.report", {report->result, "--html", report->html});
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace dnnspace::cli
