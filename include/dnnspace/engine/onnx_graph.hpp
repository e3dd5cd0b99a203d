// Running ONNX graphs with the engine's kernels: each node by its operator (Conv, Gemm,
// MatMul, pooling, activations, Softmax, BatchNormalization, Add, Concat, Flatten, LSTM,
// Constant), the graph in its topological order (docs/engine.md).
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/engine/tensor.hpp"

namespace dnnspace::engine {

/// An integer tensor (ONNX INT32/INT64), for sequence_lens inputs and MaxPool indices outputs.
struct IntTensor {
  Shape shape;
  std::vector<std::int64_t> data;
};

/// A value of a graph: fp32 (what the engine computes in) or integers.
using OnnxValue = std::variant<Tensor, IntTensor>;

/// A serialized onnx.TensorProto file (the test data's input_<i>.pb, output_<i>.pb).
[[nodiscard]] Expected<onnx::TensorProto> read_tensor_proto(const std::string& path);
/// A serialized onnx.ModelProto file.
[[nodiscard]] Expected<onnx::ModelProto> read_onnx_model(const std::string& path);
/// A TensorProto as a value: FLOAT, INT64, INT32 (raw or typed data); `what` names it in errors.
[[nodiscard]] Expected<OnnxValue> onnx_value(const onnx::TensorProto& proto, const std::string& what);
/// The model's ai.onnx opset (0 when it imports none).
std::int64_t default_opset(const onnx::ModelProto& model);

/// Runs one node on `values` (its inputs by name): its outputs in node order, empty where
/// ONNX makes an output optional and the engine produces none. An operator the engine
/// does not implement is an error naming it.
[[nodiscard]] Expected<std::vector<std::optional<OnnxValue>>> run_onnx_node(
    const onnx::NodeProto& node, const std::map<std::string, OnnxValue>& values, std::int64_t opset);

/// Runs the whole graph: `inputs` feed its inputs that are not initializers, in order; the
/// initializers are the weights (they must hold data). Returns the graph's outputs in order.
[[nodiscard]] Expected<std::vector<OnnxValue>> run_onnx_graph(const onnx::ModelProto& model,
                                                              const std::vector<OnnxValue>& inputs);

}  // namespace dnnspace::engine
