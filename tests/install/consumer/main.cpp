// The best mapping of one zoo layer on one preset through the installed library: prints
// the layer's energy (pJ, round-trip precision) and cycles, which install_test.sh compares
// with the installed command's `optimize --json` for the same layer.
#include <cstdio>
#include <string>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/workload/zoo.hpp"

int main(int argc, char** argv) {
  const std::string spec = argc > 1 ? argv[1] : "alexnet/conv5";
  auto layer = dnnspace::zoo_layer(spec, 1);
  auto arch = dnnspace::arch_preset("eyeriss");
  if (!layer || !arch) {
    std::fprintf(stderr, "consumer: %s\n", (!layer ? layer.error() : arch.error()).message.c_str());
    return 1;
  }
  const dnnspace::MapperResult best = dnnspace::find_best_mapping(*layer, *arch, dnnspace::MapperOptions{});
  if (!best.found) {
    std::fprintf(stderr, "consumer: no mapping for %s\n", spec.c_str());
    return 1;
  }
  std::printf("%.17g %lld\n", best.cost.energy_pj, static_cast<long long>(best.cost.cycles));
  return 0;
}
