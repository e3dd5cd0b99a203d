// Reading IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dnnspace/core/expected.hpp"

namespace dnnspace::engine {

/// An IDX array of unsigned bytes: `dims` outermost first, `data` row-major.
struct IdxArray {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> data;
};

/// The most elements an IDX file may declare (4 GiB of bytes; MNIST's training images
/// are 47 M). The data is read in chunks as it arrives, so memory never exceeds what the
/// file actually holds, whatever its header says.
inline constexpr std::int64_t kMaxIdxElements = std::int64_t{1} << 32;

/// Reads an IDX file of unsigned bytes (type code 0x08), gzip-compressed or not (detected from
/// the content, via zlib). The header is the magic 0x00 0x00 0x08 D followed by D big-endian
/// uint32 extents. Errors name the file and the problem: cannot open, corrupt gzip stream,
/// bad magic, a type other than unsigned byte, zero dimensions, more than kMaxIdxElements,
/// truncated data (expected vs read bytes), or bytes after the data.
[[nodiscard]] Expected<IdxArray> read_idx_file(const std::string& path);

}  // namespace dnnspace::engine
