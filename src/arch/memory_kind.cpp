#include "dnnspace/arch/memory_kind.hpp"

namespace dnnspace {

std::string_view memory_kind_name(MemoryKind kind) noexcept {
  switch (kind) {
    case MemoryKind::RegisterFile: return "regfile";
    case MemoryKind::Sram: return "sram";
    case MemoryKind::Dram: return "dram";
  }
  return "?";
}

std::optional<MemoryKind> memory_kind_from_name(std::string_view name) noexcept {
  if (name == "regfile") return MemoryKind::RegisterFile;
  if (name == "sram") return MemoryKind::Sram;
  if (name == "dram") return MemoryKind::Dram;
  return std::nullopt;
}

}  // namespace dnnspace
