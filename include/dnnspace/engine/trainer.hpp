// Trainer: mini-batch SGD with momentum on softmax cross-entropy, deterministic for a seed
// (software training, the baseline of 002's training accelerator).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "dnnspace/engine/dataset.hpp"
#include "dnnspace/engine/lut_sigmoid.hpp"
#include "dnnspace/engine/sequential.hpp"

namespace dnnspace::engine {

/// Hyper-parameters. The update is PyTorch's SGD: v = momentum * v + g, w -= learning_rate * v,
/// with g the mean gradient over the batch.
struct TrainOptions {
  std::int64_t batch = 64;        ///< samples per step (the last batch of an epoch may be smaller)
  float learning_rate = 0.1F;
  float momentum = 0.0F;
  std::uint64_t seed = 1;         ///< the batch order; the initial weights come from make_network's seed
  int threads = 1;                ///< worker threads; results do not depend on it
  /// When set, the forward passes read sigmoids from this table (Workspace::sigmoid_lut);
  /// it must outlive the trainer.
  const LutSigmoid* sigmoid_lut = nullptr;
  /// Penalties on the weights (not the biases), as Keras's kernel regularizers that Minerva's
  /// stage 1 sweeps (001 Sec. 4.3): the loss gains l1 * sum|w| + l2 * sum w^2, so each step's
  /// gradient gains l1 * sign(w) + 2 * l2 * w. 0 = none.
  float l1 = 0.0F;
  float l2 = 0.0F;
};

/// What one epoch did.
struct EpochStats {
  std::int64_t epoch = 0;          ///< 1-based
  double loss = 0.0;               ///< mean cross-entropy over the samples trained on (nats)
  double train_accuracy = 0.0;     ///< share of those samples classified right before their step
  std::int64_t samples = 0;        ///< samples trained on (fewer than the dataset if stopped)
  bool interrupted = false;        ///< should_stop returned true after some batch
};

/// Trains a network in place. Each epoch visits the training set in a fresh random order
/// (SplitMix64 from options.seed, Fisher-Yates). A batch is cut into fixed chunks of 32
/// samples whose gradients are computed in parallel and summed in chunk order, so a run is
/// bit-identical for a given seed whatever the thread count.
class Trainer {
 public:
  /// `net` must outlive the trainer. Options must be positive (batch >= 1, threads >= 1;
  /// assert).
  Trainer(Sequential& net, const TrainOptions& options);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// One epoch over `train` (labels < classes, images matching the network input; assert).
  /// `should_stop` (optional) is asked after every batch; `on_batch` (optional) is told the
  /// samples done so far and the epoch's total.
  EpochStats train_epoch(const Dataset& train, const std::function<bool()>& should_stop = {},
                         const std::function<void(std::int64_t, std::int64_t)>& on_batch = {});

  /// One SGD step on `rows` samples at `inputs` with `labels`; returns the loss sum and correct
  /// count (for benchmarks and tests that feed their own batches).
  struct StepResult {
    double loss_sum = 0.0;
    std::int64_t correct = 0;
  };
  StepResult step(const float* inputs, const std::int32_t* labels, std::int64_t rows);

 private:
  struct State;
  Sequential* net_;
  TrainOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace dnnspace::engine
