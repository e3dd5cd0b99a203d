// The text a generated testbench writes at the end of a simulation, read back.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/core/tensor_id.hpp"

namespace dnnspace {

/// Word accesses of one buffer and tensor, as the testbench counted them.
struct CountedAccesses {
  std::int64_t reads = 0;
  std::int64_t writes = 0;
  friend constexpr bool operator==(const CountedAccesses&, const CountedAccesses&) = default;
};

/// What the simulated accelerator did.
struct SimulationResult {
  std::int64_t total_cycles = 0;    ///< from start to done, DMA included
  std::int64_t compute_cycles = 0;  ///< the array's: folds with their loads, skew and steps
  std::int64_t dma_cycles = 0;      ///< DRAM <-> global buffer copies
  std::int64_t macs = 0;
  /// Per architecture level and tensor, summed over the level's instances.
  std::array<PerTensor<CountedAccesses>, kMaxLevels> accesses{};
  PerTensor<std::int64_t> array_transfers{};  ///< PE-to-PE (and adder-tree) words per tensor
  std::vector<std::int64_t> outputs;          ///< element_id order, as read from DRAM
  std::int64_t mismatches = -1;               ///< the testbench's own check against expected.hex (-1: none)
};

/// Reads the testbench's result text (lines `cycles total N`, `access LEVEL TENSOR R W`,
/// `transfers TENSOR N`, `macs N`, `out ID VALUE`); `num_outputs` outputs are expected.
[[nodiscard]] Expected<SimulationResult> parse_simulation_result(std::string_view text, std::int64_t num_outputs);

}  // namespace dnnspace
