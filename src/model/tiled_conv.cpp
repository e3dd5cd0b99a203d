#include "dnnspace/model/tiled_conv.hpp"

#include <algorithm>

#include "dnnspace/core/checked.hpp"

namespace dnnspace {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) noexcept { return (a + b - 1) / b; }

// Input rows (or columns) a tile of `outputs` output rows reads: its window with the halo.
std::int64_t input_extent(std::int64_t outputs, std::int64_t kernel, std::int64_t stride, std::int64_t dilation) noexcept {
  return (outputs - 1) * stride + (kernel - 1) * dilation + 1;
}

// Summed over the tiles of one axis of `bound` outputs cut every `tile`: the input extents.
std::int64_t input_extent_sum(std::int64_t bound, std::int64_t tile, std::int64_t kernel, std::int64_t stride,
                              std::int64_t dilation) noexcept {
  const std::int64_t full = bound / tile, rest = bound % tile;
  return saturating_add(saturating_mul(full, input_extent(tile, kernel, stride, dilation)),
                        rest > 0 ? input_extent(rest, kernel, stride, dilation) : 0);
}

}  // namespace

Expected<ConvShape> conv_shape(const Layer& layer) {
  if (layer.kind != LayerKind::Conv) {
    return Error{"layer '" + layer.name + "' is " + std::string(layer_kind_name(layer.kind)) +
                 ": the tiled engine of Zhang et al. runs convolutions only"};
  }
  if (layer.pass != Pass::Forward) {
    return Error{"layer '" + layer.name + "': the tiled engine runs forward passes only, not " + std::string(pass_name(layer.pass))};
  }
  ConvShape s;
  s.m = layer.bounds[Dim::K];
  s.n = layer.bounds[Dim::C];
  s.r = layer.bounds[Dim::P];
  s.c = layer.bounds[Dim::Q];
  s.kh = layer.bounds[Dim::R];
  s.kw = layer.bounds[Dim::S];
  s.stride_h = layer.stride_h;
  s.stride_w = layer.stride_w;
  s.dilation_h = layer.dilation_h;
  s.dilation_w = layer.dilation_w;
  s.repeats = saturating_mul(layer.bounds[Dim::G], layer.bounds[Dim::N]);
  return s;
}

TiledConvResources tiled_conv_resources(const TiledConvDesign& d, const FpgaTarget& target, std::int64_t kh,
                                        std::int64_t kw, std::int64_t stride_h, std::int64_t stride_w,
                                        std::int64_t dilation_h, std::int64_t dilation_w) noexcept {
  TiledConvResources r;
  r.dsp = saturating_mul(saturating_mul(d.tm, d.tn), target.dsp_per_mac);
  const int bits = target.word_bits;
  const std::int64_t tile_in =
      saturating_mul(input_extent(d.tr, kh, stride_h, dilation_h), input_extent(d.tc, kw, stride_w, dilation_w));
  // Double buffered: two copies of every bank.
  r.input_bram = saturating_mul(2 * d.tn, bram_for_words(tile_in, bits));
  r.weight_bram = saturating_mul(saturating_mul(2 * d.tm, d.tn), bram_for_words(kh * kw, bits));
  r.output_bram = saturating_mul(2 * d.tm, bram_for_words(saturating_mul(d.tr, d.tc), bits));
  r.bram_18k = saturating_add(saturating_add(r.input_bram, r.weight_bram), r.output_bram);
  return r;
}

TiledConvCost tiled_conv_cost(const ConvShape& s, const TiledConvDesign& d, const FpgaTarget& target) noexcept {
  TiledConvCost c;
  const double repeats = static_cast<double>(s.repeats);
  const std::int64_t kernel = s.kh * s.kw, plane = s.r * s.c;
  c.ops = 2.0 * repeats * static_cast<double>(s.m) * static_cast<double>(s.n) * static_cast<double>(plane) *
          static_cast<double>(kernel);
  const std::int64_t m_tiles = ceil_div(s.m, d.tm), n_tiles = ceil_div(s.n, d.tn);
  const std::int64_t r_tiles = ceil_div(s.r, d.tr), c_tiles = ceil_div(s.c, d.tc);
  // Clipped row and column tiles add up to R x C outputs: every (to, ti) pair costs one
  // cycle per output and kernel position.
  c.cycles = saturating_mul(s.repeats, saturating_mul(saturating_mul(m_tiles, n_tiles), saturating_mul(plane, kernel)));
  const std::int64_t rows_in = input_extent_sum(s.r, d.tr, s.kh, s.stride_h, s.dilation_h);
  const std::int64_t cols_in = input_extent_sum(s.c, d.tc, s.kw, s.stride_w, s.dilation_w);
  c.input_words = saturating_mul(s.repeats, saturating_mul(saturating_mul(m_tiles, s.n), saturating_mul(rows_in, cols_in)));
  c.weight_words =
      saturating_mul(s.repeats, saturating_mul(saturating_mul(r_tiles, c_tiles), saturating_mul(s.m * s.n, kernel)));
  c.output_words = saturating_mul(s.repeats, saturating_mul(s.m, plane));
  const double word_bytes = static_cast<double>(target.word_bits) / 8.0;
  c.traffic_bytes = (static_cast<double>(c.input_words) + static_cast<double>(c.weight_words) +
                     static_cast<double>(c.output_words)) * word_bytes;
  const double clock_hz = target.clock_mhz * 1e6;
  c.compute_roof_ops_per_s = c.ops / (static_cast<double>(c.cycles) / clock_hz);
  c.ctc_ops_per_byte = c.ops / c.traffic_bytes;
  const double bandwidth_roof = c.ctc_ops_per_byte * target.dram_bandwidth_gbps * 1e9;
  c.bandwidth_bound = bandwidth_roof < c.compute_roof_ops_per_s;
  c.attainable_ops_per_s = std::min(c.compute_roof_ops_per_s, bandwidth_roof);
  c.time_s = c.ops / c.attainable_ops_per_s;
  return c;
}

std::string design_text(const TiledConvDesign& d) {
  return "<Tm,Tn,Tr,Tc> = <" + std::to_string(d.tm) + "," + std::to_string(d.tn) + "," + std::to_string(d.tr) + "," +
         std::to_string(d.tc) + ">";
}

}  // namespace dnnspace
