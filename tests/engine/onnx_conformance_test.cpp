// Conformance of the reference kernels against ONNX's own backend node tests (Debian package
// libonnx-testdata): each case is a one-node model.onnx plus serialized input and expected
// output TensorProtos. Every case of a supported operator runs; the ones that cannot run are
// listed below with a reason and printed, never skipped silently.
#include <onnx/onnx_pb.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dnnspace/engine/onnx_graph.hpp"
#include "dnnspace/engine/tensor.hpp"
#include "support/onnx_compare.hpp"

namespace dnnspace::engine {
namespace {

using testing::compare;

namespace fs = std::filesystem;

// Where Debian's libonnx-testdata (ONNX 1.12) puts the node tests.
constexpr std::string_view kDataDir = "/usr/share/libonnx-testdata/data/node";

// Case directories whose name starts with one of these are run. test_basic_conv_* are plain
// Conv cases too, under a different prefix.
constexpr std::array<std::string_view, 15> kPrefixes = {
    "test_conv",    "test_basic_conv", "test_gemm",    "test_matmul",    "test_maxpool",
    "test_averagepool", "test_relu",   "test_sigmoid", "test_tanh",      "test_softmax",
    "test_batchnorm",   "test_add",    "test_concat",  "test_flatten",   "test_lstm"};


struct Unsupported {
  std::string_view name;
  std::string_view reason;
};

// Cases under the prefixes above that the engine does not run, and why (keep in step with
// docs/engine.md). Multi-node *_expanded graphs are detected and skipped separately.
constexpr std::array<Unsupported, 18> kUnsupported = {{
    {"test_add_uint8", "uint8 tensors; the engine computes in fp32 only"},
    {"test_maxpool_2d_uint8", "uint8 tensors; the engine computes in fp32 only"},
    {"test_batchnorm_epsilon_training_mode",
     "training_mode=1 (batch statistics and running-stat outputs); inference only"},
    {"test_batchnorm_example_training_mode",
     "training_mode=1 (batch statistics and running-stat outputs); inference only"},
    {"test_basic_convinteger", "ConvInteger: a different operator (uint8/int32)"},
    {"test_convinteger_with_padding", "ConvInteger: a different operator (uint8/int32)"},
    {"test_convinteger_without_padding", "ConvInteger: a different operator (uint8/int32)"},
    {"test_matmulinteger", "MatMulInteger: a different operator (uint8/int32)"},
    {"test_convtranspose", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_1d", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_3d", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_autopad_same", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_dilations", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_kernel_shape", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_output_shape", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_pad", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_pads", "ConvTranspose: a different operator, not implemented"},
    {"test_convtranspose_with_kernel", "ConvTranspose: a different operator, not implemented"},
}};

using Value = OnnxValue;


// ---------------------------------------------------------------------------------------------
// Running one case directory.

enum class Outcome { Passed, Failed, SkippedMultiNode };

struct CaseResult {
  Outcome outcome = Outcome::Failed;
  std::string message;  // why it failed or was skipped
};

CaseResult run_case(const fs::path& dir) {
  auto model = read_onnx_model((dir / "model.onnx").string());
  if (!model) return {Outcome::Failed, model.error().message};
  const onnx::GraphProto& graph = model->graph();
  if (graph.node_size() != 1) {
    const std::string nodes = std::to_string(graph.node_size());
    // Only the *_expanded variants (an operator's function body) may be multi-node; any
    // other case with several nodes means the enumeration caught something unexpected.
    if (!dir.filename().string().ends_with("_expanded")) {
      return {Outcome::Failed, "graph has " + nodes + " nodes; expected a single operator"};
    }
    return {Outcome::SkippedMultiNode,
            "graph has " + nodes + " nodes (the operator's function body), not a single node"};
  }
  // Graph inputs that are not initializers are fed, in order, from input_<i>.pb.
  std::map<std::string, Value> base;
  for (const auto& init : graph.initializer()) {
    auto v = onnx_value(init, "initializer " + init.name());
    if (!v) return {Outcome::Failed, v.error().message};
    base.emplace(init.name(), std::move(*v));
  }
  std::vector<std::string> fed;
  for (const auto& input : graph.input()) {
    if (!base.contains(input.name())) fed.push_back(input.name());
  }

  std::vector<fs::path> sets;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && entry.path().filename().string().starts_with("test_data_set_")) {
      sets.push_back(entry.path());
    }
  }
  std::sort(sets.begin(), sets.end());
  if (sets.empty()) return {Outcome::Failed, "no test_data_set_* directory"};

  const onnx::NodeProto& proto = graph.node(0);
  for (const fs::path& set : sets) {
    std::map<std::string, Value> values = base;
    for (std::size_t i = 0; i < fed.size(); ++i) {
      const fs::path file = set / ("input_" + std::to_string(i) + ".pb");
      auto tp = read_tensor_proto(file.string());
      if (!tp) return {Outcome::Failed, tp.error().message};
      auto v = onnx_value(*tp, file.string());
      if (!v) return {Outcome::Failed, v.error().message};
      values.emplace(fed[i], std::move(*v));
    }
    auto outputs = run_onnx_node(proto, values, default_opset(*model));
    if (!outputs) return {Outcome::Failed, outputs.error().message};
    // Graph output j is expected in output_<j>.pb; find which node output produces it.
    for (int j = 0; j < graph.output_size(); ++j) {
      const std::string& name = graph.output(j).name();
      int k = 0;
      while (k < proto.output_size() && proto.output(k) != name) ++k;
      if (k == proto.output_size() || k >= static_cast<int>(outputs->size()) ||
          !(*outputs)[static_cast<std::size_t>(k)]) {
        return {Outcome::Failed, "graph output '" + name + "' is not produced"};
      }
      const fs::path file = set / ("output_" + std::to_string(j) + ".pb");
      auto tp = read_tensor_proto(file.string());
      if (!tp) return {Outcome::Failed, tp.error().message};
      auto expected = onnx_value(*tp, file.string());
      if (!expected) return {Outcome::Failed, expected.error().message};
      const std::string diff = compare(*(*outputs)[static_cast<std::size_t>(k)], *expected);
      if (!diff.empty()) {
        return {Outcome::Failed, set.filename().string() + " output '" + name + "': " + diff};
      }
    }
  }
  return {Outcome::Passed, ""};
}

const Unsupported* find_unsupported(std::string_view name) {
  for (const auto& u : kUnsupported) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(std::string(kDataDir))) {
    const std::string name = entry.path().filename().string();
    for (std::string_view prefix : kPrefixes) {
      if (name.starts_with(prefix)) {
        names.push_back(name);
        break;
      }
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(OnnxConformance, NodeTestsOfSupportedOperators) {
  ASSERT_TRUE(fs::is_directory(std::string(kDataDir)))
      << "ONNX node test data not found at " << kDataDir
      << "; install the Debian package libonnx-testdata (run: bash scripts/install-deps)";
  const std::vector<std::string> names = case_names();
  int passed = 0, listed = 0, multi_node = 0;
  std::map<std::string_view, int> passed_per_prefix;
  for (const std::string& name : names) {
    if (const Unsupported* u = find_unsupported(name)) {
      std::cout << "  unsupported  " << name << ": " << u->reason << "\n";
      ++listed;
      continue;
    }
    const CaseResult result = run_case(fs::path(std::string(kDataDir)) / name);
    switch (result.outcome) {
      case Outcome::Passed:
        ++passed;
        for (std::string_view prefix : kPrefixes) {
          if (name.starts_with(prefix)) ++passed_per_prefix[prefix];
        }
        break;
      case Outcome::SkippedMultiNode:
        std::cout << "  unsupported  " << name << ": " << result.message << "\n";
        ++listed;
        ++multi_node;
        break;
      case Outcome::Failed:
        ADD_FAILURE() << name << ": " << result.message;
        break;
    }
  }
  std::cout << "ONNX conformance: " << passed << " passed, " << listed
            << " listed as unsupported (" << multi_node << " of them multi-node *_expanded graphs)"
            << "\n";
  std::cout << "  passed per prefix:";
  for (std::string_view prefix : kPrefixes) {
    std::cout << " " << prefix << "* " << passed_per_prefix[prefix];
  }
  std::cout << "\n";
  // Guard against an enumeration that quietly finds nothing for an operator.
  for (std::string_view prefix : kPrefixes) {
    EXPECT_GT(passed_per_prefix[prefix], 0) << "no case passed for prefix " << prefix;
  }
}

TEST(OnnxConformanceHarness, CompareAppliesTheBackendTolerance) {
  const auto make = [](Shape shape, std::vector<float> data) {
    return Value(Tensor::from_data(std::move(shape), std::move(data)).value());
  };
  const Value expected = make({2}, {1000, 0});
  // Allowed deviation: 1e-7 + 1e-3 * |expected|, i.e. about 1.0 at 1000 and 1e-7 at 0.
  EXPECT_EQ(compare(make({2}, {1000.9F, 0}), expected), "");
  EXPECT_NE(compare(make({2}, {1001.5F, 0}), expected), "");
  EXPECT_NE(compare(make({2}, {1000, 1e-6F}), expected), "");
  EXPECT_NE(compare(make({1, 2}, {1000, 0}), expected), "");  // same data, other shape
  EXPECT_NE(compare(Value(IntTensor{{2}, {1, 2}}), Value(IntTensor{{2}, {1, 3}})), "");
  EXPECT_NE(compare(Value(IntTensor{{2}, {1, 2}}), expected), "");
}

TEST(OnnxConformance, EveryUnsupportedEntryNamesAnExistingCase) {
  ASSERT_TRUE(fs::is_directory(std::string(kDataDir))) << "ONNX node test data not found at "
                                                       << kDataDir;
  for (const auto& u : kUnsupported) {
    EXPECT_TRUE(fs::is_directory(fs::path(std::string(kDataDir)) / std::string(u.name)))
        << "stale entry in kUnsupported: " << u.name;
  }
}

}  // namespace
}  // namespace dnnspace::engine
