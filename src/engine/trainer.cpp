#include "dnnspace/engine/trainer.hpp"

#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cassert>
#include <numeric>
#include <vector>

#include "dnnspace/engine/backprop.hpp"
#include "dnnspace/engine/rng.hpp"

namespace dnnspace::engine {
namespace {
// Fixed chunk size: the gradient sum's order depends on it, never on the thread count.
constexpr std::int64_t kChunkRows = 32;
// Separates the batch-order stream from the weight-initialisation stream of the same seed.
constexpr std::uint64_t kShuffleStream = 0x5DEECE66DULL;
}  // namespace

struct Trainer::State {
  explicit State(int threads, std::uint64_t seed) : arena(threads), rng(seed ^ kShuffleStream) {}
  tbb::task_arena arena;
  SplitMix64 rng;
  std::int64_t epoch = 0;
  std::vector<Workspace> chunks;
  std::vector<LossResult> chunk_results;
  std::vector<std::vector<float>> velocity;
  std::vector<bool> is_weight;  // per parameter: a weight (penalized), not a bias
  std::vector<std::int64_t> order;
  std::vector<float> batch_inputs;
  std::vector<std::int32_t> batch_labels;
};

Trainer::Trainer(Sequential& net, const TrainOptions& options)
    : net_(&net), options_(options), state_(std::make_unique<State>(std::max(options.threads, 1), options.seed)) {
  assert(options.batch >= 1 && options.threads >= 1 && "Trainer: batch and threads must be >= 1");
  for (const Parameter& p : net.parameters) state_->velocity.emplace_back(static_cast<std::size_t>(p.value.size()), 0.0F);
  state_->is_weight.assign(net.parameters.size(), false);
  for (const std::int64_t wi : net.weight_index) {
    if (wi >= 0) state_->is_weight[static_cast<std::size_t>(wi)] = true;  // wi + 1 is the bias
  }
}

Trainer::~Trainer() = default;

Trainer::StepResult Trainer::step(const float* inputs, const std::int32_t* labels, std::int64_t rows) {
  State& s = *state_;
  const Sequential& net = *net_;
  const std::int64_t features = net.features(0);
  const std::int64_t chunks = (rows + kChunkRows - 1) / kChunkRows;
  if (static_cast<std::int64_t>(s.chunks.size()) < chunks) {
    s.chunks.resize(static_cast<std::size_t>(chunks));
    s.chunk_results.resize(static_cast<std::size_t>(chunks));
  }
  const float grad_scale = 1.0F / static_cast<float>(rows);
  auto run_chunk = [&](std::int64_t c) {
    const std::int64_t first = c * kChunkRows;
    const std::int64_t count = std::min(kChunkRows, rows - first);
    Workspace& ws = s.chunks[static_cast<std::size_t>(c)];
    ws.sigmoid_lut = options_.sigmoid_lut;
    (void)forward(net, inputs + first * features, count, ws);
    s.chunk_results[static_cast<std::size_t>(c)] = backward(net, inputs + first * features, labels + first, count, grad_scale, ws);
  };
  if (chunks == 1 || options_.threads <= 1) {
    for (std::int64_t c = 0; c < chunks; ++c) run_chunk(c);
  } else {
    s.arena.execute([&] {
      tbb::parallel_for(std::int64_t{0}, chunks, [&](std::int64_t c) { run_chunk(c); }, tbb::static_partitioner());
    });
  }
  StepResult result;
  for (std::int64_t c = 0; c < chunks; ++c) {
    result.loss_sum += s.chunk_results[static_cast<std::size_t>(c)].loss_sum;
    result.correct += s.chunk_results[static_cast<std::size_t>(c)].correct;
  }
  // Sum the chunk gradients in chunk order, then v = mu v + g, w -= lr v (PyTorch's SGD).
  const float lr = options_.learning_rate;
  const float mu = options_.momentum;
  auto update = [&](std::size_t p) {
    std::vector<float>& g = s.chunks[0].parameter_grads[p];
    const auto n = static_cast<std::size_t>(net_->parameters[p].value.size());
    for (std::int64_t c = 1; c < chunks; ++c) {
      const std::vector<float>& other = s.chunks[static_cast<std::size_t>(c)].parameter_grads[p];
      for (std::size_t i = 0; i < n; ++i) g[i] += other[i];
    }
    float* w = net_->parameters[p].value.data().data();
    float* v = s.velocity[p].data();
    if (s.is_weight[p] && (options_.l1 != 0.0F || options_.l2 != 0.0F)) {
      const float l1 = options_.l1, two_l2 = 2.0F * options_.l2;
      for (std::size_t i = 0; i < n; ++i) {
        const float sign = w[i] > 0.0F ? 1.0F : w[i] < 0.0F ? -1.0F : 0.0F;
        g[i] += l1 * sign + two_l2 * w[i];
      }
    }
    if (mu == 0.0F) {
      for (std::size_t i = 0; i < n; ++i) w[i] -= lr * g[i];
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        v[i] = mu * v[i] + g[i];
        w[i] -= lr * v[i];
      }
    }
  };
  for (std::size_t p = 0; p < net_->parameters.size(); ++p) update(p);
  return result;
}

EpochStats Trainer::train_epoch(const Dataset& train, const std::function<bool()>& should_stop,
                                const std::function<void(std::int64_t, std::int64_t)>& on_batch) {
  State& s = *state_;
  const std::int64_t n = train.size();
  const std::int64_t features = net_->features(0);
  assert(train.images.size() == n * features && "train_epoch: images do not match the network input");
  s.order.resize(static_cast<std::size_t>(n));
  std::iota(s.order.begin(), s.order.end(), std::int64_t{0});
  for (std::int64_t i = n - 1; i > 0; --i) {  // Fisher-Yates with the portable generator
    const auto j = static_cast<std::int64_t>(s.rng.below(static_cast<std::uint64_t>(i + 1)));
    std::swap(s.order[static_cast<std::size_t>(i)], s.order[static_cast<std::size_t>(j)]);
  }
  EpochStats stats;
  stats.epoch = ++s.epoch;
  double loss_sum = 0.0;
  std::int64_t correct = 0;
  const float* pixels = train.images.data().data();
  for (std::int64_t start = 0; start < n; start += options_.batch) {
    const std::int64_t rows = std::min(options_.batch, n - start);
    s.batch_inputs.resize(static_cast<std::size_t>(rows * features));
    s.batch_labels.resize(static_cast<std::size_t>(rows));
    for (std::int64_t r = 0; r < rows; ++r) {
      const std::int64_t index = s.order[static_cast<std::size_t>(start + r)];
      std::copy(pixels + index * features, pixels + (index + 1) * features,
                s.batch_inputs.begin() + static_cast<std::ptrdiff_t>(r * features));
      s.batch_labels[static_cast<std::size_t>(r)] = train.labels[static_cast<std::size_t>(index)];
    }
    const StepResult step_result = step(s.batch_inputs.data(), s.batch_labels.data(), rows);
    loss_sum += step_result.loss_sum;
    correct += step_result.correct;
    stats.samples += rows;
    if (on_batch) on_batch(stats.samples, n);
    if (should_stop && should_stop()) {
      stats.interrupted = true;
      break;
    }
  }
  if (stats.samples > 0) {
    stats.loss = loss_sum / static_cast<double>(stats.samples);
    stats.train_accuracy = static_cast<double>(correct) / static_cast<double>(stats.samples);
  }
  return stats;
}

}  // namespace dnnspace::engine
