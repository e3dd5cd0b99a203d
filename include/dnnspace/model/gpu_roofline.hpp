// A bound model of a layer on a GPU (not a simulator): its time is the slowest of the
// compute roof (peak x efficiency), DRAM (each tensor moved once), L2 (the operand tiles a
// thread block streams into shared memory) and shared memory (the operands a warp reads
// into registers), docs/platforms.md, "GPUs".
#pragma once

#include <cstdint>
#include <string_view>

#include "dnnspace/arch/gpu_target.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

struct GpuLayerCost {
  double ops = 0.0;              ///< 2 x MACs
  std::int64_t tile = 0;         ///< the thread block's output tile edge (0: not a GEMM)
  double compute_s = 0.0;        ///< MACs / (peak x efficiency)
  double dram_bytes = 0.0;       ///< every tensor once
  double dram_s = 0.0;
  double l2_bytes = 0.0;         ///< tiles into shared memory, outputs out
  double l2_s = 0.0;             ///< 0 when the GPU states no L2 bandwidth
  double smem_bytes = 0.0;       ///< shared memory into registers
  double smem_s = 0.0;           ///< 0 when the GPU states no shared-memory bandwidth
  double time_s = 0.0;           ///< the longest of the four
  std::string_view bound;        ///< "compute", "DRAM", "L2" or "shared memory"
  double energy_j = 0.0;         ///< board power x time

  double ops_per_s() const noexcept { return time_s > 0.0 ? ops / time_s : 0.0; }
  double ctc_ops_per_byte() const noexcept { return dram_bytes > 0.0 ? ops / dram_bytes : 0.0; }
};

/// The thread block's square output tile: the largest power of two up to 256 whose
/// double-buffered operand tiles (two T x 32 slices) fit the shared memory of one SM.
std::int64_t gpu_block_tile(const GpuTarget& gpu, GpuPrecision precision) noexcept;

/// The layer on the GPU (any pass; tensors at the precision's width). Built-in kinds are
/// G GEMMs of (N P Q) x K x (C R S) (implicit GEMM): the L2 traffic is G x rows x cols x
/// depth x (1/tile_rows + 1/tile_cols) operand words plus the outputs, tiles clipped to
/// the GEMM. Shared memory: every MAC's operands read into registers by warps that each
/// compute a W x W tile (W = min(64, the block tile)), MACs x 2/W words. A workload given as
/// data has no GEMM view: its L2 and shared-memory traffic are its DRAM traffic.
GpuLayerCost gpu_layer_cost(const Layer& layer, const GpuTarget& gpu, GpuPrecision precision) noexcept;

}  // namespace dnnspace
