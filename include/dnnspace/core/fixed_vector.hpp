// FixedVector: a vector with inline, fixed capacity (no heap), for cheap-to-copy values.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace dnnspace {

/// A sequence of at most N elements stored inline. Copying it never allocates,
/// which keeps mappings cheap to enumerate (STYLE.md Sec. 3, 5).
template <typename T, std::size_t N>
class FixedVector {
 public:
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }
  static constexpr std::size_t capacity() noexcept { return N; }
  constexpr bool full() const noexcept { return size_ == N; }

  constexpr void push_back(const T& value) noexcept {
    assert(size_ < N && "FixedVector: capacity exceeded");
    items_[size_++] = value;
  }
  constexpr void pop_back() noexcept {
    assert(size_ > 0 && "FixedVector: pop_back on empty");
    --size_;
  }
  constexpr void clear() noexcept { size_ = 0; }
  constexpr void resize(std::size_t n) noexcept {
    assert(n <= N && "FixedVector: capacity exceeded");
    for (std::size_t i = size_; i < n; ++i) items_[i] = T{};
    size_ = static_cast<SizeType>(n);
  }

  constexpr T& operator[](std::size_t i) noexcept { assert(i < size_); return items_[i]; }
  constexpr const T& operator[](std::size_t i) const noexcept { assert(i < size_); return items_[i]; }
  constexpr T& back() noexcept { return (*this)[size_ - 1]; }
  constexpr const T& back() const noexcept { return (*this)[size_ - 1]; }

  constexpr T* begin() noexcept { return items_.data(); }
  constexpr T* end() noexcept { return items_.data() + size_; }
  constexpr const T* begin() const noexcept { return items_.data(); }
  constexpr const T* end() const noexcept { return items_.data() + size_; }

  friend constexpr bool operator==(const FixedVector& a, const FixedVector& b) noexcept {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.size_; ++i) {
      if (!(a.items_[i] == b.items_[i])) return false;
    }
    return true;
  }

 private:
  static_assert(N < 65536, "FixedVector keeps its size in at most two bytes");
  using SizeType = std::conditional_t<(N < 256), std::uint8_t, std::uint16_t>;
  std::array<T, N> items_;  // [size_, N) is never read: no zeroing on copies' hot paths
  SizeType size_ = 0;
};

}  // namespace dnnspace
