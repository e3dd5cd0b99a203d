#include "dnnspace/report/svg_text.hpp"

#include <cmath>

#include "dnnspace/report/text_table.hpp"

namespace dnnspace::report {

std::string xml_escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string decade_label(int k) {
  if (k >= 0 && k <= 4) return std::to_string(static_cast<long long>(std::llround(std::pow(10.0, k))));
  if (k < 0 && k >= -3) return fixed(std::pow(10.0, k), -k);
  return "1e" + std::to_string(k);
}

}  // namespace dnnspace::report
