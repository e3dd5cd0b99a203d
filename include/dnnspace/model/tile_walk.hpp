// The tile walk: a mapped nest executed step by step with ideal buffers, reported as a
// stream of tile fills, drains and MAC steps to a visitor (the simulator counts them,
// the engine's mapped execution moves real values along them).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/dims.hpp"
#include "dnnspace/core/tensor_id.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// Element id (flat row-major index over the tensor's axes, each of axis_size values)
/// of a tensor at the point x; for a convolution inputs [G][N][C][H][W] on the padded
/// plane, weights [G][K][C][R][S], outputs [G][N][K][P][Q]. x must be inside the bounds.
std::int64_t element_id(const TensorProjection& projection, const PerDim<std::int64_t>& bounds,
                        const PerDim<std::int64_t>& x) noexcept;
/// The same for the tensor in slot t of the layer's pass.
std::int64_t element_id(const Layer& layer, TensorId t, const PerDim<std::int64_t>& x) noexcept;

/// Words moved at every level, as the tile walk defines them (docs/model.md Sec. 4):
/// what simulate() counts and what the engine's mapped execution performs.
struct TransferCounts {
  int num_levels = 0;
  std::array<PerTensor<TensorAccesses>, kMaxLevels> accesses{};
  PerTensor<std::int64_t> array_transfers{};
  std::int64_t macs = 0;            ///< valid MACs executed
  std::int64_t compute_cycles = 0;  ///< time steps of the temporal loops

  friend bool operator==(const TransferCounts&, const TransferCounts&) = default;
};

/// The structure of one walk, given to the visitor before the first event.
struct TileWalkShape {
  std::int64_t num_steps = 1;  ///< time steps: the product of the temporal loops
  std::int64_t num_pes = 1;    ///< PEs the mapping uses: the product of the spatial loops
  /// Per level: its instances (1 at and above the array's parent level, num_pes below).
  std::array<std::int64_t, kMaxLevels> instances{};
  /// Tensor slots of the layer (tensor_slots(tensors)).
  std::size_t tensors = kNumTensors;
  /// Per tensor: the levels that hold it, outermost first (always starting at level 0).
  PerTensor<std::vector<int>> chain;
};

/// One child-level instance's tile of one tensor in an epoch.
struct InstanceTile {
  std::int64_t instance = 0;         ///< instance of the child level
  std::int64_t parent_instance = 0;  ///< instance of the parent level it hangs under
  std::vector<std::int64_t> ids;     ///< element ids its PEs touch in the epoch, ascending
};

/// What one PE computes in one time step.
struct PeStep {
  bool valid = false;                 ///< false: some index is out of bounds, the PE idles
  PerTensor<std::int64_t> element{};  ///< element ids of the point (when valid)
  /// Instance of the innermost level holding each tensor that serves this PE.
  PerTensor<std::int64_t> instance{};
};

/// Receives the events of a walk. Tiles and steps are only valid during the call.
class TileWalkVisitor {
 public:
  virtual ~TileWalkVisitor() = default;
  virtual void begin(const TileWalkShape& shape) = 0;
  /// An epoch of tensor t at level `child` starts: each instance of the child loads
  /// its tile from the parent (the next level up that holds t). `tiles` lists every
  /// instance of the child, in instance order.
  virtual void fill(TensorId t, int parent, int child, std::span<const InstanceTile> tiles) = 0;
  /// The epoch ends: the same tiles as at the fill. Outputs are drained (reduced) into
  /// the parent; inputs and weights are simply dropped.
  virtual void drain(TensorId t, int parent, int child, std::span<const InstanceTile> tiles) = 0;
  /// Time step `step`: pes[p] for every PE p (p = the spatial indices, mixed radix).
  virtual void step(std::int64_t step, std::span<const PeStep> pes) = 0;
};

/// Walks the mapped nest (docs/model.md Sec. 3). Event order: begin; then for each
/// time step s, the drains of the epochs that end before s (innermost level first),
/// the fills of the epochs that start at s (outermost first), and step s; after the
/// last step, the drains of every level, innermost first. Epochs of one tensor at a
/// level nest inside those of its parent. Tensors are independent: only the order of
/// one tensor's events is meaningful. Meant for small problems (tests): time and
/// memory grow with the number of (step, PE) points.
void walk_tiles(const Layer& layer, const Architecture& arch, const Mapping& mapping, TileWalkVisitor& visitor);

}  // namespace dnnspace
