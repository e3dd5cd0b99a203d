// ONNX models read as networks: their MAC operators become layers, every other operator
// is listed with its traffic (docs/onnx.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace::io {

/// What the caller fixes before shape inference.
struct OnnxImportOptions {
  /// The batch: dimension 0 of every graph input of rank 2 or more (not an initializer, not
  /// in input_shapes) that is symbolic becomes it (1 when not given); one that is 1 becomes
  /// it when given; another fixed value is an error when it differs. A batch above 1 must
  /// scale the model's MACs (a model whose reshapes fix its batch is refused).
  std::optional<std::int64_t> batch;
  /// Whole shapes of graph inputs, by name (`--input-shape name=1x3x224x224`), kept as given.
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> input_shapes;
};

/// Whether a path names an ONNX file (ends in .onnx, any case).
bool is_onnx_path(std::string_view path) noexcept;

/// Parses `--input-shape` text NAME=D0xD1x... (each a whole number >= 1). Errors name the flag.
[[nodiscard]] Expected<std::pair<std::string, std::vector<std::int64_t>>> parse_input_shape(std::string_view text);

/// Reads an ONNX model with the official protobuf classes, runs ONNX shape inference, and
/// builds a network named after the file: Conv (groups, depthwise, strides, pads,
/// dilations, 1-D and 2-D), ConvTranspose, Gemm, MatMul (batched, and with both operands
/// activations), LSTM and GRU become layers; other operators are listed in `others`; the
/// layers' biases (bias inputs, and constants added to a layer's output) are counted in
/// `biases`. Errors are one line naming the file and, where there is one, the node or
/// tensor: not ONNX, an opset newer than the library, an unsupported MAC operator, a
/// dimension that is unknown after inference (docs/onnx.md).
[[nodiscard]] Expected<Network> load_onnx_network(const std::string& path, const OnnxImportOptions& options = {});

}  // namespace dnnspace::io
