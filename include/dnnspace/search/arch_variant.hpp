// Hardware variants of a base architecture: the sweep keys of `dnnspace dse` (register
// file and buffer sizes, array shape, an added register-file or buffer level), parsed
// from text and applied with every energy re-derived from the base's technology table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"

namespace dnnspace {

/// What a sweep key changes. Which level a key targets (docs/cli.md):
///  - RegFile: the innermost level, private to each PE ("rf");
///  - RegFile2: the per-PE level just above it ("rf2"), a second register file;
///  - GlobalBuffer: the level feeding the array, array.parent_level ("gb");
///  - GlobalBuffer2: the shared level just above it, not the outermost ("gb2");
///  - ArrayShape: rows x cols of the PE array ("array");
///  - Levels: levels added to the base hierarchy ("levels": base, +rf2, +gb2, +rf2+gb2).
enum class SweepKey : std::uint8_t { RegFile, RegFile2, GlobalBuffer, GlobalBuffer2, ArrayShape, Levels };

/// The key's name as written on the command line: rf, rf2, gb, gb2, array, levels.
std::string_view sweep_key_name(SweepKey key) noexcept;

/// One value of one key. Only the fields of its key are meaningful.
struct SweepValue {
  SweepKey key = SweepKey::RegFile;
  std::int64_t size_bytes = 0;  ///< rf, rf2, gb, gb2
  std::int64_t rows = 0;        ///< array
  std::int64_t cols = 0;        ///< array
  bool add_rf2 = false;         ///< levels
  bool add_gb2 = false;         ///< levels
  friend bool operator==(const SweepValue&, const SweepValue&) = default;
};

/// "64B", "256KB", "32x8", "+rf2": the value as a report shows it (sizes in the largest
/// exact unit, levels "base" when nothing is added).
std::string sweep_value_text(const SweepValue& value);

/// One swept key with its values, in the order given.
struct SweepAxis {
  SweepKey key = SweepKey::RegFile;
  std::vector<SweepValue> values;
};

/// Parses "KEY=V1,V2,..." (one --sweep argument). Sizes are read by parse_size_bytes
/// (arch/size_units.hpp: 16, 512B, 64K, 1M, ...), and "A..B" means
/// every power of two from A to B (both powers of two, A <= B): rf=16..512. Arrays are
/// "RxC" (16x16,32x8); levels are base, +rf2, +gb2, +rf2+gb2. Errors are one line that
/// names the argument, the key and what is allowed (unknown key, empty or bad value,
/// repeated value).
[[nodiscard]] Expected<SweepAxis> parse_sweep(std::string_view text);

/// Checks a set of axes: each key at most once, and rf2 / gb2 sizes only when that level
/// can exist in every point (the base has it, or every levels value adds it, or levels
/// is not swept, in which case giving rf2 / gb2 adds the level).
[[nodiscard]] Expected<void> check_sweep_axes(const std::vector<SweepAxis>& axes);

/// Where the levels the keys name sit in an architecture (-1 when it has no such level):
/// rf = the innermost level when it is private to each PE, rf2 = the per-PE level above
/// it, gb = array.parent_level when it is not the outermost level, gb2 = the shared level
/// above gb when that is not the outermost level either.
struct LevelRoles {
  int rf = -1;
  int rf2 = -1;
  int gb = -1;
  int gb2 = -1;
};
LevelRoles level_roles(const Architecture& arch) noexcept;

/// A design point: one value per axis.
using SweepPoint = std::vector<SweepValue>;

/// The cross product of the axes, the first axis varying slowest. No axes: one empty point.
std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes);

/// "rf=64B gb=256KB array=32x8": a point as text, in axis order ("base" when empty).
std::string sweep_point_label(const SweepPoint& point);

/// The default size of an added level when no rf2 / gb2 value gives one: 16 times the
/// level below it (rf2 = 16 x rf, gb2 = 16 x gb), the smallest ratio between adjacent
/// levels of 004's optimal hierarchies (Sec. VI-B, Observation 3: 8 B/128 B, 16 B/256 B).
inline constexpr std::int64_t kAddedLevelSizeRatio = 16;

/// The base architecture with the point applied: levels added first (RegFile2 above the
/// innermost level, private to each PE, holding what it holds; GlobalBuffer2 above the
/// array's parent, shared, like it double buffered or not), then sizes and the array
/// shape. Every level whose size changed or that was added gets its access energy from
/// the technology table and memory kind its base level's energy came from (recorded in
/// StorageLevel::energy_derivation by io/ and the presets), exactly as io/arch_yaml derives
/// it (derive_level_energy); a Flat array's transfer energy is re-derived for the new shape. The name is the
/// base's followed by " [label]". Errors (one line, naming the key and the level): the
/// key's level does not exist in the base (e.g. rf when the PEs have no storage, gb2 on
/// a two-level hierarchy), the level to add already exists, the energy to re-derive was
/// given as a number rather than derived from a table, or the result is invalid.
[[nodiscard]] Expected<Architecture> apply_sweep_point(const Architecture& base, const SweepPoint& point);

/// `dse --sweep` arguments (and the Python module's sweep list): each parsed, then the set
/// checked. Errors are parse_sweep's and check_sweep_axes' with the flag's "--" in front.
[[nodiscard]] Expected<std::vector<SweepAxis>> parse_sweeps(const std::vector<std::string>& texts);

/// One point of a sweep: its label (sweep_point_label) and the architecture it is.
struct SweepDesign {
  std::string label;
  Architecture arch;
};

/// Every point of the axes' cross product applied to `base`, the first axis slowest. All
/// are built before anything is searched, so a bad value fails at once ("--sweep: ...").
[[nodiscard]] Expected<std::vector<SweepDesign>> sweep_designs(const Architecture& base,
                                                              const std::vector<SweepAxis>& axes);

}  // namespace dnnspace
