#include "dnnspace/arch/size_units.hpp"

#include <array>
#include <cctype>
#include <optional>

namespace dnnspace {
namespace {

constexpr std::string_view kAllowed =
    "a positive size such as 512, 512B, 64K, 128KB or 28MB: a whole number of bytes, optionally "
    "followed by B, K/KB/KiB, M/MB/MiB or G/GB/GiB (powers of 1024, case-insensitive)";

constexpr std::int64_t kKiB = 1024;

// The bytes per unit, nullopt for an unknown unit. `unit` is upper-case.
std::optional<std::int64_t> unit_scale(std::string_view unit) {
  if (unit.empty() || unit == "B") return 1;
  if (unit == "K" || unit == "KB" || unit == "KIB") return kKiB;
  if (unit == "M" || unit == "MB" || unit == "MIB") return kKiB * kKiB;
  if (unit == "G" || unit == "GB" || unit == "GIB") return kKiB * kKiB * kKiB;
  return std::nullopt;
}

}  // namespace

Expected<std::int64_t> parse_size_bytes(std::string_view text) {
  const auto not_a_size = [&] {
    return Error{"'" + std::string(text) + "' is not a size (allowed: " + std::string(kAllowed) + ")"};
  };
  const auto too_large = [&] {
    return Error{"'" + std::string(text) + "' is too large a size (at most " + std::to_string(kMaxSizeBytes) +
                 " bytes, 2^60 - 1)"};
  };
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  std::string unit(text.substr(digits));
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::optional<std::int64_t> scale = unit_scale(unit);
  if (digits == 0 || !scale) return not_a_size();
  // Accumulate with an overflow check before each step, so any number of digits is safe.
  std::int64_t number = 0;
  for (char c : text.substr(0, digits)) {
    const int digit = c - '0';
    if (number > (kMaxSizeBytes - digit) / 10) return too_large();
    number = number * 10 + digit;
  }
  if (number == 0) return not_a_size();
  if (number > kMaxSizeBytes / *scale) return too_large();
  return number * *scale;
}

std::string format_bytes(std::int64_t size_bytes) {
  constexpr std::array<std::string_view, 4> kUnits{"B", "KB", "MB", "GB"};
  std::size_t unit = 0;
  std::int64_t value = size_bytes;
  while (unit + 1 < kUnits.size() && value != 0 && value % 1024 == 0) {
    value /= 1024;
    ++unit;
  }
  return std::to_string(value) + std::string(kUnits[unit]);
}

}  // namespace dnnspace
