// Writing a generated accelerator for `dnnspace generate`: the part that takes a mapping,
// so that another front end (a schedule) can call it with its own (architecture, mapping).
#pragma once

#include <optional>
#include <string>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/hardware/hardware_options.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::cli {

/// Where the inputs came from (for the summary and the JSON's `sources`) and where the
/// outputs go.
struct GenerateRequest {
  std::string arch_source;
  std::string layer_source;
  std::string mapping_source;
  std::string out_dir;                   ///< created if missing; existing files are never replaced
  std::optional<std::string> json_path;  ///< checked by the caller before any work
  HardwareOptions options;
};

/// Generates the accelerator for the mapped layer, writes every file into out_dir (each
/// atomically, refusing before writing anything if one exists), prints the summary and
/// writes the JSON summary when asked. Throws CommandFailed (exit 2) on a refused input.
void generate_design(const Layer& layer, const Architecture& arch, const Mapping& mapping, const GenerateRequest& request);

}  // namespace dnnspace::cli
