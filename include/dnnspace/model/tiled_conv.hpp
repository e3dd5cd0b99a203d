// Zhang et al.'s loop-tiled convolution engine on an FPGA (FPGA 2015, as 000 Sec. V
// describes it): a Tm x Tn array of multiply-adds fed from double-buffered on-chip tiles
// of Tr x Tc outputs, with its cycles, DRAM traffic, roofs and BRAM and DSP needs
// (docs/platforms.md, "Zhang et al.'s engine").
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "dnnspace/arch/fpga_target.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// A convolution in Zhang et al.'s names: M output and N input channels (per group), an
/// R x C output plane, a Kh x Kw kernel with strides and dilations; run `repeats` times
/// (groups x batch: the engine runs one group of one image at a time).
struct ConvShape {
  std::int64_t m = 1, n = 1, r = 1, c = 1, kh = 1, kw = 1;
  std::int64_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  std::int64_t repeats = 1;
};

/// The shape of a forward convolution layer (a built-in conv kind: K -> M, C -> N, P x Q
/// -> R x C, R x S -> Kh x Kw, G x N -> repeats). Fully connected layers, other passes and
/// workloads given as data are refused with the reason: the engine only runs
/// convolutions, as in Zhang et al.
[[nodiscard]] Expected<ConvShape> conv_shape(const Layer& layer);

/// conv_shape, and also the other built-in kinds (fully connected, matmul, LSTM) and the
/// gradient passes, as the engine would run them when it must run a whole network (the
/// multi-node study): a GEMM as a 1 x 1 convolution over a plane of N x P x Q rows by 1
/// (each weight tile reused across a tile of Tr samples), a gradient pass with its forward
/// pass's shape (the same MACs and tensor sizes). Workloads given as data are refused.
[[nodiscard]] Expected<ConvShape> engine_shape(const Layer& layer);

/// The tile factors <Tm, Tn, Tr, Tc>: Tm x Tn multiply-adds per cycle over a Tr x Tc
/// output tile.
struct TiledConvDesign {
  std::int64_t tm = 1, tn = 1, tr = 1, tc = 1;
  friend bool operator==(const TiledConvDesign&, const TiledConvDesign&) = default;
};

/// The hardware a design needs: DSPs for Tm x Tn multiply-adds, and BRAMs for its three
/// double-buffered buffers, each split into the banks its unrolled accesses read in one
/// cycle: Tn input banks of an input tile with its halo, (Tr-1)Sh+(Kh-1)Dh+1 by
/// (Tc-1)Sw+(Kw-1)Dw+1, Tm x Tn weight banks of Kh x Kw, Tm output banks of Tr x Tc
/// (docs/platforms.md). A design that serves several layers sizes each bank for the
/// largest tile any of them puts there, the tiles clipped to each layer's plane.
struct TiledConvResources {
  std::int64_t dsp = 0;
  std::int64_t bram_18k = 0;
  std::int64_t input_bram = 0, weight_bram = 0, output_bram = 0;
};
TiledConvResources tiled_conv_resources(const TiledConvDesign& d, std::span<const ConvShape> shapes,
                                        const FpgaTarget& target) noexcept;

/// Whether a design fits: its DSPs and BRAMs within the target's.
inline bool fits(const TiledConvResources& r, const FpgaTarget& t) noexcept {
  return r.dsp <= t.dsp_slices && r.bram_18k <= t.bram_18k;
}

/// One layer on one design.
struct TiledConvCost {
  double ops = 0.0;                 ///< 2 x MACs of all repeats
  std::int64_t cycles = 0;          ///< compute: repeats x ceil(M/Tm) x ceil(N/Tn) x R x C x Kh x Kw
  std::int64_t input_words = 0;     ///< DRAM traffic, all repeats
  std::int64_t weight_words = 0;
  std::int64_t output_words = 0;
  double traffic_bytes = 0.0;
  double compute_roof_ops_per_s = 0.0;  ///< ops / (cycles at the clock)
  double ctc_ops_per_byte = 0.0;        ///< ops / traffic_bytes
  double attainable_ops_per_s = 0.0;    ///< min(compute roof, CTC x DRAM bandwidth)
  double time_s = 0.0;                  ///< ops / attainable: compute and transfers overlap
  bool bandwidth_bound = false;         ///< the bandwidth roof is the lower one
};

/// The engine's cost for a layer (docs/platforms.md): tiles are clipped at the plane's
/// edges (the last row and column tiles compute and load only what is left), every input
/// tile is loaded for each (to, ti) pair with its halo, weights once per output tile,
/// outputs stored once (the ti loop accumulates on chip). The design must fit the layer:
/// Tm <= M... is not required (a larger Tm idles PEs).
TiledConvCost tiled_conv_cost(const ConvShape& shape, const TiledConvDesign& d, const FpgaTarget& target) noexcept;

/// A floor on the time of every design <Tm, Tn, *, *> on the layer (the search's bound):
/// its compute time (Tr and Tc do not change the cycles) or its least DRAM traffic at the
/// bandwidth, whichever is longer. The least traffic: weights loaded once, outputs once,
/// and the inputs with the fewest halo rows and columns, one tile per axis, or one output
/// per tile when the stride skips input between windows (a 1 x 1 kernel with stride 2).
double tiled_conv_time_floor(const ConvShape& shape, std::int64_t tm, std::int64_t tn, const FpgaTarget& target) noexcept;

/// "<Tm,Tn,Tr,Tc> = <64,7,13,13>".
std::string design_text(const TiledConvDesign& d);

}  // namespace dnnspace
