// Schedule text on eyeriss and on the architecture it implies: what parses is compiled,
// what compiles is printed back, compiled again (it must give the same mapping, and the
// same implied levels) and evaluated, so the fuzzer drives the parser, the compiler, the
// printer and the cost model.
#include <cstdlib>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/io/schedule_text.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/mapping/schedule.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/workload/zoo.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const dnnspace::Architecture arch = *dnnspace::arch_preset("eyeriss");
  static const dnnspace::Layer layer = *dnnspace::zoo_layer("lenet5/conv2", 2);
  const auto schedule = dnnspace::io::parse_schedule_text(dnnspace::fuzz::as_text(data, size), "fuzz.sched");
  if (!schedule) return 0;
  if (const auto implied = dnnspace::compile_schedule(layer, *schedule); implied) {
    const auto text = dnnspace::schedule_text(layer, implied->arch, implied->mapping);
    if (!text) std::abort();
    const auto again = dnnspace::io::parse_schedule_text(*text, "printed");
    if (!again) std::abort();
    const auto recompiled = dnnspace::compile_schedule(layer, *again);
    if (!recompiled || !(recompiled->mapping == implied->mapping)) std::abort();
    if (recompiled->arch.levels.size() != implied->arch.levels.size()) std::abort();
    for (std::size_t i = 0; i < implied->arch.levels.size(); ++i) {
      if (recompiled->arch.levels[i].capacity_bytes != implied->arch.levels[i].capacity_bytes) std::abort();
    }
    if (dnnspace::check_mapping_structure(layer, implied->arch, implied->mapping)) {
      (void)dnnspace::evaluate(dnnspace::prepare(layer, implied->arch), implied->mapping);
    }
  }
  const auto compiled = dnnspace::compile_schedule(layer, arch, *schedule);
  if (!compiled || !dnnspace::check_mapping_structure(layer, compiled->arch, compiled->mapping)) return 0;
  const auto text = dnnspace::schedule_text(layer, compiled->arch, compiled->mapping);
  if (!text) std::abort();  // every compiled mapping has a schedule
  const auto again = dnnspace::io::parse_schedule_text(*text, "printed");
  if (!again) std::abort();
  const auto recompiled = dnnspace::compile_schedule(layer, compiled->arch, *again);
  if (!recompiled || !(recompiled->mapping == compiled->mapping)) std::abort();
  (void)dnnspace::evaluate(dnnspace::prepare(layer, compiled->arch), compiled->mapping);
  return 0;
}
