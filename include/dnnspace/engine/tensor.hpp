// Tensor: the engine's n-dimensional fp32 array, contiguous and row-major (NCHW for activations).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "dnnspace/core/expected.hpp"

namespace dnnspace::engine {

/// Extent of every axis, outermost first. Rank 0 (an empty shape) is a scalar.
using Shape = std::vector<std::int64_t>;

/// Number of elements a shape holds: the product of its extents (1 for a scalar).
std::int64_t element_count(const Shape& shape) noexcept;

/// Row-major strides in elements: stride[i] is the product of shape[i+1..].
Shape row_major_strides(const Shape& shape);

/// "[2, 3, 4]", for error messages.
std::string to_string(const Shape& shape);

/// An owned fp32 array with a shape. Invariant: data().size() == element_count(shape()),
/// every extent >= 0. Moving is cheap (two vector moves); copying copies the data.
/// A default-constructed tensor has shape [0] and no elements.
class Tensor {
 public:
  Tensor() : shape_{0} {}

  /// A tensor of `shape` filled with `fill`. Negative extents are a programmer error (assert);
  /// shapes that come from users go through from_data() or are validated by the kernels.
  explicit Tensor(Shape shape, float fill = 0.0F);

  /// Wraps `data` as a tensor of `shape`; an Error if an extent is negative or the element
  /// count differs from data.size().
  [[nodiscard]] static Expected<Tensor> from_data(Shape shape, std::vector<float> data);

  const Shape& shape() const noexcept { return shape_; }
  std::int64_t rank() const noexcept { return static_cast<std::int64_t>(shape_.size()); }
  /// Extent of `axis`, which must be in [0, rank) (assert).
  std::int64_t dim(std::int64_t axis) const noexcept;
  /// Number of elements.
  std::int64_t size() const noexcept { return static_cast<std::int64_t>(data_.size()); }

  std::span<float> data() noexcept { return data_; }
  std::span<const float> data() const noexcept { return data_; }

  /// Element at a full multi-index (one coordinate per axis, each in range; assert).
  /// Meant for tests and readable reference code, not for inner loops.
  float& at(std::initializer_list<std::int64_t> index) noexcept;
  float at(std::initializer_list<std::int64_t> index) const noexcept;

  /// The same elements under another shape with the same element count (rvalue: no copy);
  /// an Error naming both shapes otherwise.
  [[nodiscard]] Expected<Tensor> reshaped(Shape shape) &&;

  /// Exact comparison of shape and every element (NaN != NaN, as for float).
  friend bool operator==(const Tensor&, const Tensor&) = default;

 private:
  std::int64_t offset(std::initializer_list<std::int64_t> index) const noexcept;

  Shape shape_;
  std::vector<float> data_;
};

}  // namespace dnnspace::engine
