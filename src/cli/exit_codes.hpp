// Exit codes and the error type the subcommands throw at the CLI boundary.
#pragma once

#include <stdexcept>
#include <string>

namespace dnnspace::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;     ///< bad input: the message says which file/field
inline constexpr int kExitInternal = 3;  ///< a bug: please report
inline constexpr int kExitIncomplete = 4;  ///< some layers have no mapping: totals are partial

/// Thrown by a subcommand for a user error; main() prints it on one line, exits 2.
class CommandFailed : public std::runtime_error {
 public:
  explicit CommandFailed(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace dnnspace::cli
