// `dnnspace train` and `dnnspace infer`: train an MLP or LeNet-5 on Fashion-MNIST (or any
// MNIST-layout directory) and measure test accuracy, optionally under hardware numerics.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "numeric_flags.hpp"
#include "stop_signals.hpp"
#include "dnnspace/engine/bit_search.hpp"
#include "dnnspace/engine/dataset.hpp"
#include "dnnspace/engine/hardware_inference.hpp"
#include "dnnspace/engine/network_catalog.hpp"
#include "dnnspace/engine/trainer.hpp"
#include "dnnspace/engine/weights_io.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/io/numerics_yaml.hpp"
#include "dnnspace/model/neuron_pipeline.hpp"
#include "dnnspace/report/json_text.hpp"
#include "exit_codes.hpp"

namespace dnnspace::cli {
namespace {

struct CommonOptions {
  std::string network;
  std::string dataset = "fashion-mnist";
  std::optional<std::string> numerics_path;
  std::optional<std::string> json_path;
  std::string activation;
  std::int64_t test_limit = 0;
  int threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
};

struct TrainCliOptions {
  CommonOptions common;
  std::int64_t epochs = 1;
  std::int64_t batch = 64;
  double learning_rate = 0.1;
  double momentum = 0.0;
  double l1 = 0.0;  ///< --l1: weight penalty l1 * sum|w|
  double l2 = 0.0;  ///< --l2: weight penalty l2 * sum w^2
  std::uint64_t seed = 1;
  std::int64_t train_limit = 0;
  std::optional<std::string> weights_path;
  std::string accelerator;  // "mehta" when given
  bool accelerator_given = false;
  std::string memory = "distributed";
  std::string sigmoid = "lut";
  std::int64_t lanes = 1;
};

struct InferCliOptions {
  CommonOptions common;
  std::string weights_path;
  std::int64_t batch = 1000;
  std::optional<double> max_error;   ///< --search-bits: the test error the bit search keeps within
  std::optional<std::string> numerics_out;  ///< --numerics-out: the formats found, as a numerics YAML
  double fault_rate = 0.0;           ///< --fault-rate: each weight bit faults with this probability
  std::string mitigation = "none";   ///< --mitigation none|word|bit
  std::int64_t fault_maps = 20;      ///< --fault-maps: Monte-Carlo fault maps
  std::uint64_t fault_seed = 1;      ///< --fault-seed: map k is drawn from seed + k
  CLI::Option* fault_rate_option = nullptr;
};

engine::DatasetSplits load_data(const CommonOptions& options, std::int64_t train_limit) {
  const std::string dir = options.dataset == "fashion-mnist" ? std::string(engine::kFashionMnistDir) : options.dataset;
  Expected<engine::DatasetSplits> data = engine::load_mnist_layout(dir);
  if (!data) throw CommandFailed(data.error().message);
  if (train_limit > 0) data->train = engine::take_first(data->train, train_limit);
  if (options.test_limit > 0) data->test = engine::take_first(data->test, options.test_limit);
  return std::move(*data);
}

engine::NumericsSpec load_numerics(const CommonOptions& options) {
  if (!options.numerics_path) return {};
  Expected<engine::NumericsSpec> spec = io::load_numerics_file(*options.numerics_path);
  if (!spec) throw CommandFailed(spec.error().message);
  return *spec;
}

engine::HardwareNetwork prepare(const engine::Sequential& net, const engine::NumericsSpec& spec,
                                const CommonOptions& options) {
  Expected<engine::HardwareNetwork> hw = engine::HardwareNetwork::prepare(net, spec);
  if (!hw) throw CommandFailed((options.numerics_path ? *options.numerics_path + ": " : "") + hw.error().message);
  return std::move(*hw);
}

void check_input_size(const engine::Sequential& net, const engine::Dataset& data, const std::string& dataset) {
  const std::int64_t per_image = data.size() == 0 ? 0 : data.images.size() / data.size();
  if (per_image != net.features(0)) {
    throw CommandFailed("network " + net.name + " takes " + std::to_string(net.features(0)) +
                        " inputs, dataset " + dataset + " has images of " + std::to_string(per_image) + " pixels");
  }
  // Every label must be one of the network's outputs (a label past them would index past the logits).
  std::int32_t largest = 0;
  for (const std::int32_t label : data.labels) largest = std::max(largest, label);
  if (largest >= net.classes()) {
    throw CommandFailed("network " + net.name + " has " + std::to_string(net.classes()) + " outputs, dataset " + dataset +
                        " has labels up to " + std::to_string(largest) + " (the last layer needs one output per class)");
  }
}

// Checks every output path of train/infer before any work: writable, and none of them an
// input (the numerics spec, the weights read by infer) or the other output.
void check_outputs(const CommonOptions& common, const std::optional<std::string>& weights_out,
                   const std::string& weights_in, const std::optional<std::string>& numerics_out = std::nullopt) {
  std::vector<io::NamedInput> inputs = {{"--weights", weights_in}};
  if (common.numerics_path) inputs.push_back({"--numerics", *common.numerics_path});
  // The dataset's four IDX files, plain or compressed, whichever exist.
  const std::string dir = common.dataset == "fashion-mnist" ? std::string(engine::kFashionMnistDir) : common.dataset;
  for (const char* stem : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                           "t10k-labels-idx1-ubyte"}) {
    for (const char* suffix : {"", ".gz"}) inputs.push_back({"--dataset", dir + "/" + stem + suffix});
  }
  if (weights_out) {
    if (auto ok = io::check_output_path("--weights", *weights_out, inputs); !ok) throw CommandFailed(ok.error().message);
  }
  if (numerics_out) {
    if (auto ok = io::check_output_path("--numerics-out", *numerics_out, inputs); !ok) {
      throw CommandFailed(ok.error().message);
    }
    if (common.json_path && io::same_output_path(*numerics_out, *common.json_path)) {
      throw CommandFailed("--numerics-out and --json name the same file '" + *numerics_out + "'");
    }
  }
  if (common.json_path) {
    std::vector<io::NamedInput> all = inputs;
    if (weights_out) all.push_back({"--weights", *weights_out});
    if (auto ok = io::check_output_path("--json", *common.json_path, all); !ok) throw CommandFailed(ok.error().message);
    if (weights_out && io::same_output_path(*weights_out, *common.json_path)) {
      throw CommandFailed("--json '" + *common.json_path + "': is also --weights; give the two outputs different paths");
    }
  }
}

void write_output(const std::string& path, const std::string& contents) {
  if (Expected<void> written = io::write_file_atomically(path, contents); !written) {
    throw CommandFailed(written.error().message);
  }
}

// A one-line progress bar on stderr, redrawn at most 100 times per epoch.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void update(std::int64_t epoch, std::int64_t epochs, std::int64_t done, std::int64_t total) {
    if (!enabled_ || total == 0) return;
    const std::int64_t percent = done * 100 / total;
    if (percent == last_percent_) return;
    last_percent_ = percent;
    constexpr int kWidth = 30;
    const auto filled = static_cast<int>(done * kWidth / total);
    std::fprintf(stderr, "\repoch %lld/%lld [%.*s%*s] %3lld%%", static_cast<long long>(epoch),
                 static_cast<long long>(epochs), filled, "##############################", kWidth - filled, "",
                 static_cast<long long>(percent));
    std::fflush(stderr);
  }
  void clear() {
    if (enabled_) std::fputs("\r\033[K", stderr);
    last_percent_ = -1;
  }

 private:
  bool enabled_;
  std::int64_t last_percent_ = -1;
};

// train --accelerator mehta: 002's pipelined training neurons (model/neuron_pipeline.hpp),
// which train fully connected sigmoid networks with the sigmoid from a LUT (or the ALU).
struct AcceleratorRun {
  NeuronPipeline pipeline;
  SigmoidUnit sigmoid = SigmoidUnit::Lut;
  NeuronMemory memory = NeuronMemory::Distributed;
  NeuronAcceleratorCost cost;
  std::optional<engine::LutSigmoid> lut;  // the table training and evaluation read
};

std::optional<AcceleratorRun> accelerator_of(const TrainCliOptions& options, const engine::Sequential& net) {
  if (!options.accelerator_given) return std::nullopt;
  if (options.accelerator != "mehta") {
    throw CommandFailed("--accelerator '" + options.accelerator + "': allowed: mehta (002's pipelined training neurons)");
  }
  if (options.memory != "distributed" && options.memory != "unified") {
    throw CommandFailed("--memory '" + options.memory + "': allowed: distributed, unified");
  }
  if (options.sigmoid != "lut" && options.sigmoid != "alu") {
    throw CommandFailed("--sigmoid '" + options.sigmoid + "': allowed: lut, alu");
  }
  if (options.common.numerics_path) throw CommandFailed("--numerics: the mehta accelerator has its own numerics (fp32, LUT sigmoid)");
  std::vector<std::int64_t> widths = {net.features(0)};
  for (const engine::Layer& l : net.layers) {
    if (const auto* dense = std::get_if<engine::DenseLayer>(&l)) {
      widths.push_back(dense->outputs);
    } else if (!std::holds_alternative<engine::ActivationLayer>(l)) {
      throw CommandFailed("--accelerator mehta: network " + net.name + " has a layer that is not fully connected; "
                          "002's neurons train MLPs (mlp-...)");
    }
  }
  if (net.activation != engine::ActivationKind::Sigmoid) {
    throw CommandFailed("--accelerator mehta: 002's neurons compute sigmoids; give --activation sigmoid (network " +
                        net.name + " uses " + std::string(engine::to_string(net.activation)) + ")");
  }
  AcceleratorRun run;
  run.sigmoid = options.sigmoid == "lut" ? SigmoidUnit::Lut : SigmoidUnit::Alu;
  run.memory = options.memory == "distributed" ? NeuronMemory::Distributed : NeuronMemory::Unified;
  run.pipeline.lanes = options.lanes;
  Expected<NeuronAcceleratorCost> cost = neuron_accelerator_cost(run.pipeline, widths, run.sigmoid, run.memory);
  if (!cost) throw CommandFailed("--accelerator mehta: " + cost.error().message);
  run.cost = *cost;
  if (run.sigmoid == SigmoidUnit::Lut) run.lut = *engine::LutSigmoid::create(engine::LutSigmoidSpec{});
  return run;
}

void run_train(const TrainCliOptions& options) {
  const CommonOptions& common = options.common;
  check_outputs(common, options.weights_path, "");
  std::optional<engine::ActivationKind> activation;
  if (!common.activation.empty()) {
    Expected<engine::ActivationKind> parsed = engine::parse_activation(common.activation);
    if (!parsed) throw CommandFailed("--activation: " + parsed.error().message);
    activation = *parsed;
  }
  Expected<engine::Sequential> made = engine::make_network(common.network, activation, options.seed);
  if (!made) throw CommandFailed("--network: " + made.error().message);
  engine::Sequential net = std::move(*made);
  const std::optional<AcceleratorRun> accelerator = accelerator_of(options, net);
  engine::NumericsSpec spec = load_numerics(common);
  if (accelerator && accelerator->lut) spec.defaults.lut_sigmoid = accelerator->lut->spec();
  const engine::DatasetSplits data = load_data(common, options.train_limit);
  check_input_size(net, data.train, common.dataset);
  check_input_size(net, data.test, common.dataset);
  // The test accuracy of the network as trained: on the accelerator, with its sigmoid.
  const engine::HardwareNetwork fp32 = prepare(net, accelerator ? spec : engine::NumericsSpec{}, common);
  // The hardware copy converts the weights when it is prepared: prepared here only to reject a
  // bad spec before training, and again from the trained weights after every epoch.
  if (common.numerics_path) static_cast<void>(prepare(net, spec, common));

  engine::TrainOptions train_options;
  train_options.batch = options.batch;
  train_options.learning_rate = static_cast<float>(options.learning_rate);
  train_options.momentum = static_cast<float>(options.momentum);
  train_options.l1 = static_cast<float>(options.l1);
  train_options.l2 = static_cast<float>(options.l2);
  train_options.seed = options.seed;
  train_options.threads = common.threads;
  if (accelerator && accelerator->lut) train_options.sigmoid_lut = &*accelerator->lut;
  engine::Trainer trainer(net, train_options);

  char penalties[96] = "";
  if (options.l1 > 0.0 || options.l2 > 0.0) std::snprintf(penalties, sizeof penalties, ", l1 %g, l2 %g", options.l1, options.l2);
  std::printf("training %s (%s) on %s: %lld train / %lld test images, batch %lld, lr %g, momentum %g%s, seed %llu\n",
              net.name.c_str(), std::string(engine::to_string(net.activation)).c_str(), common.dataset.c_str(),
              static_cast<long long>(data.train.size()), static_cast<long long>(data.test.size()),
              static_cast<long long>(options.batch), options.learning_rate, options.momentum, penalties,
              static_cast<unsigned long long>(options.seed));
  std::printf("%-6s %-9s %-10s %-9s%s\n", "epoch", "loss", "train_acc", "test_acc",
              common.numerics_path ? " test_acc_numerics" : "");
  std::fflush(stdout);

  nlohmann::json epochs = nlohmann::json::array();
  ProgressBar bar(::isatty(::fileno(stderr)) != 0);
  bool interrupted = false;
  std::int64_t samples_trained = 0;
  double seconds_trained = 0.0;
  {
    StopSignalGuard guard;
    for (std::int64_t e = 1; e <= options.epochs && !interrupted; ++e) {
      const auto started = std::chrono::steady_clock::now();
      const engine::EpochStats stats = trainer.train_epoch(
          data.train, [] { return StopSignalGuard::flag().load(); },
          [&](std::int64_t done, std::int64_t total) { bar.update(e, options.epochs, done, total); });
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      bar.clear();
      interrupted = stats.interrupted;
      samples_trained += stats.samples;
      seconds_trained += seconds;
      const double test_accuracy = engine::evaluate_accuracy(fp32, data.test, 1000, common.threads).accuracy();
      nlohmann::json row{{"epoch", stats.epoch},
                         {"loss", stats.loss},
                         {"train_accuracy", stats.train_accuracy},
                         {"test_accuracy", test_accuracy},
                         {"samples", stats.samples},
                         {"train_seconds", seconds},
                         {"samples_per_second", static_cast<double>(stats.samples) / seconds}};
      std::printf("%-6lld %-9.4f %-10.4f %-9.4f", static_cast<long long>(stats.epoch), stats.loss, stats.train_accuracy,
                  test_accuracy);
      if (common.numerics_path) {
        const engine::HardwareNetwork hardware = prepare(net, spec, common);
        const double hw_accuracy = engine::evaluate_accuracy(hardware, data.test, 1000, common.threads).accuracy();
        row["test_accuracy_numerics"] = hw_accuracy;
        std::printf(" %.4f", hw_accuracy);
      }
      if (interrupted) {
        row["interrupted"] = true;
        std::printf("  (interrupted after %lld samples)", static_cast<long long>(stats.samples));
      }
      std::printf("\n");
      std::fflush(stdout);
      epochs.push_back(std::move(row));
    }
  }
  nlohmann::json accelerator_json;
  if (accelerator) {
    // The same samples on 002's accelerator (its pipeline model), next to this run's time.
    const NeuronAcceleratorCost& c = accelerator->cost;
    const double seconds = c.seconds_per_sample * static_cast<double>(samples_trained);
    const double energy_j = c.energy_per_sample_j * static_cast<double>(samples_trained);
    std::printf("\non the mehta accelerator (002: %lld neurons, %s memory, %s sigmoid, %lld lane%s, %g ns clock):\n",
                static_cast<long long>(c.neurons), options.memory.c_str(), options.sigmoid.c_str(),
                static_cast<long long>(options.lanes), options.lanes == 1 ? "" : "s", accelerator->pipeline.clock_ns);
    std::printf("  cycles per sample  %lld\n", static_cast<long long>(c.cycles_per_sample));
    std::printf("  %lld samples       %.4g s, %.4g W, %.4g J; neurons' area %.4g mm2\n",
                static_cast<long long>(samples_trained), seconds, c.power_w, energy_j, c.area_mm2);
    std::printf("  this run (software) %.4g s: the accelerator takes %.3gx its time\n", seconds_trained,
                seconds_trained > 0.0 ? seconds / seconds_trained : 0.0);
    accelerator_json = {{"name", "mehta"},
                        {"memory", options.memory},
                        {"sigmoid", options.sigmoid},
                        {"lanes", options.lanes},
                        {"neurons", c.neurons},
                        {"clock_ns", accelerator->pipeline.clock_ns},
                        {"cycles_per_sample", c.cycles_per_sample},
                        {"samples", samples_trained},
                        {"seconds", seconds},
                        {"power_w", c.power_w},
                        {"energy_j", energy_j},
                        {"area_mm2", c.area_mm2},
                        {"software_seconds", seconds_trained}};
  }
  if (options.weights_path) {
    write_output(*options.weights_path, engine::serialize_weights(net));
    std::printf("weights saved to %s\n", options.weights_path->c_str());
  }
  if (common.json_path) {
    nlohmann::json out{{"network", net.name},
                       {"activation", std::string(engine::to_string(net.activation))},
                       {"dataset", common.dataset},
                       {"batch", options.batch},
                       {"learning_rate", options.learning_rate},
                       {"momentum", options.momentum},
                       {"l1", options.l1},
                       {"l2", options.l2},
                       {"seed", options.seed},
                       {"epochs", std::move(epochs)},
                       {"weights", options.weights_path ? nlohmann::json(*options.weights_path) : nlohmann::json()},
                       {"numerics", common.numerics_path ? nlohmann::json(*common.numerics_path) : nlohmann::json()},
                       {"interrupted", interrupted}};
    if (accelerator) out["accelerator"] = accelerator_json;
    write_output(*common.json_path, report::json_text(out));
  }
  if (interrupted) {
    std::fflush(stdout);
    std::exit(StopSignalGuard::exit_code());  // everything is saved; 130/143 tell scripts the run was cut short
  }
}

// The formats a bit search found as a numerics YAML that --numerics reads back.
std::string numerics_yaml(const std::vector<engine::LayerBits>& layers, const std::string& origin) {
  const auto q = [](engine::FixedFormat f) { return engine::to_string(f); };
  std::string comment;  // a path may hold a newline: escaped, so the comment stays one line
  for (const char c : origin) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      comment += hex;
    } else {
      comment += c;
    }
  }
  std::string out = "# " + comment + "\nlayers:\n";
  for (const engine::LayerBits& l : layers) {
    out += "  " + l.layer + ": {arithmetic: fixed, weights: " + q(l.formats.weights) + ", activations: " +
           q(l.formats.activations) + ", products: " + q(l.formats.products) + ", rounding: " +
           (l.formats.rounding == engine::Rounding::NearestEven ? "nearest-even" : "truncate") + "}\n";
  }
  return out;
}

// infer --search-bits E: Minerva's stage 3 on the test set (001 Sec. 4.4.1).
void run_bit_search(const InferCliOptions& options, const engine::Sequential& net, const engine::Dataset& test) {
  const CommonOptions& common = options.common;
  engine::BitSearchOptions search;
  search.batch = options.batch;
  search.threads = common.threads;
  StopSignalGuard sigint;
  search.stop = &StopSignalGuard::flag();
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  search.progress = [&](std::int64_t n) {
    if (terminal) std::fprintf(stderr, "\r\033[Kbit search: %lld test-set passes (Ctrl-C stops, keeping the formats so far)", static_cast<long long>(n));
  };
  const engine::BitSearchResult r = value_or_fail(engine::search_fixed_point_bits(net, test, *options.max_error, search));
  if (terminal) std::fputs("\r\033[K", stderr);
  std::printf("bit search (001 stage 3) for %s on %s, test error at most %.4f%%: %lld test-set passes%s\n",
              net.name.c_str(), common.dataset.c_str(), 100.0 * *options.max_error, static_cast<long long>(r.evaluations),
              r.interrupted ? " (stopped: the formats so far)" : "");
  std::printf("  %-8s %-8s %-8s %-8s\n", "layer", "W", "X", "P");
  for (const engine::LayerBits& l : r.layers) {
    std::printf("  %-8s %-8s %-8s %-8s\n", l.layer.c_str(), engine::to_string(l.formats.weights).c_str(),
                engine::to_string(l.formats.activations).c_str(), engine::to_string(l.formats.products).c_str());
  }
  std::printf("  test error %.4f%% (%.4f%% with Q6.10 everywhere)\n", 100.0 * r.error, 100.0 * r.start_error);
  std::printf("  one datapath for all layers (the widest need per signal): W %s, X %s, P %s: test error %.4f%%\n",
              engine::to_string(r.datapath.weights).c_str(), engine::to_string(r.datapath.activations).c_str(),
              engine::to_string(r.datapath.products).c_str(), 100.0 * r.datapath_error);
  if (options.numerics_out) {
    char bound[64];
    std::snprintf(bound, sizeof bound, "%.6g", *options.max_error);
    write_output(*options.numerics_out,
                 numerics_yaml(r.layers, "dnnspace infer --search-bits " + std::string(bound) + " for " + net.name +
                                             " (" + options.weights_path + "): per-layer formats, test error " +
                                             std::to_string(r.error)));
  }
  if (common.json_path) {
    nlohmann::json layers = nlohmann::json::array();
    for (const engine::LayerBits& l : r.layers) {
      layers.push_back({{"layer", l.layer},
                        {"weights", engine::to_string(l.formats.weights)},
                        {"activations", engine::to_string(l.formats.activations)},
                        {"products", engine::to_string(l.formats.products)}});
    }
    const nlohmann::json out{{"network", net.name},
                             {"weights", options.weights_path},
                             {"max_error", *options.max_error},
                             {"layers", layers},
                             {"error", r.error},
                             {"start_error", r.start_error},
                             {"datapath", {{"weights", engine::to_string(r.datapath.weights)},
                                           {"activations", engine::to_string(r.datapath.activations)},
                                           {"products", engine::to_string(r.datapath.products)}}},
                             {"datapath_error", r.datapath_error},
                             {"evaluations", r.evaluations},
                             {"interrupted", r.interrupted}};
    write_output(*common.json_path, report::json_text(out));
  }
  if (r.interrupted || StopSignalGuard::flag().load()) {
    std::fflush(stdout);
    std::exit(StopSignalGuard::exit_code());
  }
}

void run_infer(const InferCliOptions& options) {
  const CommonOptions& common = options.common;
  check_outputs(common, std::nullopt, options.weights_path, options.numerics_out);
  Expected<engine::Sequential> loaded = engine::load_weights_file(options.weights_path);
  if (!loaded) throw CommandFailed(loaded.error().message);
  if (loaded->name != common.network) {
    throw CommandFailed(options.weights_path + ": holds weights of " + loaded->name + ", not of --network " + common.network);
  }
  const engine::Sequential& net = *loaded;
  const engine::NumericsSpec spec = load_numerics(common);
  const engine::DatasetSplits data = load_data(common, 1);
  check_input_size(net, data.test, common.dataset);
  if (options.max_error) {
    run_bit_search(options, net, data.test);
    return;
  }
  const engine::HardwareNetwork hardware = prepare(net, spec, common);
  const std::optional<engine::FaultMitigation> mitigation = engine::parse_mitigation(options.mitigation);
  if (!mitigation) throw CommandFailed("--mitigation '" + options.mitigation + "': allowed: none, word, bit");
  const bool faults = options.fault_rate_option->count() > 0;
  if (faults) {
    // Only fixed-point weights have bits to fault: say so before any image is run.
    if (Expected<engine::HardwareNetwork> probe = hardware.with_weight_faults(0.0, *mitigation, 0); !probe) {
      throw CommandFailed("--fault-rate: " + probe.error().message + " (give --numerics with arithmetic: fixed)");
    }
  }
  const auto started = std::chrono::steady_clock::now();
  const engine::AccuracyResult result = engine::evaluate_accuracy(hardware, data.test, options.batch, common.threads);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("%s on %s test set%s: accuracy %.4f (%lld/%lld)\n", net.name.c_str(), common.dataset.c_str(),
              common.numerics_path ? (" under " + *common.numerics_path).c_str() : "", result.accuracy(),
              static_cast<long long>(result.correct), static_cast<long long>(result.total));
  if (result.pruned_macs > 0) {
    std::printf("pruned %.2f%% of the MACs (%lld of %lld): activations at or below each layer's prune_threshold\n",
                100.0 * result.pruned_fraction(), static_cast<long long>(result.pruned_macs),
                static_cast<long long>(result.macs));
  }
  // 001 Sec. 4.4.3: the weights read from a low-voltage SRAM, over several fault maps.
  std::vector<double> map_accuracy;
  engine::FaultCounts fault_sum;
  double map_mean = 0.0, map_min = 0.0, map_max = 0.0;  // over the maps run
  bool maps_cut = false;                                // stopped before --fault-maps maps
  if (faults) {
    StopSignalGuard sigint;
    for (std::int64_t k = 0; k < options.fault_maps && !StopSignalGuard::flag().load(); ++k) {
      engine::FaultCounts counts;
      const engine::HardwareNetwork faulty =
          value_or_fail(hardware.with_weight_faults(options.fault_rate, *mitigation,
                                                    options.fault_seed + static_cast<std::uint64_t>(k), &counts));
      map_accuracy.push_back(engine::evaluate_accuracy(faulty, data.test, options.batch, common.threads).accuracy());
      fault_sum += counts;
    }
    if (map_accuracy.empty()) std::exit(StopSignalGuard::exit_code());
    const auto [lo, hi] = std::minmax_element(map_accuracy.begin(), map_accuracy.end());
    map_min = *lo;
    map_max = *hi;
    for (double a : map_accuracy) map_mean += a / static_cast<double>(map_accuracy.size());
    maps_cut = static_cast<std::int64_t>(map_accuracy.size()) < options.fault_maps;
    std::printf("with SRAM faults (bit rate %g, mitigation %s, %zu fault maps%s): accuracy mean %.4f, min %.4f, max %.4f; "
                "%lld of %lld weight bits faulty in all\n",
                options.fault_rate, options.mitigation.c_str(), map_accuracy.size(),
                maps_cut ? (" of " + std::to_string(options.fault_maps) + ", stopped").c_str() : "", map_mean, map_min,
                map_max,
                static_cast<long long>(fault_sum.faulty_bits), static_cast<long long>(fault_sum.bits));
  }
  if (common.json_path) {
    nlohmann::json out{{"network", net.name},
                       {"weights", options.weights_path},
                       {"numerics", common.numerics_path ? nlohmann::json(*common.numerics_path) : nlohmann::json()},
                       {"test_accuracy", result.accuracy()},
                       {"correct", result.correct},
                       {"total", result.total},
                       {"batch", options.batch},
                       {"seconds", seconds},
                       {"images_per_second", static_cast<double>(result.total) / seconds},
                       {"macs", result.macs},
                       {"pruned_macs", result.pruned_macs},
                       {"pruned_fraction", result.pruned_fraction()}};
    if (faults) {
      out["faults"] = {{"bit_fault_rate", options.fault_rate},
                       {"mitigation", options.mitigation},
                       {"maps", map_accuracy.size()},
                       {"maps_requested", options.fault_maps},
                       {"interrupted", maps_cut},
                       {"seed", options.fault_seed},
                       {"accuracy_per_map", map_accuracy},
                       {"accuracy_mean", map_mean},
                       {"accuracy_min", map_min},
                       {"accuracy_max", map_max},
                       {"faulty_bits", fault_sum.faulty_bits},
                       {"bits", fault_sum.bits},
                       {"faulty_words", fault_sum.faulty_words},
                       {"words", fault_sum.words}};
    }
    write_output(*common.json_path, report::json_text(out));
  }
  if (faults && StopSignalGuard::flag().load()) std::exit(StopSignalGuard::exit_code());
}

void add_common(CLI::App* command, CommonOptions& common) {
  command->add_option("--network", common.network, "mlp-784-100-100-10, mlp-784-256-256-256-10, lenet5 or mlp-<widths>")
      ->required();
  command->add_option("--dataset", common.dataset,
                      "fashion-mnist (Debian dataset-fashion-mnist) or a directory with the four MNIST-layout IDX files");
  command->add_option("--numerics", common.numerics_path, "Numerics YAML (fixed point, int8, LUT sigmoid; docs/engine.md)");
  command->add_option("--json", common.json_path, "Also write the results as JSON to FILE");
  command->add_option("--test-limit", common.test_limit, "Use only the first N test images (0: all)")
      ->transform(whole_number(0, std::numeric_limits<std::int64_t>::max(), ">= 0"));
  command->add_option("--threads", common.threads, "Worker threads (results do not depend on it)")
      ->transform(whole_number(1, 1024, "in 1..1024"));
}

}  // namespace

void register_train_commands(CLI::App& app) {
  auto train_options = std::make_shared<TrainCliOptions>();
  CLI::App* train = app.add_subcommand("train", "Train a network with mini-batch SGD; print loss and accuracy per epoch");
  add_common(train, train_options->common);
  train->add_option("--epochs", train_options->epochs, "Passes over the training set (at most 1000000)")
      ->transform(whole_number(1, 1000000, "in 1..1000000"));
  train->add_option("--batch", train_options->batch, "Samples per SGD step")
      ->transform(whole_number(1, std::numeric_limits<std::int64_t>::max(), ">= 1"));
  train->add_option("--lr", train_options->learning_rate, "Learning rate")
      ->check(finite_number(0.0, std::numeric_limits<double>::max(), "> 0", true));
  train->add_option("--l1", train_options->l1, "Weight penalty l1 * sum|w| (Keras's L1; not on biases; default 0)")
      ->check(finite_number(0.0, 1.0, "in 0..1"));
  train->add_option("--l2", train_options->l2, "Weight penalty l2 * sum w^2 (Keras's L2; not on biases; default 0)")
      ->check(finite_number(0.0, 1.0, "in 0..1"));
  train->add_option("--momentum", train_options->momentum, "SGD momentum in [0, 1)")
      ->check(finite_number(0.0, std::nextafter(1.0, 0.0), "in [0, 1)"));
  train->add_option("--activation", train_options->common.activation,
                    "Hidden activation: sigmoid|relu|tanh (default: sigmoid for mlp-784-100-100-10, else relu)");
  train->add_option("--seed", train_options->seed, "Seed of the initial weights and the batch order")
      ->transform(whole_number(0, std::numeric_limits<std::int64_t>::max(), "in 0..9223372036854775807"));
  train->add_option("--train-limit", train_options->train_limit, "Use only the first N training images (0: all)")
      ->transform(whole_number(0, std::numeric_limits<std::int64_t>::max(), ">= 0"));
  train->add_option("--weights", train_options->weights_path, "Save the trained weights to FILE (docs/engine.md format)");
  CLI::Option* accelerator = train->add_option(
      "--accelerator", train_options->accelerator,
      "Train as 002's accelerator does (mehta: pipelined fp32 neurons with a LUT sigmoid) and report its cycles, "
      "time, power and energy for the samples trained (docs/experiments.md)");
  accelerator->each([train_options](const std::string&) { train_options->accelerator_given = true; });
  train->add_option("--memory", train_options->memory, "With --accelerator: distributed (default) or unified memory")
      ->needs(accelerator);
  train->add_option("--sigmoid", train_options->sigmoid, "With --accelerator: lut (default) or alu")->needs(accelerator);
  train->add_option("--lanes", train_options->lanes, "With --accelerator: inputs each neuron processes at once (default 1)")
      ->transform(whole_number(1, 1024, "in 1..1024"))
      ->needs(accelerator);
  train->callback([train_options] { run_train(*train_options); });

  auto infer_options = std::make_shared<InferCliOptions>();
  CLI::App* infer = app.add_subcommand("infer", "Test accuracy of saved weights, optionally under hardware numerics");
  add_common(infer, infer_options->common);
  infer->add_option("--weights", infer_options->weights_path, "Weights saved by `dnnspace train --weights`")->required();
  infer->add_option("--batch", infer_options->batch, "Images per inference block")
      ->transform(whole_number(1, std::numeric_limits<std::int64_t>::max(), ">= 1"));
  infer_options->fault_rate_option =
      infer->add_option("--fault-rate", infer_options->fault_rate,
                        "Also run with every weight bit faulting with this probability, as a low-voltage SRAM "
                        "(001 Sec. 4.4.3; needs fixed-point --numerics)")
          ->check(finite_number(0.0, 1.0, "in 0..1"));
  infer->add_option("--mitigation", infer_options->mitigation,
                    "With --fault-rate: none, word (a faulty word reads 0) or bit (faulty bits read as the sign bit); "
                    "default none")
      ->needs(infer_options->fault_rate_option);
  infer->add_option("--fault-maps", infer_options->fault_maps, "With --fault-rate: Monte-Carlo fault maps (default 20)")
      ->transform(whole_number(1, 1000000, "in 1..1000000"))
      ->needs(infer_options->fault_rate_option);
  infer->add_option("--fault-seed", infer_options->fault_seed, "With --fault-rate: map k is drawn from seed + k (default 1)")
      ->transform(whole_number(0, std::numeric_limits<std::int64_t>::max(), "in 0..9223372036854775807"))
      ->needs(infer_options->fault_rate_option);
  CLI::Option* search_bits =
      infer->add_option("--search-bits", infer_options->max_error,
                        "Minerva's stage 3 (001 Sec. 4.4.1): per layer, the fewest integer and fraction bits of W, X and "
                        "P that keep the test error at most this (a fraction, e.g. 0.16); starts from Q6.10")
          ->check(finite_number(0.0, 1.0, "in 0..1"));
  infer->add_option("--numerics-out", infer_options->numerics_out,
                    "With --search-bits: write the formats found as a numerics YAML (for --numerics)")
      ->needs(search_bits);
  search_bits->excludes(infer_options->fault_rate_option)->excludes(infer->get_option("--numerics"));
  infer->callback([infer_options] { run_infer(*infer_options); });
}

}  // namespace dnnspace::cli
