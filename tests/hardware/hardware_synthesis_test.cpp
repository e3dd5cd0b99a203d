// The generated RTL is synthesizable and lint-clean: Yosys synthesizes each family's top to
// its generic cell library, and the C|K design's cell count grows with the array
// (2x2 < 4x4 < 4x8, one layer); Verilator's lint (-Wall) passes on every family's RTL.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "dnnspace/hardware/generate.hpp"
#include "support/hardware_sim.hpp"

namespace dnnspace {
namespace {

constexpr auto W = TensorId::Weights;

Layer layer_8x4() {
  Layer l;
  l.name = "conv";
  l.bounds[Dim::K] = 8;
  l.bounds[Dim::C] = 4;
  l.bounds[Dim::P] = 2;
  l.bounds[Dim::Q] = 2;
  return l;
}

Architecture systolic(std::int64_t rows, std::int64_t cols) {
  Architecture a;
  a.name = "systolic";
  a.word_bits = 8;
  a.levels.resize(3);
  a.levels[2].holds = PerTensor<bool>::filled(false);
  a.levels[2].holds[W] = true;
  a.array.rows = rows;
  a.array.cols = cols;
  a.array.parent_level = 1;
  a.array.timing = ArrayTiming::Systolic;
  return a;
}

// C|K of the 8x4 layer: as much C on the rows and K on the columns as fit, the rest at the
// global buffer, P and Q in the PEs.
Mapping ck_mapping(std::int64_t rows, std::int64_t cols) {
  Mapping m;
  m.levels.resize(3);
  const std::int64_t c = std::min<std::int64_t>(rows, 4), k = std::min<std::int64_t>(cols, 8);
  if (4 / c > 1) m.levels[1].temporal.push_back({4 / c, Dim::C});
  if (8 / k > 1) m.levels[1].temporal.push_back({8 / k, Dim::K});
  m.levels[1].rows.push_back({c, Dim::C});
  m.levels[1].cols.push_back({k, Dim::K});
  m.levels[2].temporal.push_back({2, Dim::P});
  m.levels[2].temporal.push_back({2, Dim::Q});
  return m;
}

std::string rtl_file_list(const GeneratedDesign& d) {
  std::string files;
  for (const std::string& f : d.rtl_files) files += " " + f;
  return files;
}

// Writes the design and synthesizes its top with Yosys; the cell count, or -1.
std::int64_t synthesized_cells(const GeneratedDesign& d, const std::string& tag, double& seconds) {
  testing::ScratchDir dir(tag);
  for (const GeneratedFile& f : d.files) testing::write_text(dir.path() / f.name, f.text);
  const auto start = std::chrono::steady_clock::now();
  const int rc = testing::run_shell("cd " + dir.path().string() + " && " + std::string(DNNSPACE_YOSYS) +
                                    " -q -p 'read_verilog -sv" + rtl_file_list(d) + "; synth -top " +
                                    d.summary.top_module + "; tee -o stat.txt stat' >yosys.log 2>&1");
  seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rc != 0) {
    ADD_FAILURE() << "yosys failed: " << testing::read_text(dir.path() / "yosys.log").substr(0, 2000);
    return -1;
  }
  const std::string stat = testing::read_text(dir.path() / "stat.txt");
  // The last "Number of cells" is the top's, hierarchy included (synth flattens). Read
  // without std::regex, whose GCC 12 inlining trips -Wmaybe-uninitialized under ASan.
  const std::string key = "Number of cells:";
  std::int64_t cells = -1;
  for (std::size_t at = stat.find(key); at != std::string::npos; at = stat.find(key, at + key.size())) {
    std::size_t i = at + key.size();
    while (i < stat.size() && stat[i] == ' ') ++i;
    std::int64_t value = 0;
    bool digits = false;
    for (; i < stat.size() && stat[i] >= '0' && stat[i] <= '9'; ++i, digits = true) value = value * 10 + (stat[i] - '0');
    if (digits) cells = value;
  }
  return cells;
}

TEST(HardwareSynthesis, CkCellsGrowWithTheArray) {
  double seconds = 0.0;
  std::int64_t previous = 0;
  for (const auto& [rows, cols] : {std::pair<std::int64_t, std::int64_t>{2, 2}, {4, 4}, {4, 8}}) {
    const Expected<GeneratedDesign> d = generate_hardware(layer_8x4(), systolic(rows, cols), ck_mapping(rows, cols), {});
    ASSERT_TRUE(d) << d.error().message;
    const std::int64_t cells = synthesized_cells(*d, "synth", seconds);
    std::printf("[hw] yosys C|K %lldx%lld: %lld cells\n", static_cast<long long>(rows), static_cast<long long>(cols),
                static_cast<long long>(cells));
    EXPECT_GT(cells, previous) << rows << "x" << cols;
    previous = cells;
  }
  std::printf("[hw] yosys: 3 syntheses in %.1f s\n", seconds);
}

TEST(HardwareSynthesis, EveryFamilySynthesizesAndLintsClean) {
  // R|P on 3x4 and the tree with 8 lanes, small layers.
  Layer rp_layer = layer_8x4();
  rp_layer.bounds[Dim::K] = 1;
  rp_layer.bounds[Dim::R] = 3;
  rp_layer.bounds[Dim::P] = 4;
  Mapping rp;
  rp.levels.resize(3);
  rp.levels[1].temporal.push_back({4, Dim::C});
  rp.levels[1].rows.push_back({3, Dim::R});
  rp.levels[1].cols.push_back({4, Dim::P});
  rp.levels[2].temporal.push_back({2, Dim::Q});
  Architecture tree = systolic(1, 8);
  tree.levels.resize(2);
  tree.array.timing = ArrayTiming::Ideal;
  Mapping t;
  t.levels.resize(2);
  t.levels[1].temporal.push_back({8, Dim::K});
  t.levels[1].temporal.push_back({2, Dim::P});
  t.levels[1].temporal.push_back({2, Dim::Q});
  t.levels[1].cols.push_back({4, Dim::C});
  const Expected<GeneratedDesign> designs[] = {
      generate_hardware(layer_8x4(), systolic(4, 4), ck_mapping(4, 4), {}),
      generate_hardware(rp_layer, systolic(3, 4), rp, {}),
      generate_hardware(layer_8x4(), tree, t, {}),
  };
  double seconds = 0.0;
  for (const Expected<GeneratedDesign>& d : designs) {
    ASSERT_TRUE(d) << d.error().message;
    SCOPED_TRACE(hardware_family_name(d->summary.family));
    testing::ScratchDir dir("lint");
    for (const GeneratedFile& f : d->files) testing::write_text(dir.path() / f.name, f.text);
    const int rc = testing::run_shell("cd " + dir.path().string() + " && " + std::string(DNNSPACE_VERILATOR) +
                                      " --lint-only -Wall --top-module " + d->summary.top_module + rtl_file_list(*d) +
                                      " >lint.log 2>&1");
    EXPECT_EQ(rc, 0) << testing::read_text(dir.path() / "lint.log").substr(0, 3000);
    if (d->summary.family != HardwareFamily::SystolicCK) {
      const std::int64_t cells = synthesized_cells(*d, "synth", seconds);
      std::printf("[hw] yosys %s: %lld cells\n", hardware_family_name(d->summary.family), static_cast<long long>(cells));
      EXPECT_GT(cells, 0);
    }
  }
}

}  // namespace
}  // namespace dnnspace
