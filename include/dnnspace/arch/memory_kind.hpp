// What a storage level is built from. A level records it (StorageLevel::energy_derivation)
// and the technology tables pick their size -> energy rule by it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dnnspace {

/// What a storage level is built from; selects the size->energy rule of a table.
enum class MemoryKind : std::uint8_t {
  RegisterFile,  ///< small per-PE storage (004 Table IV "Reg. Size" column)
  Sram,          ///< on-chip SRAM buffers (004 Table IV "SRAM Size" column)
  Dram,          ///< off-chip main memory, one cost for any size
};

/// The lower-case name used in YAML and in energy sources: "regfile", "sram", "dram".
std::string_view memory_kind_name(MemoryKind kind) noexcept;

/// Parses "regfile" / "sram" / "dram"; nullopt for anything else.
std::optional<MemoryKind> memory_kind_from_name(std::string_view name) noexcept;

}  // namespace dnnspace
