// Random small (layer, architecture, mapping) triples for property tests.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::testing {

struct RandomProblem {
  Layer layer;
  Architecture arch;
  Mapping mapping;
};

inline std::int64_t uniform(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

/// A random hierarchy of n levels: level 0 holds every tensor, the others each tensor
/// with probability 0.7; the 8x8 PE array sits under a random level.
inline Architecture random_arch(std::mt19937_64& rng, int n) {
  Architecture a;
  a.name = "random";
  for (int i = 0; i < n; ++i) {
    StorageLevel s;
    s.name = "L" + std::to_string(i);
    for (TensorId t : kAllTensors) s.holds[t] = i == 0 || uniform(rng, 0, 9) < 7;
    s.access_energy_pj = static_cast<double>(n - i);
    a.levels.push_back(s);
  }
  a.array.parent_level = static_cast<int>(uniform(rng, 0, n - 1));
  a.array.rows = 8;
  a.array.cols = 8;
  a.mac_energy_pj = 0.5;
  a.array.hop_energy_pj = 0.1;
  return a;
}

/// A random mapping whose factors cover every dimension of the layer, each split into
/// 1..max_pieces loops (sometimes with partial tiles), placed on random levels or array
/// axes (at most 8 PEs per axis) and shuffled within each level.
inline Mapping random_mapping(std::mt19937_64& rng, const Layer& l, const Architecture& a, int max_pieces) {
  const int n = static_cast<int>(a.levels.size());
  Mapping m;
  m.levels.resize(static_cast<std::size_t>(n));
  auto& levels = m.levels;
  for (Dim d : l.dims) {
    std::int64_t remaining = l.bounds[d];
    const int pieces = static_cast<int>(uniform(rng, 1, n == 1 ? 1 : max_pieces));
    for (int k = 0; k < pieces; ++k) {
      std::int64_t f = k + 1 == pieces ? remaining : uniform(rng, 1, remaining);
      if (k + 1 == pieces && uniform(rng, 0, 5) == 0) f += 1;  // overshoot: partial tiles
      remaining = (remaining + f - 1) / f;
      const Loop loop{f, d};
      const auto slot = uniform(rng, 0, n + 1);
      auto& arr = levels[static_cast<std::size_t>(a.array.parent_level)];
      if (slot == n && !arr.rows.full() && spatial_product(arr, Axis::Rows) * f <= 8) {
        arr.rows.push_back(loop);
      } else if (slot == n + 1 && !arr.cols.full() && spatial_product(arr, Axis::Cols) * f <= 8) {
        arr.cols.push_back(loop);
      } else {
        std::size_t level = static_cast<std::size_t>(uniform(rng, 0, n - 1));
        while (levels[level].temporal.full()) level = (level + 1) % levels.size();
        levels[level].temporal.push_back(loop);
      }
    }
  }
  for (auto& level : levels) std::shuffle(level.temporal.begin(), level.temporal.end(), rng);
  return m;
}

/// A random grouped, strided, dilated conv layer, 1-4 level hierarchy with random
/// bypass and array position, and a random mapping whose factors cover every
/// dimension (sometimes with partial tiles) in random loop orders.
inline RandomProblem random_problem(std::mt19937_64& rng) {
  RandomProblem p;
  Layer& l = p.layer;
  l.name = "random";
  l.bounds[Dim::N] = uniform(rng, 1, 2);
  l.bounds[Dim::K] = uniform(rng, 1, 4);
  l.bounds[Dim::C] = uniform(rng, 1, 4);
  l.bounds[Dim::P] = uniform(rng, 1, 5);
  l.bounds[Dim::Q] = uniform(rng, 1, 3);
  l.bounds[Dim::R] = uniform(rng, 1, 3);
  l.bounds[Dim::S] = uniform(rng, 1, 2);
  l.bounds[Dim::G] = uniform(rng, 1, 2);
  l.stride_h = uniform(rng, 1, 3);
  l.stride_w = uniform(rng, 1, 2);
  l.dilation_h = uniform(rng, 1, 2);
  l.dilation_w = uniform(rng, 1, 2);
  p.arch = random_arch(rng, static_cast<int>(uniform(rng, 1, 4)));
  p.mapping = random_mapping(rng, l, p.arch, 3);  // 8 dims x 3 > 12 loops
  return p;
}

/// One line describing a problem, for failure messages.
inline std::string describe(const RandomProblem& p) {
  std::ostringstream os;
  os << "layer";
  for (Dim d : p.layer.dims) os << ' ' << dim_letter(d) << '=' << p.layer.bounds[d];
  os << " stride=" << p.layer.stride_h << 'x' << p.layer.stride_w << " dil=" << p.layer.dilation_h << 'x'
     << p.layer.dilation_w << " | array under L" << p.arch.array.parent_level << " | ";
  for (std::size_t i = 0; i < p.mapping.levels.size(); ++i) {
    os << "L" << i << "[holds";
    for (TensorId t : kAllTensors) if (p.arch.levels[i].holds[t]) os << ' ' << tensor_name(t)[0];
    os << "] T:";
    for (const Loop& lp : p.mapping.levels[i].temporal) os << ' ' << dim_letter(lp.dim) << lp.factor;
    os << " R:";
    for (const Loop& lp : p.mapping.levels[i].rows) os << ' ' << dim_letter(lp.dim) << lp.factor;
    os << " C:";
    for (const Loop& lp : p.mapping.levels[i].cols) os << ' ' << dim_letter(lp.dim) << lp.factor;
    os << " ; ";
  }
  return os.str();
}

}  // namespace dnnspace::testing
