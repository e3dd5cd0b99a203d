// Exit codes and the error type the subcommands throw at the CLI boundary.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "dnnspace/core/expected.hpp"

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

/// The value, or CommandFailed with the error's one-line message.
template <typename T>
T value_or_fail(Expected<T> result) {
  if (!result) throw CommandFailed(result.error().message);
  return std::move(result).value();
}

}  // namespace dnnspace::cli
