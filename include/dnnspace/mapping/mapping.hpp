// The mapping value type: per storage level, temporal loops and spatial loops.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/dims.hpp"
#include "dnnspace/core/fixed_vector.hpp"
#include "dnnspace/workload/projection.hpp"

namespace dnnspace {

/// Documented maxima (docs/model.md, "Limits"), each enforced where input enters,
/// besides kMaxLevels (arch/architecture.hpp): temporal loops of one level (one per
/// dimension of the largest workload, so that one level can take all that remains of
/// every dimension, as the mapper's outermost level does) and spatial loops of one
/// array axis.
inline constexpr std::size_t kMaxTemporalLoops = kMaxWorkloadDims;
inline constexpr std::size_t kMaxSpatialLoops = 4;

/// The most iterations (the product of all of a mapping's factors, padding of partial
/// tiles included) the model counts; check_mapping_structure enforces it. Every count
/// the model forms (accesses, bytes, footprints, cycles) is at most 48 times this, so
/// 2^57 keeps all of them inside 64 bits.
inline constexpr std::int64_t kMaxMappedIterations = std::int64_t{1} << 57;

/// Loops with a factor > 1 that one dimension (indeed a whole mapping) can have: each
/// at least doubles the iterations, so at most 57 fit under kMaxMappedIterations. The
/// model's per-dimension tables hold this many.
inline constexpr std::size_t kMaxLoopsPerDim = 57;
static_assert((std::int64_t{1} << kMaxLoopsPerDim) == kMaxMappedIterations);

/// One loop of the nest: a dimension and how many iterations this loop runs.
struct Loop {
  std::int64_t factor = 1;
  Dim dim = Dim::N;
  friend constexpr bool operator==(const Loop&, const Loop&) = default;
};

/// The loops assigned to one storage level. Temporal loops iterate inside the
/// level's tile, outermost first. Spatial loops (only on the level that feeds the
/// PE array) unroll onto the array axes; on one axis the first listed loop gets the
/// nearest neighbours (004 Sec. III-C, replication).
struct LevelLoops {
  FixedVector<Loop, kMaxTemporalLoops> temporal;
  FixedVector<Loop, kMaxSpatialLoops> rows;
  FixedVector<Loop, kMaxSpatialLoops> cols;
  friend constexpr bool operator==(const LevelLoops&, const LevelLoops&) = default;
};

/// A mapping of one layer onto one architecture: one LevelLoops per storage level,
/// outermost (DRAM) first, in the architecture's level order. Plain value: copying
/// never allocates.
struct Mapping {
  FixedVector<LevelLoops, kMaxLevels> levels;
  friend constexpr bool operator==(const Mapping&, const Mapping&) = default;
};

/// Which array axis a spatial loop unrolls onto.
enum class Axis : std::uint8_t { None, Rows, Cols };

/// One loop of the flattened nest, outermost first (see flatten()).
/// Trivially constructible so that a Nest is not zeroed on the model's hot path.
struct NestLoop {
  std::int64_t factor;
  Dim dim;
  std::int8_t level;      ///< the storage level the loop belongs to
  Axis axis;              ///< None for temporal loops
  std::int64_t pe_stride; ///< spatial: distance in PEs between neighbouring iterations
};

/// The whole nest in execution order, outermost first: for each level, its temporal
/// loops then its spatial loops (rows, then cols, each as listed). Loops with factor 1
/// are dropped: they never change an index.
struct Nest {
  FixedVector<NestLoop, kMaxLevels * (kMaxTemporalLoops + 2 * kMaxSpatialLoops)> loops;
};

/// Calls f(loop, index) for each loop of the mapping's nest, outermost first, as
/// flatten() lists them (`loop` a NestLoop, `index` its place in the nest): the one
/// definition of the nest's order, for callers that need it without building the nest.
template <typename F>
void for_each_nest_loop(const Mapping& mapping, F&& f) {
  std::size_t index = 0;
  for (std::size_t l = 0; l < mapping.levels.size(); ++l) {
    const LevelLoops& level = mapping.levels[l];
    const auto level_id = static_cast<std::int8_t>(l);
    for (const Loop& loop : level.temporal) {
      if (loop.factor > 1) f(NestLoop{loop.factor, loop.dim, level_id, Axis::None, 0}, index++);
    }
    // Rows, then cols; pe_stride is the product of the earlier factors of the same axis.
    // (Two calls of a lambda rather than a loop over the axes: cheaper on the model's path.)
    const auto spatial = [&](const FixedVector<Loop, kMaxSpatialLoops>& list, Axis axis) {
      std::int64_t stride = 1;
      for (const Loop& loop : list) {
        if (loop.factor > 1) f(NestLoop{loop.factor, loop.dim, level_id, axis, stride}, index++);
        stride *= loop.factor;
      }
    };
    spatial(level.rows, Axis::Rows);
    spatial(level.cols, Axis::Cols);
  }
}

/// Flattens a mapping into its nest. Spatial pe_stride: the product of the factors
/// of the loops listed before it on the same axis.
Nest flatten(const Mapping& mapping) noexcept;

/// Product of all factors of dimension d in the mapping (temporal and spatial).
/// Saturates at INT64_MAX rather than wrapping (a user can write any factors).
std::int64_t factor_product(const Mapping& mapping, Dim d) noexcept;

/// Product of the spatial factors on one axis of one level.
std::int64_t spatial_product(const LevelLoops& level, Axis axis) noexcept;

}  // namespace dnnspace
