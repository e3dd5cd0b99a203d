// The cost of one training step of a network (docs/search.md, "Training"): every layer's
// forward, data-gradient and weight-gradient passes each optimally mapped on the same
// hardware, the optimizer's update, and the activations kept for backpropagation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/model/weight_update.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/search/network_search.hpp"
#include "dnnspace/workload/network.hpp"
#include "dnnspace/workload/training.hpp"

namespace dnnspace {

struct TrainingOptions {
  Optimizer optimizer = Optimizer::Sgd;
  /// Backpropagation through time: the network is one time step and a training step runs
  /// its passes for this many steps, keeping every step's activations; one update.
  std::int64_t time_steps = 1;
  /// false: every kept activation lives in the outermost level (DRAM), none on chip.
  bool keep_on_chip = true;
};

/// The three passes, in the order Pass numbers them (forward, dgrad, wgrad).
inline constexpr std::size_t kTrainingPasses = 3;

/// One layer of a training step. Pass costs are per time step.
struct TrainingLayer {
  std::string name;
  LayerTraining needs;
  /// Indexed by Pass; `runs[p]`: the pass is part of the step (forward always).
  std::array<bool, kTrainingPasses> runs{};
  /// The pass was searched (false for the passes an interruption left unreached).
  std::array<bool, kTrainingPasses> reached{};
  std::array<LayerSearch, kTrainingPasses> passes;
  WeightUpdate update;  ///< parameters 0: the layer has none to update
  /// Bytes of the activations kept for its gradient passes, over all time steps, and the
  /// level holding them (0: the outermost; else the residency level, docs/search.md).
  std::int64_t stored_bytes = 0;
  int stored_level = 0;
  /// Bytes of the kept activations of this and every earlier layer on chip: the passes of
  /// this layer ran with that much less of the residency level for their tiles.
  std::int64_t reserved_bytes = 0;
  /// The layer's share of the step: its mapped passes over all time steps and its update.
  double energy_pj = 0.0;
  std::int64_t cycles = 0;
  std::int64_t offchip_bytes = 0;
};

/// What a training step holds at its peak (the end of the forward pass), in bytes at the
/// widths of the level each lives in.
struct TrainingFootprint {
  std::int64_t parameter_bytes = 0;        ///< the weights, in the outermost level
  std::int64_t gradient_bytes = 0;         ///< their gradients, as many
  std::int64_t optimizer_state_bytes = 0;  ///< optimizer_state_words per parameter
  std::int64_t stored_offchip_bytes = 0;   ///< kept activations in the outermost level
  std::int64_t stored_onchip_bytes = 0;    ///< kept activations in the residency level
  /// The largest output gradient plus input gradient of one layer: the backward pass's
  /// working tensors, live one layer at a time.
  std::int64_t gradient_in_flight_bytes = 0;
  std::int64_t total_bytes = 0;            ///< the sum (saturating)
};

struct TrainingSearch {
  std::vector<TrainingLayer> layers;  ///< one per layer of the network
  /// Sums of each part over the layers and time steps: forward, dgrad, wgrad (Pass
  /// order), and the updates (their macs stay 0: see update_operations).
  std::array<NetworkTotals, kTrainingPasses> pass_totals;
  NetworkTotals update_total;
  std::int64_t update_operations = 0;
  NetworkTotals total;                ///< the whole step
  TrainingFootprint footprint;
  int residency_level = -1;           ///< where kept activations may live on chip, or -1
  std::vector<std::string> unmapped;  ///< "layer pass" for every pass without a mapping
  bool interrupted = false;

  bool complete() const noexcept { return !interrupted && unmapped.empty(); }
};

/// Called before and after each pass's search (for progress displays).
struct TrainingSearchHooks {
  std::function<void(std::size_t index, const Layer& pass)> before_pass;
  std::function<void()> after_pass;
};

/// Searches every pass of every layer (forward first, then the backward passes from the
/// last layer to the first) with find_best_mapping, costs the updates (weight_update_cost)
/// and places the kept activations: on chip in residency_level(arch), from the last layer
/// backwards (the shortest-lived first), while they fit in half of it; else in the
/// outermost level. The network must pass check_trainable and set_batch.
/// `options.stop` stops it (passes reached keep their best so far; `interrupted`).
/// Errors: an update's counts, or the step's off-chip bytes or memory, past 2^63 - 1; a
/// bounded outermost level smaller than what the step keeps in it.
Expected<TrainingSearch> search_training(const Network& network, const Architecture& arch,
                                         const MapperOptions& options, const TrainingOptions& training,
                                         const TrainingSearchHooks& hooks = {});

}  // namespace dnnspace
