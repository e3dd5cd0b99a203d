// Running the dnnspace Python package (python/dnnspace) from a command: the figures.
#pragma once

#include <string>
#include <vector>

namespace dnnspace::cli {

/// Runs `python3 -m MODULE ARGS...` with the package on PYTHONPATH (found beside the
/// command or under the install prefix) and returns its exit code; the module prints its
/// own one-line errors. CommandFailed when the package or python3 cannot be started.
int run_python_module(const std::string& module, const std::vector<std::string>& args);

}  // namespace dnnspace::cli
