#include "dnnspace/search/dataflow_sweep.hpp"

#include <algorithm>
#include <string>
#include <tuple>

namespace dnnspace {
namespace {

using DimSeq = FixedVector<Dim, kMaxSpatialLoops>;

// Every ordered sequence of 1..max_len distinct dims from `dims`, skipping `taken`.
void sequences(const std::vector<Dim>& dims, int max_len, const DimSeq& taken, DimSeq& cur, std::vector<DimSeq>& out) {
  if (!cur.empty()) out.push_back(cur);
  if (static_cast<int>(cur.size()) == max_len) return;
  for (Dim d : dims) {
    if (std::find(cur.begin(), cur.end(), d) != cur.end()) continue;
    if (std::find(taken.begin(), taken.end(), d) != taken.end()) continue;
    cur.push_back(d);
    sequences(dims, max_len, taken, cur, out);
    cur.pop_back();
  }
}

std::vector<std::size_t> indices(const DimSeq& axis) {
  std::vector<std::size_t> out;
  for (Dim d : axis) out.push_back(static_cast<std::size_t>(d));
  return out;
}

}  // namespace

Expected<std::vector<Dataflow>> dataflow_space(const Layer& layer, int max_loops_per_axis) {
  if (max_loops_per_axis < 1 || max_loops_per_axis > 3) {
    return Error{"loops per array axis must be 1, 2 or 3, got " + std::to_string(max_loops_per_axis)};
  }
  std::vector<Dim> dims;
  for (Dim d : layer.dims) if (layer.bounds[d] > 1) dims.push_back(d);
  if (dims.size() < 2) {
    // Nothing to pair: the lone dimension on the rows ("M|"), or nothing unrolled.
    Dataflow df;
    if (!dims.empty()) df.rows.push_back(dims[0]);
    return std::vector<Dataflow>{df};
  }
  std::vector<DimSeq> rows;
  DimSeq cur;
  sequences(dims, max_loops_per_axis, DimSeq{}, cur, rows);
  std::vector<Dataflow> out;
  for (const DimSeq& r : rows) {
    std::vector<DimSeq> cols;
    sequences(dims, max_loops_per_axis, r, cur, cols);
    for (const DimSeq& c : cols) {
      // U|V and V|U are one dataflow: keep the orientation whose row axis starts first.
      if (static_cast<std::size_t>(c[0]) < static_cast<std::size_t>(r[0])) continue;
      Dataflow df;
      df.rows = r;
      df.cols = c;
      out.push_back(df);
    }
  }
  const auto key = [](const Dataflow& df) {
    return std::tuple(static_cast<std::size_t>(df.rows[0]), static_cast<std::size_t>(df.cols[0]),
                      df.rows.size() + df.cols.size(), df.rows.size(), indices(df.rows), indices(df.cols));
  };
  std::sort(out.begin(), out.end(), [&](const Dataflow& a, const Dataflow& b) { return key(a) < key(b); });
  return out;
}

Expected<std::vector<DataflowPoint>> sweep_dataflows(const Layer& layer, const Architecture& arch,
                                                     const std::vector<Dataflow>& dataflows,
                                                     const MapperOptions& options) {
  std::vector<DataflowPoint> points;
  points.reserve(dataflows.size());
  MapperOptions one = options;
  one.replicate_if_unmapped = false;  // each point is exactly its dataflow
  for (const Dataflow& df : dataflows) {
    if (options.stop && options.stop->load()) break;
    one.dataflows = {df};
    DataflowPoint point{df, find_best_mapping(layer, arch, one)};
    if (point.result.found && !(dataflow_of(point.result.mapping, arch) == df)) {
      return Error{"the mapper answered dataflow " + dataflow_name(df) + " with a mapping of " +
                   dataflow_name(dataflow_of(point.result.mapping, arch)) +
                   ": this dataflow is not supported by find_best_mapping yet"};
    }
    points.push_back(std::move(point));
  }
  return points;
}

}  // namespace dnnspace
