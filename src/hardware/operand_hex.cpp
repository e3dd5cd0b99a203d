#include "dnnspace/hardware/operand_hex.hpp"

namespace dnnspace {
namespace {

template <class T>
std::string hex_lines(std::span<const T> values, int bits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const int digits = (bits + 3) / 4;
  const std::uint64_t mask = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  std::string out;
  out.reserve(values.size() * static_cast<std::size_t>(digits + 1));
  for (const T v : values) {
    const std::uint64_t u = static_cast<std::uint64_t>(static_cast<std::int64_t>(v)) & mask;
    for (int d = digits - 1; d >= 0; --d) out += kDigits[(u >> (4 * d)) & 0xFU];
    out += '\n';
  }
  return out;
}

}  // namespace

std::string operand_hex(std::span<const std::int8_t> values, int bits) { return hex_lines(values, bits); }
std::string operand_hex(std::span<const std::int64_t> values, int bits) { return hex_lines(values, bits); }

}  // namespace dnnspace
