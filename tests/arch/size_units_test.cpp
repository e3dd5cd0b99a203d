// The size rule shared by YAML capacities and --sweep sizes: hand-written values, every
// unit spelling, bad input and the overflow bound (2^60 - 1 bytes).
#include "dnnspace/arch/size_units.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dnnspace {
namespace {

constexpr std::int64_t kKiB = 1024;
constexpr std::int64_t kMiB = 1024 * kKiB;
constexpr std::int64_t kGiB = 1024 * kMiB;

std::string error_of(std::string_view text) {
  Expected<std::int64_t> size = parse_size_bytes(text);
  return size ? "parsed as " + std::to_string(*size) : size.error().message;
}

TEST(SizeUnits, PlainNumbersAndEveryUnitSpelling) {
  EXPECT_EQ(*parse_size_bytes("1"), 1);
  EXPECT_EQ(*parse_size_bytes("512"), 512);
  EXPECT_EQ(*parse_size_bytes("512B"), 512);
  EXPECT_EQ(*parse_size_bytes("512b"), 512);
  EXPECT_EQ(*parse_size_bytes("0064"), 64);  // leading zeros are still a whole number
  for (const char* k : {"64K", "64KB", "64KiB", "64k", "64kb", "64kib", "64KIB"}) {
    EXPECT_EQ(*parse_size_bytes(k), 64 * kKiB) << k;
  }
  for (const char* m : {"1M", "1MB", "1MiB", "1m", "1mb"}) EXPECT_EQ(*parse_size_bytes(m), kMiB) << m;
  EXPECT_EQ(*parse_size_bytes("28MB"), 28 * kMiB);  // tpu-like's second buffer (004 Sec. VI-C)
  EXPECT_EQ(*parse_size_bytes("108KB"), 108 * kKiB);
  for (const char* g : {"2G", "2GB", "2GiB", "2gb"}) EXPECT_EQ(*parse_size_bytes(g), 2 * kGiB) << g;
}

TEST(SizeUnits, BadInputSaysWhatIsAllowed) {
  // Empty, no digits, zero, signs, fractions, inner or outer spaces, unknown or repeated units.
  for (const char* bad : {"", "K", "KB", "B", "0", "0K", "000", "-4", "+4", "1.5K", "0.5KB", ".5K", "64 K",
                          " 64K", "64K ", "12Q", "64KK", "64BK", "1T", "1e3", "0x10", "16..512", "64K64"}) {
    const std::string message = error_of(bad);
    EXPECT_EQ(message, "'" + std::string(bad) +
                           "' is not a size (allowed: a positive size such as 512, 512B, 64K, 128KB or 28MB: a whole "
                           "number of bytes, optionally followed by B, K/KB/KiB, M/MB/MiB or G/GB/GiB (powers of "
                           "1024, case-insensitive))")
        << bad;
  }
}

TEST(SizeUnits, LargestSizeAndOverflow) {
  // 2^60 - 1 = 1152921504606846975 is the bound; 2^60 bytes = 2^30 GiB is one byte over.
  EXPECT_EQ(kMaxSizeBytes, (std::int64_t{1} << 60) - 1);
  EXPECT_EQ(*parse_size_bytes("1152921504606846975"), kMaxSizeBytes);
  EXPECT_EQ(*parse_size_bytes("1073741823G"), (std::int64_t{1} << 60) - (std::int64_t{1} << 30));
  const std::string too_large = "is too large a size (at most 1152921504606846975 bytes, 2^60 - 1)";
  for (const char* big : {"1152921504606846976", "1073741824G", "1099511627776M", "1125899906842624K",
                          "9223372036854775807", "99999999999999999999999999", "18446744073709551617B"}) {
    EXPECT_EQ(error_of(big), "'" + std::string(big) + "' " + too_large) << big;
  }
}

TEST(SizeUnits, FormatPrintsTheLargestExactUnitAndParsesBack) {
  EXPECT_EQ(format_bytes(512), "512B");
  EXPECT_EQ(format_bytes(128 * kKiB), "128KB");
  EXPECT_EQ(format_bytes(108 * kKiB), "108KB");
  EXPECT_EQ(format_bytes(28 * kMiB), "28MB");
  EXPECT_EQ(format_bytes(1536), "1536B");
  EXPECT_EQ(format_bytes(3 * kGiB), "3GB");
  EXPECT_EQ(format_bytes(2048 * kGiB), "2048GB");  // GB is the largest unit
  for (std::int64_t bytes : {std::int64_t{1}, std::int64_t{1536}, 64 * kKiB, 28 * kMiB, 3 * kGiB, 2048 * kGiB, kMaxSizeBytes}) {
    EXPECT_EQ(*parse_size_bytes(format_bytes(bytes)), bytes) << bytes;
  }
}

}  // namespace
}  // namespace dnnspace
