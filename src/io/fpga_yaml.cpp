#include "dnnspace/io/fpga_yaml.hpp"

#include <filesystem>
#include <tuple>
#include <utility>

#include "dnnspace/io/input_file.hpp"
#include "dnnspace/io/yaml_util.hpp"

namespace dnnspace::io {
namespace {

Expected<FpgaTarget> read_target(const YAML::Node& root, const YamlOrigin& origin) {
  if (!root.IsMap() || !root["fpga"]) {
    return Error{origin.file + ": expected a map with the key 'fpga' (docs/platforms.md)"};
  }
  if (auto ok = check_keys(origin, root, "top level", {"fpga"}); !ok) return ok.error();
  const YAML::Node f = root["fpga"];
  if (!f.IsMap()) return field_error(origin, f, "fpga", "expected a map of the target's fields");
  if (auto ok = check_keys(origin, f, "fpga",
                           {"name", "dsp_slices", "bram_18k", "luts", "flip_flops", "clock_mhz", "dram_bandwidth_gbps",
                            "word_bits", "dsp_per_mac", "floating_point", "power_w", "die_area_mm2"});
      !ok) {
    return ok.error();
  }
  FpgaTarget t;
  Expected<std::string> name = read_string(origin, f, "name");
  if (!name) return name.error();
  t.name = *name;
  for (const auto& [field, out, lo] : {std::tuple{"dsp_slices", &t.dsp_slices, 1}, std::tuple{"bram_18k", &t.bram_18k, 1},
                                       std::tuple{"dsp_per_mac", &t.dsp_per_mac, 1}}) {
    Expected<std::int64_t> v = read_int(origin, f, field, lo);
    if (!v) return v.error();
    *out = *v;
  }
  for (const auto& [field, out] : {std::pair{"luts", &t.luts}, std::pair{"flip_flops", &t.flip_flops}}) {
    Expected<std::int64_t> v = read_int_or(origin, f, field, 0, 0);
    if (!v) return v.error();
    *out = *v;
  }
  for (const auto& [field, out] : {std::pair{"clock_mhz", &t.clock_mhz}, std::pair{"dram_bandwidth_gbps", &t.dram_bandwidth_gbps}}) {
    Expected<double> v = read_double(origin, f, field, 0.0);
    if (!v) return v.error();
    if (*v < 1e-6 || *v > 1e6) return field_error(origin, f[field], field, "must be in 1e-6..1e6");
    *out = *v;
  }
  for (const auto& [field, out] : {std::pair{"power_w", &t.power_w}, std::pair{"die_area_mm2", &t.die_area_mm2}}) {
    Expected<double> v = read_double_or(origin, f, field, 0.0, 0.0);
    if (!v) return v.error();
    if (*v > 1e6 || (*v > 0.0 && *v < 1e-3)) {
      return field_error(origin, f[field], field, "must be 0 (not stated) or in 0.001..1e6");
    }
    *out = *v;
  }
  Expected<std::int64_t> bits = read_int(origin, f, "word_bits", 1);
  if (!bits) return bits.error();
  if (*bits > 64) return field_error(origin, f["word_bits"], "word_bits", "must be at most 64");
  t.word_bits = static_cast<int>(*bits);
  Expected<bool> fp = read_bool_or(origin, f, "floating_point", false);
  if (!fp) return fp.error();
  t.floating_point = *fp;
  if (auto ok = validate_fpga_target(t); !ok) return Error{origin.file + ": " + ok.error().message};
  return t;
}

}  // namespace

Expected<FpgaTarget> parse_fpga_target_text(std::string_view text, const std::string& origin) {
  Expected<YAML::Node> root = parse_yaml_text(text, origin);
  if (!root) return root.error();
  return read_target(*root, YamlOrigin{origin});
}

Expected<FpgaTarget> resolve_fpga_target(const std::string& spec) {
  // A built-in name wins over a file or folder of that name; a .yaml name is a file.
  const bool yaml = spec.ends_with(".yaml") || spec.ends_with(".yml");
  if (!yaml) {
    if (Expected<FpgaTarget> preset = fpga_preset(spec); preset) return preset;
  }
  std::error_code ec;
  if (!yaml && !std::filesystem::exists(spec, ec)) return fpga_preset(spec);
  if (auto ok = check_input_file(spec); !ok) return ok.error();
  Expected<YAML::Node> root = load_yaml_file(spec);
  if (!root) return root.error();
  return read_target(*root, YamlOrigin{spec});
}

}  // namespace dnnspace::io
