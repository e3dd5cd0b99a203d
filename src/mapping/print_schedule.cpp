// A mapping printed as a schedule (the text form of docs/schedules.md).
#include <string>
#include <vector>

#include "dnnspace/core/checked.hpp"
#include "dnnspace/mapping/schedule.hpp"
#include "schedule_names.hpp"

namespace dnnspace {
namespace {

// A tensor's name as the printed schedule writes it: an operand called `output` is quoted,
// since bare `output` is the function the schedule computes.
std::string tensor_text(const Layer& layer, TensorId t) {
  const std::string name = tensor_name(layer, t);
  return name == "output" && t != TensorId::Outputs ? quoted(name) : quoted_name(name);
}

// A loop of the printed nest, outermost first.
struct PrintedLoop {
  Loop loop;
  int level = 0;
  Axis axis = Axis::None;
  std::string name;
};

}  // namespace

Expected<std::string> schedule_text(const Layer& layer, const Architecture& arch, const Mapping& mapping) {
  const std::size_t num_levels = arch.levels.size();
  if (mapping.levels.size() != num_levels) {
    return Error{"the mapping has " + std::to_string(mapping.levels.size()) + " levels, " + arch.name + " has " +
                 std::to_string(num_levels)};
  }
  for (std::size_t i = 1; i < num_levels; ++i) {
    bool holds_any = false;
    for (TensorId t : {TensorId::Inputs, TensorId::Weights, TensorId::Outputs}) holds_any = holds_any || arch.levels[i].holds[t];
    if (!holds_any) return Error{"level " + arch.levels[i].name + " holds no tensor: no buffer can place its loops in a schedule"};
  }

  // The nest outermost first: per level its temporal loops, then each axis's unrolled
  // loops with the first listed (nearest neighbours) innermost. Loops of factor 1 vanish.
  std::vector<PrintedLoop> nest;
  for (std::size_t i = 0; i < num_levels; ++i) {
    const LevelLoops& l = mapping.levels[i];
    const int level = static_cast<int>(i);
    for (const Loop& loop : l.temporal) if (loop.factor > 1) nest.push_back({loop, level, Axis::None, ""});
    for (std::size_t k = l.cols.size(); k-- > 0;) if (l.cols[k].factor > 1) nest.push_back({l.cols[k], level, Axis::Cols, ""});
    for (std::size_t k = l.rows.size(); k-- > 0;) if (l.rows[k].factor > 1) nest.push_back({l.rows[k], level, Axis::Rows, ""});
  }

  // Names: a dimension's only loop keeps its letter; several are letter0 (innermost) up.
  PerDim<int> count{};
  for (const PrintedLoop& p : nest) ++count[p.loop.dim];
  PerDim<int> seen{};
  for (auto it = nest.rbegin(); it != nest.rend(); ++it) {
    const Dim d = it->loop.dim;
    it->name = count[d] == 1 ? loop_name(d) : loop_name(d) + std::to_string(seen[d]++);
  }

  std::string out = "# " + layer.name + " on " + arch.name + "\n";
  // Splits, per dimension from its innermost loop outwards; bound() first when the loops
  // cover more than the dimension (a padded last tile) in a way splits alone do not give.
  for (Dim d : default_loop_order(layer)) {
    if (count[d] == 0) continue;
    std::vector<std::int64_t> factors;  // innermost first
    for (auto it = nest.rbegin(); it != nest.rend(); ++it) if (it->loop.dim == d) factors.push_back(it->loop.factor);
    std::int64_t inner = 1;
    for (std::size_t k = 0; k + 1 < factors.size(); ++k) inner *= factors[k];
    const std::string root = loop_name(d);
    if (factors.back() != ceil_div(layer.bounds[d], inner)) {
      out += "output.bound(" + root + ", 0, " + std::to_string(inner * factors.back()) + ")\n";
    }
    std::string rest = root;
    for (std::size_t k = 0; k + 1 < factors.size(); ++k) {
      const std::string outer = k + 2 == factors.size() ? root + std::to_string(k + 1) : root + std::to_string(k + 1) + "o";
      out += "output.split(" + rest + ", " + outer + ", " + root + std::to_string(k) + ", " + std::to_string(factors[k]) + ")\n";
      rest = outer;
    }
  }
  if (!nest.empty()) {
    out += "output.reorder(";
    for (auto it = nest.rbegin(); it != nest.rend(); ++it) out += (it == nest.rbegin() ? "" : ", ") + it->name;
    out += ")\n";
  }
  for (const PrintedLoop& p : nest) {
    if (p.axis != Axis::None) out += "output.unroll(" + p.name + (p.axis == Axis::Rows ? ", rows)\n" : ", cols)\n");
  }
  if (arch.array.timing == ArrayTiming::Systolic) out += "output.systolic()\n";
  std::string operands;
  for (TensorId t : layer_tensors(layer)) {
    if (t != TensorId::Outputs) operands += (operands.empty() ? "" : ", ") + tensor_text(layer, t);
  }
  out += "output.accelerate({" + operands + "})\n";

  // Buffers: each level's tile is what the loops inside the innermost loop above it touch.
  for (std::size_t i = 1; i < num_levels; ++i) {
    std::string at_loop;
    for (const PrintedLoop& p : nest) if (p.level < static_cast<int>(i)) at_loop = p.name;
    for (TensorId t : {TensorId::Inputs, TensorId::Weights, TensorId::Outputs}) {
      if (!arch.levels[i].holds[t]) continue;
      out += tensor_text(layer, t) + ".in(" + quoted_name(arch.levels[i].name) + ")" +
             (at_loop.empty() ? ".compute_root()\n" : ".compute_at(output, " + at_loop + ")\n");
    }
  }
  return out;
}

}  // namespace dnnspace
