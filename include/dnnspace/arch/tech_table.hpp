// Technology tables: per-access energies of memories, MACs and array wires by size and width.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/arch/memory_kind.hpp"
#include "dnnspace/arch/size_units.hpp"  // format_bytes: the sizes in energy_source_label
#include "dnnspace/core/expected.hpp"

namespace dnnspace {

/// The built-in tables, in a stable order:
///  - "interstellar-28nm": 004 (Yang et al.) Table IV, 28 nm, pJ per 16-bit access.
///  - "eyeriss-normalized": 003 (Sze et al.) Fig. 22, costs in units of one MAC
///    (MAC 1, RF 1, array 2, global buffer 6, DRAM 200); the unit is reported as pJ.
/// The size rules between and beyond the table points are documented in docs/arch.md.
std::vector<std::string_view> tech_table_names();

/// Energy in pJ of one `word_bits`-wide read or write of a `kind` memory of
/// `size_bytes` bytes (per instance). Table numbers are per 16-bit access and are
/// scaled by word_bits/16 (003 Sec. VII-A: memory energy ~ linear in bits).
/// size_bytes must be >= 1, except for Dram where 0 (unbounded) is accepted.
/// Errors: unknown table (the message lists the allowed names), bad size, word_bits
/// outside 1..64.
[[nodiscard]] Expected<double> access_energy_pj(std::string_view table, MemoryKind kind,
                                                std::int64_t size_bytes, int word_bits);

/// Energy in pJ of one `word_bits`-wide multiply-accumulate. Scaled by (word_bits/16)^2
/// because the multiplier dominates and its energy grows ~ quadratically with width
/// (003 Sec. VII-A). Errors: unknown table, word_bits outside 1..64.
[[nodiscard]] Expected<double> mac_energy_pj(std::string_view table, int word_bits);

/// Energy in pJ to move one word one hop between neighbouring PEs (004 Sec. V-A per-hop
/// model). 004 gives no number: see the .cpp for the assumption. Linear in word_bits.
[[nodiscard]] Expected<double> array_hop_energy_pj(std::string_view table, int word_bits);

/// Energy in pJ of one array transfer when every transfer costs the same (Eyeriss-style
/// flat model, 004 Fig. 7 "global" configuration). For "interstellar-28nm" this is the
/// hop energy times the mean Manhattan distance between two PEs of a rows x cols array;
/// for "eyeriss-normalized" it is 003's array cost 2. Errors as array_hop_energy_pj, and
/// rows/cols must be >= 1.
[[nodiscard]] Expected<double> array_flat_energy_pj(std::string_view table, std::int64_t rows,
                                                    std::int64_t cols, int word_bits);

/// The human-readable origin of a derived access energy, stored in
/// StorageLevel::energy_source, e.g. "interstellar-28nm sram 128KB"; " @8b" is appended
/// when word_bits != 16. Sizes print as format_bytes does (the largest exact unit).
std::string energy_source_label(std::string_view table, MemoryKind kind, std::int64_t size_bytes,
                                int word_bits);

}  // namespace dnnspace
