#include "dnnspace/search/scale.hpp"

#include <cmath>
#include <limits>

#include "dnnspace/arch/area.hpp"
#include "dnnspace/model/gpu_roofline.hpp"
#include "dnnspace/model/tiled_conv.hpp"
#include "dnnspace/search/fpga_dse.hpp"
#include "dnnspace/search/network_search.hpp"
#include "dnnspace/search/training_search.hpp"

namespace dnnspace {

std::string_view parallelism_name(Parallelism p) noexcept {
  switch (p) {
    case Parallelism::Model: return "model";
    case Parallelism::Data: return "data";
    case Parallelism::Hybrid: return "hybrid";
  }
  return "?";
}

Expected<Parallelism> parse_parallelism(std::string_view name) {
  for (Parallelism p : {Parallelism::Model, Parallelism::Data, Parallelism::Hybrid}) {
    if (name == parallelism_name(p)) return p;
  }
  return Error{"unknown parallelism '" + std::string(name) + "' (allowed: model, data, hybrid)"};
}

std::string ScaleNode::name() const {
  switch (kind) {
    case Kind::Asic: return arch.name;
    case Kind::Gpu: return "gpu:" + gpu.name;
    case Kind::Fpga: return "fpga:" + fpga.name;
  }
  return "?";
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Whether a layer is split by samples (data) or by output channels (model) at this
// parallelism: hybrid splits the convolutions by samples and the rest by channels
// (Krizhevsky's "one weird trick", 000 ref. [5]).
bool by_samples(Parallelism p, const Layer& l) noexcept {
  return p == Parallelism::Data || (p == Parallelism::Hybrid && l.kind == LayerKind::Conv);
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) noexcept { return (a + b - 1) / b; }

// Bytes of one word of tensor t as the node stores it off chip.
double word_bytes_of(const ScaleNode& node, TensorId t) {
  switch (node.kind) {
    case ScaleNode::Kind::Asic: return static_cast<double>(tensor_bytes(node.arch, node.arch.levels.front(), t));
    case ScaleNode::Kind::Gpu: return gpu_precision_bytes(node.precision);
    case ScaleNode::Kind::Fpga: return static_cast<double>(node.fpga.word_bits) / 8.0;
  }
  return 0.0;
}

// One node's time and energy per layer (energy NaN when the platform states no power).
struct NodeRun {
  std::vector<double> time_s;
  std::vector<double> energy_j;  // ASIC: per layer, the model's; empty for the others (power x step)
  bool complete = true;
  bool interrupted = false;
  std::vector<std::string> notes;
};

Expected<NodeRun> run_node(const Network& net, const ScaleNode& node, const ScaleOptions& options,
                           const std::atomic<bool>* stop) {
  NodeRun run;
  switch (node.kind) {
    case ScaleNode::Kind::Asic: {
      MapperOptions mapper = options.mapper;
      mapper.stop = stop;
      const double hz = node.arch.clock_mhz * 1e6;
      if (options.training) {
        Expected<TrainingSearch> t = search_training(net, node.arch, mapper, TrainingOptions{});
        if (!t) return t.error();
        int timed_out = 0;
        for (const TrainingLayer& l : t->layers) {
          run.time_s.push_back(static_cast<double>(l.cycles) / hz);
          run.energy_j.push_back(l.energy_pj * 1e-12);
          for (const LayerSearch& pass : l.passes) timed_out += pass.result.timed_out ? 1 : 0;
        }
        if (timed_out > 0) {
          run.notes.push_back(std::to_string(timed_out) + " pass searches stopped at --time-limit: their mappings are the best found, not proven optimal");
        }
        run.complete = t->unmapped.empty();
        for (const std::string& u : t->unmapped) run.notes.push_back("no mapping: " + u);
        run.interrupted = t->interrupted;
      } else {
        const NetworkSearch s = search_network(net, node.arch, mapper);
        int timed_out = 0;
        for (const LayerSearch& l : s.layers) {
          run.time_s.push_back(l.result.found ? static_cast<double>(l.result.cost.cycles) / hz : 0.0);
          run.energy_j.push_back(l.result.found ? l.result.cost.energy_pj * 1e-12 : 0.0);
          timed_out += l.result.timed_out && l.same_search_as.empty() ? 1 : 0;
        }
        if (timed_out > 0) {
          run.notes.push_back(std::to_string(timed_out) + " layer searches stopped at --time-limit: their mappings are the best found, not proven optimal");
        }
        run.complete = s.unmapped.empty();
        for (const std::string& u : s.unmapped) run.notes.push_back("no mapping: " + u);
        run.interrupted = s.interrupted;
      }
      break;
    }
    case ScaleNode::Kind::Gpu:
      for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        const GpuLayerCost c = gpu_layer_cost(l, node.gpu, node.precision);
        double time = c.time_s;
        if (options.training) {
          // The gradient passes have the forward pass's MACs and tensors (costed with its
          // GEMM); the sgd update reads weights and gradients and writes the weights.
          const LayerTraining needs = layer_training(l, i == 0);
          time += (needs.dgrad ? c.time_s : 0.0) + (needs.wgrad ? c.time_s : 0.0);
          time += 3.0 * static_cast<double>(needs.parameters) * gpu_precision_bytes(node.precision) /
                  (node.gpu.dram_bandwidth_gbps * 1e9);
        }
        run.time_s.push_back(time);
      }
      break;
    case ScaleNode::Kind::Fpga: {
      Expected<FpgaExploration> e = explore_fpga(net, node.fpga, stop, /*whole_network=*/true);
      if (!e) return e.error();
      run.interrupted = e->interrupted;
      if (!e->found) return Error{"no design of the tiled engine fits " + node.fpga.name + " for every layer"};
      std::size_t k = 0;
      for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        if (!engine_shape(l)) {
          run.time_s.push_back(0.0);
          run.complete = false;
          run.notes.push_back("not run on the engine: " + l.name);
          continue;
        }
        double time = e->on_shared[k++].cost.time_s;
        if (options.training) {
          // As on a GPU: the gradient passes cost their forward shape's time, the sgd
          // update streams weights and gradients through DRAM.
          const LayerTraining needs = layer_training(l, i == 0);
          time *= 1.0 + (needs.dgrad ? 1.0 : 0.0) + (needs.wgrad ? 1.0 : 0.0);
          time += 3.0 * static_cast<double>(needs.parameters) * static_cast<double>(node.fpga.word_bits) / 8.0 /
                  (node.fpga.dram_bandwidth_gbps * 1e9);
        }
        run.time_s.push_back(time);
      }
      run.notes.push_back("one design for all layers: " + design_text(e->shared));
      break;
    }
  }
  return run;
}

}  // namespace

Expected<ScaleStudy> scale_network(const Network& network, const ScaleNode& node, const std::vector<std::int64_t>& nodes,
                                   const ScaleOptions& options, const std::atomic<bool>* stop) {
  if (network.layers.empty()) return Error{"network '" + network.name + "' has no layers"};
  if (options.training) {
    if (auto ok = check_trainable(network); !ok) return ok.error();
  }
  ScaleStudy study;
  study.batch = batch_size(network.layers.front());
  const double ops =
      2.0 * static_cast<double>(options.training ? training_macs(network) : total_macs(network));

  const auto point_for = [&](std::int64_t n) -> Expected<ScalePoint> {
    if (n < 1) return Error{"--nodes: a node count must be at least 1, got " + std::to_string(n)};
    ScalePoint p;
    p.nodes = n;
    p.ops = ops;
    p.busy_nodes = n;
    // Each node's share of every layer, and how many nodes have a share.
    Network share = network;
    std::vector<std::int64_t> busy;
    for (Layer& l : share.layers) {
      if (by_samples(options.parallelism, l)) {
        const std::int64_t b = batch_size(l);
        if (n > b) {
          return Error{"--nodes " + std::to_string(n) + ": " + std::string(parallelism_name(options.parallelism)) +
                       " parallelism splits the batch of " + std::to_string(b) + " samples over the nodes of layer '" +
                       l.name + "'; give --batch " + std::to_string(n) + " or more"};
        }
        if (auto ok = set_batch(l, ceil_div(b, n)); !ok) return ok.error();
        busy.push_back(ceil_div(b, ceil_div(b, n)));
      } else {
        if (l.kind == LayerKind::Workload) {
          return Error{"layer '" + l.name + "' is a workload given as data: model parallelism splits output channels (K), "
                       "which it does not name; use --parallel data"};
        }
        // Output channels are G x K: a grouped layer with fewer channels per group than
        // nodes (a depthwise one has 1) is split by groups.
        // (Groups that are per-sample heads, groups_per_sample > 0, stay whole: their G is
        // part of the batch.)
        const Dim d = l.groups_per_sample == 0 && l.bounds[Dim::G] > 1 && l.bounds[Dim::K] < n ? Dim::G : Dim::K;
        const std::int64_t total = l.bounds[d];
        l.bounds[d] = ceil_div(total, n);
        busy.push_back(ceil_div(total, l.bounds[d]));
      }
      p.busy_nodes = std::min(p.busy_nodes, busy.back());
    }
    Expected<NodeRun> run = run_node(share, node, options, stop);
    if (!run) return run.error();
    p.complete = run->complete;
    p.notes = run->notes;
    if (run->interrupted) study.interrupted = true;
    for (double t : run->time_s) p.compute_s += t;

    // The collectives (docs/platforms.md): by samples, the gradients all-reduced in
    // training; by channels, each output all-gathered (and its input gradient
    // reduce-scattered in training); an input split by samples entering a layer split by
    // channels is all-gathered first.
    CollectiveCost comm;
    const auto add = [&](const CollectiveCost& c) {
      comm.time_s += c.time_s;
      comm.link_bytes += c.link_bytes;
      comm.energy_j += c.energy_j;
    };
    for (std::size_t i = 0; i < network.layers.size(); ++i) {
      const Layer& l = network.layers[i];
      const LayerTraining needs = layer_training(l, i == 0);
      // The input as data (a convolution's padding is not exchanged).
      const double in_words = static_cast<double>(l.kind == LayerKind::Workload ? tensor_size(l, TensorId::Inputs)
                                                                                 : unpadded_input_size(l));
      const double in_bytes = in_words * word_bytes_of(node, TensorId::Inputs);
      if (by_samples(options.parallelism, l)) {
        if (options.training && needs.parameters > 0) {
          add(all_reduce(options.links, n, static_cast<double>(needs.parameters) * word_bytes_of(node, needs.parameter_slot)));
        }
        continue;
      }
      if (i > 0 && by_samples(options.parallelism, network.layers[i - 1])) add(all_gather(options.links, n, in_bytes));
      add(all_gather(options.links, n,
                     static_cast<double>(tensor_size(l, TensorId::Outputs)) * word_bytes_of(node, TensorId::Outputs)));
      if (options.training && needs.dgrad) add(reduce_scatter(options.links, n, in_bytes));
    }
    p.communication_s = comm.time_s;
    p.link_bytes = comm.link_bytes;
    p.link_energy_j = comm.energy_j;
    p.step_s = options.overlap ? std::max(p.compute_s, p.communication_s) : p.compute_s + p.communication_s;
    const double nd = static_cast<double>(n);
    switch (node.kind) {
      case ScaleNode::Kind::Asic:
        // Each layer's share times the nodes that have one (idle nodes spend nothing here).
        for (std::size_t i = 0; i < run->energy_j.size(); ++i) p.node_energy_j += static_cast<double>(busy[i]) * run->energy_j[i];
        p.area_mm2 = nd * area_mm2(node.arch);
        break;
      case ScaleNode::Kind::Gpu:
        p.node_energy_j = nd * node.gpu.power_w * p.step_s;  // board power over the whole step
        p.area_mm2 = nd * node.gpu.die_area_mm2;
        break;
      case ScaleNode::Kind::Fpga:
        p.node_energy_j = node.fpga.power_w > 0.0 ? nd * node.fpga.power_w * p.step_s : kNaN;
        p.area_mm2 = node.fpga.die_area_mm2 > 0.0 ? nd * node.fpga.die_area_mm2 : kNaN;
        break;
    }
    return p;
  };

  for (std::int64_t n : nodes) {
    if (n < 1) return Error{"--nodes: a node count must be at least 1, got " + std::to_string(n)};
  }
  Expected<ScalePoint> one = point_for(1);
  if (!one) {
    study.one_node_error = one.error().message;
  } else if (!one->complete) {
    std::string what;
    for (const std::string& note : one->notes) what += (what.empty() ? "" : "; ") + note;
    study.one_node_error = "one node does not run every layer (" + what + ")";
    study.one_node = *one;
  } else {
    study.one_node = *one;
  }
  for (std::int64_t n : nodes) {
    if (stop && stop->load()) {
      study.interrupted = true;
      break;
    }
    if (n == 1) {
      if (!one) return one.error();
      study.points.push_back(study.one_node);
      continue;
    }
    Expected<ScalePoint> p = point_for(n);
    if (!p) return p.error();
    study.points.push_back(*p);
  }
  return study;
}

}  // namespace dnnspace
