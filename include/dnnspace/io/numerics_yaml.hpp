// Reading a per-layer numerics spec (fp32 / fixed Q(m.n) / int8 / LUT sigmoid) from YAML; the
// format is documented in docs/engine.md, section "Numerics and training".
#pragma once

#include <string>
#include <string_view>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/numerics.hpp"

namespace dnnspace::io {

/// Reads a numerics spec file. Errors are one line naming the file, the field and what is
/// allowed, e.g. "n.yaml:3: field 'weights': 'Q2' is not a fixed-point type (allowed: Qm.n
/// with m >= 1, n >= 0, m + n <= 32, e.g. Q2.6)".
[[nodiscard]] Expected<engine::NumericsSpec> load_numerics_file(const std::string& path);

/// Parses numerics YAML text; `origin` names it in messages.
[[nodiscard]] Expected<engine::NumericsSpec> parse_numerics_text(std::string_view text,
                                                                 const std::string& origin);

/// Parses "Q2.6" (m = 2, n = 6). An Error naming the text when it is not of that form or the
/// format is not valid (see engine::is_valid).
[[nodiscard]] Expected<engine::FixedFormat> parse_fixed_format(std::string_view text);

}  // namespace dnnspace::io
