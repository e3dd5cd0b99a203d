#include "dnnspace/engine/idx_reader.hpp"

#include <optional>

#include "dnnspace/core/checked.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>

namespace dnnspace::engine {
namespace {

// Owns a zlib gzFile; gzread reads gzip and plain files alike ("transparent" mode).
class GzFile {
 public:
  explicit GzFile(const std::string& path) : file_(gzopen(path.c_str(), "rb")) {}
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;
  ~GzFile() {
    if (file_ != nullptr) gzclose(file_);
  }
  bool is_open() const { return file_ != nullptr; }

  // Reads up to `size` bytes; returns the count read, or -1 with `error` set.
  std::int64_t read(void* into, std::int64_t size, std::string& error) {
    auto* bytes = static_cast<unsigned char*>(into);
    std::int64_t total = 0;
    while (total < size) {
      const auto chunk = static_cast<unsigned>(
          std::min<std::int64_t>(size - total, std::numeric_limits<int>::max() / 2));
      const int got = gzread(file_, bytes + total, chunk);
      if (got < 0) {
        int code = 0;
        const char* message = gzerror(file_, &code);
        error = message != nullptr ? message : "read error";
        return -1;
      }
      if (got == 0) break;
      total += got;
    }
    // A gzip stream that ends early reports Z_BUF_ERROR ("unexpected end of file") only via
    // gzerror; treat it as truncation by the short count.
    return total;
  }

 private:
  gzFile file_;
};

}  // namespace

Expected<IdxArray> read_idx_file(const std::string& path) {
  GzFile file(path);
  if (!file.is_open()) return Error{path + ": cannot open file"};
  std::string error;
  std::array<unsigned char, 4> magic{};
  const std::int64_t got_magic = file.read(magic.data(), 4, error);
  if (got_magic < 0) return Error{path + ": corrupt gzip stream: " + error};
  if (got_magic < 4) return Error{path + ": truncated: the 4-byte IDX magic is missing"};
  if (magic[0] != 0 || magic[1] != 0) {
    return Error{path + ": bad magic: an IDX file starts with bytes 00 00 (not an IDX file?)"};
  }
  if (magic[2] != 0x08) {
    return Error{path + ": unsupported IDX element type 0x" +
                 std::string(1, "0123456789abcdef"[magic[2] >> 4]) +
                 std::string(1, "0123456789abcdef"[magic[2] & 15]) + " (only 0x08, unsigned byte)"};
  }
  const int rank = magic[3];
  if (rank == 0) return Error{path + ": bad header: zero dimensions"};
  IdxArray out;
  std::int64_t count = 1;
  for (int d = 0; d < rank; ++d) {
    std::array<unsigned char, 4> be{};
    const std::int64_t got = file.read(be.data(), 4, error);
    if (got < 0) return Error{path + ": corrupt gzip stream: " + error};
    if (got < 4) {
      return Error{path + ": truncated: header declares " + std::to_string(rank) +
                   " dimensions but ends after " + std::to_string(d)};
    }
    const std::int64_t extent = (std::int64_t{be[0]} << 24) | (std::int64_t{be[1]} << 16) |
                                (std::int64_t{be[2]} << 8) | std::int64_t{be[3]};
    out.dims.push_back(extent);
    const std::optional<std::int64_t> product = checked_mul(count, extent);  // extents reach 2^32 - 1
    if (!product || *product > kMaxIdxElements) {
      return Error{path + ": bad header: more than 2^32 elements (the most an IDX file may hold here)"};
    }
    count = *product;
  }
  // Grown chunk by chunk as data arrives: the header alone never drives an allocation,
  // so a 16-byte file that declares 4 G elements costs one chunk, not 4 GB.
  constexpr std::int64_t kChunk = std::int64_t{1} << 24;
  std::int64_t got = 0;
  while (got < count) {
    const std::int64_t want = std::min(kChunk, count - got);
    out.data.resize(static_cast<std::size_t>(got + want));
    const std::int64_t n = file.read(out.data.data() + got, want, error);
    if (n < 0) return Error{path + ": corrupt gzip stream: " + error};
    got += n;
    if (n < want) break;
  }
  if (got < count) {
    return Error{path + ": truncated: the header declares " + std::to_string(count) +
                 " data bytes, the file has " + std::to_string(got)};
  }
  unsigned char extra = 0;
  const std::int64_t more = file.read(&extra, 1, error);
  if (more < 0) return Error{path + ": corrupt gzip stream: " + error};
  if (more > 0) return Error{path + ": bytes after the " + std::to_string(count) + " data bytes the header declares"};
  return out;
}

}  // namespace dnnspace::engine
