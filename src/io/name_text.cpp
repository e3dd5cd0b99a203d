#include "dnnspace/io/name_text.hpp"

#include <cstdint>

namespace dnnspace::io {

std::optional<std::string> name_text_problem(std::string_view name) {
  for (std::size_t i = 0; i < name.size();) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) return "control characters (newline, tab, NUL, ...) are not allowed";
    // UTF-8: a lead byte says how many continuation bytes (10xxxxxx) follow; no overlong
    // two-byte forms, nothing past U+10FFFF.
    const std::size_t more = c < 0x80                  ? 0
                             : (c >= 0xc2 && c <= 0xdf) ? 1
                             : (c >= 0xe0 && c <= 0xef) ? 2
                             : (c >= 0xf0 && c <= 0xf4) ? 3
                                                        : 4;
    if (more == 4 || i + more >= name.size()) return "not valid UTF-8 text";
    for (std::size_t k = 1; k <= more; ++k) {
      if ((static_cast<unsigned char>(name[i + k]) & 0xc0) != 0x80) return "not valid UTF-8 text";
    }
    i += more + 1;
  }
  return std::nullopt;
}

}  // namespace dnnspace::io
