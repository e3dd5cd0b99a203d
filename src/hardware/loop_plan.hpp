// The mapped loop nest as the generated controller runs it: fold and step loops with
// their address strides per tensor, and per array row and column the address offsets of
// its spatial indices. Internal to src/hardware.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/hardware/generated_design.hpp"
#include "dnnspace/hardware/hardware_options.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::hw {

/// Address strides per tensor slot: inputs, weights, outputs.
using Strides = std::array<std::int64_t, 3>;

/// One temporal loop of the controller: its factor, the address step of one iteration in
/// each tensor's bank, whether it reduces (irrelevant to the outputs) and whether the
/// weights depend on it.
struct AddressLoop {
  std::int64_t factor = 1;
  Strides stride{};
  bool reduction = false;
  bool weight_relevant = false;
  Dim dim = Dim::N;
};

/// What the controller's configuration registers say.
struct LoopPlan {
  HardwareFamily family = HardwareFamily::SystolicCK;
  int global_level = 1;   ///< the level feeding the array
  int register_level = -1; ///< the per-PE weight registers' level, -1 if none
  std::int64_t rows = 1, cols = 1;       ///< array shape
  std::int64_t used_rows = 1, used_cols = 1;
  std::vector<AddressLoop> folds;  ///< temporal loops at the global buffer, outermost first
  std::vector<AddressLoop> steps;  ///< per-PE temporal loops (the tree: every temporal loop)
  std::vector<Strides> row_offset, col_offset;  ///< per row / column, 0 for unused ones
  std::int64_t fold_count = 1, step_count = 1;
  Strides tensor_words{};  ///< words of inputs (padded plane), weights, outputs
};

/// Checks that the problem is in a supported family and computes its plan; the error is
/// one line naming what is unsupported and what is supported.
Expected<LoopPlan> plan_loops(const Layer& layer, const Architecture& arch, const Mapping& mapping,
                              const HardwareOptions& options);

/// The families and their limits, for error messages.
std::string supported_families_text();

}  // namespace dnnspace::hw
