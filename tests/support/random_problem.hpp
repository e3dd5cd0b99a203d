// Random small (layer, architecture, mapping) triples for property tests.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/custom_workload.hpp"
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

/// A random workload given as data (docs/workloads.md): 2-6 dimensions named by random
/// letters, bounds 1-4 and sometimes one of 256-300 (at most 4,000 MACs), two operands and an output each indexed by
/// a random non-empty subset of the dimensions in random order, consecutive ones merged
/// into sliding windows (coefficients 1-3) at random: any tensor may slide, on several
/// axes, and have 1 to 6 axes. Its pass is random too.
/// `max_dims`, `max_macs` and `long_dims` shrink it for brute-force searches.
/// `max_operands` > 2: 2 to max_operands operands (further operand slots).
inline Layer random_workload(std::mt19937_64& rng, std::int64_t max_dims = 6, std::int64_t max_macs = 4000,
                             bool long_dims = true, std::int64_t max_operands = 2) {
  while (true) {
    std::string letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::shuffle(letters.begin(), letters.end(), rng);
    const auto num_dims = static_cast<std::size_t>(uniform(rng, 2, max_dims));
    WorkloadDescription w;
    w.name = "random";
    std::int64_t product = 1;
    const auto long_dim = static_cast<std::size_t>(uniform(rng, 0, 3 * static_cast<std::int64_t>(num_dims)));
    for (std::size_t i = 0; i < num_dims; ++i) {
      // Sometimes one long dimension (256-300), room for 8 loops with factors > 1.
      const std::int64_t bound = long_dims && i == long_dim ? uniform(rng, 256, 300) : uniform(rng, 1, 4);
      w.dims.push_back({*dim_from_letter(letters[i]), bound});
      product *= bound;
    }
    if (product > max_macs) continue;
    const char* names[] = {"x", "y", "z", "u", "v", "w", "s", "t"};
    const auto operands = static_cast<int>(max_operands > 2 ? uniform(rng, 2, max_operands) : 2);
    for (int t = 0; t <= operands; ++t) {
      std::vector<Dim> subset;
      for (const auto& [d, bound] : w.dims) if (uniform(rng, 0, 9) < 6) subset.push_back(d);
      if (subset.empty()) subset.push_back(w.dims[static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(num_dims) - 1))].first);
      std::shuffle(subset.begin(), subset.end(), rng);
      TensorDescription desc;
      desc.name = names[t];
      desc.role = t == 2 ? TensorRole::Output : t != 0 && uniform(rng, 0, 1) ? TensorRole::Weights : TensorRole::Operand;
      for (std::size_t i = 0; i < subset.size(); ++i) {
        IndexAxis axis{{uniform(rng, 0, 2) == 0 ? uniform(rng, 2, 3) : 1, subset[i]}};
        if (i + 1 < subset.size() && uniform(rng, 0, 9) < 4) {
          axis.second = {uniform(rng, 1, 3), subset[++i]};
        }
        desc.index.push_back(axis);
      }
      w.tensors.push_back(desc);
    }
    Expected<Layer> layer = make_workload_layer(w);
    if (!layer) continue;
    layer->pass = static_cast<Pass>(uniform(rng, 0, 2));
    return *layer;
  }
}

/// One line describing a problem, for failure messages.
inline std::string describe(const RandomProblem& p) {
  std::ostringstream os;
  os << "layer";
  for (Dim d : p.layer.dims) os << ' ' << dim_letter(d) << '=' << p.layer.bounds[d];
  if (p.layer.custom) {
    os << " pass=" << pass_name(p.layer.pass);
    const Projection proj = projection_of(p.layer);
    for (TensorId t : layer_tensors(p.layer)) {
      os << ' ' << tensor_name(p.layer, t) << '[';
      for (std::size_t i = 0; i < proj[t].axes.size(); ++i) os << (i ? "," : "") << index_axis_text(proj[t].axes[i]);
      os << ']';
    }
  }
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
