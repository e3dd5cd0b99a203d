// A schedule file given to a command (--schedule): read, compiled onto the architecture
// given or the one it implies, every error naming the file.
#pragma once

#include <string>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/mapping/schedule.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::cli {

/// Reads `path` and compiles it for `layer` onto `arch`, or onto the architecture it
/// implies when `arch` is null. Throws CommandFailed with a one-line message that starts
/// with the file (and its line, where a primitive is at fault); `context` ("compiled on
/// conv1, the run's first layer") is appended when not empty.
CompiledSchedule compile_schedule_file(const std::string& path, const Layer& layer, const Architecture* arch,
                                       const std::string& context = "");

}  // namespace dnnspace::cli
