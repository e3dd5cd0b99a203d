#include "dnnspace/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace dnnspace::io {
namespace {

namespace fs = std::filesystem;

std::string errno_text() { return std::strerror(errno); }

// What a non-regular file is, for messages.
std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// The file an output path finally names: symlinks resolved when the path exists.
fs::path final_target(const std::string& path) {
  std::error_code ec;
  const fs::path resolved = fs::canonical(path, ec);
  return ec ? fs::path(path) : resolved;
}

// Closes a descriptor on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Expected<void> check_output_path(std::string_view flag, const std::string& path,
                                 const std::vector<NamedInput>& inputs) {
  const std::string where = std::string(flag) + " '" + path + "': ";
  if (path.empty()) return Error{std::string(flag) + ": an empty path"};
  struct stat out {};
  if (::stat(path.c_str(), &out) == 0) {
    if (!S_ISREG(out.st_mode)) {
      return Error{where + "is " + kind_of(out.st_mode) + "; outputs are written only to regular files or new paths"};
    }
    for (const NamedInput& input : inputs) {
      struct stat in {};
      if (!input.path.empty() && ::stat(input.path.c_str(), &in) == 0 && in.st_dev == out.st_dev &&
          in.st_ino == out.st_ino) {
        return Error{where + "is the same file as " + input.flag + " '" + input.path +
                     "'; refusing to overwrite an input (choose another output path)"};
      }
    }
    if (::access(path.c_str(), W_OK) != 0) return Error{where + "cannot be written (" + errno_text() + ")"};
  }
  const fs::path dir = final_target(path).parent_path();
  const std::string dir_text = dir.empty() ? std::string(".") : dir.string();
  struct stat d {};
  if (::stat(dir_text.c_str(), &d) != 0) return Error{where + "directory '" + dir_text + "' does not exist"};
  if (!S_ISDIR(d.st_mode)) return Error{where + "'" + dir_text + "' is not a directory"};
  if (::access(dir_text.c_str(), W_OK) != 0) {
    return Error{where + "directory '" + dir_text + "' is not writable (" + errno_text() + ")"};
  }
  return {};
}

namespace {

// The absolute name a path will have once written: symlinks followed, even one whose
// target does not exist yet (a bounded number of hops), "." and ".." resolved, a relative
// path taken from the working directory.
fs::path written_name(const std::string& path, std::error_code& ec) {
  fs::path p = path;
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code link_ec;
    if (!fs::is_symlink(p, link_ec)) break;
    const fs::path target = fs::read_symlink(p, link_ec);
    if (link_ec) break;
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  return fs::weakly_canonical(fs::absolute(p, ec), ec);
}

}  // namespace

bool same_output_path(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a.empty() || b.empty()) return false;
  std::error_code ea, eb;
  const fs::path ca = written_name(a, ea), cb = written_name(b, eb);
  return !ea && !eb && ca == cb;
}

Expected<void> write_file_atomically(const std::string& path, std::string_view contents) {
  const fs::path target = final_target(path);
  struct stat existing {};
  const bool exists = ::stat(target.c_str(), &existing) == 0;
  if (exists && !S_ISREG(existing.st_mode)) {
    return Error{path + ": is " + kind_of(existing.st_mode) + "; outputs are written only to regular files or new paths"};
  }
  // A name no other writer uses: pid plus a per-process counter, created exclusively.
  static std::atomic<unsigned> counter{0};
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const fs::path tmp = dir / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()) + "." +
                              std::to_string(counter.fetch_add(1)));
  Fd file{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)};
  if (file.fd < 0) return Error{path + ": cannot create a temporary file in '" + dir.string() + "' (" + errno_text() + ")"};
  std::error_code ec;
  const auto fail = [&](const std::string& what) {
    const std::string message = path + ": " + what + " (" + errno_text() + ")";
    fs::remove(tmp, ec);
    return Error{message};
  };
  for (std::size_t done = 0; done < contents.size();) {
    const ssize_t n = ::write(file.fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  if (exists && ::fchmod(file.fd, existing.st_mode & 07777) != 0) return fail("cannot keep the file's permissions");
  if (::fsync(file.fd) != 0) return fail("fsync failed");
  if (::close(file.fd) != 0) {
    file.fd = -1;
    return fail("close failed");
  }
  file.fd = -1;
  if (::rename(tmp.c_str(), target.c_str()) != 0) return fail("cannot replace the file");
  Fd d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (d.fd >= 0) ::fsync(d.fd);  // the rename itself survives a crash; best effort
  return {};
}

}  // namespace dnnspace::io
