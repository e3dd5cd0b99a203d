#include "dnnspace/engine/bit_search.hpp"

#include <algorithm>
#include <array>

#include "dnnspace/engine/hardware_inference.hpp"

namespace dnnspace::engine {

NumericsSpec numerics_of(const std::vector<LayerBits>& layers) {
  NumericsSpec spec;
  for (const LayerBits& l : layers) {
    LayerNumerics n;
    n.arithmetic = Arithmetic::Fixed;
    n.fixed = l.formats;
    spec.layers.emplace_back(l.layer, n);
  }
  return spec;
}

Expected<BitSearchResult> search_fixed_point_bits(const Sequential& net, const Dataset& test, double max_error,
                                                  const BitSearchOptions& options) {
  if (!is_valid(options.start)) return Error{"bit search: invalid start format " + to_string(options.start)};
  BitSearchResult out;
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    if (net.weight_index[l] < 0) continue;
    out.layers.push_back({std::string(owning_layer_name(net, l)),
                          MacFormats{options.start, options.start, options.start, options.rounding}});
  }
  if (out.layers.empty()) return Error{"bit search: " + net.name + " has no dense or conv layer"};
  const auto error_of = [&](const NumericsSpec& spec) -> Expected<double> {
    Expected<HardwareNetwork> hw = HardwareNetwork::prepare(net, spec);
    if (!hw) return hw.error();
    const double error = 1.0 - evaluate_accuracy(*hw, test, options.batch, options.threads).accuracy();
    ++out.evaluations;
    if (options.progress) options.progress(out.evaluations);
    return error;
  };
  Expected<double> start = error_of(numerics_of(out.layers));
  if (!start) return start.error();
  out.start_error = out.error = *start;
  if (*start > max_error) {
    return Error{"bit search: with " + to_string(options.start) + " everywhere the test error is " +
                 std::to_string(100.0 * *start) + "%, already above the bound " + std::to_string(100.0 * max_error) +
                 "% (a looser bound, or a wider start format)"};
  }
  const auto stopped = [&] { return options.stop && options.stop->load(); };
  for (LayerBits& layer : out.layers) {
    for (FixedFormat* signal : {&layer.formats.weights, &layer.formats.activations, &layer.formats.products}) {
      // Fraction bits first (they set the resolution), then integer bits (the range).
      for (int FixedFormat::*bits : {&FixedFormat::fraction_bits, &FixedFormat::integer_bits}) {
        const int floor = bits == &FixedFormat::integer_bits ? 1 : 0;
        while (signal->*bits > floor && !out.interrupted) {
          if (stopped()) {
            out.interrupted = true;
            break;
          }
          --(signal->*bits);
          Expected<double> e = error_of(numerics_of(out.layers));
          if (!e) return e.error();
          if (*e > max_error) {
            ++(signal->*bits);
            break;
          }
          out.error = *e;
        }
      }
    }
  }
  out.interrupted = out.interrupted || stopped();
  // The datapath: the widest requirement of any layer, per signal type.
  out.datapath = MacFormats{{1, 0}, {1, 0}, {1, 0}, options.rounding};
  for (const LayerBits& l : out.layers) {
    const std::array<std::pair<FixedFormat*, FixedFormat>, 3> pairs{{{&out.datapath.weights, l.formats.weights},
                                                                     {&out.datapath.activations, l.formats.activations},
                                                                     {&out.datapath.products, l.formats.products}}};
    for (const auto& [into, f] : pairs) {
      into->integer_bits = std::max(into->integer_bits, f.integer_bits);
      into->fraction_bits = std::max(into->fraction_bits, f.fraction_bits);
    }
  }
  if (out.interrupted) return out;  // datapath_error stays 0: not measured
  std::vector<LayerBits> uniform = out.layers;
  for (LayerBits& l : uniform) l.formats = out.datapath;
  Expected<double> datapath = error_of(numerics_of(uniform));
  if (!datapath) return datapath.error();
  out.datapath_error = *datapath;
  return out;
}

}  // namespace dnnspace::engine
