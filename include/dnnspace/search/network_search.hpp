// The best mapping of every layer of a network, with totals and 003 Table V metrics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/workload/network.hpp"

namespace dnnspace {

/// One layer of a network search.
struct LayerSearch {
  std::string name;
  std::int64_t batch = 1;       ///< the layer's N
  MapperResult result;
  /// The earlier layer of the same shape whose search this one reuses (ResNet's repeated
  /// blocks); empty when this layer was searched. A reused result has evaluated = 0.
  std::string same_search_as;
};

/// The mapped layers' sums. A layer without a mapping is in no sum: `unmapped` names it.
struct NetworkTotals {
  double energy_pj = 0.0;
  std::int64_t macs = 0;
  std::int64_t cycles = 0;          ///< layers run one after another
  std::int64_t offchip_bytes = 0;
  std::int64_t mappings_evaluated = 0;
  std::vector<double> level_energy_pj;  ///< per storage level (dynamic)
  double leakage_energy_pj = 0.0;       ///< in energy_pj
  int layers_mapped = 0;
  int layers_replicated = 0;        ///< mapped with a replicated extension of the dataflow
};

/// Adds `times` runs of one mapped cost to a sum: energies, MACs, cycles (saturating at
/// 2^63 - 1 rather than wrapping), off-chip bytes and each level's energy. The counters
/// (layers_mapped, mappings_evaluated, ...) are the caller's.
void add_to_totals(NetworkTotals& sum, const CostResult& cost, std::int64_t times = 1) noexcept;

/// 003 Table V's metrics of one run of the network, per inference where it says so. With
/// layers of different batch sizes, each layer's traffic and time count per inference of
/// its own batch: offchip_bytes_per_inference = sum(offchip / N), and the throughput is
/// one inference per sum(cycles / N) cycles.
struct TableVMetrics {
  double latency_s = 0.0;                    ///< the whole run (all mapped layers, one after another)
  double throughput_inferences_per_s = 0.0;
  double offchip_bytes_per_inference = 0.0;
  std::int64_t onchip_memory_bytes = 0;      ///< every level below the outermost, times its copies
  double area_mm2 = 0.0;                     ///< area_mm2(arch)
  std::int64_t pes = 0;
  int bits_per_operand = 0;
};

/// A boundary between consecutive layers, when the search may keep the tensor between them
/// on chip (search_network_fused).
struct LayerBoundary {
  std::string from;
  std::string to;
  bool connected = false;            ///< feeds(from, to), and the level holds both tensors
  bool fits = false;                 ///< the producer's output and the consumer's input each fit the level
  bool resident = false;             ///< the search keeps it in the residency level
  std::int64_t tensor_bytes = 0;     ///< the producer's output at that level's width
  std::int64_t dram_bytes_saved = 0; ///< off-chip bytes its producer and consumer no longer move
};

/// The result of search_network.
struct NetworkSearch {
  std::vector<LayerSearch> layers;  ///< one per layer reached, in network order
  NetworkTotals total;
  TableVMetrics metrics;
  std::vector<std::string> unmapped;  ///< layers reached without a mapping (not interrupted ones)
  bool interrupted = false;           ///< options.stop was set: later layers were not reached
  std::size_t network_layers = 0;
  /// search_network_fused: one per pair of consecutive layers; empty otherwise.
  std::vector<LayerBoundary> boundaries;
  int residency_level = -1;           ///< the level tensors may stay in, or -1

  /// Every layer of the network has a mapping and nothing was interrupted: the totals
  /// are the network's.
  bool complete() const noexcept {
    return !interrupted && static_cast<std::size_t>(total.layers_mapped) == network_layers;
  }
};

/// Called before and after each layer's search (for progress displays): the layer's
/// index and whether it is searched (false when an earlier identical layer is reused).
/// `known` and `searched` serve checkpoints (docs/distributed.md): a result `known` gives
/// for a layer is taken instead of searching it (a finished search of an earlier run of
/// the same command); `searched` sees every layer search that finished uninterrupted.
struct NetworkSearchHooks {
  std::function<void(std::size_t index, const Layer& layer, bool searched)> before_layer;
  std::function<void(std::size_t index)> after_layer;
  std::function<std::optional<MapperResult>(std::size_t index, const Layer& layer)> known;
  std::function<void(std::size_t index, const MapperResult& result)> searched;
};

/// Runs find_best_mapping on every layer of `network` on `arch`, searching each distinct
/// layer shape once, and sums the mapped layers. `options.stop` stops it (the layers
/// reached keep their best-so-far results, `interrupted` is set).
NetworkSearch search_network(const Network& network, const Architecture& arch, const MapperOptions& options,
                             const NetworkSearchHooks& hooks = {});

/// The level search_network_fused keeps tensors in: the outermost on-chip level if it is
/// shared (at or above the one feeding the array) and bounded, else -1.
int residency_level(const Architecture& arch) noexcept;

/// Whether search_network_fused can keep tensors on chip in `arch`: an error naming the
/// architecture when residency_level is -1.
[[nodiscard]] Expected<void> check_fusable(const Architecture& arch);

/// search_network, choosing per boundary whether the tensor between two consecutive layers
/// stays resident in residency_level(arch) (docs/search.md, "Keeping tensors on chip"):
/// each layer is searched for each residency of its input and output (the level keeps
/// their bytes, the rest holds tiles) and the choices of all boundaries minimize the sum of
/// the layers' objectives. The plain per-layer choice is one of them, so the result is
/// never worse than search_network's.
NetworkSearch search_network_fused(const Network& network, const Architecture& arch, const MapperOptions& options,
                                   const NetworkSearchHooks& hooks = {});

}  // namespace dnnspace
