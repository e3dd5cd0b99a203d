#include "input_resolution.hpp"

#include <cmath>
#include <sstream>

#include <fmt/core.h>

namespace dnnspace::cli {

void add_pass_option(CLI::App& cmd, std::string& pass) {
  cmd.add_option("--pass", pass,
                 "Which pass of the layer: forward, dgrad (data gradient: a transposed convolution over the "
                 "output gradient) or wgrad (weight gradient); default forward")
      ->type_name("PASS");
}

Expected<Pass> pass_option(const std::string& pass) {
  Expected<Pass> p = parse_pass(pass);
  if (!p) return Error{"--pass: " + p.error().message};
  return p;
}

void add_input_shape_option(CLI::App& cmd, std::vector<std::string>& shapes) {
  cmd.add_option("--input-shape", shapes,
                 "an ONNX model's input shape, NAME=D0xD1x... (e.g. input=1x3x224x224), for inputs whose shape "
                 "inference cannot settle; repeatable")
      ->type_name("NAME=SHAPE");
}

CLI::Option* add_density_option(CLI::App& cmd, std::string& density) {
  return cmd.add_option("--density", density,
                        "fractions of nonzero operands, e.g. inputs=0.4 or inputs=0.4,weights=0.8, each in (0, 1]: "
                        "what the zeros save is the architecture's zero handling and compression (docs/model.md "
                        "Sec. 11); overrides the workload's densities")
      ->type_name("TENSOR=D,...");
}

Expected<PerTensor<double>> density_option(const std::string& density) {
  PerTensor<double> out = PerTensor<double>::filled(1.0);
  PerTensor<bool> seen{};
  std::stringstream parts(density);
  std::string part;
  bool any = false;
  while (std::getline(parts, part, ',')) {
    any = true;
    const std::size_t eq = part.find('=');
    const std::string name = part.substr(0, eq);
    const std::optional<TensorId> t = tensor_from_name(name);
    if (eq == std::string::npos || !t || *t == TensorId::Outputs) {
      return Error{"--density: '" + part + "' is not TENSOR=D (tensors: inputs, weights; e.g. inputs=0.4)"};
    }
    if (seen[*t]) return Error{"--density: " + name + " is given twice"};
    seen[*t] = true;
    const std::string text = part.substr(eq + 1);
    double d = 0.0;
    std::size_t used = 0;
    try {
      d = std::stod(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size() || !std::isfinite(d) || d <= 0.0 || d > 1.0) {
      return Error{"--density: " + name + "=" + text + ": a density is a fraction of nonzero elements in (0, 1]"};
    }
    out[*t] = d;
  }
  if (!any) return Error{"--density: empty; give TENSOR=D such as inputs=0.4"};
  return out;
}

void apply_density(Layer& layer, const PerTensor<double>& density) {
  for (TensorId t : {TensorId::Inputs, TensorId::Weights}) {
    if (density[t] != 1.0) layer.density[t] = density[t];
  }
}

void apply_density(Network& network, const PerTensor<double>& density) {
  for (Layer& layer : network.layers) apply_density(layer, density);
}

void note_dense_architecture(const Architecture& arch) {
  bool compresses = false;
  for (const StorageLevel& level : arch.levels) {
    for (TensorId t : kAllTensors) compresses = compresses || level.compression[t] != Compression::None;
  }
  if (arch.array.zeros == ZeroHandling::None && !compresses) {
    fmt::print(stderr,
               "note: --density: architecture '{}' neither gates, skips nor compresses zeros (array 'zeros', level "
               "'compression'), so the densities change no cost (docs/model.md Sec. 11)\n",
               arch.name);
  }
}

}  // namespace dnnspace::cli
