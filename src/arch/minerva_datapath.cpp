#include "dnnspace/arch/minerva_datapath.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "dnnspace/arch/area.hpp"
#include "dnnspace/arch/validate.hpp"

namespace dnnspace {
namespace {

constexpr double kMm2PerUm2 = 1e-6;

// Bytes of one bank when `words` words of `bits` bits are spread over `banks` banks: at
// least the smallest macro.
std::int64_t bank_bytes(const MinervaTech& tech, std::int64_t words, int bits, std::int64_t banks) {
  const std::int64_t per_bank_words = (words + banks - 1) / banks;
  return std::max<std::int64_t>(tech.min_bank_bytes, (per_bank_words * bits + 7) / 8);
}

double sram_area_mm2(const MinervaTech& tech, std::int64_t bytes_per_bank, std::int64_t banks) {
  return static_cast<double>(banks) *
         (static_cast<double>(bytes_per_bank) * 8.0 * tech.sram_um2_per_bit + tech.bank_overhead_um2) * kMm2PerUm2;
}

}  // namespace

double minerva_sram_energy_pj(const MinervaTech& tech, std::int64_t bytes, int bits) noexcept {
  // Power law through the two nearest table points (log-log linear), per bit.
  const double x = std::log(static_cast<double>(std::max<std::int64_t>(bytes, 1)));
  const double x8 = std::log(8.0 * 1024), x32 = std::log(32.0 * 1024), x1m = std::log(1024.0 * 1024);
  const double y8 = std::log(tech.sram_pj_64b_8kb), y32 = std::log(tech.sram_pj_64b_32kb),
               y1m = std::log(tech.sram_pj_64b_1mb);
  const double y = x <= x32 ? y8 + (y32 - y8) * (x - x8) / (x32 - x8) : y32 + (y1m - y32) * (x - x32) / (x1m - x32);
  return std::exp(y) * static_cast<double>(bits) / 64.0;
}

double sram_bit_fault_rate(const MinervaTech& tech, double voltage) noexcept {
  const double decades = (tech.nominal_voltage - voltage) * 1000.0 / tech.mv_per_decade;
  return std::min(0.5, tech.fault_rate_at_nominal * std::pow(10.0, decades));
}

double sram_voltage_for_fault_rate(const MinervaTech& tech, double rate) noexcept {
  if (!(rate > tech.fault_rate_at_nominal)) return tech.nominal_voltage;
  const double v = tech.nominal_voltage - std::log10(rate / tech.fault_rate_at_nominal) * tech.mv_per_decade / 1000.0;
  return std::clamp(v, tech.min_voltage, tech.nominal_voltage);
}

Expected<Architecture> minerva_architecture(const MinervaDatapath& d, const MinervaFootprint& footprint,
                                            const MinervaTech& tech) {
  const auto out_of_range = [](const std::string& field, const std::string& allowed, const std::string& got) {
    return Error{"minerva design: " + field + " must be " + allowed + ", got " + got};
  };
  for (const auto& [field, value] : {std::pair{"lanes", d.lanes}, std::pair{"macs_per_lane", d.macs_per_lane},
                                     std::pair{"weight_banks_per_lane", d.weight_banks_per_lane}}) {
    if (value < 1 || value > 4096) return out_of_range(field, "in 1..4096", std::to_string(value));
  }
  for (const auto& [field, value] : {std::pair{"weight_bits", d.weight_bits}, std::pair{"activation_bits", d.activation_bits},
                                     std::pair{"product_bits", d.product_bits}}) {
    if (value < 1 || value > 32) return out_of_range(field, "in 1..32", std::to_string(value));
  }
  if (!std::isfinite(d.clock_mhz) || d.clock_mhz <= 0.0) return out_of_range("clock_mhz", "above 0", std::to_string(d.clock_mhz));
  if (!std::isfinite(d.sram_voltage) || d.sram_voltage <= 0.0 || d.sram_voltage > tech.nominal_voltage) {
    return out_of_range("sram_voltage", "in (0, " + std::to_string(tech.nominal_voltage) + "]", std::to_string(d.sram_voltage));
  }
  if (footprint.weight_words < 1 || footprint.max_activation_words < 1) {
    return Error{"minerva design: the network has no weights or no activations"};
  }

  // Weights: lanes x banks banks; activations: two vectors (a layer's input and output),
  // banked macs_per_lane ways so that a lane's MACs each get a word per cycle.
  const std::int64_t weight_banks = static_cast<std::int64_t>(d.lanes) * d.weight_banks_per_lane;
  const std::int64_t weight_bank = bank_bytes(tech, footprint.weight_words, d.weight_bits, weight_banks);
  const std::int64_t act_banks = d.macs_per_lane;
  const std::int64_t act_bank = bank_bytes(tech, 2 * footprint.max_activation_words, d.activation_bits, act_banks);
  const double v = d.sram_voltage / tech.nominal_voltage;
  const double razor_power = d.razor ? 1.0 + tech.razor_power_fraction : 1.0;

  Architecture arch;
  arch.name = "minerva";
  arch.word_bits = 16;
  arch.clock_mhz = d.clock_mhz;
  // A 16 x 16-bit multiply and a 16-bit add at 45 nm (Horowitz: 32-bit multiply 3.1 pJ,
  // quadratic in width; the add above): mac_energy_per_mac_pj scales it to the widths.
  arch.mac_energy_pj = 3.1 * (16.0 * 16.0) / (32.0 * 32.0) + tech.add16_pj;

  StorageLevel sram;
  sram.name = "SRAM";
  sram.capacity_bytes = 0;  // every weight is on chip: the SRAM is sized to the network
  sram.energy_source = "minerva 45nm: weight banks " + std::to_string(weight_bank) + " B, activation banks " +
                       std::to_string(act_bank) + " B";
  sram.word_bits[TensorId::Weights] = d.weight_bits;
  sram.word_bits[TensorId::Inputs] = d.activation_bits;
  sram.word_bits[TensorId::Outputs] = d.activation_bits;
  const double weight_pj = minerva_sram_energy_pj(tech, weight_bank, d.weight_bits) * v * v * razor_power;
  const double act_pj = minerva_sram_energy_pj(tech, act_bank, d.activation_bits);
  // F1 compares every activation it reads with the layer's threshold (001 Sec. 4.4.2).
  const double compare_pj = d.predication ? tech.add16_pj * d.activation_bits / 16.0 : 0.0;
  sram.access_energy_pj = act_pj;
  sram.tensor_read_energy_pj[TensorId::Weights] = weight_pj;
  sram.tensor_write_energy_pj[TensorId::Weights] = weight_pj;
  sram.tensor_read_energy_pj[TensorId::Inputs] = act_pj + compare_pj;
  sram.tensor_write_energy_pj[TensorId::Inputs] = act_pj;
  sram.tensor_read_energy_pj[TensorId::Outputs] = act_pj;
  sram.tensor_write_energy_pj[TensorId::Outputs] = act_pj;
  sram.read_bandwidth_words_per_cycle = static_cast<double>(weight_banks + act_banks);
  const double weight_area = sram_area_mm2(tech, weight_bank, weight_banks) * (d.razor ? 1.0 + tech.razor_area_fraction : 1.0);
  const double act_area = sram_area_mm2(tech, act_bank, act_banks);
  sram.area_mm2 = weight_area + act_area;
  sram.leakage_mw = tech.leakage_mw_per_mm2 * (weight_area * v + act_area);
  arch.levels.push_back(sram);

  // One accumulator per MAC, at the products' width: a register access costs an add of
  // its width, and takes an adder's area (Horowitz: 8-bit 36 um^2, 32-bit 137 um^2, so
  // 4.2 um^2 per bit). Assumption: no register figure is in the sources.
  StorageLevel acc;
  acc.name = "Acc";
  acc.holds = {};
  acc.holds[TensorId::Outputs] = true;
  acc.capacity_bytes = (d.product_bits + 7) / 8;
  acc.word_bits[TensorId::Outputs] = d.product_bits;
  acc.access_energy_pj = tech.add16_pj * d.product_bits / 16.0;
  acc.energy_source = "minerva 45nm: one add";
  acc.area_mm2 = 4.2 * d.product_bits * kMm2PerUm2;
  arch.levels.push_back(acc);

  arch.array.rows = d.lanes;
  arch.array.cols = d.macs_per_lane;
  arch.array.parent_level = 0;
  // Each step of a lane's adder tree, and each copy of a broadcast activation, costs an add.
  arch.array.cost_style = ArrayCostStyle::Flat;
  arch.array.flat_energy_pj = tech.add16_pj;
  if (d.predication) arch.array.zeros = ZeroHandling::Gate;  // on inputs: the activations

  // Each MAC and its accumulator leak as 002's logic does per mm^2 (the MAC's area needs
  // the finished architecture: the widths its operands arrive at).
  arch.levels.back().leakage_mw = tech.leakage_mw_per_mm2 * (*arch.levels.back().area_mm2 + mac_area_mm2(arch));
  if (Expected<void> ok = validate_architecture(arch); !ok) return Error{"minerva design: " + ok.error().message};
  return arch;
}

}  // namespace dnnspace
