// A tensor resident on chip between two layers (docs/model.md Sec. 9): the accesses the
// model books at the outermost level are the resident copy's, in an on-chip level.
#pragma once

#include <cstdint>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/model/cost.hpp"

namespace dnnspace {

/// The architecture a layer runs on while tensor t stays resident in `level` (an on-chip
/// level above or at the one feeding the array): the levels from 1 to `level` no longer
/// buffer t (its resident copy serves the levels below directly), the outermost level's
/// accesses of t cost what `level`'s do (they are the resident copy's, docs/model.md Sec. 9),
/// and `level` keeps `reserved_bytes` fewer bytes for tiles. Callers check that the level
/// holds more than reserved_bytes.
Architecture with_resident_tensor(Architecture arch, int level, TensorId t, std::int64_t reserved_bytes);

/// Moves what `cost` (evaluated on a with_resident_tensor architecture) books for t at the
/// outermost level to `level`: its reads, writes and energy, and out of offchip_bytes
/// (`outer_word_bytes`: t's bytes per word at the outermost level). Returns the bytes that
/// left offchip_bytes. The cycles stay as evaluated (a bandwidth on the outermost level
/// still counts t's words).
std::int64_t book_resident_accesses(CostResult& cost, int level, TensorId t, std::int64_t outer_word_bytes) noexcept;

/// Adds to `cost` the writes of `words` words of t into `level` (on arch), once each: a copy
/// kept there as the pass reads the tensor (an activation kept for backprop, docs/model.md
/// Sec. 10), beyond the tiles the mapping fills. The level's bandwidth cycles count them;
/// when those then set the layer's cycles, its cycles and leakage follow.
void book_copy_writes(CostResult& cost, const Architecture& arch, int level, TensorId t, std::int64_t words) noexcept;

}  // namespace dnnspace
