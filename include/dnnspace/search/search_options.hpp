// The search settings users give by name (the CLI's --objective, --min-util, --threads,
// --time-limit, --bypass, --buffering, --dataflow, --fallback, --replication, and the
// Python module's keywords of the same names), checked in one place. Each error is one
// line that names the setting, the value and what is allowed.
#pragma once

#include <span>
#include <string_view>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/core/dims.hpp"

namespace dnnspace {

/// "energy", "cycles" or "edp".
[[nodiscard]] Expected<Objective> parse_objective(std::string_view text);

/// Mapper options from the objective, the utilization floor (0..1), the worker threads
/// (0..1024, 0 = all cores) and the per-search time limit (0..1e6 s, 0 = none).
[[nodiscard]] Expected<MapperOptions> mapper_options(std::string_view objective, double min_utilization, int threads,
                                                     double time_limit_s);

/// bypass and buffering, each "fixed" (as the architecture says) or "search": every level
/// below the outermost leaves what it keeps to the mapper, every level with a capacity
/// leaves its buffering to it. Fails, too, when the architecture then has more storage
/// choices than the mapper enumerates (validate_architecture).
[[nodiscard]] Expected<void> apply_storage_search(Architecture& arch, std::string_view bypass,
                                                  std::string_view buffering);

/// The dataflow settings: a fixed dataflow ("" = the free search; parse_dataflow over
/// `dims`), the fallback when it has no mapping ("replicate" or "none") and the free
/// search's loops per array axis (1..3, only without a fixed dataflow).
[[nodiscard]] Expected<void> apply_dataflow_choice(MapperOptions& mapper, std::string_view dataflow,
                                                   std::string_view fallback, int replication,
                                                   std::span<const Dim> dims);

}  // namespace dnnspace
