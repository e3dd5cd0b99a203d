#include "dnnspace/arch/gpu_target.hpp"

namespace dnnspace {

std::string_view gpu_precision_name(GpuPrecision p) noexcept {
  switch (p) {
    case GpuPrecision::Fp32: return "fp32";
    case GpuPrecision::Fp16: return "fp16";
    case GpuPrecision::Int8: return "int8";
  }
  return "?";
}

Expected<GpuPrecision> parse_gpu_precision(std::string_view name) {
  for (GpuPrecision p : {GpuPrecision::Fp32, GpuPrecision::Fp16, GpuPrecision::Int8}) {
    if (name == gpu_precision_name(p)) return p;
  }
  return Error{"unknown precision '" + std::string(name) + "' (allowed: fp32, fp16, int8)"};
}

namespace {

constexpr std::int64_t kKiB = 1024, kMiB = 1024 * 1024;

// Datasheet figures (NVIDIA's product briefs and architecture whitepapers). Shared memory:
// 32 banks of 8 B per clock on Kepler (its whitepaper's 256 B/clk), of 4 B on Ampere. L2
// bandwidth is published per clock for Ampere (5,120 B/clk in the A100 whitepaper);
// Kepler's is not published: 512 B/clk is an assumption (docs/platforms.md).
GpuTarget k20m() {
  return {"k20m", "Tesla K20m (GK110): 13 SMX x 192 FP32 lanes at 706 MHz = 3.52 TFLOPS; no faster fp16 or int8",
          13, 706.0, {192, 192, 192}, 48 * kKiB, 256.0, 1536 * kKiB, 512 * 706e6 / 1e9, 208.0, 225.0, 561.0, 0.75};
}

GpuTarget gtx680() {
  return {"gtx680", "GeForce GTX 680 (GK104): 8 SMX x 192 FP32 lanes at 1,006 MHz = 3.09 TFLOPS; no faster fp16 or int8",
          8, 1006.0, {192, 192, 192}, 48 * kKiB, 256.0, 512 * kKiB, 512 * 1006e6 / 1e9, 192.2, 195.0, 294.0, 0.75};
}

GpuTarget a100() {
  return {"a100", "A100 SXM4 40 GB (GA100): 108 SMs at 1,410 MHz; 19.5 TFLOPS fp32, 312 TFLOPS fp16 and 624 TOPS int8 on tensor cores (dense)",
          108, 1410.0, {64, 1024, 2048}, 164 * kKiB, 128.0, 40 * kMiB, 5120 * 1410e6 / 1e9, 1555.0, 400.0, 826.0, 0.75};
}

}  // namespace

std::vector<std::string_view> gpu_preset_names() { return {"k20m", "gtx680", "a100"}; }

Expected<GpuTarget> gpu_preset(std::string_view name) {
  if (name == "k20m") return k20m();
  if (name == "gtx680") return gtx680();
  if (name == "a100") return a100();
  std::string names;
  for (std::string_view n : gpu_preset_names()) names += (names.empty() ? "" : ", ") + std::string(n);
  return Error{"unknown GPU '" + std::string(name) + "' (built in: " + names + ")"};
}

}  // namespace dnnspace
