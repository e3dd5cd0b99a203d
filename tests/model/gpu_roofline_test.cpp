// The GPU bound model by hand: AlexNet FC6 at batch 128 on the K20m, and the thread-block
// tile each GPU's shared memory allows.
#include <gtest/gtest.h>

#include "dnnspace/model/gpu_roofline.hpp"
#include "dnnspace/workload/zoo.hpp"

namespace dnnspace {
namespace {

// FC6: N 128, C 9,216, K 4,096: 4,831,838,208 MACs. K20m fp32 peak 13 x 192 x 706 MHz =
// 1.762e12 MAC/s, x 0.75 = 1.3215e12: 3.6563 ms of compute. DRAM: (128 x 9,216 inputs +
// 4,096 x 9,216 weights + 128 x 4,096 outputs) x 4 B = 157,810,688 B at 208 GB/s = 0.7587
// ms. L2: 64-wide tiles, MACs x (1/64 + 1/64) operand words + 524,288 outputs, x 4 B =
// 606,076,928 B at 512 B x 706 MHz = 361.472 GB/s = 1.6767 ms. Shared memory: 64-wide warp
// tiles, MACs x 2/64 words x 4 B = 603,979,776 B at 13 x 256 B x 706 MHz = 2.3496 TB/s =
// 0.2571 ms. Compute binds.
TEST(GpuRoofline, Fc6OnK20mByHand) {
  const GpuTarget k20m = *gpu_preset("k20m");
  const Layer fc6 = *zoo_layer("alexnet/fc6", 128);
  const GpuLayerCost c = gpu_layer_cost(fc6, k20m, GpuPrecision::Fp32);
  const double macs = 128.0 * 9216.0 * 4096.0;
  EXPECT_DOUBLE_EQ(c.ops, 2.0 * macs);
  EXPECT_EQ(c.tile, 64);
  EXPECT_NEAR(c.compute_s, macs / (13.0 * 192.0 * 706e6 * 0.75), 1e-15);
  EXPECT_DOUBLE_EQ(c.dram_bytes, 157810688.0);
  EXPECT_NEAR(c.dram_s, 157810688.0 / 208e9, 1e-15);
  EXPECT_DOUBLE_EQ(c.l2_bytes, 606076928.0);
  EXPECT_NEAR(c.l2_s, 606076928.0 / 361.472e9, 1e-15);
  EXPECT_DOUBLE_EQ(c.smem_bytes, 603979776.0);
  EXPECT_NEAR(c.smem_s, 603979776.0 / (13.0 * 256.0 * 706e6), 1e-15);
  EXPECT_EQ(c.bound, "compute");
  EXPECT_DOUBLE_EQ(c.time_s, c.compute_s);
  EXPECT_DOUBLE_EQ(c.energy_j, 225.0 * c.time_s);
  EXPECT_NEAR(c.ctc_ops_per_byte(), 2.0 * macs / 157810688.0, 1e-9);
}

// At batch 1 the weights dominate: 4 x 37.7 M B at 208 GB/s = 0.726 ms against 28.6 us of
// compute: DRAM binds.
TEST(GpuRoofline, Fc6AtBatchOneIsBoundByDram) {
  const GpuTarget k20m = *gpu_preset("k20m");
  const GpuLayerCost c = gpu_layer_cost(*zoo_layer("alexnet/fc6", 1), k20m, GpuPrecision::Fp32);
  EXPECT_EQ(c.bound, "DRAM");
  EXPECT_DOUBLE_EQ(c.dram_bytes, (9216.0 + 37748736.0 + 4096.0) * 4.0);
  EXPECT_DOUBLE_EQ(c.time_s, c.dram_s);
}

// Two double-buffered T x 32 operand slices: 4 x T x 32 x bytes within one SM's shared
// memory, T a power of two up to 256. K20m (48 KB): fp32 T <= 96 -> 64, fp16 T <= 192 ->
// 128. A100 (164 KB): fp32 T <= 328 -> 256.
TEST(GpuRoofline, BlockTileFromSharedMemory) {
  EXPECT_EQ(gpu_block_tile(*gpu_preset("k20m"), GpuPrecision::Fp32), 64);
  EXPECT_EQ(gpu_block_tile(*gpu_preset("k20m"), GpuPrecision::Fp16), 128);
  EXPECT_EQ(gpu_block_tile(*gpu_preset("a100"), GpuPrecision::Fp32), 256);
  EXPECT_EQ(gpu_block_tile(*gpu_preset("a100"), GpuPrecision::Int8), 256);
}

// The A100's tensor cores: 1,024 fp16 MACs per SM per cycle, 16x its fp32 rate.
TEST(GpuRoofline, PrecisionPicksTheThroughput) {
  const GpuTarget a100 = *gpu_preset("a100");
  const Layer conv3 = *zoo_layer("alexnet/conv3", 64);
  const GpuLayerCost fp32 = gpu_layer_cost(conv3, a100, GpuPrecision::Fp32);
  const GpuLayerCost fp16 = gpu_layer_cost(conv3, a100, GpuPrecision::Fp16);
  EXPECT_NEAR(fp32.compute_s / fp16.compute_s, 16.0, 1e-9);
  EXPECT_DOUBLE_EQ(fp32.dram_bytes, 2.0 * fp16.dram_bytes);
  EXPECT_FALSE(parse_gpu_precision("bf16"));
  EXPECT_FALSE(gpu_preset("h100"));
}

}  // namespace
}  // namespace dnnspace
