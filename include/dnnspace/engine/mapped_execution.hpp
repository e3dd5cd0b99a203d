// Mapped execution: a CONV or FC layer computed exactly as a mapping schedules it, tile by
// tile through real per-level buffers, with the transfers it performs counted.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/engine/fixed_point.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/model/tile_walk.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::engine {

// A datapath says what one MAC computes: Operand (inputs and weights), Psum (partial sums,
// as stored in every level's output buffer and moved between levels), the product of a
// weight and an input, the sum of two psums, and what a finished psum becomes.

/// Products and sums in PsumT, operands widened to it; a finished psum is the output as
/// is. Exact for the integer instances (callers keep |sums| in range); fp32 sums are
/// reassociated by the mapping (see docs/engine.md).
template <class OperandT, class PsumT>
struct WideningDatapath {
  using Operand = OperandT;
  using Psum = PsumT;
  using Output = PsumT;
  Psum multiply(Operand w, Operand x) const noexcept { return Psum{w} * Psum{x}; }
  Psum add(Psum a, Psum b) const noexcept { return a + b; }
  Output finish(Psum p) const noexcept { return p; }
};

/// fp32 throughout.
using Fp32Datapath = WideningDatapath<float, float>;
/// int32 operands, exact int64 accumulation (callers keep |sums| below 2^63).
using Int64Datapath = WideningDatapath<std::int32_t, std::int64_t>;
/// int8 operands, exact int32 accumulation as int8_matmul does (depth <= 2^17).
using Int8Datapath = WideningDatapath<std::int8_t, std::int32_t>;

/// Minerva's fixed point (fixed_point.hpp): raw Q^W weights and Q^X inputs, each product
/// rounded and saturated to Q^P (fixed_product), summed exactly in a wide accumulator that
/// psum buffers store at full width, saturated to Q^P once when the output is finished
/// (fixed_dot's rule; the sum is associative, so any mapping gives fixed_dot's bits).
struct FixedDatapath {
  using Operand = std::int64_t;
  using Psum = std::int64_t;
  using Output = std::int64_t;
  MacFormats formats{};
  Psum multiply(Operand w, Operand x) const noexcept { return fixed_product(w, x, formats); }
  Psum add(Psum a, Psum b) const noexcept { return a + b; }
  Output finish(Psum p) const noexcept { return saturate(p, formats.products); }
};

/// What a mapped execution produced.
template <class Output>
struct MappedExecution {
  /// The layer's outputs as read from level 0 at the end, [G][N][K][P][Q] row-major
  /// (element_id order).
  std::vector<Output> outputs;
  /// The words the execution moved: buffer reads and writes per level and tensor
  /// (summed over instances), PE-to-PE transfers, MACs and time steps.
  TransferCounts transfers;
  /// Per level and tensor: the most words one instance's buffer held at once (0 where
  /// the level bypasses the tensor; level 0 holds the whole tensor).
  std::array<PerTensor<std::int64_t>, kMaxLevels> peak_tile_words{};
};

/// Executes the layer as `mapping` schedules it on `arch` (walk_tiles, docs/engine.md
/// "Mapped execution"): every level instance has a buffer per tensor it holds, filled from
/// its parent's buffer at each epoch start (a word several children need is read once and
/// multicast); MACs read operands only from the innermost holding level's buffer and update
/// psums there; psums are drained (reduced across siblings) into the parent at each epoch
/// end and sent back down when a later epoch needs them; the outputs are read from level 0.
/// `inputs` is [G][N][C][H][W] on the padded plane (tensor_size(layer, Inputs) values),
/// `weights` [G][K][C][R][S]; a layer of two operands (no further operand slots). The mapping must be structurally legal
/// (check_mapping_structure) and the spans of the right sizes (assert); capacity is not
/// checked (peak_tile_words reports what the buffers needed). Meant for small layers: cost
/// grows with the number of (time step, PE) points, as for simulate().
template <class Datapath>
[[nodiscard]] MappedExecution<typename Datapath::Output> execute_mapped(
    const Layer& layer, const Architecture& arch, const Mapping& mapping,
    std::span<const typename Datapath::Operand> inputs, std::span<const typename Datapath::Operand> weights,
    const Datapath& datapath = {});

extern template MappedExecution<float> execute_mapped<Fp32Datapath>(
    const Layer&, const Architecture&, const Mapping&, std::span<const float>, std::span<const float>,
    const Fp32Datapath&);
extern template MappedExecution<std::int64_t> execute_mapped<Int64Datapath>(
    const Layer&, const Architecture&, const Mapping&, std::span<const std::int32_t>,
    std::span<const std::int32_t>, const Int64Datapath&);
extern template MappedExecution<std::int32_t> execute_mapped<Int8Datapath>(
    const Layer&, const Architecture&, const Mapping&, std::span<const std::int8_t>,
    std::span<const std::int8_t>, const Int8Datapath&);
extern template MappedExecution<std::int64_t> execute_mapped<FixedDatapath>(
    const Layer&, const Architecture&, const Mapping&, std::span<const std::int64_t>,
    std::span<const std::int64_t>, const FixedDatapath&);

}  // namespace dnnspace::engine
