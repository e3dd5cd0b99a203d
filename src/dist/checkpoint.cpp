#include "dnnspace/dist/checkpoint.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

namespace dnnspace::dist {
namespace {

constexpr int kFormat = 1;

std::string system_error() { return std::strerror(errno); }

// The first setting (a top-level key) where two runs differ, as "'key' was X, now Y".
std::string first_difference(const nlohmann::json& was, const nlohmann::json& now) {
  const auto text = [](const nlohmann::json& j) {
    std::string s = j.dump();
    return s.size() > 80 ? s.substr(0, 77) + "..." : s;
  };
  if (!was.is_object() || !now.is_object()) return "the settings were " + text(was) + ", now " + text(now);
  for (const auto& [key, value] : now.items()) {
    const auto it = was.find(key);
    if (it == was.end()) return "'" + key + "' was not set, now " + text(value);
    if (*it != value) return "'" + key + "' was " + text(*it) + ", now " + text(value);
  }
  for (const auto& [key, value] : was.items()) {
    if (!now.contains(key)) return "'" + key + "' was " + text(value) + ", now not set";
  }
  return "the settings differ";
}

}  // namespace

Checkpoint::Checkpoint(std::string path, int fd, std::vector<CheckpointRecord> records)
    : path_(std::move(path)), fd_(fd), records_(std::move(records)) {}

Checkpoint::Checkpoint(Checkpoint&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)), records_(std::move(other.records_)) {}

Checkpoint& Checkpoint::operator=(Checkpoint&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    records_ = std::move(other.records_);
  }
  return *this;
}

Checkpoint::~Checkpoint() {
  if (fd_ >= 0) ::close(fd_);
}

Expected<Checkpoint> Checkpoint::open(const std::string& flag, const std::string& path, const std::string& command,
                                      const nlohmann::json& run, bool resume, bool append) {
  const std::string named = flag + " '" + path + "'";
  if (path.empty()) return Error{flag + ": an empty path"};
  const nlohmann::json header = {{"dnnspace_checkpoint", kFormat}, {"command", command}, {"run", run}};
  if (!resume && !append) return Checkpoint(path, -1, {});
  if (!resume) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0) {
      struct stat st {};
      if (errno == EEXIST && ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        return Error{named + ": not a regular file (a checkpoint is a new file in a writable directory)"};
      }
      if (errno == EEXIST) {
        return Error{named + ": the file exists; continue that run with --resume " + path +
                     ", or name a new checkpoint file"};
      }
      return Error{named + ": cannot create it: " + system_error()};
    }
    Checkpoint out(path, fd, {});
    if (auto ok = out.append(header); !ok) {
      ::unlink(path.c_str());  // this run created it: leave no file a resume cannot read
      return ok.error();
    }
    return out;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error{named + ": cannot read it: " + system_error()};
  if (!S_ISREG(st.st_mode)) return Error{named + ": not a regular file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{named + ": cannot read it: " + system_error()};
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  // Every complete line; a last line without its newline is a write cut short.
  const std::size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  std::vector<CheckpointRecord> records;
  nlohmann::json header_seen;
  std::size_t start = 0;
  for (std::size_t line = 1; start < complete; ++line) {
    const std::size_t end = text.find('\n', start);
    const std::string where = path + ":" + std::to_string(line);
    nlohmann::json j = nlohmann::json::parse(text.begin() + static_cast<std::ptrdiff_t>(start),
                                             text.begin() + static_cast<std::ptrdiff_t>(end), nullptr, false);
    start = end + 1;
    if (j.is_discarded() || !j.is_object()) {
      if (line == 1) return Error{named + ": not a dnnspace checkpoint (its first line is not a checkpoint header)"};
      return Error{where + ": not a line of a dnnspace checkpoint (not a JSON object)"};
    }
    if (line > 1 && j.contains("dnnspace_checkpoint")) {
      // Checkpoints of one run's shards concatenated: each part starts with the header.
      if (j != header_seen) {
        return Error{where + ": the header of another run (checkpoints of different runs cannot be merged)"};
      }
      continue;
    }
    if (line == 1) {
      header_seen = j;
      if (!j.contains("dnnspace_checkpoint")) return Error{where + ": not a dnnspace checkpoint (no header line)"};
      if (j["dnnspace_checkpoint"] != kFormat) {
        return Error{where + ": a checkpoint of format " + j["dnnspace_checkpoint"].dump() + "; this dnnspace reads format " +
                     std::to_string(kFormat)};
      }
      if (!j.contains("command") || !j["command"].is_string() || !j.contains("run")) {
        return Error{where + ": a checkpoint header without its 'command' or 'run'"};
      }
      if (j["command"].get<std::string>() != command) {
        return Error{named + ": a checkpoint of '" + j["command"].get<std::string>() + "', not of '" + command + "'"};
      }
      if (j["run"] != run) {
        return Error{named + ": written by a different run: " + first_difference(j["run"], run) +
                     " (resume with the same settings, or start a new checkpoint)"};
      }
      continue;
    }
    records.push_back({std::move(j), where});
  }
  if (complete == 0) return Error{named + ": not a dnnspace checkpoint (no header line)"};
  if (!append) return Checkpoint(path, -1, std::move(records));
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return Error{named + ": cannot append to it: " + system_error()};
  if (complete < text.size() && ::ftruncate(fd, static_cast<off_t>(complete)) != 0) {
    const std::string reason = system_error();
    ::close(fd);
    return Error{named + ": cannot cut off its partial last line: " + reason};
  }
  return Checkpoint(path, fd, std::move(records));
}

Expected<void> Checkpoint::append(const nlohmann::json& record) {
  if (fd_ < 0) return Error{"checkpoint '" + path_ + "': opened to be read only"};
  const std::string line = record.dump() + "\n";
  const ssize_t written = ::write(fd_, line.data(), line.size());
  if (written != static_cast<ssize_t>(line.size())) {
    return Error{"checkpoint '" + path_ + "': cannot append a record: " +
                 (written < 0 ? system_error() : std::string("short write (disk full?)"))};
  }
  if (::fsync(fd_) != 0) return Error{"checkpoint '" + path_ + "': cannot sync it to disk: " + system_error()};
  return {};
}

}  // namespace dnnspace::dist
