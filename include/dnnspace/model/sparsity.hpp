// Sparsity in the cost model (003 Sec. VII-B; docs/model.md Sec. 11): what a tensor's
// zeros save, given its density (the layer's) and what the architecture does with zeros
// (gate or skip at the MACs, compressed storage at chosen levels).
#pragma once

#include <cstdint>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// The fraction of the layer's MACs the array performs: with zero handling, the product of
/// the densities of the checked operands (zeros taken as independent); 1 without. The
/// densities are the forward pass's: a gradient pass is costed dense.
double performed_mac_fraction(const Layer& layer, const Architecture& arch) noexcept;

/// Words a tile of tensor t takes at the level, and each of its accesses there moves, per
/// dense word: 1 uncompressed; bitmask: density + 1 / bits (one mask bit per element);
/// run length: density x (1 + run_bits / bits) (a run field with every nonzero), where
/// bits is the tensor's width at the level. Above 1 when the metadata outweighs the zeros.
double stored_word_fraction(const Architecture& arch, const StorageLevel& level, TensorId t, double density) noexcept;

/// Whether the densities change any cost of the layer on the architecture: some MACs are
/// gated or skipped, or some level compresses a tensor of the layer. Never for a gradient
/// pass (its tensors are not the forward pass's).
bool sparsity_applies(const Layer& layer, const Architecture& arch) noexcept;

/// `words` scaled by a fraction, rounded to the nearest word (the model's expected count).
inline std::int64_t scaled_words(std::int64_t words, double fraction) noexcept {
  if (fraction == 1.0) return words;
  return static_cast<std::int64_t>(static_cast<double>(words) * fraction + 0.5);
}

}  // namespace dnnspace
