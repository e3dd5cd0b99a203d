#include "dnnspace/mapping/print.hpp"

#include "dnnspace/mapping/footprint.hpp"

namespace dnnspace {
namespace {

std::string loop_list(const FixedVector<Loop, kMaxTemporalLoops>& loops) {
  std::string out = "[";
  for (std::size_t i = 0; i < loops.size(); ++i) {
    out += (i ? ", " : "") + std::string(1, dim_letter(loops[i].dim)) + ": " + std::to_string(loops[i].factor);
  }
  return out + "]";
}

std::string loop_list(const FixedVector<Loop, kMaxSpatialLoops>& loops) {
  FixedVector<Loop, kMaxTemporalLoops> copy;
  for (const Loop& l : loops) copy.push_back(l);
  return loop_list(copy);
}

}  // namespace

std::string format_loop_nest(const Layer& layer, const Architecture& arch, const Mapping& mapping) {
  const Nest nest = flatten(mapping);
  std::string out;
  std::string indent;
  for (std::size_t l = 0; l < mapping.levels.size() && l < arch.levels.size(); ++l) {
    const StorageLevel& spec = arch.levels[l];
    out += indent + "[" + spec.name + "]";
    if (l == 0) {
      out += " holds";
      for (TensorId t : display_tensors(layer)) if (holds_tensor(spec, t)) out += " " + std::string(tensor_name(layer, t));
    } else {
      out += " tile:";
      bool first = true;
      for (TensorId t : display_tensors(layer)) {
        if (!holds_tensor(spec, t)) continue;
        out += (first ? " " : ", ") + std::string(tensor_name(layer, t)) + " " +
               std::to_string(tile_words(layer, nest, t, static_cast<int>(l)));
        first = false;
      }
      out += first ? " (bypassed)" : " words";
      if (static_cast<int>(l) > arch.array.parent_level) out += " per PE";
    }
    out += "\n";
    const LevelLoops& level = mapping.levels[l];
    for (const Loop& loop : level.temporal) {
      if (loop.factor <= 1) continue;
      out += indent + "for " + dim_letter(loop.dim) + " in 0.." + std::to_string(loop.factor) + "\n";
      indent += "  ";
    }
    for (const auto* axis : {&level.rows, &level.cols}) {
      for (const Loop& loop : *axis) {
        if (loop.factor <= 1) continue;
        out += indent + "spatial-for " + dim_letter(loop.dim) + " in 0.." + std::to_string(loop.factor) +
               (axis == &level.rows ? " (rows)" : " (cols)") + "\n";
        indent += "  ";
      }
    }
  }
  out += indent + "MAC\n";
  return out;
}

std::string format_mapping_yaml(const Architecture& arch, const Mapping& mapping) {
  std::string out = "mapping:\n";
  for (std::size_t l = 0; l < mapping.levels.size() && l < arch.levels.size(); ++l) {
    const LevelLoops& level = mapping.levels[l];
    out += "  - level: " + arch.levels[l].name + "\n";
    out += "    temporal: " + loop_list(level.temporal) + "\n";
    if (!level.rows.empty() || !level.cols.empty()) {
      out += "    spatial: {rows: " + loop_list(level.rows) + ", cols: " + loop_list(level.cols) + "}\n";
    }
  }
  return out;
}

}  // namespace dnnspace
