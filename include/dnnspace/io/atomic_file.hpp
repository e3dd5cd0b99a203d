// Output files: checked before any work, written atomically, never over what is not
// a regular file or over one of the command's own inputs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/core/expected.hpp"

namespace dnnspace::io {

/// An input of a command, named by the option that gave it.
struct NamedInput {
  std::string flag;  ///< "--mapping"
  std::string path;  ///< may be a preset name or empty: then it is not a file and is skipped
};

/// Checks that `path` can take an output, before any work starts: an existing regular
/// file (a symlink is followed to its target) or a new name in an existing, writable
/// directory; not a directory, device, FIFO or socket; and not the same file (device and
/// inode) as any of `inputs` (paths that are not files, such as preset names, are
/// skipped). Errors read "FLAG 'PATH': ..." and say what is allowed.
Expected<void> check_output_path(std::string_view flag, const std::string& path,
                                 const std::vector<NamedInput>& inputs);

/// Whether two output paths name the same file, existing or not (symlinks followed, "."
/// and ".." resolved): a command writing two outputs refuses to write both there.
bool same_output_path(const std::string& a, const std::string& b);

/// Writes `contents` to `path` atomically: a new temporary file in the directory of the
/// final target (symlinks followed), fsync, rename over the target, fsync of the
/// directory, so readers see the old file or the new one, never a mix. An existing
/// file keeps its permission bits; a new one gets 0666 less the umask. Refuses a
/// target that is not a regular file. Errors name the path.
Expected<void> write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace dnnspace::io
