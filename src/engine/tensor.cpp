#include "dnnspace/engine/tensor.hpp"

#include <cassert>
#include <utility>

namespace dnnspace::engine {

std::int64_t element_count(const Shape& shape) noexcept {
  std::int64_t count = 1;
  for (std::int64_t extent : shape) count *= extent;
  return count;
}

Shape row_major_strides(const Shape& shape) {
  Shape strides(shape.size(), 1);
  for (std::size_t i = shape.size(); i > 1; --i) strides[i - 2] = strides[i - 1] * shape[i - 1];
  return strides;
}

std::string to_string(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

namespace {
bool has_negative_extent(const Shape& shape) {
  for (std::int64_t extent : shape) {
    if (extent < 0) return true;
  }
  return false;
}
}  // namespace

Tensor::Tensor(Shape shape, float fill) : shape_(std::move(shape)) {
  assert(!has_negative_extent(shape_) && "Tensor: negative extent");
  data_.assign(static_cast<std::size_t>(element_count(shape_)), fill);
}

Expected<Tensor> Tensor::from_data(Shape shape, std::vector<float> data) {
  if (has_negative_extent(shape)) {
    return Error{"tensor: shape " + to_string(shape) + " has a negative extent"};
  }
  if (element_count(shape) != static_cast<std::int64_t>(data.size())) {
    return Error{"tensor: shape " + to_string(shape) + " holds " +
                 std::to_string(element_count(shape)) + " elements but " +
                 std::to_string(data.size()) + " values were given"};
  }
  Tensor tensor;
  tensor.shape_ = std::move(shape);
  tensor.data_ = std::move(data);
  return tensor;
}

std::int64_t Tensor::dim(std::int64_t axis) const noexcept {
  assert(axis >= 0 && axis < rank() && "Tensor::dim: axis out of range");
  return shape_[static_cast<std::size_t>(axis)];
}

std::int64_t Tensor::offset(std::initializer_list<std::int64_t> index) const noexcept {
  assert(index.size() == shape_.size() && "Tensor::at: index rank differs from tensor rank");
  std::int64_t flat = 0;
  std::size_t axis = 0;
  for (std::int64_t coordinate : index) {
    assert(coordinate >= 0 && coordinate < shape_[axis] && "Tensor::at: index out of range");
    flat = flat * shape_[axis] + coordinate;
    ++axis;
  }
  return flat;
}

float& Tensor::at(std::initializer_list<std::int64_t> index) noexcept {
  return data_[static_cast<std::size_t>(offset(index))];
}

float Tensor::at(std::initializer_list<std::int64_t> index) const noexcept {
  return data_[static_cast<std::size_t>(offset(index))];
}

Expected<Tensor> Tensor::reshaped(Shape shape) && {
  if (has_negative_extent(shape) || element_count(shape) != size()) {
    return Error{"tensor: cannot reshape " + to_string(shape_) + " to " + to_string(shape) +
                 ": the element counts must match"};
  }
  Tensor result;
  result.shape_ = std::move(shape);
  result.data_ = std::move(data_);
  shape_ = {0};  // keep the moved-from tensor valid: empty
  data_.clear();
  return result;
}

}  // namespace dnnspace::engine
