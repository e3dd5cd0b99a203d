// Which tensors each level keeps and whether it double-buffers: what an architecture may
// leave to the mapper (`bypass: search`, `buffering: search`; docs/arch.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/core/fixed_vector.hpp"

namespace dnnspace {

/// One level's storage: the tensors it keeps (the three named slots; further operands
/// follow the inputs, as holds_tensor says) and its buffering.
struct LevelStorage {
  PerTensor<bool> holds = PerTensor<bool>::filled(true);
  bool double_buffered = false;
  friend bool operator==(const LevelStorage&, const LevelStorage&) = default;
};

/// Every level's storage, outermost first.
struct StorageChoice {
  FixedVector<LevelStorage, kMaxLevels> levels;
  friend bool operator==(const StorageChoice&, const StorageChoice&) = default;
};

/// Most storage choices one search enumerates (validate_architecture enforces it): 7
/// keep-sets of three tensors on each of three levels, each single or double buffered,
/// is 2,744.
inline constexpr std::int64_t kMaxStorageChoices = 4096;

/// The architecture's own storage (its `holds` and `double_buffered`).
StorageChoice storage_of(const Architecture& arch);

/// Whether some level leaves its bypass or buffering to the mapper.
bool leaves_storage_open(const Architecture& arch) noexcept;

/// For evaluating one given mapping, which needs every level's storage fixed: an error
/// "ORIGIN: level 'L' leaves its bypass|buffering to the mapper ..." for the first level
/// that leaves it open, saying how to fix it.
[[nodiscard]] Expected<void> check_storage_fixed(const Architecture& arch, std::string_view origin);

/// How many choices the architecture leaves open (1 when none), saturating just above
/// kMaxStorageChoices.
std::int64_t count_storage_choices(const Architecture& arch) noexcept;

/// Every choice the architecture leaves open, in a fixed order: level by level from the
/// outermost, the innermost level varying fastest; per level the keep-sets in order of
/// their bit patterns (inputs bit 0, weights bit 1, outputs bit 2) from the largest
/// value, so all of `holds` comes first, then single before double buffering. At most
/// kMaxStorageChoices (precondition: validate_architecture passed).
std::vector<StorageChoice> storage_choices(const Architecture& arch);

/// The architecture with `choice` applied and nothing left open.
Architecture with_storage(Architecture arch, const StorageChoice& choice);

/// "keeps inputs, outputs (single-buffered)", per level, for reports.
std::string describe_level_storage(const LevelStorage& storage, bool has_capacity);

}  // namespace dnnspace
