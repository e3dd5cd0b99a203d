// `dnnspace minerva`: 001's Minerva flow (Reagen et al., Ch. 4) end to end on a dataset:
// the training space and the Iso-Training Noise (stage 1), the accelerator design space
// (2), per-layer, per-signal quantization (3), activation pruning (4) and SRAM voltage
// scaling with masked bit faults (5), each stage's error kept within ITN 1 and its power
// from the cost model (docs/minerva.md). Each stage writes DIR/stageK.{json,csv,png}; a
// checkpoint in DIR resumes a stopped run stage by stage.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include "commands.hpp"
#include "dnnspace/dist/checkpoint.hpp"
#include "dnnspace/engine/bit_search.hpp"
#include "dnnspace/engine/dataset.hpp"
#include "dnnspace/engine/hardware_inference.hpp"
#include "dnnspace/engine/mlp.hpp"
#include "dnnspace/engine/trainer.hpp"
#include "dnnspace/engine/training_noise.hpp"
#include "dnnspace/engine/weights_io.hpp"
#include "dnnspace/io/atomic_file.hpp"
#include "dnnspace/report/text_table.hpp"
#include "dnnspace/search/minerva_dse.hpp"
#include "dnnspace/search/pareto.hpp"
#include "dnnspace/workload/zoo.hpp"
#include "exit_codes.hpp"
#include "python_module.hpp"
#include "stop_signals.hpp"

namespace dnnspace::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kStages = 5;

struct MinervaOptions {
  std::string dataset = "fashion-mnist";
  std::vector<std::string> train_files;  ///< --train IMAGES LABELS
  std::vector<std::string> test_files;   ///< --test IMAGES LABELS
  std::string stages = "1-5";
  std::string out = "minerva";
  bool quick = false;
  std::int64_t budget = 45;
  std::int64_t epochs = 3;
  std::int64_t itn_seeds = 10;
  std::int64_t fault_maps = 20;
  double latency_us = 0.0;  ///< 0: the knee
  int threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  CLI::Option* budget_option = nullptr;
  CLI::Option* epochs_option = nullptr;
  CLI::Option* itn_option = nullptr;
  CLI::Option* maps_option = nullptr;
};

// Everything that decides the results (the checkpoint's header): a resume with other
// settings is refused, naming the first that differs. The latency bound is the exception:
// it decides stage 2 only, so a run whose bound no design meets can go on with another
// (stage 2's record keeps the bound it used).
struct Settings {
  std::string dataset;  // a directory, or "IMAGES LABELS / IMAGES LABELS"
  bool quick = false;
  std::int64_t train_limit = 0, test_limit = 0;
  std::int64_t budget = 45, epochs = 3, itn_seeds = 10, fault_maps = 20;
  double latency_us = 0.0;
  std::vector<double> thresholds, fault_rates;
  MinervaSpace space;

  json to_json() const {
    return {{"dataset", dataset},         {"quick", quick},           {"train_limit", train_limit},
            {"test_limit", test_limit},   {"budget", budget},         {"epochs", epochs},
            {"itn_seeds", itn_seeds},     {"fault_maps", fault_maps},
            {"thresholds", thresholds},   {"fault_rates", fault_rates},
            {"space", {{"lanes", space.lanes}, {"macs_per_lane", space.macs_per_lane},
                       {"weight_banks_per_lane", space.weight_banks_per_lane}, {"clocks_mhz", space.clocks_mhz}}}};
  }
};

// Training recipe of every network (stage 1 and the ITN): SGD, lr 0.1, batch 64.
constexpr float kLearningRate = 0.1F;
constexpr std::int64_t kBatch = 64;

struct Point {  // one network of the training space
  std::int64_t depth = 3, nodes = 32;
  double l1 = 0.0, l2 = 0.0;
};

// The training space in the order --budget takes it: every shape with no penalty, then
// with L2 1e-5, L1 1e-5, L2 1e-6, L1 1e-6 (001 Fig. 4.3: 3-5 hidden layers, 32-512 nodes,
// L1/L2 up to 1e-6... 1e-5 in Table 4.1).
std::vector<Point> training_space(bool quick) {
  const std::vector<std::pair<double, double>> penalties = {{0, 0}, {0, 1e-5}, {1e-5, 0}, {0, 1e-6}, {1e-6, 0}};
  const std::vector<std::int64_t> depths = quick ? std::vector<std::int64_t>{3} : std::vector<std::int64_t>{3, 4, 5};
  const std::vector<std::int64_t> widths =
      quick ? std::vector<std::int64_t>{32, 64} : std::vector<std::int64_t>{32, 64, 128, 256, 512};
  std::vector<Point> out;
  for (const auto& [l1, l2] : penalties) {
    for (std::int64_t d : depths) {
      for (std::int64_t w : widths) out.push_back({d, w, l1, l2});
    }
  }
  return out;
}

std::vector<std::int64_t> widths_of(const Point& p, std::int64_t inputs, std::int64_t classes) {
  std::vector<std::int64_t> w = {inputs};
  for (std::int64_t i = 0; i < p.depth; ++i) w.push_back(p.nodes);
  w.push_back(classes);
  return w;
}

// The same topology as a workload network (batch 1), for the accelerator model.
Network workload_of(const std::vector<std::int64_t>& widths) {
  std::string name = "mlp";
  for (const std::int64_t w : widths) name += "-" + std::to_string(w);
  return mlp_network(std::move(name), widths);
}

// The CRC-32 (zlib's) of bytes: a stage 1 record names the weights file it wrote.
std::string checksum(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (std::size_t done = 0; done < bytes.size();) {  // zlib takes at most 4 GiB a call
    const auto n = static_cast<uInt>(std::min<std::size_t>(bytes.size() - done, 1U << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + done), n);
    done += n;
  }
  return fmt::format("{:08x}", crc);
}

struct Flow {
  Flow(const MinervaOptions& o, Settings s, fs::path d, std::atomic<bool>& flag)
      : options(o), settings(std::move(s)), dir(std::move(d)), stop(flag) {}

  const MinervaOptions& options;
  Settings settings;
  fs::path dir;
  std::atomic<bool>& stop;
  std::optional<engine::DatasetSplits> data;
  bool progress = ::isatty(STDERR_FILENO) != 0;

  // What later stages take from earlier ones.
  std::vector<std::int64_t> widths;   // stage 1: the chosen network
  std::optional<engine::Sequential> net;
  double float_error = 0.0, sigma = 0.0, bound = 0.0;
  MinervaDatapath design;              // stage 2, then refined
  double baseline_power_mw = 0.0;
  engine::MacFormats datapath{};       // stage 3
  double threshold = -1.0;             // stage 4 (< 0: no pruning)
  std::vector<double> densities;       // stage 4, per layer
  std::map<int, json> results;

  const engine::DatasetSplits& dataset() {
    if (!data) {
      Expected<engine::DatasetSplits> d =
          options.train_files.empty()
              ? engine::load_mnist_layout(options.dataset == "fashion-mnist" ? std::string(engine::kFashionMnistDir)
                                                                              : options.dataset)
              : [&]() -> Expected<engine::DatasetSplits> {
                  Expected<engine::Dataset> train = engine::load_idx_dataset(options.train_files[0], options.train_files[1]);
                  if (!train) return train.error();
                  Expected<engine::Dataset> test = engine::load_idx_dataset(options.test_files[0], options.test_files[1]);
                  if (!test) return test.error();
                  return engine::DatasetSplits{std::move(*train), std::move(*test)};
                }();
      if (!d) throw CommandFailed(d.error().message);
      const auto pixels = [](const engine::Dataset& set) { return set.size() == 0 ? 0 : set.images.size() / set.size(); };
      if (d->train.size() == 0 || d->test.size() == 0) throw CommandFailed("minerva: the training or the test set is empty");
      if (pixels(d->train) != pixels(d->test)) {
        throw CommandFailed(fmt::format("minerva: the training images have {} pixels, the test images {}; they must match",
                                        pixels(d->train), pixels(d->test)));
      }
      if (settings.train_limit > 0) d->train = engine::take_first(d->train, settings.train_limit);
      if (settings.test_limit > 0) d->test = engine::take_first(d->test, settings.test_limit);
      data = std::move(*d);
    }
    return *data;
  }

  std::int64_t inputs() { return dataset().train.size() == 0 ? 0 : dataset().train.images.size() / dataset().train.size(); }

  void note(const std::string& line) const {
    if (progress) fmt::print(stderr, "\r\033[K{}", line);
  }
  void clear_note() const {
    if (progress) fmt::print(stderr, "\r\033[K");
  }
  void check_stop(int stage) const {
    if (stop.load()) {
      clear_note();
      fmt::print(stderr,
                 "dnnspace: minerva stopped during stage {}; the stages finished are in {}: run the same command "
                 "again to resume\n",
                 stage, (dir / "checkpoint.jsonl").string());
      throw CLI::RuntimeError(StopSignalGuard::exit_code());
    }
  }

  double test_error(const engine::Sequential& n, const engine::NumericsSpec& spec = {}) {
    const engine::HardwareNetwork hw = value_or_fail(engine::HardwareNetwork::prepare(n, spec));
    return 1.0 - engine::evaluate_accuracy(hw, dataset().test, 1000, options.threads).accuracy();
  }

  // Trains one network of the space from `seed`; nullopt when stopped.
  std::optional<engine::Sequential> train(const std::vector<std::int64_t>& w, double l1, double l2, std::uint64_t seed,
                                          const std::string& what) {
    engine::Sequential n = value_or_fail(engine::make_mlp(w, engine::ActivationKind::Relu, seed));
    engine::TrainOptions t;
    t.batch = kBatch;
    t.learning_rate = kLearningRate;
    t.seed = seed;
    t.threads = options.threads;
    t.l1 = static_cast<float>(l1);
    t.l2 = static_cast<float>(l2);
    engine::Trainer trainer(n, t);
    for (std::int64_t e = 1; e <= settings.epochs; ++e) {
      trainer.train_epoch(dataset().train, [&] { return stop.load(); }, [&](std::int64_t done, std::int64_t total) {
        if (done == total || done % (kBatch * 50) == 0) note(fmt::format("{} epoch {}/{} {:3}%", what, e, settings.epochs, done * 100 / total));
      });
      if (stop.load()) return std::nullopt;
    }
    return n;
  }

  // The network's accelerator power with `d` and the layers' input densities.
  MinervaEvaluation cost(const MinervaDatapath& d, const std::vector<double>& input_density = {}) const {
    Network net_w = workload_of(widths);
    for (std::size_t i = 0; i < input_density.size() && i < net_w.layers.size(); ++i) {
      net_w.layers[i].density[TensorId::Inputs] = std::max(input_density[i], 1e-9);
    }
    return value_or_fail(evaluate_minerva(net_w, d));
  }

  json stage1();
  json stage2();
  json stage3();
  json stage4();
  json stage5();
  void restore(int stage, const json& r);
};

json design_json(const MinervaDatapath& d) {
  return {{"lanes", d.lanes}, {"macs_per_lane", d.macs_per_lane}, {"weight_banks_per_lane", d.weight_banks_per_lane},
          {"clock_mhz", d.clock_mhz}, {"weight_bits", d.weight_bits}, {"activation_bits", d.activation_bits},
          {"product_bits", d.product_bits}, {"sram_voltage", d.sram_voltage}, {"razor", d.razor},
          {"predication", d.predication}};
}

MinervaDatapath design_of(const json& j) {
  MinervaDatapath d;
  d.lanes = j.at("lanes").get<int>();
  d.macs_per_lane = j.at("macs_per_lane").get<int>();
  d.weight_banks_per_lane = j.at("weight_banks_per_lane").get<int>();
  d.clock_mhz = j.at("clock_mhz").get<double>();
  d.weight_bits = j.at("weight_bits").get<int>();
  d.activation_bits = j.at("activation_bits").get<int>();
  d.product_bits = j.at("product_bits").get<int>();
  d.sram_voltage = j.at("sram_voltage").get<double>();
  d.razor = j.at("razor").get<bool>();
  d.predication = j.at("predication").get<bool>();
  return d;
}

json evaluation_json(const MinervaEvaluation& e) {
  return {{"power_mw", e.power_mw},   {"energy_nj", e.energy_pj * 1e-3}, {"leakage_share", e.energy_pj > 0 ? e.leakage_pj / e.energy_pj : 0.0},
          {"latency_us", e.seconds * 1e6}, {"cycles", e.cycles},       {"area_mm2", e.area_mm2}};
}

engine::NumericsSpec datapath_spec(const engine::MacFormats& formats, double prune_threshold) {
  engine::NumericsSpec spec;
  spec.defaults.arithmetic = engine::Arithmetic::Fixed;
  spec.defaults.fixed = formats;
  if (prune_threshold >= 0) spec.defaults.prune_threshold = prune_threshold;
  return spec;
}

std::string format_name(const engine::FixedFormat& f) { return fmt::format("Q{}.{}", f.integer_bits, f.fraction_bits); }

json Flow::stage1() {
  const std::vector<Point> space = training_space(settings.quick);
  const std::int64_t count = std::min<std::int64_t>(settings.budget, static_cast<std::int64_t>(space.size()));
  const std::int64_t in = inputs(), classes = dataset().train.classes;
  json points = json::array();
  std::vector<CostPair> costs;
  std::vector<engine::Sequential> nets;
  for (std::int64_t i = 0; i < count; ++i) {
    const Point& p = space[static_cast<std::size_t>(i)];
    const std::vector<std::int64_t> w = widths_of(p, in, classes);
    std::optional<engine::Sequential> n =
        train(w, p.l1, p.l2, 1, fmt::format("stage 1: network {}/{} ({} x {})", i + 1, count, p.depth, p.nodes));
    check_stop(1);
    const double error = test_error(*n);
    const std::int64_t weights = total_weights(workload_of(w));
    points.push_back({{"hidden_layers", p.depth}, {"nodes", p.nodes}, {"l1", p.l1}, {"l2", p.l2},
                      {"weights", weights}, {"test_error", error}});
    costs.push_back({static_cast<double>(weights), error});
    nets.push_back(std::move(*n));
  }
  const std::vector<std::size_t> front = pareto_front(costs);
  // The chosen network: the frontier's lowest error (fewest weights among equals).
  std::size_t chosen = front.front();
  for (std::size_t i : front) {
    if (costs[i].y < costs[chosen].y || (costs[i].y == costs[chosen].y && costs[i].x < costs[chosen].x)) chosen = i;
  }
  const Point& c = space[chosen];
  widths = widths_of(c, in, classes);
  float_error = costs[chosen].y;
  // The Iso-Training Noise: the chosen network from itn_seeds seeds (seed 1 is the sweep's).
  std::vector<double> errors = {float_error};
  for (std::int64_t s = 2; s <= settings.itn_seeds; ++s) {
    std::optional<engine::Sequential> n =
        train(widths, c.l1, c.l2, static_cast<std::uint64_t>(s), fmt::format("stage 1: ITN seed {}/{}", s, settings.itn_seeds));
    check_stop(1);
    errors.push_back(test_error(*n));
  }
  clear_note();
  const engine::TrainingNoise itn = engine::training_noise(errors);
  sigma = itn.sigma;
  bound = float_error + sigma;
  net = std::move(nets[chosen]);
  const std::string bytes = engine::serialize_weights(*net);
  if (auto ok = io::write_file_atomically((dir / "network.weights").string(), bytes); !ok) throw CommandFailed(ok.error().message);
  json front_json = json::array();
  for (std::size_t i : front) front_json.push_back(i);
  return {{"points", points},
          {"front", front_json},
          {"chosen", chosen},
          {"widths", widths},
          {"test_error", float_error},
          {"itn", {{"runs", itn.runs}, {"mean_error", itn.mean_error}, {"sigma", itn.sigma}, {"min_error", itn.min_error},
                   {"max_error", itn.max_error}, {"errors", errors}}},
          {"bound", bound},
          {"weights_file", "network.weights"},
          {"weights_hash", checksum(bytes)}};
}

json Flow::stage2() {
  note("stage 2: sweeping the accelerator design space");
  const Network w = workload_of(widths);
  const std::optional<double> latency = settings.latency_us > 0 ? std::optional<double>(settings.latency_us) : std::nullopt;
  const MinervaSweep sweep = value_or_fail(minerva_sweep(w, settings.space, MinervaDatapath{}, MinervaTech{}, latency));
  clear_note();
  json points = json::array();
  for (const MinervaEvaluation& p : sweep.points) {
    json j = design_json(p.design);
    j.update(evaluation_json(p));
    points.push_back(j);
  }
  design = sweep.points[sweep.chosen].design;
  baseline_power_mw = sweep.points[sweep.chosen].power_mw;
  json front_json = json::array();
  for (std::size_t i : sweep.front) front_json.push_back(i);
  json chosen = design_json(design);
  chosen.update(evaluation_json(sweep.points[sweep.chosen]));
  return {{"network", w.name},
          {"points", points},
          {"front", front_json},
          {"chosen", sweep.chosen},
          {"choice", latency ? fmt::format("lowest power within {} us", *latency) : std::string("knee of the frontier")},
          {"latency_bound_us", settings.latency_us},
          {"design", chosen},
          {"power_mw", baseline_power_mw},
          {"test_error", float_error}};
}

json Flow::stage3() {
  engine::BitSearchOptions o;
  o.threads = options.threads;
  o.stop = &stop;
  o.progress = [&](std::int64_t evaluations) { note(fmt::format("stage 3: bit search, {} evaluations", evaluations)); };
  const engine::BitSearchResult r = value_or_fail(engine::search_fixed_point_bits(*net, dataset().test, bound, o));
  check_stop(3);
  // 001 sets the datapath to the largest requirement of each type. The error is not
  // monotone in the bits (saturation and rounding interact), so that datapath can exceed
  // the bound though every layer's own formats keep within it: then it is widened one
  // bit at a time (the integer or fraction bits of W, X or P, whichever errs least) and,
  // failing that, left at Q6.10.
  datapath = r.datapath;
  double datapath_error = r.datapath_error;
  json widened = json::array();
  for (int step = 0; step < 16 && datapath_error > bound; ++step) {
    std::optional<engine::MacFormats> best_formats;
    double best_error = 2.0;
    for (engine::FixedFormat engine::MacFormats::*signal :
         {&engine::MacFormats::weights, &engine::MacFormats::activations, &engine::MacFormats::products}) {
      for (const bool integer : {true, false}) {
        engine::MacFormats f = datapath;
        (integer ? (f.*signal).integer_bits : (f.*signal).fraction_bits) += 1;
        if (!engine::is_valid(f.*signal)) continue;
        note(fmt::format("stage 3: widening the datapath, step {}", step + 1));
        check_stop(3);
        const double e = test_error(*net, datapath_spec(f, -1.0));
        if (e < best_error) {
          best_error = e;
          best_formats = f;
        }
      }
    }
    if (!best_formats) break;
    datapath = *best_formats;
    datapath_error = best_error;
    widened.push_back({{"weights", format_name(datapath.weights)}, {"activations", format_name(datapath.activations)},
                       {"products", format_name(datapath.products)}, {"test_error", datapath_error}});
  }
  bool fell_back = false;
  if (datapath_error > bound) {
    datapath = engine::MacFormats{o.start, o.start, o.start, o.rounding};
    datapath_error = r.start_error;
    fell_back = true;
  }
  clear_note();
  design.weight_bits = engine::total_bits(r.datapath.weights);
  design.activation_bits = engine::total_bits(r.datapath.activations);
  design.product_bits = engine::total_bits(r.datapath.products);
  const MinervaEvaluation e = cost(design);
  json layers = json::array();
  for (const engine::LayerBits& l : r.layers) {
    layers.push_back({{"layer", l.layer},
                      {"weights", format_name(l.formats.weights)}, {"weights_bits", engine::total_bits(l.formats.weights)},
                      {"activations", format_name(l.formats.activations)}, {"activations_bits", engine::total_bits(l.formats.activations)},
                      {"products", format_name(l.formats.products)}, {"products_bits", engine::total_bits(l.formats.products)}});
  }
  json d = design_json(design);
  d.update(evaluation_json(e));
  return {{"layers", layers},
          {"start", "Q6.10"},
          {"start_error", r.start_error},
          {"per_layer_error", r.error},
          {"largest_per_type", {{"weights", format_name(r.datapath.weights)}, {"activations", format_name(r.datapath.activations)},
                                {"products", format_name(r.datapath.products)}}},
          {"datapath", {{"weights", format_name(datapath.weights)}, {"activations", format_name(datapath.activations)},
                        {"products", format_name(datapath.products)},
                        {"weights_int", datapath.weights.integer_bits}, {"weights_frac", datapath.weights.fraction_bits},
                        {"activations_int", datapath.activations.integer_bits},
                        {"activations_frac", datapath.activations.fraction_bits},
                        {"products_int", datapath.products.integer_bits},
                        {"products_frac", datapath.products.fraction_bits}}},
          {"largest_per_type_error", r.datapath_error},
          {"widened", widened},
          {"fell_back_to_start", fell_back},
          {"test_error", datapath_error},
          {"evaluations", r.evaluations},
          {"design", d},
          {"power_mw", e.power_mw}};
}

json Flow::stage4() {
  json rows = json::array();
  double best = -1.0;
  std::vector<double> best_densities;
  double best_error = 0.0;
  for (std::size_t i = 0; i < settings.thresholds.size(); ++i) {
    const double t = settings.thresholds[i];
    note(fmt::format("stage 4: threshold {} ({}/{})", t, i + 1, settings.thresholds.size()));
    check_stop(4);
    const engine::HardwareNetwork hw = value_or_fail(engine::HardwareNetwork::prepare(*net, datapath_spec(datapath, t)));
    const engine::AccuracyResult a = engine::evaluate_accuracy(hw, dataset().test, 1000, options.threads);
    const double error = 1.0 - a.accuracy();
    std::vector<double> d;
    for (std::size_t l = 0; l < a.layer_macs.size(); ++l) d.push_back(a.layer_density(l));
    rows.push_back({{"threshold", t}, {"test_error", error}, {"pruned_fraction", a.pruned_fraction()}, {"densities", d},
                    {"within_bound", error <= bound}});
    if (error <= bound && t > best) {
      best = t;
      best_densities = d;
      best_error = error;
    }
  }
  clear_note();
  json out = {{"sweep", rows}, {"bound", bound}};
  if (best < 0) {
    // No threshold keeps the error within ITN 1: no pruning (the stage saves nothing).
    threshold = -1.0;
    densities.assign(widths.size() - 1, 1.0);
    out["threshold"] = nullptr;
    out["test_error"] = results.at(3).at("test_error");
  } else {
    threshold = best;
    densities = best_densities;
    out["threshold"] = best;
    out["test_error"] = best_error;
  }
  out["densities"] = densities;
  // Predication costs a compare per activation read: it is built only when it pays.
  MinervaDatapath predicated = design;
  predicated.predication = true;
  const MinervaEvaluation without = cost(design, densities);
  const MinervaEvaluation with = cost(predicated, densities);
  out["predication_pays"] = threshold >= 0 && with.power_mw < without.power_mw;
  if (out["predication_pays"].get<bool>()) design = predicated;
  const MinervaEvaluation& e = design.predication ? with : without;
  json d = design_json(design);
  d.update(evaluation_json(e));
  out["design"] = d;
  out["power_mw"] = e.power_mw;
  return out;
}

json Flow::stage5() {
  const MinervaTech tech;
  const engine::HardwareNetwork hw =
      value_or_fail(engine::HardwareNetwork::prepare(*net, datapath_spec(datapath, threshold)));
  json rows = json::array();
  std::map<std::string, double> tolerated;
  std::map<std::string, double> tolerated_error;
  for (const engine::FaultMitigation m : {engine::FaultMitigation::None, engine::FaultMitigation::WordMask,
                                          engine::FaultMitigation::BitMask}) {
    const std::string name(engine::mitigation_name(m));
    bool still_within = true;  // every rate up to this one kept the error within the bound
    tolerated[name] = 0.0;
    for (const double rate : settings.fault_rates) {
      std::vector<double> errors;
      for (std::int64_t k = 0; k < settings.fault_maps; ++k) {
        note(fmt::format("stage 5: {} masking, fault rate {:g}, map {}/{}", name, rate, k + 1, settings.fault_maps));
        check_stop(5);
        const engine::HardwareNetwork faulty = value_or_fail(hw.with_weight_faults(rate, m, static_cast<std::uint64_t>(k + 1)));
        errors.push_back(1.0 - engine::evaluate_accuracy(faulty, dataset().test, 1000, options.threads).accuracy());
      }
      const engine::TrainingNoise s = engine::training_noise(errors);
      const bool within = s.mean_error <= bound;
      still_within = still_within && within;
      if (still_within) {
        tolerated[name] = rate;
        tolerated_error[name] = s.mean_error;
      }
      rows.push_back({{"mitigation", name}, {"fault_rate", rate}, {"mean_error", s.mean_error}, {"sigma", s.sigma},
                      {"min_error", s.min_error}, {"max_error", s.max_error}, {"maps", s.runs}, {"within_bound", within}});
    }
  }
  clear_note();
  // The weight SRAMs run at the voltage whose fault rate bit masking tolerates, with
  // Razor to flag the faults; when that saves nothing (no rate tolerated, or Razor costs
  // more than the lower voltage saves) they stay at nominal without Razor.
  const double rate = tolerated["bit"];
  MinervaDatapath scaled = design;
  scaled.razor = true;
  scaled.sram_voltage = sram_voltage_for_fault_rate(tech, rate);
  const MinervaEvaluation nominal = cost(design, densities);
  const MinervaEvaluation lowered = cost(scaled, densities);
  const bool pays = rate > 0 && lowered.power_mw < nominal.power_mw;
  if (pays) design = scaled;
  const MinervaEvaluation& e = pays ? lowered : nominal;
  json d = design_json(design);
  d.update(evaluation_json(e));
  json tolerated_json = json::object();
  for (const auto& [k, v] : tolerated) tolerated_json[k] = v;
  return {{"sweep", rows},
          {"bound", bound},
          {"tolerated_fault_rate", tolerated_json},
          {"fault_rate", rate},
          {"sram_voltage", design.sram_voltage},
          {"voltage_scaling_pays", pays},
          {"test_error", pays ? json(tolerated_error["bit"]) : results.at(4).at("test_error")},
          {"curve", {{"fault_rate_at_nominal", tech.fault_rate_at_nominal}, {"mv_per_decade", tech.mv_per_decade},
                     {"nominal_voltage", tech.nominal_voltage}}},
          {"design", d},
          {"power_mw", e.power_mw}};
}

// Takes a finished stage's results back from its checkpoint record.
void Flow::restore(int stage, const json& r) {
  switch (stage) {
    case 1: {
      widths = r.at("widths").get<std::vector<std::int64_t>>();
      float_error = r.at("test_error").get<double>();
      sigma = r.at("itn").at("sigma").get<double>();
      bound = r.at("bound").get<double>();
      const std::string path = (dir / "network.weights").string();
      std::ifstream in(path, std::ios::binary);
      std::ostringstream buffer;
      buffer << in.rdbuf();
      if (!in) throw CommandFailed(path + ": cannot read the network stage 1 trained (remove " +
                                   (dir / "checkpoint.jsonl").string() + " to start over)");
      const std::optional<std::string> bytes = buffer.str();
      if (checksum(*bytes) != r.at("weights_hash").get<std::string>()) {
        throw CommandFailed(path + ": changed since stage 1 wrote it; remove " + (dir / "checkpoint.jsonl").string() +
                            " to start over");
      }
      net = value_or_fail(engine::deserialize_weights(*bytes, path));
      break;
    }
    case 2:
      if (r.at("latency_bound_us").get<double>() != settings.latency_us) {
        const auto bound_text = [](double us) { return us > 0 ? fmt::format("--latency-us {:g}", us) : std::string("the knee"); };
        throw CommandFailed(fmt::format("--latency-us: stage 2 in {} chose its baseline by {}, this run asks for {}; run "
                                        "with the same, or start a new --out",
                                        dir.string(), bound_text(r.at("latency_bound_us").get<double>()),
                                        bound_text(settings.latency_us)));
      }
      design = design_of(r.at("design"));
      baseline_power_mw = r.at("power_mw").get<double>();
      break;
    case 3: {
      const json& d = r.at("datapath");
      datapath.weights = {d.at("weights_int").get<int>(), d.at("weights_frac").get<int>()};
      datapath.activations = {d.at("activations_int").get<int>(), d.at("activations_frac").get<int>()};
      datapath.products = {d.at("products_int").get<int>(), d.at("products_frac").get<int>()};
      design = design_of(r.at("design"));
      break;
    }
    case 4:
      threshold = r.at("threshold").is_null() ? -1.0 : r.at("threshold").get<double>();
      densities = r.at("densities").get<std::vector<double>>();
      design = design_of(r.at("design"));
      break;
    case 5:
      design = design_of(r.at("design"));
      break;
    default:
      break;
  }
}

// One stage's rows as CSV: the sweep it ran.
std::string stage_csv(int stage, const json& r) {
  std::ostringstream os;
  const auto num = [](const json& v) { return v.is_null() ? std::string() : v.dump(); };
  switch (stage) {
    case 1: {
      os << "hidden_layers,nodes,l1,l2,weights,test_error,on_front,chosen\n";
      std::set<std::size_t> front;
      for (const json& i : r.at("front")) front.insert(i.get<std::size_t>());
      const std::size_t chosen = r.at("chosen").get<std::size_t>();
      for (std::size_t i = 0; i < r.at("points").size(); ++i) {
        const json& p = r.at("points")[i];
        os << p.at("hidden_layers") << ',' << p.at("nodes") << ',' << num(p.at("l1")) << ',' << num(p.at("l2")) << ','
           << p.at("weights") << ',' << num(p.at("test_error")) << ',' << (front.count(i) ? 1 : 0) << ',' << (i == chosen ? 1 : 0)
           << '\n';
      }
      break;
    }
    case 2: {
      os << "lanes,macs_per_lane,weight_banks_per_lane,clock_mhz,latency_us,power_mw,energy_nj,leakage_share,area_mm2,on_front,chosen\n";
      std::set<std::size_t> front;
      for (const json& i : r.at("front")) front.insert(i.get<std::size_t>());
      const std::size_t chosen = r.at("chosen").get<std::size_t>();
      for (std::size_t i = 0; i < r.at("points").size(); ++i) {
        const json& p = r.at("points")[i];
        os << p.at("lanes") << ',' << p.at("macs_per_lane") << ',' << p.at("weight_banks_per_lane") << ','
           << num(p.at("clock_mhz")) << ',' << num(p.at("latency_us")) << ',' << num(p.at("power_mw")) << ','
           << num(p.at("energy_nj")) << ',' << num(p.at("leakage_share")) << ',' << num(p.at("area_mm2")) << ','
           << (front.count(i) ? 1 : 0) << ',' << (i == chosen ? 1 : 0) << '\n';
      }
      break;
    }
    case 3:
      os << "layer,weights,activations,products,weights_bits,activations_bits,products_bits\n";
      for (const json& l : r.at("layers")) {
        os << l.at("layer").get<std::string>() << ',' << l.at("weights").get<std::string>() << ','
           << l.at("activations").get<std::string>() << ',' << l.at("products").get<std::string>() << ','
           << l.at("weights_bits") << ',' << l.at("activations_bits") << ',' << l.at("products_bits") << '\n';
      }
      break;
    case 4:
      os << "threshold,test_error,pruned_fraction,within_bound\n";
      for (const json& s : r.at("sweep")) {
        os << num(s.at("threshold")) << ',' << num(s.at("test_error")) << ',' << num(s.at("pruned_fraction")) << ','
           << (s.at("within_bound").get<bool>() ? 1 : 0) << '\n';
      }
      break;
    case 5:
      os << "mitigation,fault_rate,mean_error,sigma,min_error,max_error,maps,within_bound\n";
      for (const json& s : r.at("sweep")) {
        os << s.at("mitigation").get<std::string>() << ',' << num(s.at("fault_rate")) << ',' << num(s.at("mean_error"))
           << ',' << num(s.at("sigma")) << ',' << num(s.at("min_error")) << ',' << num(s.at("max_error")) << ','
           << s.at("maps") << ',' << (s.at("within_bound").get<bool>() ? 1 : 0) << '\n';
      }
      break;
    default:
      break;
  }
  return os.str();
}

std::string percent(double x) { return fmt::format("{:.2f}%", 100.0 * x); }

// One stage's lines for the terminal.
std::string stage_summary(int stage, const json& r) {
  switch (stage) {
    case 1: {
      const json& c = r.at("points")[r.at("chosen").get<std::size_t>()];
      return fmt::format("stage 1  training space: {} networks, {} on the frontier; chosen {} x {} (L1 {:g}, L2 {:g}), {} "
                         "weights, error {}; ITN over {} seeds: mean {}, sigma {}; bound {}",
                         r.at("points").size(), r.at("front").size(), c.at("hidden_layers").get<int>(),
                         c.at("nodes").get<int>(), c.at("l1").get<double>(), c.at("l2").get<double>(),
                         c.at("weights").get<std::int64_t>(), percent(r.at("test_error").get<double>()),
                         r.at("itn").at("runs").get<std::int64_t>(), percent(r.at("itn").at("mean_error").get<double>()),
                         percent(r.at("itn").at("sigma").get<double>()), percent(r.at("bound").get<double>()));
    }
    case 2: {
      const json& d = r.at("design");
      return fmt::format("stage 2  accelerator: {} designs, {} on the frontier; {}: {} lanes x {} MACs, {} banks per lane, "
                         "{:g} MHz: {:.2f} us, {:.3f} mW, {:.2f} mm2",
                         r.at("points").size(), r.at("front").size(), r.at("choice").get<std::string>(),
                         d.at("lanes").get<int>(), d.at("macs_per_lane").get<int>(), d.at("weight_banks_per_lane").get<int>(),
                         d.at("clock_mhz").get<double>(), d.at("latency_us").get<double>(), r.at("power_mw").get<double>(),
                         d.at("area_mm2").get<double>());
    }
    case 3: {
      const json& d = r.at("datapath");
      return fmt::format("stage 3  quantization: datapath W {} X {} P {} (from Q6.10), error {}: {:.3f} mW",
                         d.at("weights").get<std::string>(), d.at("activations").get<std::string>(),
                         d.at("products").get<std::string>(), percent(r.at("test_error").get<double>()),
                         r.at("power_mw").get<double>());
    }
    case 4: {
      if (r.at("threshold").is_null()) {
        return fmt::format("stage 4  pruning: no threshold keeps the error within the bound: {:.3f} mW", r.at("power_mw").get<double>());
      }
      double pruned = 0.0;
      for (const json& s : r.at("sweep")) {
        if (s.at("threshold") == r.at("threshold")) pruned = s.at("pruned_fraction").get<double>();
      }
      return fmt::format("stage 4  pruning: threshold {:g} prunes {} of the MACs, error {}: {:.3f} mW",
                         r.at("threshold").get<double>(), percent(pruned), percent(r.at("test_error").get<double>()),
                         r.at("power_mw").get<double>());
    }
    case 5: {
      const json& t = r.at("tolerated_fault_rate");
      return fmt::format("stage 5  SRAM faults: tolerated bit-fault rate none {:g}, word {:g}, bit {:g}; weight SRAMs at "
                         "{:.3f} V with Razor: {:.3f} mW",
                         t.at("none").get<double>(), t.at("word").get<double>(), t.at("bit").get<double>(),
                         r.at("sram_voltage").get<double>(), r.at("power_mw").get<double>());
    }
    default:
      return "";
  }
}

// One stage's table for the terminal, under its summary line.
std::string stage_table(int stage, const json& r) {
  std::vector<std::vector<std::string>> rows;
  const auto pct = [](const json& v) { return fmt::format("{:.2f}%", 100.0 * v.get<double>()); };
  switch (stage) {
    case 1: {
      rows.push_back({"frontier", "penalty", "weights", "test error"});
      for (const json& i : r.at("front")) {
        const json& p = r.at("points")[i.get<std::size_t>()];
        const double l1 = p.at("l1").get<double>(), l2 = p.at("l2").get<double>();
        rows.push_back({fmt::format("{} x {}{}", p.at("hidden_layers").get<int>(), p.at("nodes").get<int>(),
                                    i == r.at("chosen") ? " (chosen)" : ""),
                        l1 > 0 ? fmt::format("L1 {:g}", l1) : l2 > 0 ? fmt::format("L2 {:g}", l2) : "none",
                        std::to_string(p.at("weights").get<std::int64_t>()), pct(p.at("test_error"))});
      }
      break;
    }
    case 3:
      rows.push_back({"layer", "W", "X", "P"});
      for (const json& l : r.at("layers")) {
        rows.push_back({l.at("layer").get<std::string>(), l.at("weights").get<std::string>(),
                        l.at("activations").get<std::string>(), l.at("products").get<std::string>()});
      }
      rows.push_back({"datapath", r.at("datapath").at("weights").get<std::string>(),
                      r.at("datapath").at("activations").get<std::string>(), r.at("datapath").at("products").get<std::string>()});
      break;
    case 4:
      rows.push_back({"threshold", "test error", "MACs pruned", "within ITN 1"});
      for (const json& t : r.at("sweep")) {
        rows.push_back({fmt::format("{:g}", t.at("threshold").get<double>()), pct(t.at("test_error")),
                        pct(t.at("pruned_fraction")), t.at("within_bound").get<bool>() ? "yes" : "no"});
      }
      break;
    case 5: {
      rows.push_back({"fault rate", "none", "word", "bit"});
      std::map<double, std::map<std::string, std::string>> by_rate;
      for (const json& t : r.at("sweep")) {
        by_rate[t.at("fault_rate").get<double>()][t.at("mitigation").get<std::string>()] =
            pct(t.at("mean_error")) + (t.at("within_bound").get<bool>() ? "" : " *");
      }
      for (auto& [rate, cells] : by_rate) rows.push_back({fmt::format("{:g}", rate), cells["none"], cells["word"], cells["bit"]});
      return report::render_table(rows, "  ") + "  (mean test error over the fault maps; * above the bound)\n";
    }
    default:
      return "";
  }
  return report::render_table(rows, "  ");
}

void write_or_fail(const fs::path& path, const std::string& contents) {
  if (auto ok = io::write_file_atomically(path.string(), contents); !ok) throw CommandFailed(ok.error().message);
}

// Writes stageK.json and stageK.csv, then draws stageK.png.
void write_stage(const fs::path& dir, const std::string& stem, const json& result, const std::string& csv) {
  write_or_fail(dir / (stem + ".json"), result.dump(2) + "\n");
  write_or_fail(dir / (stem + ".csv"), csv);
  const fs::path png = dir / (stem + ".png");
  std::fflush(stdout);
  const int code = run_python_module("dnnspace.plot", {(dir / (stem + ".json")).string(), "--out", png.string()});
  if (code != 0) throw CommandFailed(png.string() + ": the figure was not drawn (python3 exited " + std::to_string(code) + ")");
}

// The final report: power per stage beside 001's MNIST factors.
json final_report(const std::map<int, json>& results) {
  // 001 Sec. 4.4-4.5 on MNIST: quantization 1.6x, pruning 1.9x, SRAM faults 2.5x; 8.1x the
  // average total over its five datasets (averages 1.5x, 2.0x, 2.7x).
  const std::vector<std::tuple<int, const char*, double, double>> stages = {
      {2, "baseline (stage 2)", 0.0, 0.0}, {3, "quantization (stage 3)", 1.6, 1.5}, {4, "pruning (stage 4)", 1.9, 2.0},
      {5, "SRAM faults (stage 5)", 2.5, 2.7}};
  json rows = json::array();
  double previous = 0.0, base = 0.0;
  for (const auto& [k, name, mnist, average] : stages) {
    const double power = results.at(k).at("power_mw").get<double>();
    if (k == 2) base = power;
    rows.push_back({{"stage", k}, {"name", name}, {"power_mw", power},
                    {"test_error", results.at(k).at("test_error")},
                    {"factor", k == 2 ? json(nullptr) : json(previous / power)},
                    {"total_factor", base / power},
                    {"minerva_mnist_factor", k == 2 ? json(nullptr) : json(mnist)},
                    {"minerva_average_factor", k == 2 ? json(nullptr) : json(average)}});
    previous = power;
  }
  return {{"minerva_final", true},
          {"stages", rows},
          {"bound", results.at(1).at("bound")},
          {"total_factor", base / previous},
          {"minerva_total_factor", 8.1}};
}

std::string final_csv(const json& f) {
  std::ostringstream os;
  os << "stage,name,power_mw,test_error,factor,total_factor,minerva_mnist_factor,minerva_average_factor\n";
  const auto num = [](const json& v) { return v.is_null() ? std::string() : v.dump(); };
  for (const json& r : f.at("stages")) {
    os << r.at("stage") << ',' << r.at("name").get<std::string>() << ',' << num(r.at("power_mw")) << ','
       << num(r.at("test_error")) << ',' << num(r.at("factor")) << ',' << num(r.at("total_factor")) << ','
       << num(r.at("minerva_mnist_factor")) << ',' << num(r.at("minerva_average_factor")) << '\n';
  }
  return os.str();
}

std::string final_table(const json& f) {
  std::vector<std::vector<std::string>> rows = {
      {"stage", "power (mW)", "test error", "factor", "total", "001 MNIST", "001 average"}};
  const auto factor = [](const json& v) { return v.is_null() ? std::string("-") : fmt::format("{:.2f}x", v.get<double>()); };
  for (const json& r : f.at("stages")) {
    rows.push_back({r.at("name").get<std::string>(), fmt::format("{:.3f}", r.at("power_mw").get<double>()),
                    fmt::format("{:.2f}%", 100.0 * r.at("test_error").get<double>()), factor(r.at("factor")),
                    factor(r.at("total_factor")), factor(r.at("minerva_mnist_factor")), factor(r.at("minerva_average_factor"))});
  }
  return report::render_table(rows) +
         fmt::format("overall {:.2f}x less power (001: 8.1x on average); every stage within ITN 1 = {:.2f}%\n",
                     f.at("total_factor").get<double>(), 100.0 * f.at("bound").get<double>());
}

std::set<int> parse_stages(const std::string& text) {
  const auto fail = [&] {
    return CommandFailed("--stages '" + text + "': give stages 1 to 5 as a range or a list, e.g. 1-5, 3, 2-4 or 1,2");
  };
  std::set<int> out;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    const std::size_t dash = part.find('-');
    const std::string a = part.substr(0, dash), b = dash == std::string::npos ? a : part.substr(dash + 1);
    if (a.size() != 1 || b.size() != 1 || a[0] < '1' || a[0] > '5' || b[0] < a[0] || b[0] > '5') throw fail();
    for (int k = a[0] - '0'; k <= b[0] - '0'; ++k) out.insert(k);
  }
  if (out.empty()) throw fail();
  return out;
}

Settings settings_of(const MinervaOptions& o) {
  Settings s;
  s.dataset = o.train_files.empty() ? o.dataset
                                    : o.train_files[0] + " " + o.train_files[1] + " / " + o.test_files[0] + " " + o.test_files[1];
  s.quick = o.quick;
  s.latency_us = o.latency_us;
  if (o.quick) {
    // Small enough for the test suite: a few networks on part of the data.
    s.train_limit = 6000;
    s.test_limit = 500;
    s.budget = 4;
    s.epochs = 2;
    s.itn_seeds = 3;
    s.fault_maps = 3;
    s.thresholds = {0.0, 0.1, 0.5, 1.0};
    s.fault_rates = {1e-4, 1e-3, 1e-2};
    s.space.lanes = {1, 4, 16};
    s.space.macs_per_lane = {1, 4};
    s.space.weight_banks_per_lane = {1, 4};
    s.space.clocks_mhz = {250.0};
  } else {
    s.thresholds = {0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0};
    s.fault_rates = {1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1};
  }
  if (o.budget_option->count() > 0) s.budget = o.budget;
  if (o.epochs_option->count() > 0) s.epochs = o.epochs;
  if (o.itn_option->count() > 0) s.itn_seeds = o.itn_seeds;
  if (o.maps_option->count() > 0) s.fault_maps = o.fault_maps;
  return s;
}

int run_minerva(const MinervaOptions& options) {
  StopSignalGuard guard;
  const std::set<int> requested = parse_stages(options.stages);
  if (options.train_files.empty() != options.test_files.empty()) {
    throw CommandFailed("--train and --test come together (each IMAGES LABELS), or neither (--dataset)");
  }
  Settings settings = settings_of(options);
  const fs::path dir = options.out;
  std::error_code ec;
  const fs::path checkpoint_path = dir / "checkpoint.jsonl";
  if (!fs::exists(checkpoint_path, ec)) {
    // A new run starts at stage 1: refuse a later first stage before creating anything.
    for (int j = 1; j < *requested.rbegin(); ++j) {
      if (!requested.count(j)) {
        throw CommandFailed(fmt::format("--stages {}: stage {} needs stage {}'s results and {} holds no run yet; run "
                                        "--stages 1-{}",
                                        options.stages, *requested.rbegin(), j, options.out, *requested.rbegin()));
      }
    }
  }
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw CommandFailed("--out '" + options.out + "': exists and is not a directory (the run's files go into a directory)");
  }
  const bool resume = fs::exists(checkpoint_path, ec);
  if (!resume) {
    // A directory of someone else's files: none of ours may replace one of theirs.
    for (const std::string stem : {"stage1", "stage2", "stage3", "stage4", "stage5", "final"}) {
      for (const std::string ext : {".json", ".csv", ".png"}) {
        if (fs::exists(dir / (stem + ext), ec)) {
          throw CommandFailed("--out '" + options.out + "': holds " + stem + ext +
                              " but no checkpoint.jsonl of a minerva run; give a new or empty directory");
        }
      }
    }
    if (fs::exists(dir / "network.weights", ec)) {
      throw CommandFailed("--out '" + options.out + "': holds network.weights but no checkpoint.jsonl of a minerva run; "
                          "give a new or empty directory");
    }
  }
  Flow flow(options, settings, dir, StopSignalGuard::flag());
  std::optional<dist::Checkpoint> checkpoint;
  if (resume) {
    checkpoint = value_or_fail(dist::Checkpoint::open("--out", checkpoint_path.string(), "minerva", settings.to_json(), true));
    for (const dist::CheckpointRecord& r : checkpoint->records()) {
      const json& j = r.record;
      if (!j.is_object() || !j.contains("stage") || !j["stage"].is_number_integer() || !j.contains("result") ||
          j["stage"].get<int>() < 1 || j["stage"].get<int>() > kStages || flow.results.count(j["stage"].get<int>())) {
        throw CommandFailed(r.where + ": not a minerva stage record (or a stage recorded twice)");
      }
      flow.results[j["stage"].get<int>()] = j["result"];
    }
  }
  // A stage needs every earlier one: done before, or run now.
  for (int k : requested) {
    for (int j = 1; j < k; ++j) {
      if (!flow.results.count(j) && !requested.count(j)) {
        throw CommandFailed(fmt::format("--stages {}: stage {} needs stage {}'s results, which {} does not hold; run "
                                        "--stages {}-{}",
                                        options.stages, k, j, checkpoint_path.string(), j, *requested.rbegin()));
      }
    }
  }
  // The data, when a stage to run needs it: a bad dataset fails before anything is written.
  for (int k = 1; k <= *requested.rbegin(); ++k) {
    if (!flow.results.count(k) && k != 2) {
      flow.dataset();
      break;
    }
  }
  if (!resume) {
    fs::create_directories(dir, ec);
    if (ec) throw CommandFailed("--out '" + options.out + "': cannot create the directory (" + ec.message() + ")");
    checkpoint = value_or_fail(dist::Checkpoint::open("--out", checkpoint_path.string(), "minerva", settings.to_json(), false));
  }
  const int last = *requested.rbegin();
  for (int k = 1; k <= last; ++k) {
    const std::string stem = "stage" + std::to_string(k);
    if (flow.results.count(k)) {
      try {
        flow.restore(k, flow.results[k]);
      } catch (const json::exception& e) {
        throw CommandFailed(checkpoint_path.string() + ": stage " + std::to_string(k) + "'s record is malformed (" + e.what() + ")");
      }
      if (requested.count(k)) {
        fmt::print("{} (resumed from {})\n{}", stage_summary(k, flow.results[k]), checkpoint_path.string(),
                   stage_table(k, flow.results[k]));
        if (!fs::exists(dir / (stem + ".png"), ec)) write_stage(dir, stem, flow.results[k], stage_csv(k, flow.results[k]));
      }
      continue;
    }
    json result = k == 1 ? flow.stage1() : k == 2 ? flow.stage2() : k == 3 ? flow.stage3() : k == 4 ? flow.stage4() : flow.stage5();
    result["minerva_stage"] = k;
    flow.results[k] = result;
    write_stage(dir, stem, result, stage_csv(k, result));
    if (auto ok = checkpoint->append({{"stage", k}, {"result", result}}); !ok) throw CommandFailed(ok.error().message);
    fmt::print("{}\n{}", stage_summary(k, result), stage_table(k, result));
    std::fflush(stdout);
  }
  if (flow.results.size() == static_cast<std::size_t>(kStages)) {
    const json report = final_report(flow.results);
    write_stage(dir, "final", report, final_csv(report));
    fmt::print("\n{}", final_table(report));
    fmt::print("wrote {}: stage1-5 and final .json, .csv and .png\n", dir.string());
  }
  return kExitOk;
}

}  // namespace

void register_minerva_command(CLI::App& app) {
  auto options = std::make_shared<MinervaOptions>();
  CLI::App* cmd = app.add_subcommand(
      "minerva", "001's Minerva flow on a dataset: training space and ITN, accelerator design space, quantization, "
                 "activation pruning, SRAM voltage scaling (docs/minerva.md)");
  cmd->add_option("--dataset", options->dataset,
                  "fashion-mnist (Debian's dataset-fashion-mnist; the MNIST digits are not packaged) or a directory "
                  "with the four MNIST-layout IDX files (default fashion-mnist)");
  CLI::Option* train = cmd->add_option("--train", options->train_files, "training set: IMAGES LABELS (IDX files)")
                           ->expected(2)
                           ->type_name("IMAGES LABELS");
  CLI::Option* test = cmd->add_option("--test", options->test_files, "test set: IMAGES LABELS (IDX files)")
                          ->expected(2)
                          ->type_name("IMAGES LABELS");
  train->excludes(cmd->get_option("--dataset"));
  test->excludes(cmd->get_option("--dataset"));
  cmd->add_option("--stages", options->stages,
                  "which stages to run: a range or list of 1-5 (default 1-5); a stage needs the earlier ones, run now "
                  "or found in --out");
  cmd->add_option("--out", options->out,
                  "the run's directory (default ./minerva): stageK.json/.csv/.png, final.*, network.weights and the "
                  "checkpoint; a directory that holds a run of the same settings is resumed");
  cmd->add_flag("--quick", options->quick,
                "a small run for tests: 4 networks of 2 epochs on 6,000 images, 3 ITN seeds, a small design space, "
                "3 fault maps per rate, 500 test images");
  options->budget_option =
      cmd->add_option("--budget", options->budget, "networks trained in stage 1, 1..75 (default 45; --quick 4)")
          ->check(CLI::Range(1, 75));
  options->epochs_option =
      cmd->add_option("--epochs", options->epochs, "epochs per network, 1..1000 (default 3; --quick 2)")
          ->check(CLI::Range(1, 1000));
  options->itn_option = cmd->add_option("--itn-seeds", options->itn_seeds,
                                        "trainings of the chosen network for the ITN, 2..1000 (default 10; 001 uses 50)")
                            ->check(CLI::Range(2, 1000));
  options->maps_option = cmd->add_option("--fault-maps", options->fault_maps,
                                         "fault maps per rate and mitigation in stage 5, 1..10000 (default 20)")
                             ->check(CLI::Range(1, 10000));
  cmd->add_option("--latency-us", options->latency_us,
                  "stage 2's baseline: the lowest-power design within this latency per inference (default: the knee)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--threads", options->threads, "worker threads (default: all cores)")->check(CLI::Range(1, 1024));
  cmd->callback([options] {
    const int code = run_minerva(*options);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace dnnspace::cli
