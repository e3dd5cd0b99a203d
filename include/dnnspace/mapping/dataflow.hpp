// Dataflows in 004's U|V notation, the Eyeriss names, and a default blocking for one.
#pragma once

#include <string>
#include <span>
#include <string_view>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/core/dims.hpp"
#include "dnnspace/core/expected.hpp"
#include "dnnspace/core/fixed_vector.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace {

/// Which loops are unrolled on the array's rows (U, vertical) and columns (V,
/// horizontal); on one axis the first listed gets the nearest neighbours (004 Sec. III-C).
struct Dataflow {
  FixedVector<Dim, kMaxSpatialLoops> rows;
  FixedVector<Dim, kMaxSpatialLoops> cols;
  friend constexpr bool operator==(const Dataflow&, const Dataflow&) = default;
};

/// Parses "U|V" with dimension letters on each side ("C|K", "R|P", "CK|PQ"), or an
/// Eyeriss name: WS = "R|S", OS = "P|Q", RS = "R|P", NLR = "C|K" (see docs/model.md).
/// Each letter must be one of `allowed` (the workload's dimensions; the conv ones by
/// default). Errors say what is allowed.
Expected<Dataflow> parse_dataflow(std::string_view text, std::span<const Dim> allowed = kConvDims);

/// The Eyeriss names with the U|V form each stands for.
std::vector<std::pair<std::string_view, std::string_view>> dataflow_aliases();

/// "C|K" for a dataflow.
std::string dataflow_name(const Dataflow& dataflow);

/// The dataflow a mapping uses: the dimensions of its spatial loops, per axis.
Dataflow dataflow_of(const Mapping& mapping, const Architecture& arch);

/// The dataflows one replication step away from `dataflow` on `layer` (004 Sec. III-C:
/// replication "increases utilization when handling small tiles"), for when the dataflow
/// itself cannot keep the array busy (C|K on a first CONV layer with C = 3). Loops the
/// layer lacks (bound < 2) are dropped first. An axis is *short* when its loops' bounds
/// multiply to less than the axis size. If any axis is short, each short axis may take one
/// more loop (a dimension of the layer not yet in the dataflow, after the axis's own
/// loops); otherwise every axis may. At least one axis takes a loop, an axis left with no
/// loop must take one, and no axis exceeds kMaxSpatialLoops. Rows are extended first, in
/// N K C P Q R S G order, then columns; no duplicates. Empty when nothing can be added.
std::vector<Dataflow> replicated_extensions(const Dataflow& dataflow, const Layer& layer, const PeArray& array);

/// A reasonable blocking for a dataflow: each unrolled loop takes as much of its
/// dimension as its axis allows, then, from the innermost level outwards, each level
/// takes the largest factors that still fit its capacity (filter dims first, then
/// C, K, Q, P, N, G), and the outermost level takes what remains. Deterministic.
/// Errors when even the smallest tiles do not fit.
Expected<Mapping> default_mapping(const Layer& layer, const Architecture& arch, const Dataflow& dataflow);

}  // namespace dnnspace
