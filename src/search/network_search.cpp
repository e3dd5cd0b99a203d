#include "dnnspace/search/network_search.hpp"

#include <array>
#include <limits>
#include <string>
#include <tuple>
#include <optional>
#include <utility>

#include "dnnspace/arch/area.hpp"
#include "dnnspace/core/checked.hpp"
#include "dnnspace/model/residency.hpp"

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

// Appends a layer's search and adds it to the totals.
void add_layer(NetworkSearch& out, const Layer& layer, LayerSearch ls) {
  const MapperResult& r = ls.result;
  out.interrupted = out.interrupted || r.interrupted;
  out.total.mappings_evaluated += r.evaluated;
  if (r.found) {
    ++out.total.layers_mapped;
    out.total.layers_replicated += r.replicated ? 1 : 0;
    add_to_totals(out.total, r.cost);
  } else {
    out.unmapped.push_back(layer.name);
  }
  out.layers.push_back(std::move(ls));
}

}  // namespace

void add_to_totals(NetworkTotals& sum, const CostResult& c, std::int64_t times) noexcept {
  const auto n = static_cast<double>(times);
  sum.energy_pj += c.energy_pj * n;
  sum.leakage_energy_pj += c.leakage_energy_pj * n;
  sum.macs = saturating_add(sum.macs, saturating_mul(c.macs, times));
  sum.cycles = saturating_add(sum.cycles, saturating_mul(c.cycles, times));
  sum.offchip_bytes = saturating_add(sum.offchip_bytes, saturating_mul(c.offchip_bytes, times));
  for (std::size_t l = 0; l < sum.level_energy_pj.size(); ++l) sum.level_energy_pj[l] += c.levels[l].energy_total_pj * n;
}

NetworkSearch search_network(const Network& network, const Architecture& arch, const MapperOptions& options,
                             const NetworkSearchHooks& hooks) {
  NetworkSearch out;
  out.network_layers = network.layers.size();
  out.total.level_energy_pj.assign(arch.levels.size(), 0.0);
  std::vector<std::pair<Layer, std::size_t>> searched;  // distinct shapes (name cleared), index in out.layers
  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    if (stop_requested(options)) {  // split over processes: all agree, at the same layer
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
      std::optional<MapperResult> known = hooks.known ? hooks.known(i, layer) : std::nullopt;
      if (known) {
        ls.result = std::move(*known);
      } else {
        ls.result = find_best_mapping(layer, arch, options);
        if (hooks.searched && !ls.result.interrupted) hooks.searched(i, ls.result);
      }
      searched.emplace_back(std::move(shape), out.layers.size());
    }
    if (hooks.after_layer) hooks.after_layer(i);

    add_layer(out, layer, std::move(ls));
  }
  if (stop_requested(options)) out.interrupted = true;
  out.metrics = table_v_metrics(arch, out.layers, out.total);
  return out;
}

int residency_level(const Architecture& arch) noexcept {
  if (arch.levels.size() < 2 || arch.array.parent_level < 1 || arch.levels[1].capacity_bytes <= 0) return -1;
  const StorageLevel& level = arch.levels[1];
  if (!holds_tensor(level, TensorId::Inputs) || !holds_tensor(level, TensorId::Outputs)) return -1;
  return 1;
}

Expected<void> check_fusable(const Architecture& arch) {
  if (residency_level(arch) >= 0) return {};
  return Error{"--fuse: architecture '" + arch.name +
               "' has no shared on-chip level with a capacity below the outermost to keep tensors in"};
}

NetworkSearch search_network_fused(const Network& network, const Architecture& arch, const MapperOptions& options,
                                   const NetworkSearchHooks& hooks) {
  const int level = residency_level(arch);
  if (level < 0) return search_network(network, arch, options, hooks);
  const std::size_t n = network.layers.size();
  const StorageLevel& home = arch.levels[static_cast<std::size_t>(level)];
  NetworkSearch out;
  out.network_layers = n;
  out.residency_level = level;
  out.total.level_energy_pj.assign(arch.levels.size(), 0.0);

  // The boundaries, and the bytes each resident tensor keeps in the level during the
  // producer (its output) and during the consumer (its padded input).
  std::vector<std::int64_t> out_bytes(n, 0), in_bytes(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const Layer& l = network.layers[i];
    const auto bytes = [&](TensorId t) {
      const std::optional<std::int64_t> b = checked_mul(tensor_size(l, t), tensor_bytes(arch, home, t));
      return b ? *b : std::numeric_limits<std::int64_t>::max();
    };
    out_bytes[i] = bytes(TensorId::Outputs);
    in_bytes[i] = bytes(TensorId::Inputs);
  }
  for (std::size_t i = 0; i + 1 < n; ++i) {
    LayerBoundary b;
    b.from = network.layers[i].name;
    b.to = network.layers[i + 1].name;
    b.connected = i < network.sole_reader.size() && network.sole_reader[i] &&
                  feeds(network.layers[i], network.layers[i + 1]) && holds_tensor(home, TensorId::Outputs) &&
                  holds_tensor(home, TensorId::Inputs);
    b.fits = out_bytes[i] < home.capacity_bytes && in_bytes[i + 1] < home.capacity_bytes;
    b.tensor_bytes = out_bytes[i];
    out.boundaries.push_back(b);
  }

  // Every layer under each residency of its input (r & 1) and output (r & 2) that its
  // boundaries allow; layers of one shape and residency are searched once.
  struct Variant {
    MapperResult result;
    std::int64_t saved_in = 0, saved_out = 0;  // off-chip bytes of its input, output booked to the level
    bool searched = false;
    std::string same_search_as;
  };
  std::vector<std::array<Variant, 4>> variants(n);
  std::vector<std::tuple<Layer, int, std::size_t>> searched;
  for (std::size_t i = 0; i < n && !out.interrupted; ++i) {
    const Layer& layer = network.layers[i];
    if (hooks.before_layer) hooks.before_layer(i, layer, true);
    for (int r = 0; r < 4; ++r) {
      const bool in = (r & 1) != 0, res_out = (r & 2) != 0;
      const auto open = [&](std::size_t b) { return out.boundaries[b].connected && out.boundaries[b].fits; };
      if ((in && (i == 0 || !open(i - 1))) || (res_out && (i + 1 == n || !open(i)))) {
        continue;
      }
      const std::int64_t reserved = (in ? in_bytes[i] : 0) + (res_out ? out_bytes[i] : 0);
      if (reserved >= home.capacity_bytes) continue;
      Variant& v = variants[i][static_cast<std::size_t>(r)];
      v.searched = true;
      Layer shape = layer;
      shape.name.clear();
      bool reused = false;
      for (const auto& [earlier_shape, earlier_r, index] : searched) {
        if (earlier_shape == shape && earlier_r == r && !variants[index][static_cast<std::size_t>(r)].result.interrupted) {
          v = variants[index][static_cast<std::size_t>(r)];
          v.result.evaluated = 0;
          v.same_search_as = network.layers[index].name;
          reused = true;
          break;
        }
      }
      if (reused) continue;
      Architecture a = arch;
      if (in) a = with_resident_tensor(std::move(a), level, TensorId::Inputs, in_bytes[i]);
      if (res_out) a = with_resident_tensor(std::move(a), level, TensorId::Outputs, out_bytes[i]);
      v.result = find_best_mapping(layer, a, options);
      if (v.result.found && in) {
        v.saved_in = book_resident_accesses(v.result.cost, level, TensorId::Inputs,
                                            tensor_bytes(arch, arch.levels[0], TensorId::Inputs));
      }
      if (v.result.found && res_out) {
        v.saved_out = book_resident_accesses(v.result.cost, level, TensorId::Outputs,
                                             tensor_bytes(arch, arch.levels[0], TensorId::Outputs));
      }
      searched.emplace_back(std::move(shape), r, i);
      if (v.result.interrupted) out.interrupted = true;
    }
    if (hooks.after_layer) hooks.after_layer(i);
  }
  if (options.stop && options.stop->load()) out.interrupted = true;
  std::int64_t variants_evaluated = 0;  // every residency searched, not only the chosen ones
  for (const auto& layer_variants : variants) {
    for (const Variant& v : layer_variants) variants_evaluated += v.searched ? v.result.evaluated : 0;
  }

  // The residencies of all boundaries: the fewest summed objective, boundary by boundary.
  const double inf = std::numeric_limits<double>::infinity();
  const auto value = [&](std::size_t i, int r) {
    const Variant& v = variants[i][static_cast<std::size_t>(r)];
    return v.searched && v.result.found ? v.result.objective_value : inf;
  };
  // best[i][s]: the least sum over layers 0..i-1 with boundary i-1 resident (s = 1) or not.
  std::vector<std::array<double, 2>> best(n + 1, {inf, inf});
  std::vector<std::array<int, 2>> from(n + 1, {0, 0});
  best[0] = {0.0, inf};
  for (std::size_t i = 0; i < n; ++i) {
    for (int s_in = 0; s_in < 2; ++s_in) {
      if (best[i][static_cast<std::size_t>(s_in)] == inf) continue;
      for (int s_out = 0; s_out < 2; ++s_out) {
        const double v = value(i, s_in | (s_out << 1));
        if (v == inf) continue;
        const double total = best[i][static_cast<std::size_t>(s_in)] + v;
        if (total < best[i + 1][static_cast<std::size_t>(s_out)]) {
          best[i + 1][static_cast<std::size_t>(s_out)] = total;
          from[i + 1][static_cast<std::size_t>(s_out)] = s_in;
        }
      }
    }
  }
  std::vector<int> choice(n, 0);  // each layer's residency r
  if (best[n][0] < inf) {
    int s = 0;
    for (std::size_t i = n; i-- > 0;) {
      const int s_in = from[i + 1][static_cast<std::size_t>(s)];
      choice[i] = s_in | (s << 1);
      s = s_in;
    }
  }
  // Without any mapping of some layer, the per-layer results stand (r = 0), unmapped named.
  for (std::size_t i = 0; i < n; ++i) {
    const Layer& layer = network.layers[i];
    Variant& v = variants[i][static_cast<std::size_t>(choice[i])];
    if (!v.searched) continue;  // not reached (interrupted)
    LayerSearch ls{layer.name, batch_size(layer), v.result, v.same_search_as};
    if (i > 0 && (choice[i] & 1)) out.boundaries[i - 1].resident = true;
    add_layer(out, layer, std::move(ls));
  }
  // Each boundary's saving: its producer's output traffic plus its consumer's input traffic,
  // as booked to the level.
  for (std::size_t i = 0; i + 1 < n; ++i) {
    LayerBoundary& b = out.boundaries[i];
    if (!b.resident) continue;
    const Variant& producer = variants[i][static_cast<std::size_t>(choice[i])];
    const Variant& consumer = variants[i + 1][static_cast<std::size_t>(choice[i + 1])];
    b.dram_bytes_saved = producer.saved_out + consumer.saved_in;
  }
  out.total.mappings_evaluated = variants_evaluated;
  out.metrics = table_v_metrics(arch, out.layers, out.total);
  return out;
}

}  // namespace dnnspace
