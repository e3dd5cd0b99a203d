// Minerva's accelerator (001, Reagen et al., Sec. 4.3.2, Figs. 4.4-4.5) as an architecture
// the cost model evaluates: datapath lanes that each compute one neuron at a time, with a
// number of MACs per lane joined by an adder tree into one accumulator; weights in SRAM
// banks of each lane, activations in a shared SRAM; every weight on chip. Its energies,
// areas and leakage come from a 45 nm-class table whose every number is sourced or stated
// as an assumption in docs/minerva.md ("The technology table").
#pragma once

#include <cstdint>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/expected.hpp"

namespace dnnspace {

/// One accelerator design point: 001 Fig. 4.4's design space.
struct MinervaDatapath {
  int lanes = 8;                  ///< neurons computed at once (inter-neuron parallelism)
  int macs_per_lane = 4;          ///< products a lane takes per cycle (intra-neuron parallelism)
  int weight_banks_per_lane = 4;  ///< weight SRAM partitions per lane, one word per cycle each
  double clock_mhz = 250.0;
  /// Widths of the three signals 001 quantizes (Sec. 4.4.1): weights W, activations X and
  /// products P (the multiplier's output and the accumulator). Q6.10 = 16 bits each.
  int weight_bits = 16;
  int activation_bits = 16;
  int product_bits = 16;
  /// SRAM supply voltage, V (stage 5): dynamic energy scales with (V / nominal)^2,
  /// leakage with V / nominal (docs/minerva.md).
  double sram_voltage = 0.9;
  /// Razor double-sampling fault detection on the weight SRAMs (001 Sec. 4.4.3: 12.8%
  /// more weight-SRAM power, 0.3% more area).
  bool razor = false;
  /// Activation pruning (001 Sec. 4.4.2): F1 compares each activation with the layer's
  /// threshold and predicates the weight read and the MAC (the array gates on inputs).
  bool predication = false;

  friend bool operator==(const MinervaDatapath&, const MinervaDatapath&) = default;
};

/// The 45 nm-class technology of the Minerva model (docs/minerva.md lists the sources).
struct MinervaTech {
  /// SRAM read energy per 64-bit access at three sizes, pJ (Horowitz, ISSCC 2014, 45 nm):
  /// 8 KB 10, 32 KB 20, 1 MB 100; between and beyond them a power law of the size through
  /// the nearest two. Per bit it scales linearly; a write costs what a read does.
  double sram_pj_64b_8kb = 10.0;
  double sram_pj_64b_32kb = 20.0;
  double sram_pj_64b_1mb = 100.0;
  /// Smallest SRAM macro, bytes: a bank is never smaller, so partitioning past it adds
  /// capacity that holds nothing (001: "once the minimum SRAM design granularity is
  /// reached, additional partitioning becomes wasteful"). Assumption.
  std::int64_t min_bank_bytes = 2048;
  /// SRAM area per bit including periphery, um^2, and a fixed area per bank (decoder,
  /// sense amplifiers, control). Assumptions of the 45 nm class (a 6T cell is ~0.35 um^2).
  double sram_um2_per_bit = 0.6;
  double bank_overhead_um2 = 5000.0;
  /// Static power per mm^2 of 45 nm silicon, mW: 002's synthesized neuron (45 nm NanGate)
  /// leaks 269.36 uW in 51,171.5 um^2, 5.26 mW/mm^2; taken for SRAM and logic alike.
  double leakage_mw_per_mm2 = 0.26936 / 0.0511715;
  /// Nominal SRAM supply, V.
  double nominal_voltage = 0.9;
  /// Razor overheads on the weight SRAMs (001 Sec. 4.4.3).
  double razor_power_fraction = 0.128;
  double razor_area_fraction = 0.003;
  /// The weight SRAMs' bitcell fault rate against their supply (001 Fig. 4.8's shape: the
  /// rate rises exponentially as the voltage falls): fault_rate_at_nominal at the nominal
  /// voltage, ten times more every mv_per_decade millivolts lower, never below
  /// min_voltage. 001 prints its SPICE curve only as a figure; these defaults are ours,
  /// chosen so that 001's tolerated 4.4% lies 200 mV below nominal, as 001 reports
  /// (docs/minerva.md).
  double fault_rate_at_nominal = 1e-9;
  double mv_per_decade = 26.2;
  double min_voltage = 0.5;
  /// A 16-bit integer add, pJ (Horowitz, 45 nm: 8-bit 0.03, 32-bit 0.1): the accumulator
  /// register's access, each step of a lane's adder tree, and F1's threshold compare.
  double add16_pj = 0.05;
};

/// Read energy of one `bits`-wide access of an SRAM of `bytes` bytes, pJ (the table's
/// power law, per bit). bytes >= 1, bits >= 1.
double minerva_sram_energy_pj(const MinervaTech& tech, std::int64_t bytes, int bits) noexcept;

/// The bitcell fault rate of the weight SRAMs at `voltage` (at most 0.5).
double sram_bit_fault_rate(const MinervaTech& tech, double voltage) noexcept;
/// The lowest voltage, at least min_voltage and at most nominal, whose fault rate is at
/// most `rate` (nominal for a rate at or below the nominal one).
double sram_voltage_for_fault_rate(const MinervaTech& tech, double rate) noexcept;

/// What the network asks of the memories: its weights, and the largest activation vector
/// (input or output of a layer), in words.
struct MinervaFootprint {
  std::int64_t weight_words = 0;
  std::int64_t max_activation_words = 0;
};

/// The architecture of a design point: level 0 "SRAM" (the weight banks and the
/// activation SRAM: every tensor, each with its own read and write energy; read bandwidth
/// lanes x banks + macs_per_lane words per cycle), level 1 "Acc" (one accumulator per MAC,
/// outputs only), an array of lanes x macs_per_lane MACs below the SRAM. Errors: a
/// parameter out of range (lanes, MACs, banks 1..4096, clock > 0, widths 1..32, voltage
/// in (0, nominal]), an empty footprint.
[[nodiscard]] Expected<Architecture> minerva_architecture(const MinervaDatapath& design, const MinervaFootprint& footprint,
                                                          const MinervaTech& tech = {});

}  // namespace dnnspace
