// A generated accelerator: its Verilog files, its configuration and what it is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dnnspace/core/tensor_id.hpp"

namespace dnnspace {

/// The dataflow families the generator builds (004 Fig. 4).
enum class HardwareFamily : std::uint8_t {
  SystolicCK,     ///< C|K: reductions on the rows, K on the columns, weights stationary (Fig. 4c)
  SystolicRP,     ///< R|P: filter rows on the rows, output rows on the columns (Fig. 4b)
  ReductionTree,  ///< C on a 1-D array whose products an adder tree sums (Fig. 4a)
};

/// "C|K systolic", "R|P systolic", "C reduction tree".
const char* hardware_family_name(HardwareFamily family) noexcept;

/// One generated file: a name (no directory) and its text.
struct GeneratedFile {
  std::string name;
  std::string text;
};

/// What was generated, for a summary line and the tests.
struct DesignSummary {
  HardwareFamily family = HardwareFamily::SystolicCK;
  std::string top_module;        ///< the synthesizable top
  std::string testbench_module;  ///< the simulation top
  std::int64_t rows = 1;         ///< PE array shape (the architecture's)
  std::int64_t cols = 1;
  std::int64_t used_rows = 1;    ///< PEs the mapping's spatial loops use
  std::int64_t used_cols = 1;
  PerTensor<std::int64_t> bank_words{};  ///< global-buffer bank depth per tensor
  int address_bits = 1;                  ///< width of addresses and loop counters
  int operand_bits = 8;
  int accumulator_bits = 32;
  std::int64_t folds = 1;  ///< loads of the array (temporal loops at the global buffer)
  std::int64_t steps = 1;  ///< time steps per fold (per-PE temporal loops)
  int config_words = 0;    ///< 32-bit configuration registers the testbench writes
};

/// The generated design. `files` holds the synthesizable Verilog (`rtl_files`, in
/// dependency order), the testbench (`testbench_file`) and the configuration registers
/// of the mapped layer (`config_file`, one 32-bit hex word per line for $readmemh).
struct GeneratedDesign {
  DesignSummary summary;
  std::vector<GeneratedFile> files;
  std::vector<std::string> rtl_files;
  std::string testbench_file;
  std::string config_file;
};

/// The text of the file called `name` in the design (empty if none).
const std::string& design_file_text(const GeneratedDesign& design, const std::string& name);

}  // namespace dnnspace
