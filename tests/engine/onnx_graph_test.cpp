// Whole ONNX graphs run by the engine against reference outputs: PyTorch's for a small CNN
// with its weights (tests/data/onnx/small_cnn, made by scripts/make_onnx_testdata.py), and
// the PyTorch-converted models of ONNX's own test data (Debian's libonnx-testdata).
#include "dnnspace/engine/onnx_graph.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "support/onnx_compare.hpp"

namespace dnnspace::engine {
namespace {

namespace fs = std::filesystem;
using testing::compare;

// Runs model.onnx of `dir` on test_data_set_0's inputs: "" when every output matches,
// "unsupported: ..." when an operator is not implemented, else what failed.
std::string run_case(const fs::path& dir) {
  auto model = read_onnx_model((dir / "model.onnx").string());
  if (!model) return model.error().message;
  const fs::path set = dir / "test_data_set_0";
  std::vector<OnnxValue> inputs;
  for (int i = 0; fs::exists(set / ("input_" + std::to_string(i) + ".pb")); ++i) {
    const std::string file = (set / ("input_" + std::to_string(i) + ".pb")).string();
    auto proto = read_tensor_proto(file);
    if (!proto) return proto.error().message;
    auto v = onnx_value(*proto, file);
    if (!v) return v.error().message;
    inputs.push_back(std::move(*v));
  }
  auto outputs = run_onnx_graph(*model, inputs);
  if (!outputs) {
    const std::string& m = outputs.error().message;
    return m.find("is not implemented by the engine") != std::string::npos ? "unsupported: " + m : m;
  }
  for (std::size_t j = 0; j < outputs->size(); ++j) {
    const std::string file = (set / ("output_" + std::to_string(j) + ".pb")).string();
    auto proto = read_tensor_proto(file);
    if (!proto) return proto.error().message;
    auto expected = onnx_value(*proto, file);
    if (!expected) return expected.error().message;
    const std::string diff = compare((*outputs)[j], *expected);
    if (!diff.empty()) return "output " + std::to_string(j) + ": " + diff;
  }
  return "";
}

// Conv, BatchNormalization (inference statistics), Relu, a grouped strided Conv, Sigmoid,
// MaxPool, Flatten, Gemm and Softmax on a batch of two 3 x 14 x 14 images.
TEST(OnnxGraph, ASmallCnnWithItsWeightsReproducesPyTorch) {
  EXPECT_EQ(run_case(fs::path(DNNSPACE_SOURCE_DIR) / "tests/data/onnx/small_cnn"), "");
}

// Every PyTorch-converted model of ONNX's test data whose operators the engine implements
// reproduces its reference output; the others are listed, never skipped silently.
TEST(OnnxGraph, OnnxsPyTorchConvertedModels) {
  const fs::path root = "/usr/share/libonnx-testdata/data/pytorch-converted";
  ASSERT_TRUE(fs::is_directory(root)) << root << " not found; install libonnx-testdata (scripts/install-deps)";
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root)) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  int passed = 0, unsupported = 0;
  for (const fs::path& dir : dirs) {
    const std::string result = run_case(dir);
    if (result.empty()) {
      ++passed;
    } else if (result.rfind("unsupported: ", 0) == 0) {
      ++unsupported;
      std::cout << "  unsupported  " << dir.filename().string() << ": " << result.substr(13) << "\n";
    } else {
      ADD_FAILURE() << dir.filename().string() << ": " << result;
    }
  }
  std::cout << "PyTorch-converted models: " << passed << " reproduced, " << unsupported << " listed as unsupported\n";
  EXPECT_GE(passed, 30);
}

TEST(OnnxGraph, InputsMustMatchTheGraph) {
  auto model = read_onnx_model((fs::path(DNNSPACE_SOURCE_DIR) / "tests/data/onnx/small_cnn/model.onnx").string());
  ASSERT_TRUE(model.has_value()) << model.error().message;
  auto none = run_onnx_graph(*model, {});
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("graph input 'input' is not given"), std::string::npos) << none.error().message;
  auto wrong = run_onnx_graph(*model, {OnnxValue(Tensor({2, 3, 5, 5}))});  // too small for the layers
  EXPECT_FALSE(wrong.has_value());
}

}  // namespace
}  // namespace dnnspace::engine
