// Plain-text tables with aligned columns, shared by the report writers.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dnnspace::report {

/// Rows of cells rendered with columns padded to their widest cell: the first column
/// left-aligned, the others right-aligned (numbers), the last column left-aligned when
/// `last_left` is set (free text such as a description). A row may be shorter than
/// the others; missing cells are blank. Every line starts with `indent` and ends with
/// a newline; trailing blanks are trimmed.
std::string render_table(const std::vector<std::vector<std::string>>& rows, const std::string& indent = "",
                         bool last_left = false);

/// A number with a fixed count of decimals, no digit grouping: "3.142" for fixed(3.14159, 3).
std::string fixed(double value, int decimals);

/// Four significant digits, in plain notation between 1e-3 and 1e6 and as "1.234e-07"
/// outside: "6.4", "0.1", "0.0001234", "1e-06".
std::string compact_number(double value);

}  // namespace dnnspace::report
