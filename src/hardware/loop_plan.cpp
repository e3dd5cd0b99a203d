#include "loop_plan.hpp"

#include <string>

#include "dnnspace/mapping/legality.hpp"

namespace dnnspace::hw {
namespace {

std::string dims_text(const FixedVector<Loop, kMaxSpatialLoops>& loops) {
  std::string out;
  for (const Loop& l : loops) {
    if (l.factor > 1) out += dim_letter(l.dim);
  }
  return out.empty() ? "-" : out;
}

bool only_dims(const FixedVector<Loop, kMaxSpatialLoops>& loops, std::string_view allowed) {
  for (const Loop& l : loops) {
    if (l.factor > 1 && allowed.find(dim_letter(l.dim)) == std::string_view::npos) return false;
  }
  return true;
}

bool has_loops(const FixedVector<Loop, kMaxSpatialLoops>& loops) {
  for (const Loop& l : loops) {
    if (l.factor > 1) return true;
  }
  return false;
}

Error refuse(const std::string& what) {
  return Error{"hardware generator: " + what + "; supported: " + supported_families_text()};
}

// Row-major address coefficients of a dimension's index in each tensor: inputs
// [N][C][H][W] with h = p + r, w = q + s (stride and dilation 1), weights [K][C][R][S],
// outputs [N][K][P][Q].
Strides coefficients(const Layer& l, Dim d) {
  const auto b = [&](Dim x) { return l.bounds[x]; };
  const std::int64_t H = b(Dim::P) + b(Dim::R) - 1, Wd = b(Dim::Q) + b(Dim::S) - 1;
  switch (d) {
    case Dim::N: return {b(Dim::C) * H * Wd, 0, b(Dim::K) * b(Dim::P) * b(Dim::Q)};
    case Dim::K: return {0, b(Dim::C) * b(Dim::R) * b(Dim::S), b(Dim::P) * b(Dim::Q)};
    case Dim::C: return {H * Wd, b(Dim::R) * b(Dim::S), 0};
    case Dim::P: return {Wd, 0, b(Dim::Q)};
    case Dim::Q: return {1, 0, 1};
    case Dim::R: return {Wd, b(Dim::S), 0};
    case Dim::S: return {1, 1, 0};
    default: return {0, 0, 0};
  }
}

// One loop of the nest with its place: for the mixed-radix weights of Sec. 2 of
// docs/model.md (a dimension's index: each loop's index times the product of the
// factors of the same dimension's loops inside it).
struct PlacedLoop {
  Loop loop;
  int level;
  Axis axis;
  std::int64_t pe_stride;
  std::int64_t index_weight = 1;
};

std::vector<PlacedLoop> placed_loops(const Mapping& m) {
  std::vector<PlacedLoop> out;
  for (std::size_t l = 0; l < m.levels.size(); ++l) {
    const LevelLoops& level = m.levels[l];
    for (const Loop& loop : level.temporal) {
      if (loop.factor > 1) out.push_back({loop, static_cast<int>(l), Axis::None, 0});
    }
    for (Axis axis : {Axis::Rows, Axis::Cols}) {
      std::int64_t stride = 1;
      for (const Loop& loop : axis == Axis::Rows ? level.rows : level.cols) {
        if (loop.factor > 1) out.push_back({loop, static_cast<int>(l), axis, stride});
        stride *= loop.factor;
      }
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t j = i + 1; j < out.size(); ++j) {
      if (out[j].loop.dim == out[i].loop.dim) out[i].index_weight *= out[j].loop.factor;
    }
  }
  return out;
}

AddressLoop address_loop(const Layer& layer, const PlacedLoop& p) {
  const Strides c = coefficients(layer, p.loop.dim);
  AddressLoop a;
  a.factor = p.loop.factor;
  a.dim = p.loop.dim;
  for (std::size_t t = 0; t < 3; ++t) a.stride[t] = c[t] * p.index_weight;
  a.reduction = p.loop.dim == Dim::C || p.loop.dim == Dim::R || p.loop.dim == Dim::S;
  a.weight_relevant = !(p.loop.dim == Dim::N || p.loop.dim == Dim::P || p.loop.dim == Dim::Q);
  return a;
}

// Offsets of every PE position along one axis (0 for positions past the axis's loops).
std::vector<Strides> axis_offsets(const Layer& layer, const std::vector<PlacedLoop>& loops, Axis axis,
                                  std::int64_t length, std::int64_t& used) {
  used = 1;
  for (const PlacedLoop& p : loops) {
    if (p.axis == axis) used *= p.loop.factor;
  }
  std::vector<Strides> out(static_cast<std::size_t>(length), Strides{});
  for (std::int64_t pos = 0; pos < used && pos < length; ++pos) {
    for (const PlacedLoop& p : loops) {
      if (p.axis != axis) continue;
      const std::int64_t index = (pos / p.pe_stride) % p.loop.factor;
      const Strides c = coefficients(layer, p.loop.dim);
      for (std::size_t t = 0; t < 3; ++t) out[static_cast<std::size_t>(pos)][t] += index * p.index_weight * c[t];
    }
  }
  return out;
}

Expected<void> check_layer(const Layer& l) {
  if (l.custom || !(l.kind == LayerKind::Conv || l.kind == LayerKind::FullyConnected || l.kind == LayerKind::Matmul)) {
    return refuse("layer '" + l.name + "' is a " + std::string(layer_kind_name(l.kind)) + " layer (CONV, FC and matmul layers only)");
  }
  if (l.pass != Pass::Forward) return refuse("layer '" + l.name + "': only the forward pass");
  if (l.bounds[Dim::G] != 1) return refuse("layer '" + l.name + "' has G = " + std::to_string(l.bounds[Dim::G]) + " groups (G = 1 only)");
  if (l.stride_h != 1 || l.stride_w != 1 || l.dilation_h != 1 || l.dilation_w != 1) {
    return refuse("layer '" + l.name + "' has a stride or dilation above 1 (stride 1, dilation 1 only)");
  }
  return {};
}

}  // namespace

std::string supported_families_text() {
  return "C|K systolic (rows: C, R, S; columns: K; weights stationary), R|P systolic (rows: R, columns: P), "
         "C reduction tree (C on a 1-D ideal array); levels DRAM -> global buffer (array parent, all tensors, "
         "no DRAM loops) [-> per-PE register holding only weights, for the systolic families]; "
         "forward CONV/FC/matmul, G = 1, stride and dilation 1, every dimension's factors multiplying to its bound "
         "(docs/hardware.md)";
}

Expected<LoopPlan> plan_loops(const Layer& layer, const Architecture& arch, const Mapping& mapping,
                              const HardwareOptions& options) {
  if (options.operand_bits < 2 || options.operand_bits > 16) {
    return Error{"hardware generator: operand bits " + std::to_string(options.operand_bits) + " (supported: 2..16)"};
  }
  if (options.accumulator_bits < 2 * options.operand_bits + 1 || options.accumulator_bits > 64) {
    return Error{"hardware generator: accumulator bits " + std::to_string(options.accumulator_bits) +
                 " (supported: 2 x operand bits + 1 = " + std::to_string(2 * options.operand_bits + 1) + " .. 64)"};
  }
  if (auto ok = check_layer(layer); !ok) return ok.error();
  if (auto ok = check_mapping(layer, arch, mapping); !ok) return Error{"hardware generator: " + ok.error().message};

  LoopPlan plan;
  plan.rows = arch.array.rows;
  plan.cols = arch.array.cols;
  const int parent = arch.array.parent_level;
  const std::size_t levels = arch.levels.size();
  const LevelLoops& feed = mapping.levels[static_cast<std::size_t>(parent)];
  const std::string dataflow = dims_text(feed.rows) + "|" + dims_text(feed.cols);
  const bool systolic = arch.array.timing == ArrayTiming::Systolic;

  if (systolic && only_dims(feed.rows, "CRS") && only_dims(feed.cols, "K")) {
    plan.family = HardwareFamily::SystolicCK;
  } else if (systolic && only_dims(feed.rows, "R") && only_dims(feed.cols, "P") && has_loops(feed.rows) && has_loops(feed.cols)) {
    plan.family = HardwareFamily::SystolicRP;
  } else if (!systolic && (arch.array.rows == 1 || arch.array.cols == 1) &&
             only_dims(arch.array.rows == 1 ? feed.cols : feed.rows, "C") &&
             !has_loops(arch.array.rows == 1 ? feed.rows : feed.cols)) {
    plan.family = HardwareFamily::ReductionTree;
  } else {
    return refuse("dataflow " + dataflow + " on a " + std::to_string(arch.array.rows) + "x" +
                  std::to_string(arch.array.cols) + (systolic ? " systolic" : " ideal") + " array is not a supported family");
  }
  const bool tree = plan.family == HardwareFamily::ReductionTree;

  // Levels: DRAM -> global buffer (array parent) [-> per-PE weight registers].
  if (parent != 1 || levels != (tree ? 2U : 3U)) {
    return refuse("architecture '" + arch.name + "' has " + std::to_string(levels) + " levels with the array under level " +
                  std::to_string(parent) + " (the " + hardware_family_name(plan.family) + " needs " + (tree ? "2" : "3") +
                  " levels, the array under level 1)");
  }
  plan.global_level = 1;
  for (TensorId t : {TensorId::Inputs, TensorId::Weights, TensorId::Outputs}) {
    if (!holds_tensor(arch.levels[0], t) || !holds_tensor(arch.levels[1], t)) {
      return refuse("levels '" + arch.levels[0].name + "' and '" + arch.levels[1].name + "' must hold inputs, weights and outputs");
    }
  }
  if (!tree) {
    plan.register_level = 2;
    const StorageLevel& reg = arch.levels[2];
    if (holds_tensor(reg, TensorId::Inputs) || !holds_tensor(reg, TensorId::Weights) || holds_tensor(reg, TensorId::Outputs)) {
      return refuse("level '" + reg.name + "' below the array must hold the weights only (weight-stationary PEs)");
    }
    if (arch.array.rows * arch.array.cols < 2) return refuse("a systolic array of one PE");
  }
  for (const StorageLevel& level : arch.levels) {
    if (level.bandwidth_words_per_cycle > 0.0 || level.read_bandwidth_words_per_cycle > 0.0 ||
        level.write_bandwidth_words_per_cycle > 0.0) {
      return refuse("level '" + level.name + "' has a bandwidth limit (the template's banks move a word per port per "
                    "cycle and its DMA one word per cycle: no bandwidth limits)");
    }
  }
  for (const Loop& loop : mapping.levels[0].temporal) {
    if (loop.factor > 1) {
      return refuse("level '" + arch.levels[0].name + "' has a temporal loop " + std::string(1, dim_letter(loop.dim)) +
                    " (the global buffer holds the whole layer: no loops at DRAM)");
    }
  }
  for (Dim d : kConvDims) {
    if (factor_product(mapping, d) != layer.bounds[d]) {
      return refuse(std::string("dimension ") + dim_letter(d) + ": its factors multiply to " +
                    std::to_string(factor_product(mapping, d)) + ", not its bound " + std::to_string(layer.bounds[d]) +
                    " (no partial tiles)");
    }
  }

  const std::vector<PlacedLoop> loops = placed_loops(mapping);
  for (const PlacedLoop& p : loops) {
    if (p.axis != Axis::None) continue;
    const bool per_pe = p.level > parent;
    if (per_pe && !(p.loop.dim == Dim::N || p.loop.dim == Dim::P || p.loop.dim == Dim::Q)) {
      return refuse("level '" + arch.levels[static_cast<std::size_t>(p.level)].name + "' has a temporal loop " +
                    std::string(1, dim_letter(p.loop.dim)) + " (the PE holds one weight: only N, P, Q loops there)");
    }
    if (per_pe && plan.family == HardwareFamily::SystolicRP && p.loop.dim == Dim::P) {
      return refuse("R|P with a per-PE P loop (inputs are shared along the array's diagonals: P only on the columns and at the global buffer)");
    }
    (tree || !per_pe ? (tree ? plan.steps : plan.folds) : plan.steps).push_back(address_loop(layer, p));
  }
  plan.row_offset = axis_offsets(layer, loops, Axis::Rows, plan.rows, plan.used_rows);
  plan.col_offset = axis_offsets(layer, loops, Axis::Cols, plan.cols, plan.used_cols);
  for (const AddressLoop& a : plan.folds) plan.fold_count *= a.factor;
  for (const AddressLoop& a : plan.steps) plan.step_count *= a.factor;
  plan.tensor_words = {tensor_size(layer, TensorId::Inputs), tensor_size(layer, TensorId::Weights),
                       tensor_size(layer, TensorId::Outputs)};
  return plan;
}

}  // namespace dnnspace::hw
