#include "dnnspace/search/search_options.hpp"

#include <cmath>
#include <string>

#include "dnnspace/arch/validate.hpp"
#include "dnnspace/mapping/dataflow.hpp"

namespace dnnspace {
namespace {

std::string number_text(double value) {
  std::string text = std::to_string(value);
  while (text.size() > 1 && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

Expected<Objective> parse_objective(std::string_view text) {
  if (text == "energy") return Objective::Energy;
  if (text == "cycles") return Objective::Cycles;
  if (text == "edp") return Objective::EnergyDelay;
  return Error{"--objective '" + std::string(text) + "': allowed: energy, cycles, edp"};
}

Expected<MapperOptions> mapper_options(std::string_view objective, double min_utilization, int threads,
                                       double time_limit_s) {
  MapperOptions mapper;
  Expected<Objective> o = parse_objective(objective);
  if (!o) return o.error();
  if (!std::isfinite(min_utilization) || min_utilization < 0.0 || min_utilization > 1.0) {
    return Error{"--min-util: must be a finite number in 0..1, got " + number_text(min_utilization)};
  }
  if (threads < 0 || threads > 1024) {
    return Error{"--threads: must be a whole number in 0..1024 (0 = all cores), got " + std::to_string(threads)};
  }
  if (!std::isfinite(time_limit_s) || time_limit_s < 0.0 || time_limit_s > 1e6) {
    return Error{"--time-limit: must be a finite number in 0..1000000 seconds, got " + number_text(time_limit_s)};
  }
  mapper.objective = *o;
  mapper.min_utilization = min_utilization;
  mapper.threads = threads;
  mapper.time_limit_s = time_limit_s;
  return mapper;
}

Expected<void> apply_storage_search(Architecture& arch, std::string_view bypass, std::string_view buffering) {
  for (const auto& [flag, value] : {std::pair{"--bypass", bypass}, std::pair{"--buffering", buffering}}) {
    if (value != "fixed" && value != "search") {
      return Error{std::string(flag) + " '" + std::string(value) + "': allowed: fixed, search"};
    }
  }
  for (std::size_t l = 0; l < arch.levels.size(); ++l) {
    StorageLevel& level = arch.levels[l];
    if (bypass == "search" && l > 0) level.bypass_searched = true;
    if (buffering == "search" && level.capacity_bytes > 0) level.buffering_searched = true;
  }
  return validate_architecture(arch);
}

Expected<void> apply_dataflow_choice(MapperOptions& mapper, std::string_view dataflow, std::string_view fallback,
                                     int replication, std::span<const Dim> dims) {
  if (fallback != "replicate" && fallback != "none") {
    return Error{"--fallback '" + std::string(fallback) + "': allowed: replicate, none"};
  }
  if (replication < 1 || replication > 3) {
    return Error{"--replication " + std::to_string(replication) + ": allowed: 1, 2, 3"};
  }
  if (replication > 1 && !dataflow.empty()) {
    return Error{"--replication applies to the free search; with --dataflow '" + std::string(dataflow) +
                 "' name the replicated dataflow itself (e.g. \"CK|P\")"};
  }
  mapper.replicate_if_unmapped = fallback == "replicate";
  mapper.max_loops_per_axis = replication;
  if (dataflow.empty()) return {};
  Expected<Dataflow> df = parse_dataflow(dataflow, dims);
  if (!df) return Error{"--dataflow: " + df.error().message};
  mapper.dataflows = {*df};
  return {};
}

}  // namespace dnnspace
