// Workloads given as data: named dimensions and tensors with index expressions
// (docs/workloads.md), built into a Layer the model evaluates like any other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dnnspace/core/expected.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// What a tensor of a workload is: a read-only operand of the multiply (`weights`: an
/// operand that is a parameter, counted in the layer's weights), or the accumulated output.
enum class TensorRole : std::uint8_t { Operand, Weights, Output };

/// "operand", "weights", "output"; nothing for anything else.
std::optional<TensorRole> parse_tensor_role(std::string_view text) noexcept;

/// Parses one axis of a tensor's index: a term, or the sum of two, each term a dimension
/// letter with an optional whole coefficient >= 1 on either side ("B", "P*2+R",
/// "2*P + 2*R"). `dims` are the workload's dimensions. The error says what is wrong.
Expected<IndexAxis> parse_index_axis(std::string_view text, const FixedVector<Dim, kMaxWorkloadDims>& dims);

/// The index expression as it would be written: "P*2+R", "K".
std::string index_axis_text(const IndexAxis& axis);

/// One tensor of a workload.
struct TensorDescription {
  std::string name;
  TensorRole role = TensorRole::Operand;
  FixedVector<IndexAxis, kMaxWorkloadDims> index;
};

/// A workload as data: name, dimensions with bounds (in nest order), tensors, and the
/// dimension --batch sets (if any).
struct WorkloadDescription {
  std::string name;
  std::vector<std::pair<Dim, std::int64_t>> dims;
  std::vector<TensorDescription> tensors;
  std::optional<Dim> batch_dim;
};

/// Builds the layer (kind Workload). Errors (one line, naming the workload and what is
/// wrong): no dimension or more than kMaxWorkloadDims, a dimension twice, a bound < 1,
/// not one output and 2 to kMaxTensors - 1 operands, an empty or duplicate tensor name, a tensor
/// with no index, a dimension in two terms of one tensor, a term or batch over a
/// dimension the workload lacks, sizes past 2^63 - 1 (check_layer_size).
Expected<Layer> make_workload_layer(const WorkloadDescription& description);

}  // namespace dnnspace
