// Small layers and a 4x4-PE eyeriss for network-level tests: each search takes milliseconds.
#pragma once

#include <cstdint>
#include <string>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/search/mapper.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::testing {

/// A 3x3 CONV: K 8, C 4, 4x4 outputs, batch n.
inline Layer small_conv(const std::string& name, std::int64_t n = 1) {
  Layer l;
  l.name = name;
  l.bounds[Dim::N] = n;
  l.bounds[Dim::K] = 8;
  l.bounds[Dim::C] = 4;
  l.bounds[Dim::P] = 4;
  l.bounds[Dim::Q] = 4;
  l.bounds[Dim::R] = 3;
  l.bounds[Dim::S] = 3;
  return l;
}

/// An FC layer 32 -> 8, batch n.
inline Layer small_fc(const std::string& name, std::int64_t n = 1) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::FullyConnected;
  l.bounds[Dim::N] = n;
  l.bounds[Dim::K] = 8;
  l.bounds[Dim::C] = 32;
  return l;
}

/// Attention's scores Q K^T for 2 heads: 16 queries x 8 (head dimension) x 16 keys, one
/// sample; both operands are activations (groups_per_sample).
inline Layer small_attention_scores(const std::string& name) {
  Layer l;
  l.name = name;
  l.kind = LayerKind::Matmul;
  l.bounds[Dim::N] = 16;
  l.bounds[Dim::C] = 8;
  l.bounds[Dim::K] = 16;
  l.bounds[Dim::G] = 2;
  l.groups_per_sample = 2;
  return l;
}

/// The eyeriss preset with a 4x4 array.
inline Architecture eyeriss_4x4() {
  Architecture arch = *arch_preset("eyeriss");
  arch.array.rows = 4;
  arch.array.cols = 4;
  return arch;
}

/// One thread at a 0.5 utilization floor.
inline MapperOptions single_thread_options() {
  MapperOptions o;
  o.min_utilization = 0.5;
  o.threads = 1;
  return o;
}

}  // namespace dnnspace::testing
