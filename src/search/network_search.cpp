#include "dnnspace/search/network_search.hpp"

#include <limits>
#include <optional>
#include <utility>

#include "dnnspace/arch/area.hpp"
#include "dnnspace/core/checked.hpp"

namespace dnnspace {
namespace {

// Bytes of every level below the outermost, times its copies (the per-PE levels have one
// per PE). Saturates rather than wraps: a sweep may describe absurdly large memories.
std::int64_t onchip_memory_bytes(const Architecture& arch) {
  std::optional<std::int64_t> total = 0;
  for (std::size_t l = 1; l < arch.levels.size() && total; ++l) {
    const std::int64_t copies = static_cast<int>(l) > arch.array.parent_level ? pe_count(arch) : 1;
    const auto bytes = checked_mul(arch.levels[l].capacity_bytes, copies);
    total = bytes ? checked_add(*total, *bytes) : std::nullopt;
  }
  return total ? *total : std::numeric_limits<std::int64_t>::max();
}

TableVMetrics table_v_metrics(const Architecture& arch, const std::vector<LayerSearch>& layers,
                              const NetworkTotals& total) {
  TableVMetrics m;
  m.latency_s = seconds_of_cycles(arch, static_cast<double>(total.cycles));
  // One batch size: N inferences in the run. Otherwise each layer's share per inference.
  bool one_batch = true;
  for (const LayerSearch& l : layers) one_batch = one_batch && l.batch == layers.front().batch;
  if (one_batch && !layers.empty()) {
    const auto n = static_cast<double>(layers.front().batch);
    m.throughput_inferences_per_s = m.latency_s > 0.0 ? n / m.latency_s : 0.0;
    m.offchip_bytes_per_inference = static_cast<double>(total.offchip_bytes) / n;
  } else {
    double cycles_per_inference = 0.0;
    for (const LayerSearch& l : layers) {
      if (!l.result.found) continue;
      const auto n = static_cast<double>(l.batch);
      cycles_per_inference += static_cast<double>(l.result.cost.cycles) / n;
      m.offchip_bytes_per_inference += static_cast<double>(l.result.cost.offchip_bytes) / n;
    }
    const double seconds_per_inference = seconds_of_cycles(arch, cycles_per_inference);
    m.throughput_inferences_per_s = seconds_per_inference > 0.0 ? 1.0 / seconds_per_inference : 0.0;
  }
  m.onchip_memory_bytes = onchip_memory_bytes(arch);
  m.area_mm2 = area_mm2(arch);
  m.pes = pe_count(arch);
  m.bits_per_operand = arch.word_bits;
  return m;
}

}  // namespace

NetworkSearch search_network(const Network& network, const Architecture& arch, const MapperOptions& options,
                             const NetworkSearchHooks& hooks) {
  NetworkSearch out;
  out.network_layers = network.layers.size();
  out.total.level_energy_pj.assign(arch.levels.size(), 0.0);
  std::vector<std::pair<Layer, std::size_t>> searched;  // distinct shapes (name cleared), index in out.layers
  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    if (options.stop && options.stop->load()) {
      out.interrupted = true;
      break;
    }
    const Layer& layer = network.layers[i];
    LayerSearch ls{layer.name, batch_size(layer), {}, {}};
    // Layers of one shape have the same best mapping (the mapper is deterministic).
    Layer shape = layer;
    shape.name.clear();
    for (const auto& [earlier_shape, index] : searched) {
      const MapperResult& earlier = out.layers[index].result;
      if (earlier_shape == shape && !earlier.interrupted) {
        ls.result = earlier;
        ls.result.evaluated = 0;
        ls.same_search_as = out.layers[index].name;
        break;
      }
    }
    const bool search = ls.same_search_as.empty();
    if (hooks.before_layer) hooks.before_layer(i, layer, search);
    if (search) {
      ls.result = find_best_mapping(layer, arch, options);
      searched.emplace_back(std::move(shape), out.layers.size());
    }
    if (hooks.after_layer) hooks.after_layer(i);

    const MapperResult& r = ls.result;
    out.interrupted = out.interrupted || r.interrupted;
    out.total.mappings_evaluated += r.evaluated;
    if (r.found) {
      ++out.total.layers_mapped;
      out.total.layers_replicated += r.replicated ? 1 : 0;
      out.total.energy_pj += r.cost.energy_pj;
      out.total.leakage_energy_pj += r.cost.leakage_energy_pj;
      out.total.macs += r.cost.macs;
      out.total.cycles += r.cost.cycles;
      out.total.offchip_bytes += r.cost.offchip_bytes;
      for (std::size_t l = 0; l < arch.levels.size(); ++l) out.total.level_energy_pj[l] += r.cost.levels[l].energy_total_pj;
    } else {
      out.unmapped.push_back(layer.name);
    }
    out.layers.push_back(std::move(ls));
  }
  if (options.stop && options.stop->load()) out.interrupted = true;
  out.metrics = table_v_metrics(arch, out.layers, out.total);
  return out;
}

}  // namespace dnnspace
