#include "dnnspace/search/training_search.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "dnnspace/core/checked.hpp"
#include "dnnspace/model/residency.hpp"

namespace dnnspace {
namespace {

// The slot a gradient pass reads a kept activation from: wgrad reads the first operand
// (slot Inputs), dgrad the second (slot Weights); the forward pass reads both.
TensorId kept_slot(Pass pass) noexcept { return pass == Pass::DataGradient ? TensorId::Weights : TensorId::Inputs; }

}  // namespace

Expected<TrainingSearch> search_training(const Network& network, const Architecture& arch,
                                         const MapperOptions& options, const TrainingOptions& training,
                                         const TrainingSearchHooks& hooks) {
  const std::size_t n = network.layers.size();
  const std::int64_t steps = training.time_steps;
  TrainingSearch out;
  for (NetworkTotals* t : {&out.pass_totals[0], &out.pass_totals[1], &out.pass_totals[2], &out.update_total, &out.total}) {
    t->level_energy_pj.assign(arch.levels.size(), 0.0);
  }
  out.layers.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    TrainingLayer& tl = out.layers[i];
    tl.name = network.layers[i].name;
    // Over several time steps the first layer's input carries the previous step's state,
    // whose gradient backprop through time needs: it is not the network's input then.
    tl.needs = layer_training(network.layers[i], i == 0 && steps == 1);
    tl.runs = {true, tl.needs.dgrad, tl.needs.wgrad};
  }

  // Where the kept activations live: on chip from the last layer backwards while they fit
  // in half of the residency level (the other half stays for tiles), else off chip.
  const int level = training.keep_on_chip ? residency_level(arch) : -1;
  out.residency_level = level;
  // Each kept operand at its own width in the level that holds it, over all time steps.
  const auto stored_bytes_at = [&](const TrainingLayer& tl, const StorageLevel& where) {
    std::int64_t bytes = 0;
    for (TensorId t : {TensorId::Inputs, TensorId::Weights}) {
      bytes = saturating_add(bytes, saturating_mul(saturating_mul(tl.needs.stored_words[t], steps),
                                                   tensor_bytes(arch, where, t)));
    }
    return bytes;
  };
  std::int64_t on_chip = 0;
  bool filling = level >= 0;
  for (std::size_t i = n; i-- > 0;) {
    TrainingLayer& tl = out.layers[i];
    if (tl.needs.stored_total() == 0) continue;
    if (filling) {
      const StorageLevel& home = arch.levels[static_cast<std::size_t>(level)];
      bool holds = true;
      for (TensorId t : {TensorId::Inputs, TensorId::Weights}) {
        holds = holds && (tl.needs.stored_words[t] == 0 || holds_tensor(home, t));
      }
      const std::int64_t bytes = stored_bytes_at(tl, home);
      if (holds && bytes <= home.capacity_bytes / 2 - on_chip) {
        tl.stored_level = level;
        tl.stored_bytes = bytes;
        on_chip += bytes;
        continue;
      }
      filling = false;  // a suffix: an earlier layer's activations live longer
    }
    tl.stored_bytes = stored_bytes_at(tl, arch.levels[0]);
  }
  // A pass runs while the kept activations of its layer and the earlier ones are held; over
  // several time steps every step's are held by the last step's forward pass and the first
  // backward passes, and one search serves all steps: all of them are reserved.
  std::int64_t live = 0;
  for (TrainingLayer& tl : out.layers) {
    if (tl.stored_level > 0) live += tl.stored_bytes;
    tl.reserved_bytes = steps > 1 ? on_chip : live;
  }

  // The passes: forward over the layers, then backward from the last; identical problems
  // (shape, pass, reservation, kept operand) are searched once.
  std::vector<std::pair<std::size_t, Pass>> order;
  for (std::size_t i = 0; i < n; ++i) order.emplace_back(i, Pass::Forward);
  for (std::size_t i = n; i-- > 0;) {
    for (Pass p : {Pass::DataGradient, Pass::WeightGradient}) {
      if (out.layers[i].runs[static_cast<std::size_t>(p)]) order.emplace_back(i, p);
    }
  }
  struct Searched {
    Layer shape;
    std::int64_t reserved;
    bool resident;
    std::size_t layer;
    Pass pass;
  };
  std::vector<Searched> searched;
  for (const auto& [i, pass] : order) {
    if (options.stop && options.stop->load()) {
      out.interrupted = true;
      break;
    }
    TrainingLayer& tl = out.layers[i];
    const Layer layer = with_pass(network.layers[i], pass);
    const TensorId slot = kept_slot(pass);
    // A gradient pass reads its kept operand from the level; the forward pass writes the copy.
    const bool resident = tl.stored_level > 0 && pass != Pass::Forward && tl.needs.stored_words[slot] > 0;
    LayerSearch& ls = tl.passes[static_cast<std::size_t>(pass)];
    tl.reached[static_cast<std::size_t>(pass)] = true;
    ls.name = layer.name;
    ls.batch = batch_size(layer);
    Layer shape = layer;
    shape.name.clear();
    bool reused = false;
    for (const Searched& s : searched) {
      const LayerSearch& earlier = out.layers[s.layer].passes[static_cast<std::size_t>(s.pass)];
      if (s.shape == shape && s.reserved == tl.reserved_bytes && s.resident == resident && !earlier.result.interrupted) {
        ls.result = earlier.result;
        ls.result.evaluated = 0;
        ls.same_search_as = earlier.name + " " + std::string(pass_name(s.pass));
        reused = true;
        break;
      }
    }
    if (hooks.before_pass) hooks.before_pass(i, layer);
    if (!reused) {
      Architecture a = arch;
      if (resident) {
        a = with_resident_tensor(std::move(a), level, slot, tl.reserved_bytes);
      } else if (tl.reserved_bytes > 0) {
        a.levels[static_cast<std::size_t>(level)].capacity_bytes -= tl.reserved_bytes;
      }
      ls.result = find_best_mapping(layer, a, options);
      if (ls.result.found && resident) {
        static_cast<void>(book_resident_accesses(ls.result.cost, level, slot, tensor_bytes(arch, arch.levels[0], slot)));
      }
      if (ls.result.found && pass == Pass::Forward && tl.stored_level > 0) {
        // The copy kept for backprop: every kept word written once into the level.
        for (TensorId t : {TensorId::Inputs, TensorId::Weights}) {
          if (tl.needs.stored_words[t] > 0) book_copy_writes(ls.result.cost, arch, level, t,
                                                                  tl.needs.stored_words[t]);
        }
      }
      searched.push_back({std::move(shape), tl.reserved_bytes, resident, i, pass});
    }
    if (hooks.after_pass) hooks.after_pass();
    if (ls.result.interrupted) out.interrupted = true;
  }
  if (options.stop && options.stop->load()) out.interrupted = true;

  // The updates, the sums and the footprint.
  const StorageLevel& outer = arch.levels[0];
  TrainingFootprint& f = out.footprint;
  for (std::size_t i = 0; i < n; ++i) {
    TrainingLayer& tl = out.layers[i];
    for (std::size_t p = 0; p < kTrainingPasses; ++p) {
      if (!tl.runs[p]) continue;
      const LayerSearch& ls = tl.passes[p];
      NetworkTotals& sum = out.pass_totals[p];
      sum.mappings_evaluated += ls.result.evaluated;
      if (ls.result.found) {
        add_to_totals(sum, ls.result.cost, steps);
        tl.energy_pj += ls.result.cost.energy_pj * static_cast<double>(steps);
        tl.cycles = saturating_add(tl.cycles, saturating_mul(ls.result.cost.cycles, steps));
        tl.offchip_bytes = saturating_add(tl.offchip_bytes, saturating_mul(ls.result.cost.offchip_bytes, steps));
        ++sum.layers_mapped;
        sum.layers_replicated += ls.result.replicated ? 1 : 0;
      } else if (tl.reached[p] && !ls.result.interrupted) {
        out.unmapped.push_back(tl.name + " " + std::string(pass_name(static_cast<Pass>(p))));
      }
    }
    if (tl.needs.parameters > 0) {
      Expected<WeightUpdate> update =
          weight_update_cost(arch, tl.needs.parameters, training.optimizer, tl.needs.parameter_slot);
      if (!update) return Error{"layer '" + tl.name + "': " + update.error().message};
      tl.update = std::move(*update);
      tl.energy_pj += tl.update.cost.energy_pj;
      tl.cycles = saturating_add(tl.cycles, tl.update.cost.cycles);
      tl.offchip_bytes = saturating_add(tl.offchip_bytes, tl.update.cost.offchip_bytes);
      add_to_totals(out.update_total, tl.update.cost, 1);
      ++out.update_total.layers_mapped;
      out.update_operations = saturating_add(out.update_operations, tl.update.operations);
    }
    const std::int64_t weight_bytes =
        saturating_mul(tl.needs.parameters, tensor_bytes(arch, outer, tl.needs.parameter_slot));
    f.parameter_bytes = saturating_add(f.parameter_bytes, weight_bytes);
    f.gradient_bytes = saturating_add(f.gradient_bytes, weight_bytes);
    f.optimizer_state_bytes =
        saturating_add(f.optimizer_state_bytes, saturating_mul(weight_bytes, optimizer_state_words(training.optimizer)));
    std::int64_t& kept = tl.stored_level > 0 ? f.stored_onchip_bytes : f.stored_offchip_bytes;
    kept = saturating_add(kept, tl.stored_bytes);
    const Layer forward = with_pass(network.layers[i], Pass::Forward);
    const std::int64_t in_flight =
        saturating_mul(saturating_add(tensor_size(forward, TensorId::Outputs), tl.needs.dgrad ? tensor_size(forward, TensorId::Inputs) : 0),
                tensor_bytes(arch, outer, TensorId::Outputs));
    f.gradient_in_flight_bytes = std::max(f.gradient_in_flight_bytes, in_flight);
  }
  for (std::int64_t part : {f.parameter_bytes, f.gradient_bytes, f.optimizer_state_bytes, f.stored_offchip_bytes,
                            f.stored_onchip_bytes, f.gradient_in_flight_bytes}) {
    f.total_bytes = saturating_add(f.total_bytes, part);
  }
  for (const NetworkTotals* part : {&out.pass_totals[0], &out.pass_totals[1], &out.pass_totals[2], &out.update_total}) {
    NetworkTotals& t = out.total;
    t.energy_pj += part->energy_pj;
    t.leakage_energy_pj += part->leakage_energy_pj;
    t.macs = saturating_add(t.macs, part->macs);
    t.cycles = saturating_add(t.cycles, part->cycles);
    t.offchip_bytes = saturating_add(t.offchip_bytes, part->offchip_bytes);
    t.mappings_evaluated += part->mappings_evaluated;
    for (std::size_t l = 0; l < t.level_energy_pj.size(); ++l) t.level_energy_pj[l] += part->level_energy_pj[l];
  }
  // A bounded outermost level must hold what the step keeps there.
  const std::int64_t outer_bytes = f.total_bytes - f.stored_onchip_bytes;
  if (outer.capacity_bytes > 0 && f.total_bytes != INT64_MAX && outer_bytes > outer.capacity_bytes) {
    return Error{"network '" + network.name + "': a training step holds " + std::to_string(outer_bytes) + " bytes in " +
                 outer.name + " (weights, gradients, optimizer state, kept activations), which holds " +
                 std::to_string(outer.capacity_bytes)};
  }
  // Counts past 64 bits would print as nonsense: say so instead.
  constexpr std::int64_t kSaturated = INT64_MAX;
  if (out.total.offchip_bytes == kSaturated || f.total_bytes == kSaturated) {
    return Error{"network '" + network.name + "': a training step of " + std::to_string(steps) +
                 " time step(s) moves or holds more than 2^63 - 1 bytes"};
  }
  return out;
}

}  // namespace dnnspace
