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
///   "Q-proj".in(GlobalBuffer).compute_root()
///   output.accelerate({"Q-proj", W})
/// A statement ends at ';' or at the end of a line not followed by a line starting with
/// '.' (such a line continues it; after a ';' that is an error); empty statements (`;;`)
/// do nothing. `//` and `#` outside quoted names start comments. Names are letters, digits
/// and '_' (loops also r.x), or, for tensors and levels, quoted on one line with \" and
/// \\ escapes (printable UTF-8, not empty); a quoted name is never a keyword or the output
/// function ("Var", "output": tensors). Declarations `Var a, b;` / `RVar a, b;` (also
/// `Var a("a")`) are ignored; anything else after Var or RVar, and Func or RDom, is an
/// error. Loop primitives apply to `output` (the accelerated function) or a wrapper named by
/// `NAME = output.in()`. accelerate({...}) lists a name once (other names of the same
/// tensor, inputs and input, are the compiler's to catch).
/// Errors are one line: "origin:line: what is wrong", naming what is allowed; the line is
/// that of the offending call, continuation lines included (a buffer's primitive is at its
/// .in()); names are shown with control and non-ASCII bytes as \xNN.
Expected<Schedule> parse_schedule_text(std::string_view text, const std::string& origin);

/// Reads a schedule file (see parse_schedule_text); at most 1 MiB.
Expected<Schedule> load_schedule(const std::string& path);

}  // namespace dnnspace::io
