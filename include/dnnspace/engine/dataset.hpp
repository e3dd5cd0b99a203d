// Dataset: labelled images from IDX files (MNIST, Fashion-MNIST) as a float tensor in [0, 1].
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// Images [N, 1, H, W] scaled to [0, 1] (byte / 255) and one label in [0, classes) each.
struct Dataset {
  Tensor images;
  std::vector<std::int32_t> labels;
  std::int64_t classes = 10;

  std::int64_t size() const noexcept { return static_cast<std::int64_t>(labels.size()); }
};

/// The train and test halves of a dataset.
struct DatasetSplits {
  Dataset train;
  Dataset test;
};

/// Where Debian's dataset-fashion-mnist package installs the four files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// Reads an image file (IDX, 3 dimensions N x H x W) and a label file (IDX, 1 dimension N,
/// each label < `classes`). Errors name the file: the IDX errors of read_idx_file, wrong
/// dimensions, a label out of range, or image and label counts that differ.
[[nodiscard]] Expected<Dataset> load_idx_dataset(const std::string& images_path,
                                                 const std::string& labels_path,
                                                 std::int64_t classes = 10);

/// Reads the MNIST-layout directory `dir`: train-images-idx3-ubyte, train-labels-idx1-ubyte,
/// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally with ".gz" (the
/// compressed name is tried first). An Error names a missing file and, for the default
/// directory, the package that provides it.
[[nodiscard]] Expected<DatasetSplits> load_mnist_layout(const std::string& dir);

/// The first `count` examples of `data` (all of them if count >= size).
[[nodiscard]] Dataset take_first(const Dataset& data, std::int64_t count);

}  // namespace dnnspace::engine
