// The architecture a schedule implies (004 Sec. IV-A: "the compiler automatically
// determines the necessary buffer sizes"): DRAM, one level per level of buffers sized to its
// tiles, the array as large as the unrolled loops.
#include <algorithm>

#include "dnnspace/arch/level_energy.hpp"
#include "dnnspace/arch/tech_table.hpp"
#include "dnnspace/arch/validate.hpp"
#include "dnnspace/mapping/footprint.hpp"
#include "dnnspace/mapping/schedule.hpp"
#include "schedule_analysis.hpp"
#include "schedule_names.hpp"

namespace dnnspace {

Expected<CompiledSchedule> compile_schedule(const Layer& layer, const Schedule& schedule,
                                            const ImpliedArchitecture& implied) {
  Expected<ScheduleAnalysis> analysis = analyze_schedule(layer, schedule);
  if (!analysis) return analysis.error();
  // The levels: named ones by their loops (outermost first, ties in order of appearance),
  // or the distinct loops of unnamed buffers.
  struct ImpliedLevel {
    std::string name;
    std::size_t boundary = 0;
    std::string where;  // its first buffer's
  };
  std::vector<ImpliedLevel> levels;
  bool any_named = false, any_unnamed = false;
  for (const ResolvedBuffer& b : analysis->buffers) {
    const std::string& name = b.primitive->level;
    (name.empty() ? any_unnamed : any_named) = true;
    bool known = false;
    for (const ImpliedLevel& l : levels) {
      known = known || (name.empty() ? l.boundary == b.boundary : l.name == name);
    }
    if (!known) levels.push_back({name, b.boundary, b.primitive->where});
  }
  if (any_named && any_unnamed) {
    return Error{"the schedule names the level of some buffers (in(LEVEL)) but not of others: name all or none"};
  }
  if (levels.empty()) {
    return Error{"the schedule has no buffer: give each tensor one with TENSOR.in().compute_at(output, LOOP) or .compute_root()"};
  }
  std::stable_sort(levels.begin(), levels.end(), [](const ImpliedLevel& a, const ImpliedLevel& b) { return a.boundary < b.boundary; });
  if (levels.size() + 1 > kMaxLevels) return Error{"the schedule makes " + std::to_string(levels.size()) + " buffer levels; at most " + std::to_string(kMaxLevels - 1)};

  Architecture arch;
  arch.name = "schedule";
  arch.word_bits = implied.word_bits;
  arch.clock_mhz = implied.clock_mhz;
  StorageLevel dram;
  dram.name = "DRAM";
  arch.levels.push_back(dram);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    StorageLevel level;
    level.name = levels[i].name.empty() ? "L" + std::to_string(i + 1) : levels[i].name;
    if (level.name == "DRAM") {
      return Error{at(levels[i].where) +
                   "in(DRAM): DRAM is the outermost level, which holds every tensor; buffers are the levels below it"};
    }
    if (level.name == "MAC" || level.name == "Array") {
      return Error{at(levels[i].where) + "in(" + level.name + "): '" + level.name +
                   "' names a row of the energy report (the MACs, the array's network); call the buffer's level otherwise"};
    }
    arch.levels.push_back(level);
  }
  // The array: the unrolled loops' extents, under the level whose loops hold them.
  arch.array.parent_level = static_cast<int>(levels.size());
  std::vector<std::size_t> boundaries{0};
  for (const ImpliedLevel& l : levels) boundaries.push_back(l.boundary);
  for (std::size_t k = 0; k < analysis->outer_first.size(); ++k) {
    const LoopVar& l = analysis->outer_first[k];
    if (l.axis == Axis::None || l.extent == 1) continue;  // a loop of extent 1 runs nowhere
    arch.array.parent_level = level_of_loop(boundaries, k);
    std::int64_t& size = l.axis == Axis::Rows ? arch.array.rows : arch.array.cols;
    if (l.extent > kMaxArrayAxis || size > kMaxArrayAxis / l.extent) {
      return Error{at(l.unroll_where) + "unroll(" + l.name + "): the unrolled loops make more than " +
                   std::to_string(kMaxArrayAxis) + " PEs on one axis"};
    }
    size *= l.extent;
  }
  Expected<CompiledSchedule> compiled = compile_analyzed(layer, arch, *analysis);
  if (!compiled) return compiled.error();

  // Each level exactly as large as its tiles; energies by size from the technology table.
  Architecture& out = compiled->arch;
  const Nest nest = flatten(compiled->mapping);
  for (std::size_t i = 1; i < out.levels.size(); ++i) {
    StorageLevel& level = out.levels[i];
    level.capacity_bytes = std::max<std::int64_t>(1, level_footprint_bytes(layer, out, nest, static_cast<int>(i)));
  }
  const auto derive = [&](StorageLevel& level, MemoryKind kind) -> Expected<void> {
    return derive_level_energy(level, {implied.technology, kind}, implied.word_bits);
  };
  for (std::size_t i = 0; i < out.levels.size(); ++i) {
    const MemoryKind kind = i == 0 ? MemoryKind::Dram : static_cast<int>(i) > out.array.parent_level ? MemoryKind::RegisterFile : MemoryKind::Sram;
    if (auto ok = derive(out.levels[i], kind); !ok) return Error{"technology '" + implied.technology + "': " + ok.error().message};
  }
  Expected<double> mac = mac_energy_pj(implied.technology, implied.word_bits);
  Expected<double> hop = array_hop_energy_pj(implied.technology, implied.word_bits);
  if (!mac) return mac.error();
  if (!hop) return hop.error();
  out.mac_energy_pj = *mac;
  out.array.hop_energy_pj = *hop;
  if (auto ok = validate_architecture(out); !ok) return ok.error();
  return compiled;
}

}  // namespace dnnspace
