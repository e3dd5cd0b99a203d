// Text for the SVG figures the reports draw.
#pragma once

#include <string>

namespace dnnspace::report {

/// `s` with &, <, > and " escaped for SVG text and attributes.
std::string xml_escaped(const std::string& s);

/// A log axis's label for 10^k: "0.01", "0.1", "1", "10", ..., "10000", then "1e5".
std::string decade_label(int k);

}  // namespace dnnspace::report
