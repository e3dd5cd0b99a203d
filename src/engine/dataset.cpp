#include "dnnspace/engine/dataset.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "dnnspace/engine/idx_reader.hpp"

namespace dnnspace::engine {

Expected<Dataset> load_idx_dataset(const std::string& images_path, const std::string& labels_path,
                                   std::int64_t classes) {
  Expected<IdxArray> images = read_idx_file(images_path);
  if (!images) return images.error();
  Expected<IdxArray> labels = read_idx_file(labels_path);
  if (!labels) return labels.error();
  if (images->dims.size() != 3) {
    return Error{images_path + ": wrong dimensions: images need 3 (count, rows, columns), the file has " +
                 std::to_string(images->dims.size())};
  }
  if (labels->dims.size() != 1) {
    return Error{labels_path + ": wrong dimensions: labels need 1 (count), the file has " +
                 std::to_string(labels->dims.size())};
  }
  if (images->dims[0] != labels->dims[0]) {
    return Error{labels_path + ": " + std::to_string(labels->dims[0]) + " labels but " + images_path +
                 " has " + std::to_string(images->dims[0]) + " images"};
  }
  Dataset out;
  out.classes = classes;
  out.images = Tensor({images->dims[0], 1, images->dims[1], images->dims[2]});
  std::span<float> pixels = out.images.data();
  for (std::size_t i = 0; i < images->data.size(); ++i) {
    pixels[i] = static_cast<float>(images->data[i]) / 255.0F;
  }
  out.labels.resize(labels->data.size());
  for (std::size_t i = 0; i < labels->data.size(); ++i) {
    if (labels->data[i] >= classes) {
      return Error{labels_path + ": label " + std::to_string(labels->data[i]) + " at index " +
                   std::to_string(i) + " is not below the class count " + std::to_string(classes)};
    }
    out.labels[i] = labels->data[i];
  }
  return out;
}

Expected<DatasetSplits> load_mnist_layout(const std::string& dir) {
  auto find = [&](const std::string& stem) -> Expected<std::string> {
    for (const std::string& name : {stem + ".gz", stem}) {
      const std::string path = (std::filesystem::path(dir) / name).string();
      if (std::filesystem::exists(path)) return path;
    }
    std::string hint = dir == kFashionMnistDir ? " (install the Debian package dataset-fashion-mnist: bash scripts/install-deps)" : "";
    return Error{dir + ": no " + stem + " or " + stem + ".gz" + hint};
  };
  Expected<std::string> train_images = find("train-images-idx3-ubyte");
  if (!train_images) return train_images.error();
  Expected<std::string> train_labels = find("train-labels-idx1-ubyte");
  if (!train_labels) return train_labels.error();
  Expected<std::string> test_images = find("t10k-images-idx3-ubyte");
  if (!test_images) return test_images.error();
  Expected<std::string> test_labels = find("t10k-labels-idx1-ubyte");
  if (!test_labels) return test_labels.error();
  Expected<Dataset> train = load_idx_dataset(*train_images, *train_labels);
  if (!train) return train.error();
  Expected<Dataset> test = load_idx_dataset(*test_images, *test_labels);
  if (!test) return test.error();
  if (train->images.shape() != Shape{train->size(), 1, test->images.dim(2), test->images.dim(3)}) {
    return Error{*test_images + ": image size differs from " + *train_images};
  }
  return DatasetSplits{std::move(*train), std::move(*test)};
}

Dataset take_first(const Dataset& data, std::int64_t count) {
  const std::int64_t n = std::clamp<std::int64_t>(count, 0, data.size());
  Shape shape = data.images.shape();
  const std::int64_t per_image = n == 0 ? 0 : data.images.size() / std::max<std::int64_t>(data.size(), 1);
  shape[0] = n;
  Dataset out;
  out.classes = data.classes;
  std::vector<float> pixels(data.images.data().begin(), data.images.data().begin() + n * per_image);
  out.images = std::move(Tensor::from_data(shape, std::move(pixels)).value());
  out.labels.assign(data.labels.begin(), data.labels.begin() + n);
  return out;
}

}  // namespace dnnspace::engine
