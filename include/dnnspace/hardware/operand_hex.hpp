// Operands as the generated testbench loads them with $readmemh.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace dnnspace {

/// One value per line, two's complement in `bits` bits, in hex digits (ceil(bits / 4)).
std::string operand_hex(std::span<const std::int8_t> values, int bits);
std::string operand_hex(std::span<const std::int64_t> values, int bits);

}  // namespace dnnspace
