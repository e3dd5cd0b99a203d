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
      const auto b = static_cast<unsigned char>(name[i + k]);
      // The second byte's range excludes overlong forms (E0, F0), surrogates (ED) and code
      // points past U+10FFFF (F4); the others are any continuation byte.
      const unsigned char lo = k == 1 && c == 0xe0 ? 0xa0 : k == 1 && c == 0xf0 ? 0x90 : 0x80;
      const unsigned char hi = k == 1 && c == 0xed ? 0x9f : k == 1 && c == 0xf4 ? 0x8f : 0xbf;
      if (b < lo || b > hi) return "not valid UTF-8 text";
    }
    if (c == 0xc2 && static_cast<unsigned char>(name[i + 1]) < 0xa0) return "control characters (newline, tab, NUL, ...) are not allowed";
    i += more + 1;
  }
  return std::nullopt;
}

}  // namespace dnnspace::io
