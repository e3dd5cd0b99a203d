// Built-in architectures of the source papers (004 baselines, the 003 Eyeriss chip).
#pragma once

#include <string_view>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"

namespace dnnspace {

/// The preset names, in a stable order: "eyeriss", "eyeriss-64b", "eyeriss-flat",
/// "eyeriss-chip", "tpu-like". Each also exists as examples/arch/<name>.yaml.
std::vector<std::string_view> arch_preset_names();

/// Builds a preset by name. Every preset passes validate_architecture and its energies
/// come from a technology table (energy_derivation says which table and rule,
/// energy_source which entry). Error: unknown name, the message lists the allowed names.
[[nodiscard]] Expected<Architecture> arch_preset(std::string_view name);

}  // namespace dnnspace
