// The examples the platform studies rely on (docs/platforms.md) load and say what their
// comments say.
#include <gtest/gtest.h>

#include <string>

#include "dnnspace/arch/area.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/fpga_yaml.hpp"
#include "dnnspace/io/workload_yaml.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

std::string example(const std::string& path) { return std::string(DNNSPACE_SOURCE_DIR) + "/examples/" + path; }

// 4,096 MACs at 606 MHz, 36 MB of eDRAM as the outermost level, 66 mm^2 in all (000 Sec. IV).
TEST(PlatformExamples, DadiannaoLikeNode) {
  const Expected<Architecture> a = io::load_arch_yaml(example("arch/dadiannao-like.yaml"));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(pe_count(*a), 4096);
  EXPECT_DOUBLE_EQ(a->clock_mhz, 606.0);
  EXPECT_EQ(a->levels.front().capacity_bytes, 36 * 1024 * 1024);
  EXPECT_NEAR(area_mm2(*a), 66.0, 0.1);
}

// AlexNet's five convolutions exactly as the zoo has them.
TEST(PlatformExamples, AlexnetConvolutions) {
  const Expected<Network> convs = io::load_network_yaml(example("networks/alexnet_convs.yaml"));
  ASSERT_TRUE(convs) << convs.error().message;
  const Network zoo = *zoo_network("alexnet");
  ASSERT_EQ(convs->layers.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(convs->layers[i].bounds, zoo.layers[i].bounds) << i;
    EXPECT_EQ(macs(convs->layers[i]), macs(zoo.layers[i])) << i;
  }
}

// The YAML form of the built-in VC707 target.
TEST(PlatformExamples, Vc707Yaml) {
  const Expected<FpgaTarget> y = io::resolve_fpga_target(example("fpga/vc707.yaml"));
  ASSERT_TRUE(y) << y.error().message;
  const FpgaTarget p = *fpga_preset("vc707");
  EXPECT_EQ(y->dsp_slices, p.dsp_slices);
  EXPECT_EQ(y->bram_18k, p.bram_18k);
  EXPECT_EQ(y->clock_mhz, p.clock_mhz);
  EXPECT_EQ(y->dram_bandwidth_gbps, p.dram_bandwidth_gbps);
  EXPECT_EQ(y->word_bits, p.word_bits);
  EXPECT_EQ(y->dsp_per_mac, p.dsp_per_mac);
  EXPECT_EQ(y->floating_point, p.floating_point);
  EXPECT_EQ(y->power_w, p.power_w);
}

}  // namespace
}  // namespace dnnspace
