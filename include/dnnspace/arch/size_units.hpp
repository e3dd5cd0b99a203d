// Byte sizes as people write them ("512B", "64K", "28MB"): the one rule for YAML capacities
// (io/) and --sweep sizes (search/), and the matching printer.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "dnnspace/core/expected.hpp"

namespace dnnspace {

/// The largest size parse_size_bytes accepts, 2^60 - 1 bytes: small enough that the size
/// in bits (x 8) still fits in 64 bits.
inline constexpr std::int64_t kMaxSizeBytes = std::numeric_limits<std::int64_t>::max() / 8;

/// A byte count: a whole number >= 1 with an optional unit, B; K, KB, KiB; M, MB, MiB;
/// G, GB, GiB (all powers of 1024), case-insensitive and written right after the digits:
/// "512", "512B", "64K", "64KB", "64KiB", "1M", "28MB". At most kMaxSizeBytes. Errors are
/// one line without context ("'12Q' is not a size (allowed: ...)"); callers prepend where
/// the text came from.
[[nodiscard]] Expected<std::int64_t> parse_size_bytes(std::string_view text);

/// Formats a byte count as the largest exact power-of-1024 unit: 512B, 128KB, 28MB, 2GB.
/// parse_size_bytes reads it back.
std::string format_bytes(std::int64_t size_bytes);

}  // namespace dnnspace
