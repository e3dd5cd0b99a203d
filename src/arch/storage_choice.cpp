#include "dnnspace/arch/storage_choice.hpp"

#include <string>

namespace dnnspace {
namespace {

// The keep-sets a level may take, as bit masks over the three named slots.
std::vector<unsigned> keep_sets(const StorageLevel& level) {
  unsigned allowed = 0;
  for (TensorId t : kAllTensors) if (level.holds[t]) allowed |= 1u << static_cast<unsigned>(t);
  if (!level.bypass_searched) return {allowed};
  std::vector<unsigned> out;
  for (unsigned mask = allowed; mask > 0; mask = (mask - 1) & allowed) out.push_back(mask);  // non-empty subsets
  return out;
}

std::vector<bool> bufferings(const StorageLevel& level) {
  if (!level.buffering_searched) return {level.double_buffered};
  return {false, true};
}

}  // namespace

StorageChoice storage_of(const Architecture& arch) {
  StorageChoice out;
  for (const StorageLevel& level : arch.levels) out.levels.push_back({level.holds, level.double_buffered});
  return out;
}

bool leaves_storage_open(const Architecture& arch) noexcept {
  for (const StorageLevel& level : arch.levels) {
    if (level.bypass_searched || level.buffering_searched) return true;
  }
  return false;
}

Expected<void> check_storage_fixed(const Architecture& arch, std::string_view origin) {
  for (const StorageLevel& level : arch.levels) {
    if (!level.bypass_searched && !level.buffering_searched) continue;
    return Error{std::string(origin) + ": level '" + level.name + "' leaves its " +
                 (level.bypass_searched ? "bypass" : "buffering") +
                 " to the mapper ('search'); evaluate needs it fixed (list what the level keeps in 'holds', "
                 "set 'buffering: single' or 'double'), or let optimize choose it"};
  }
  return {};
}

std::int64_t count_storage_choices(const Architecture& arch) noexcept {
  std::int64_t count = 1;
  for (const StorageLevel& level : arch.levels) {
    count *= static_cast<std::int64_t>(keep_sets(level).size() * bufferings(level).size());
    if (count > kMaxStorageChoices) return kMaxStorageChoices + 1;  // each factor is at most 14
  }
  return count;
}

std::vector<StorageChoice> storage_choices(const Architecture& arch) {
  std::vector<StorageChoice> out{storage_of(arch)};
  for (std::size_t l = 0; l < arch.levels.size(); ++l) {
    const StorageLevel& level = arch.levels[l];
    const std::vector<unsigned> keeps = keep_sets(level);
    const std::vector<bool> buffers = bufferings(level);
    std::vector<StorageChoice> next;
    next.reserve(out.size() * keeps.size() * buffers.size());
    for (const StorageChoice& prefix : out) {
      for (unsigned mask : keeps) {
        for (bool double_buffered : buffers) {
          StorageChoice c = prefix;
          LevelStorage& s = c.levels[l];
          for (TensorId t : kAllTensors) s.holds[t] = (mask >> static_cast<unsigned>(t)) & 1u;
          s.double_buffered = double_buffered;
          next.push_back(c);
        }
      }
    }
    out = std::move(next);
  }
  return out;
}

Architecture with_storage(Architecture arch, const StorageChoice& choice) {
  for (std::size_t l = 0; l < arch.levels.size() && l < choice.levels.size(); ++l) {
    StorageLevel& level = arch.levels[l];
    for (TensorId t : kAllTensors) level.holds[t] = choice.levels[l].holds[t];
    level.double_buffered = choice.levels[l].double_buffered;
    level.bypass_searched = false;
    level.buffering_searched = false;
  }
  return arch;
}

std::string describe_level_storage(const LevelStorage& storage, bool has_capacity) {
  std::string kept;
  for (TensorId t : kAllTensors) {
    if (storage.holds[t]) kept += (kept.empty() ? "" : ", ") + std::string(tensor_name(t));
  }
  std::string out = "keeps " + kept;
  if (has_capacity) out += storage.double_buffered ? " (double-buffered)" : " (single-buffered)";
  return out;
}

}  // namespace dnnspace
