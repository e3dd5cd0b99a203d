#include "dnnspace/engine/broadcast.hpp"

#include <gtest/gtest.h>

namespace dnnspace::engine {
namespace {

TEST(Broadcast, ShapesAlignAtTheLastAxis) {
  EXPECT_EQ(broadcast_shapes("op", {2, 1, 4}, {3, 1}).value(), (Shape{2, 3, 4}));
  EXPECT_EQ(broadcast_shapes("op", {}, {5}).value(), (Shape{5}));
  EXPECT_EQ(broadcast_shapes("op", {1}, {0}).value(), (Shape{0}));
  EXPECT_FALSE(broadcast_shapes("op", {2}, {3}));
}

TEST(Broadcast, StridesAreZeroOnBroadcastAxes) {
  // [3, 1] read as [2, 3, 4]: new leading axis 0, own axis stride 1, broadcast axis 0.
  EXPECT_EQ(broadcast_strides({3, 1}, {2, 3, 4}), (Shape{0, 1, 0}));
  EXPECT_EQ(broadcast_strides({2, 3}, {2, 3}), (Shape{3, 1}));
}

}  // namespace
}  // namespace dnnspace::engine
