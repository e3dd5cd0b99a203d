// The analytical cost model: access counts, energy, cycles of one mapped layer.
#pragma once

#include <array>
#include <cstdint>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/model/projection_tables.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// Words moved at one level for one tensor. For inputs and weights: reads serve the
/// level below (a multicast word counts once), writes are fills from above. For
/// outputs: reads are partial sums sent down to be updated plus tiles drained upward;
/// writes are psums filled from above plus updates coming back from below
/// (a read-modify-write counts once in each). See docs/model.md.
struct TensorAccesses {
  std::int64_t reads = 0;
  std::int64_t writes = 0;
  friend constexpr bool operator==(const TensorAccesses&, const TensorAccesses&) = default;
};

/// Cycles a level's bandwidth needs saturate here (2^62): a bandwidth far below the
/// traffic (say 1e-300 words per cycle) is a valid number but needs more cycles than a
/// 64-bit count holds.
inline constexpr std::int64_t kMaxModelCycles = std::int64_t{1} << 62;

/// Everything the model says about one storage level.
struct LevelCost {
  PerTensor<TensorAccesses> accesses;  ///< summed over all instances of the level
  PerTensor<double> energy_pj{};       ///< (reads + writes) x access energy
  PerTensor<std::int64_t> tile_words{}; ///< per instance, largest tile (0 if bypassed)
  std::int64_t instances = 1;          ///< copies of the level (PEs below the array)
  std::int64_t footprint_bytes = 0;    ///< per instance, incl. double buffering
  std::int64_t cycles = 0;             ///< cycles its bandwidth needs (0 if unlimited; at most kMaxModelCycles)
  /// Words exchanged with the level above: written into this one (fills, and psums sent
  /// down) and read from it for the level above (outputs drained up). Summed over instances.
  std::int64_t fill_words = 0;
  std::int64_t drain_words = 0;
  /// A single-buffered level with a bandwidth: the cycles its fills and drains take alone,
  /// during which the array waits (docs/model.md Sec. 5). 0 when double-buffered or unlimited.
  std::int64_t refill_stall_cycles = 0;
  double energy_total_pj = 0.0;  ///< its accesses' energy (dynamic)
  /// Leakage of all its physical instances over the layer's cycles (not in energy_total_pj).
  double leakage_pj = 0.0;
};

/// Where a mapping fails a hardware limit; an infeasible mapping is a result.
enum class Infeasibility : std::uint8_t { None, Capacity, ArraySize };

/// The model's output for one (layer, architecture, mapping).
struct CostResult {
  Infeasibility infeasibility = Infeasibility::None;
  int infeasible_level = -1;  ///< the level that overflows, for Capacity
  int num_levels = 0;
  std::array<LevelCost, kMaxLevels> levels{};
  PerTensor<std::int64_t> array_transfers{};  ///< PE-to-PE word transfers
  PerTensor<double> array_hops{};             ///< transfers x average hop distance
  std::int64_t macs = 0;                      ///< useful MACs (the layer's)
  /// MACs the array performs: `macs`, less those gated or skipped for a zero operand
  /// (docs/model.md Sec. 11); MAC energy and utilization count these.
  std::int64_t performed_macs = 0;
  std::int64_t compute_cycles = 0;            ///< product of all temporal loops
  /// Times the array is loaded with a new set of tiles: the product of the temporal loops
  /// at and above the level feeding it (each runs the per-PE loops once).
  std::int64_t folds = 0;
  /// A systolic array's fill and drain: folds x (rows + cols - 2, + rows unless the
  /// outputs stay in the PEs); 0 for an ideal array (docs/model.md Sec. 5).
  std::int64_t fill_drain_cycles = 0;
  /// compute + fill and drain + every single-buffered level's refill stalls, or a level's
  /// bandwidth cycles if more (docs/model.md Sec. 5).
  std::int64_t cycles = 0;
  std::int64_t refill_stall_cycles = 0;       ///< the sum of the levels' refill stalls
  /// macs / (compute_cycles x PEs): spatial (the compute cycles before skipped MACs
  /// free any: the mapping's use of the array, zeros aside).
  double utilization = 0.0;
  /// performed_macs / (cycles x PEs): what the array achieves once stalls and zeros are
  /// counted.
  double achieved_utilization = 0.0;
  /// The level whose bandwidth sets `cycles` (the first such, outermost first), or -1
  /// when the compute cycles do (no stall).
  int bound_level = -1;
  std::int64_t offchip_bytes = 0;             ///< level-0 reads + writes, in bytes
  double mac_energy_pj = 0.0;
  double array_energy_pj = 0.0;
  double leakage_energy_pj = 0.0;  ///< every level's leakage_pj (in energy_pj)
  double energy_pj = 0.0;                     ///< levels + MACs + array + leakage

  bool feasible() const noexcept { return infeasibility == Infeasibility::None; }
};

/// Energy of one MAC on the architecture: mac_energy_pj, the cost of a MAC at
/// the architecture's word_bits, scaled to the widths the MACs see (the operands' and the
/// partial sums' widths at the innermost level holding each): a multiplier's energy grows
/// with the product of its operand widths, an adder's with its width (003 Sec. VII-A;
/// the split of docs/model.md Sec. 5). Exactly mac_energy_pj when every width is word_bits.
double mac_energy_per_mac_pj(const Architecture& arch) noexcept;

/// What evaluate() needs from (layer, architecture), computed once by prepare().
/// Holds copies, so it outlives its arguments.
struct PreparedProblem {
  Layer layer;
  Architecture arch;
  Projection projection;  ///< projection_of(layer)
  double mac_energy_pj = 0.0;  ///< mac_energy_per_mac_pj(arch)
  /// Per level and tensor slot: read_energy_pj, write_energy_pj and tensor_bytes of the
  /// architecture (looked up once here, not per evaluation).
  std::array<PerTensor<double>, kMaxLevels> read_pj{};
  std::array<PerTensor<double>, kMaxLevels> write_pj{};
  std::array<PerTensor<std::int64_t>, kMaxLevels> word_bytes{};
  /// One link of a tensor's chain (the levels holding it, outermost first, docs/model.md):
  /// a holding level and the next one below it, or the MACs (child = number of levels),
  /// with what the model asks of the pair.
  struct ChainLink {
    int parent, child;
    bool crosses_array;  ///< parent <= array.parent_level < child
    bool per_mac;        ///< into the MACs from a level below the array: each MAC its own tile
  };
  /// Per tensor slot: the links of its chain, outermost first (none if no level holds it).
  PerTensor<FixedVector<ChainLink, kMaxLevels>> links{};
  detail::ProjectionTables tables{};  ///< detail::projection_tables(layer, projection)
  /// Per level: leakage_mw of all its physical instances (every PE for a per-PE level),
  /// in pJ per cycle at the architecture's clock; `leaks`: some level's is above 0.
  std::array<double, kMaxLevels> leakage_pj_per_cycle{};
  /// Per level: some bandwidth of it is set (without one it needs no cycles).
  std::array<bool, kMaxLevels> bandwidth_limited{};
  bool leaks = false;
  /// min_fill_drain_per_fold(arch) and pes_hold_outputs(arch), for systolic timing.
  std::int64_t min_fill_drain_per_fold = 0;
  bool pes_hold_outputs = false;
  /// Each tensor's words whole (footprint_words over the bounds), the outermost level's
  /// tile in every mapping, and that level's footprint_bytes (dense).
  PerTensor<std::int64_t> whole_words{};
  std::int64_t whole_footprint_bytes = 0;
  std::int64_t macs = 0;      ///< macs(layer)
  std::int64_t pe_count = 0;  ///< pe_count(arch)
  /// Sparsity (docs/model.md Sec. 11): `sparse` when the layer's densities change a cost
  /// (sparsity_applies). `performed_fraction`: performed_mac_fraction; `gated[t]`: the
  /// MACs' accesses of t scale by it (every tensor but the checked operands, with zero
  /// handling); `skip_cycles`: the compute cycles do too; `stored_fraction[l][t]`:
  /// stored_word_fraction of t at level l.
  bool sparse = false;
  bool skip_cycles = false;
  double performed_fraction = 1.0;
  PerTensor<bool> gated{};
  std::array<PerTensor<double>, kMaxLevels> stored_fraction{};
};

/// The energy of tensor t's PE-to-PE transfers in `cost` (its share of array_energy_pj):
/// transfers x flat_energy_pj, or hops x hop_energy_pj (docs/model.md Sec. 5).
double array_energy_pj(const Architecture& arch, const CostResult& cost, TensorId t) noexcept;

/// One more array transfer of t at the mean hop distance of `cost`'s (0 if it has none).
double array_energy_per_transfer_pj(const Architecture& arch, const CostResult& cost, TensorId t) noexcept;

/// Everything `cost` charges to tensor t: its accesses at every level and its array
/// transfers (not the MACs, not leakage).
double tensor_energy_pj(const Architecture& arch, const CostResult& cost, TensorId t) noexcept;

/// Whether a PE can keep its outputs: some level below the array holds them. A systolic
/// array whose PEs cannot is weight- or input-stationary, whatever the mapping.
inline bool pes_hold_outputs(const Architecture& arch) noexcept {
  for (std::size_t l = static_cast<std::size_t>(arch.array.parent_level) + 1; l < arch.levels.size(); ++l) {
    if (holds_tensor(arch.levels[l], TensorId::Outputs)) return true;
  }
  return false;
}

/// The fill and drain a systolic array pays for every fold at least: rows + cols - 2, the
/// skew of a fold whose outputs stay in the PEs, and rows more when the PEs cannot keep
/// outputs (every fold then first shifts its stationary operand in). 0 for an ideal array
/// (docs/model.md Sec. 5).
inline std::int64_t min_fill_drain_per_fold(const Architecture& arch) noexcept {
  if (arch.array.timing != ArrayTiming::Systolic) return 0;
  return arch.array.rows + arch.array.cols - 2 + (pes_hold_outputs(arch) ? 0 : arch.array.rows);
}

/// A lower bound on the cycles of every mapping with these compute cycles and folds
/// (CostResult::folds) on an array whose folds pay at least `min_per_fold`
/// (min_fill_drain_per_fold): compute + folds x that, saturating at kMaxModelCycles as
/// evaluate() does (so never above what it reports).
constexpr std::int64_t cycles_floor(std::int64_t min_per_fold, std::int64_t compute_cycles, std::int64_t folds) noexcept {
  const std::int64_t fill = min_per_fold > 0 && folds > kMaxModelCycles / min_per_fold ? kMaxModelCycles : folds * min_per_fold;
  return fill > kMaxModelCycles - compute_cycles ? kMaxModelCycles : compute_cycles + fill;
}

/// Leakage of every physical instance of a level (one per PE below the array), in pJ per
/// cycle at the architecture's clock.
double leakage_pj_per_cycle(const Architecture& arch, int level) noexcept;

/// Cycles a level's bandwidth needs to move `words` spread over `instances` copies:
/// ceil(words / instances / bandwidth), forgiving a relative 1e-12 of rounding noise (3 /
/// 0.3 is 10.000000000000002 in doubles: 10 cycles, not 11); 0 for an unlimited bandwidth
/// (0); saturating at kMaxModelCycles (a tiny bandwidth can ask for more than an int64 holds).
std::int64_t bandwidth_cycles(std::int64_t words, std::int64_t instances, double bandwidth_words_per_cycle) noexcept;

/// Seconds that `cycles` take at the architecture's clock (0 for a clock of 0).
constexpr double seconds_of_cycles(const Architecture& arch, double cycles) noexcept {
  return arch.clock_mhz > 0.0 ? cycles / (arch.clock_mhz * 1e6) : 0.0;
}

/// Prepares a problem for repeated evaluation.
PreparedProblem prepare(const Layer& layer, const Architecture& arch);

/// Evaluates one mapping. Pure and allocation-free. The mapping must be structurally
/// legal (check_mapping_structure); capacity and array size are reported as
/// infeasibility in the result, not as errors.
[[nodiscard]] CostResult evaluate(const PreparedProblem& problem, const Mapping& mapping) noexcept;

/// evaluate() into `out`, which must come from a default CostResult or an earlier
/// evaluate_into (levels past num_levels are zero): only the levels this call or the
/// last one used are reset, not all kMaxLevels (a CostResult is a few kB; search loops
/// keep one per thread and save zeroing and copying it).
void evaluate_into(const PreparedProblem& problem, const Mapping& mapping, CostResult& out) noexcept;

}  // namespace dnnspace
