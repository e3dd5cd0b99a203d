#include "input_resolution.hpp"

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

}  // namespace dnnspace::cli
