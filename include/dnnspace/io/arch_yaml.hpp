// Reading architecture specs from YAML (format in docs/arch.md) and resolving --arch names.
#pragma once

#include <string>
#include <string_view>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"

namespace dnnspace::io {

/// Parses an architecture spec from YAML text; `origin` names the text in messages.
/// Energies the spec omits are derived from its `technology` table and recorded in
/// StorageLevel::energy_derivation and energy_source; given ones are recorded as
/// energy_source "given" without a derivation. The result passes
/// validate_architecture. Errors: one line "ORIGIN[:LINE]: ... field 'F': what is
/// allowed" for malformed YAML, unknown keys, bad sizes, unknown kinds, tensors, tables,
/// level names, and for anything validate_architecture rejects.
[[nodiscard]] Expected<Architecture> parse_arch_yaml(std::string_view text, const std::string& origin);

/// Reads and parses an architecture spec file. Errors as parse_arch_yaml, plus
/// "PATH: cannot open file".
[[nodiscard]] Expected<Architecture> load_arch_yaml(const std::string& path);

/// A built-in preset name (see arch_preset_names) or else the path of a YAML spec.
/// Error when it is neither: the message lists the preset names.
[[nodiscard]] Expected<Architecture> resolve_arch(std::string_view name_or_path);

}  // namespace dnnspace::io
