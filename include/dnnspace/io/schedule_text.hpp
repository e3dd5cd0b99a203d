// Reading schedules in their text form: Halide's scheduling statements, one or more
// primitives per statement (docs/schedules.md).
#pragma once

#include <string>
#include <string_view>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/mapping/schedule.hpp"

namespace dnnspace::io {

/// Parses statements such as
///   d = output.in()
///   output.tile(x, y, xo, yo, xi, yi, 28, 28)
///         .reorder(xi, yi, xo, yo)
///         .accelerate({input, w});
///   input.in().compute_at(output, xo);
///   output.compute_at(d, xo);
///   weights.in(RegFile).compute_at(output, c0)
///   output.unroll(c0, rows).systolic()
/// A statement ends at ';' or at the end of a line not followed by a line starting with
/// '.'; `//` and `#` start comments; `Var ...;` declarations are ignored. Loop primitives
/// apply to `output` (the accelerated function) or a wrapper named by `NAME = output.in()`.
/// Errors: "origin:line: what is wrong", naming what is allowed.
Expected<Schedule> parse_schedule_text(std::string_view text, const std::string& origin);

/// Reads a schedule file (see parse_schedule_text); at most 1 MiB.
Expected<Schedule> load_schedule(const std::string& path);

}  // namespace dnnspace::io
