#include "dnnspace/model/tiled_conv.hpp"

#include <algorithm>

#include "dnnspace/core/checked.hpp"

namespace dnnspace {
namespace {

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

Expected<ConvShape> engine_shape(const Layer& layer) {
  if (layer.kind == LayerKind::Workload) {
    return Error{"layer '" + layer.name + "' is a workload given as data: the tiled engine runs convolutions and GEMMs"};
  }
  Layer forward = layer;
  forward.pass = Pass::Forward;
  if (forward.kind == LayerKind::Conv) return conv_shape(forward);
  ConvShape s;
  s.m = layer.bounds[Dim::K];
  s.n = saturating_mul(saturating_mul(layer.bounds[Dim::C], layer.bounds[Dim::R]), layer.bounds[Dim::S]);
  s.r = saturating_mul(saturating_mul(layer.bounds[Dim::N], layer.bounds[Dim::P]), layer.bounds[Dim::Q]);
  s.repeats = layer.bounds[Dim::G];
  return s;
}

TiledConvResources tiled_conv_resources(const TiledConvDesign& d, std::span<const ConvShape> shapes,
                                        const FpgaTarget& target) noexcept {
  std::int64_t input_words = 0, kernel_words = 0, output_words = 0;
  for (const ConvShape& s : shapes) {
    const std::int64_t tr = std::min(d.tr, s.r), tc = std::min(d.tc, s.c);
    input_words = std::max(input_words, saturating_mul(input_extent(tr, s.kh, s.stride_h, s.dilation_h),
                                                       input_extent(tc, s.kw, s.stride_w, s.dilation_w)));
    kernel_words = std::max(kernel_words, saturating_mul(s.kh, s.kw));
    output_words = std::max(output_words, saturating_mul(tr, tc));
  }
  TiledConvResources r;
  r.dsp = saturating_mul(saturating_mul(d.tm, d.tn), target.dsp_per_mac);
  const int bits = target.word_bits;
  // Double buffered: two copies of every bank.
  r.input_bram = saturating_mul(saturating_mul(2, d.tn), bram_for_words(input_words, bits));
  r.weight_bram = saturating_mul(saturating_mul(2, saturating_mul(d.tm, d.tn)), bram_for_words(kernel_words, bits));
  r.output_bram = saturating_mul(saturating_mul(2, d.tm), bram_for_words(output_words, bits));
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

double tiled_conv_time_floor(const ConvShape& s, std::int64_t tm, std::int64_t tn, const FpgaTarget& target) noexcept {
  // T tiles of an axis of B outputs read B x stride + T x ((kernel - 1) x dilation + 1 -
  // stride) input rows: linear in T, so least at T = 1 or T = B.
  const auto least_in = [](std::int64_t b, std::int64_t k, std::int64_t stride, std::int64_t dilation) {
    return std::min(input_extent(b, k, stride, dilation), saturating_mul(b, input_extent(1, k, stride, dilation)));
  };
  const double m_tiles = static_cast<double>(ceil_div(s.m, tm));
  const double words =
      static_cast<double>(s.repeats) *
      (m_tiles * static_cast<double>(s.n) * static_cast<double>(least_in(s.r, s.kh, s.stride_h, s.dilation_h)) *
           static_cast<double>(least_in(s.c, s.kw, s.stride_w, s.dilation_w)) +
       static_cast<double>(s.m) * static_cast<double>(s.n) * static_cast<double>(s.kh * s.kw) +
       static_cast<double>(s.m) * static_cast<double>(s.r * s.c));
  const double bytes = words * static_cast<double>(target.word_bits) / 8.0;
  const double cycles = static_cast<double>(s.repeats) * m_tiles * static_cast<double>(ceil_div(s.n, tn)) *
                        static_cast<double>(s.r * s.c) * static_cast<double>(s.kh * s.kw);
  return std::max(cycles / (target.clock_mhz * 1e6), bytes / (target.dram_bandwidth_gbps * 1e9));
}

std::string design_text(const TiledConvDesign& d) {
  return "<Tm,Tn,Tr,Tc> = <" + std::to_string(d.tm) + "," + std::to_string(d.tn) + "," + std::to_string(d.tr) + "," +
         std::to_string(d.tc) + ">";
}

}  // namespace dnnspace
