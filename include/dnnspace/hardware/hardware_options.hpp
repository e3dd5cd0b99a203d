// What the generated accelerator's datapath looks like: operand and accumulator widths.
#pragma once

#include <cstdint>

namespace dnnspace {

/// The datapath of a generated design: signed two's-complement operands (inputs and
/// weights) of `operand_bits`, products and partial sums in `accumulator_bits`, wrapping
/// as the engine's integer datapaths do.
struct HardwareOptions {
  int operand_bits = 8;       ///< 2..16
  int accumulator_bits = 32;  ///< 2 x operand_bits + 1 .. 64
  /// Words every global-buffer bank holds at least (0: exactly the layer's tensor). A
  /// design whose banks are deep enough for several layers runs each of them from its
  /// configuration registers without being regenerated (004 Sec. IV-C, flexible hardware).
  std::int64_t min_bank_words = 0;
};

}  // namespace dnnspace
