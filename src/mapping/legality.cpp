#include "dnnspace/mapping/legality.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "dnnspace/core/checked.hpp"

#include "dnnspace/mapping/footprint.hpp"

namespace dnnspace {

Expected<void> check_mapping_structure(const Layer& layer, const Architecture& arch,
                                       const Mapping& mapping) {
  if (mapping.levels.size() != arch.levels.size()) {
    return Error{"mapping has " + std::to_string(mapping.levels.size()) + " levels, architecture '" +
                 arch.name + "' has " + std::to_string(arch.levels.size())};
  }
  for (std::size_t l = 0; l < mapping.levels.size(); ++l) {
    const LevelLoops& level = mapping.levels[l];
    const std::string where = "level '" + arch.levels[l].name + "'";
    if ((!level.rows.empty() || !level.cols.empty()) && static_cast<int>(l) != arch.array.parent_level) {
      return Error{where + ": spatial loops are allowed only on the level that feeds the PE array ('" +
                   arch.levels[static_cast<std::size_t>(arch.array.parent_level)].name + "')"};
    }
    auto bad_factor = [&](const Loop& loop) -> Expected<void> {
      if (loop.factor >= 1) return {};
      return Error{where + ": loop " + std::string(1, dim_letter(loop.dim)) + ": factor must be >= 1, got " +
                   std::to_string(loop.factor)};
    };
    for (const Loop& loop : level.temporal) if (auto ok = bad_factor(loop); !ok) return ok;
    for (const Loop& loop : level.rows) if (auto ok = bad_factor(loop); !ok) return ok;
    for (const Loop& loop : level.cols) if (auto ok = bad_factor(loop); !ok) return ok;
  }
  // The iteration cap also bounds the loops: at most 57 have a factor > 1.
  std::optional<std::int64_t> iterations = 1;
  const auto count = [&](const Loop& loop) {
    if (iterations) iterations = checked_mul(*iterations, loop.factor);
  };
  for (const LevelLoops& level : mapping.levels) {
    for (const Loop& loop : level.temporal) count(loop);
    for (const Loop& loop : level.rows) count(loop);
    for (const Loop& loop : level.cols) count(loop);
  }
  if (!iterations || *iterations > kMaxMappedIterations) {
    return Error{"the product of all factors (the mapped iterations, partial tiles included) is " +
                 (iterations ? std::to_string(*iterations) : std::string("above 2^63")) +
                 "; the model counts at most 2^57 = " + std::to_string(kMaxMappedIterations) +
                 " (use a smaller batch or layer, or factors closer to the bounds)"};
  }
  for (Dim d : kAllDims) {
    const bool has = std::find(layer.dims.begin(), layer.dims.end(), d) != layer.dims.end();
    if (!has && factor_product(mapping, d) > 1) {
      std::string names;
      for (Dim e : layer.dims) names += dim_letter(e);
      return Error{std::string("dimension ") + dim_letter(d) + ": layer '" + layer.name +
                   "' has no such dimension (its dimensions: " + names + ")"};
    }
    if (!has) continue;
    const std::int64_t product = factor_product(mapping, d);
    if (product < layer.bounds[d]) {
      return Error{std::string("dimension ") + dim_letter(d) + ": factors multiply to " + std::to_string(product) +
                   " but layer '" + layer.name + "' has " + dim_letter(d) + " = " +
                   std::to_string(layer.bounds[d]) + " (the product must cover the bound)"};
    }
  }
  return {};
}

Expected<void> check_mapping_fits(const Layer& layer, const Architecture& arch, const Mapping& mapping) {
  const auto& array_level = mapping.levels[static_cast<std::size_t>(arch.array.parent_level)];
  const std::int64_t rows = spatial_product(array_level, Axis::Rows);
  const std::int64_t cols = spatial_product(array_level, Axis::Cols);
  if (rows > arch.array.rows || cols > arch.array.cols) {
    return Error{"spatial loops need a " + std::to_string(rows) + "x" + std::to_string(cols) +
                 " array, architecture '" + arch.name + "' has " + std::to_string(arch.array.rows) + "x" +
                 std::to_string(arch.array.cols)};
  }
  const Nest nest = flatten(mapping);
  for (std::size_t l = 0; l < arch.levels.size(); ++l) {
    const StorageLevel& spec = arch.levels[l];
    if (spec.capacity_bytes <= 0) continue;
    const std::int64_t need = level_footprint_bytes(layer, arch, nest, static_cast<int>(l));
    if (need > spec.capacity_bytes) {
      // "inputs 4 + weights 3 words x 2 B", or with widths that differ per tensor
      // "inputs 4 x 1 B + outputs 2 x 3 B".
      bool uniform = true;
      std::int64_t bytes = -1;
      for (TensorId t : display_tensors(layer)) {
        if (!holds_tensor(spec, t)) continue;
        uniform = uniform && (bytes < 0 || bytes == tensor_bytes(arch, spec, t));
        bytes = tensor_bytes(arch, spec, t);
      }
      std::string parts;
      for (TensorId t : display_tensors(layer)) {
        if (!holds_tensor(spec, t)) continue;
        parts += (parts.empty() ? "" : " + ") + std::string(tensor_name(layer, t)) + " " +
                 std::to_string(tile_words(layer, nest, t, static_cast<int>(l))) +
                 (uniform ? "" : " x " + std::to_string(tensor_bytes(arch, spec, t)) + " B");
      }
      return Error{"level '" + spec.name + "': tiles need " + std::to_string(need) + " B (" + parts +
                   (uniform ? " words x " + std::to_string(bytes) + " B" : "") +
                   (spec.double_buffered ? ", double-buffered" : "") +
                   "), capacity " + std::to_string(spec.capacity_bytes) + " B"};
    }
  }
  return {};
}

Expected<void> check_mapping(const Layer& layer, const Architecture& arch, const Mapping& mapping) {
  if (auto s = check_mapping_structure(layer, arch, mapping); !s) return s;
  return check_mapping_fits(layer, arch, mapping);
}

}  // namespace dnnspace
