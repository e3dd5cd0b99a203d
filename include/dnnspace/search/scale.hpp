// Many nodes (000 Sec. III-IV): a network's inference or training step split over 1..n
// nodes by model, data or hybrid parallelism, each node any dnnspace platform (an ASIC
// architecture with its optimal mappings, a GPU's bound model, an FPGA's tiled engine),
// joined by links whose collectives model/collectives.hpp costs (docs/platforms.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/arch/fpga_target.hpp"
#include "dnnspace/arch/gpu_target.hpp"
#include "dnnspace/model/collectives.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/workload/network.hpp"
#include "dnnspace/workload/training.hpp"

namespace dnnspace {

enum class Parallelism : std::uint8_t { Model, Data, Hybrid };
std::string_view parallelism_name(Parallelism p) noexcept;  ///< "model", "data", "hybrid"
[[nodiscard]] Expected<Parallelism> parse_parallelism(std::string_view name);

/// One node: exactly one of the three platforms.
struct ScaleNode {
  enum class Kind : std::uint8_t { Asic, Gpu, Fpga } kind = Kind::Asic;
  Architecture arch;      ///< Asic
  GpuTarget gpu;          ///< Gpu
  GpuPrecision precision = GpuPrecision::Fp32;
  FpgaTarget fpga;        ///< Fpga
  std::string name() const;
};

struct ScaleOptions {
  Parallelism parallelism = Parallelism::Data;
  bool training = false;     ///< a training step (forward, dgrad, wgrad; sgd update) instead of inference
  bool overlap = false;      ///< step = max(compute, communication) instead of their sum
  Links links;
  MapperOptions mapper;      ///< for ASIC nodes
};

/// One node count.
struct ScalePoint {
  std::int64_t nodes = 1;
  double compute_s = 0.0;        ///< one node's share, its layers one after another
  double communication_s = 0.0;  ///< the collectives, one after another
  double step_s = 0.0;           ///< their sum, or the larger with overlap
  double ops = 0.0;              ///< the network's useful ops per step (2 x MACs)
  double node_energy_j = 0.0;    ///< all nodes (NaN when the platform states no power)
  double link_energy_j = 0.0;
  double area_mm2 = 0.0;         ///< all nodes (NaN when not stated)
  double link_bytes = 0.0;
  std::int64_t busy_nodes = 0;   ///< nodes with work in the most split layer (< nodes when it has fewer channels or samples)
  bool complete = true;          ///< every layer had a mapping (ASIC) or ran on the engine (FPGA)
  std::vector<std::string> notes;

  double samples_per_s(std::int64_t batch) const noexcept { return step_s > 0 ? static_cast<double>(batch) / step_s : 0.0; }
  double ops_per_s() const noexcept { return step_s > 0 ? ops / step_s : 0.0; }
  double energy_j() const noexcept { return node_energy_j + link_energy_j; }
};

struct ScaleStudy {
  std::int64_t batch = 1;
  std::vector<ScalePoint> points;  ///< as asked, in order
  ScalePoint one_node;             ///< the baseline every speedup is relative to
  /// Why one node cannot run the step (a network larger than a node without main
  /// memory): then there is no baseline and speedups are NaN. Empty when it can.
  std::string one_node_error;
  bool interrupted = false;

  double speedup(const ScalePoint& p) const noexcept {
    return one_node_error.empty() ? one_node.step_s / p.step_s : std::numeric_limits<double>::quiet_NaN();
  }
  double efficiency(const ScalePoint& p) const noexcept { return speedup(p) / static_cast<double>(p.nodes); }
};

/// The study. The network's batch is the mini-batch of one step. One node is always run
/// as the baseline; when it cannot run the step, one_node_error says why and only the
/// asked node counts must run. Errors (one line): data
/// or hybrid parallelism with more nodes than samples; a layer model parallelism cannot
/// split (a workload given as data has no output channels K); a network that cannot be
/// trained; a node count below 1.
[[nodiscard]] Expected<ScaleStudy> scale_network(const Network& network, const ScaleNode& node,
                                                 const std::vector<std::int64_t>& nodes, const ScaleOptions& options,
                                                 const std::atomic<bool>* stop = nullptr);

}  // namespace dnnspace
