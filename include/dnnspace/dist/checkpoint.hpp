// A checkpoint file (docs/distributed.md): a header line naming the command and the run's
// settings, then one JSON line per finished unit of work (a design point of `dse`, a layer
// of `optimize`), each appended with one write and synced to disk before the next unit
// starts. A run stopped at any moment leaves every finished unit in the file, and at most
// a partial last line, which a resume ignores and cuts off.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "dnnspace/core/expected.hpp"

namespace dnnspace::dist {

/// One record of a checkpoint, with "FILE:LINE" for messages about it.
struct CheckpointRecord {
  nlohmann::json record;
  std::string where;
};

class Checkpoint {
 public:
  /// Opens `path` to append the records of `command` run with `run` (the settings that
  /// decide its results). Without `resume` the file must not exist yet (a checkpoint is
  /// never mixed from two runs nor written over). With `resume` it must exist, be a
  /// checkpoint of `command` with the same settings (else the error names the first
  /// setting that differs), and its records are read. Without `append` (the other ranks
  /// of an MPI run) a resumed file is only read and nothing is created. Errors name
  /// `flag` and `path`.
  [[nodiscard]] static Expected<Checkpoint> open(const std::string& flag, const std::string& path,
                                                 const std::string& command, const nlohmann::json& run, bool resume,
                                                 bool append = true);

  Checkpoint(Checkpoint&& other) noexcept;
  Checkpoint& operator=(Checkpoint&& other) noexcept;
  Checkpoint(const Checkpoint&) = delete;
  Checkpoint& operator=(const Checkpoint&) = delete;
  ~Checkpoint();

  /// The records a resumed file already held, in file order.
  const std::vector<CheckpointRecord>& records() const noexcept { return records_; }

  /// Appends `record` as one line: one write(2) to the file opened for appending, then
  /// fsync. Errors name the file.
  [[nodiscard]] Expected<void> append(const nlohmann::json& record);

  const std::string& path() const noexcept { return path_; }

 private:
  Checkpoint(std::string path, int fd, std::vector<CheckpointRecord> records);
  std::string path_;
  int fd_ = -1;
  std::vector<CheckpointRecord> records_;
};

}  // namespace dnnspace::dist
