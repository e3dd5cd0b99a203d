// Expected<T>: a value or a user-facing error, for failures a user can cause.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace dnnspace {

/// A user-facing error: one line saying where (file, field) and what is wrong.
struct Error {
  std::string message;
};

/// Holds either a T or an Error (shaped like std::expected, which is C++23).
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}         // NOLINT: implicit by design
  Expected(Error error) : state_(std::move(error)) {}     // NOLINT: implicit by design

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { assert(has_value() && "Expected: value() on an error"); return std::get<0>(state_); }
  const T& value() const& { assert(has_value() && "Expected: value() on an error"); return std::get<0>(state_); }
  T&& value() && { assert(has_value() && "Expected: value() on an error"); return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!has_value() && "Expected: error() on a value"); return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

/// Expected<void>: success or an Error.
template <>
class [[nodiscard]] Expected<void> {
 public:
  Expected() = default;
  Expected(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { assert(!ok_ && "Expected: error() on success"); return error_; }

 private:
  Error error_{};
  bool ok_ = true;
};

}  // namespace dnnspace
