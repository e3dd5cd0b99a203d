// 004 Fig. 2's convolution (Yang et al., Sec. IV-A): 64 output fmaps of 112 x 112 from 3
// input fmaps through 5 x 5 filters; the layer of the schedule tests.
#pragma once

#include "dnnspace/workload/layer.hpp"

namespace dnnspace::testing {

inline Layer fig2_layer() {
  Layer l;
  l.name = "fig2";
  l.bounds[Dim::K] = 64;
  l.bounds[Dim::C] = 3;
  l.bounds[Dim::P] = 112;
  l.bounds[Dim::Q] = 112;
  l.bounds[Dim::R] = 5;
  l.bounds[Dim::S] = 5;
  return l;
}

}  // namespace dnnspace::testing
