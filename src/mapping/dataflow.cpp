#include "dnnspace/mapping/dataflow.hpp"

#include <algorithm>
#include <initializer_list>
#include <vector>
#include <cctype>
#include <optional>

#include "dnnspace/mapping/legality.hpp"

namespace dnnspace {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return a / b + (a % b != 0 ? 1 : 0); }

// The largest divisor of v (>= 1) that is at most cap (>= 1), from v's prime factors
// (trial division, so at most about 2^28 steps for the largest bound the model counts).
std::int64_t largest_divisor_at_most(std::int64_t v, std::int64_t cap) {
  if (cap >= v) return v;
  std::vector<std::int64_t> divisors{1};
  std::int64_t x = v;
  const auto add_prime = [&](std::int64_t p, int exponent) {
    const std::size_t before = divisors.size();
    std::int64_t power = 1;
    for (int e = 0; e < exponent; ++e) {
      power *= p;
      for (std::size_t i = 0; i < before; ++i) divisors.push_back(divisors[i] * power);
    }
  };
  for (std::int64_t p = 2; p <= x / p; ++p) {
    int exponent = 0;
    while (x % p == 0) { x /= p; ++exponent; }
    if (exponent > 0) add_prime(p, exponent);
  }
  if (x > 1) add_prime(x, 1);
  std::int64_t best = 1;
  for (std::int64_t d : divisors) if (d <= cap) best = std::max(best, d);
  return best;
}

// The layer's dimensions with the conv ones in `conv_order` first, then a workload's
// other dimensions in its own order.
FixedVector<Dim, kMaxWorkloadDims> ordered_dims(const Layer& layer, std::initializer_list<Dim> conv_order) {
  FixedVector<Dim, kMaxWorkloadDims> out;
  for (Dim d : conv_order) {
    if (std::find(layer.dims.begin(), layer.dims.end(), d) != layer.dims.end()) out.push_back(d);
  }
  for (Dim d : layer.dims) if (static_cast<std::size_t>(d) >= kNumConvDims) out.push_back(d);
  return out;
}

}  // namespace

std::vector<std::pair<std::string_view, std::string_view>> dataflow_aliases() {
  // 004 Table I / 003 Sec. V-B: WS unrolls the filter (F_X F_Y), OS the output plane
  // (X Y), RS filter rows against output rows (F_Y | Y), NLR input against output
  // channels without local reuse (DianNao, as C|K).
  return {{"WS", "R|S"}, {"OS", "P|Q"}, {"RS", "R|P"}, {"NLR", "C|K"}};
}

Expected<Dataflow> parse_dataflow(std::string_view text, std::span<const Dim> allowed) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& [alias, form] : dataflow_aliases()) {
    if (upper == alias) return parse_dataflow(form, allowed);
  }
  const auto bar = upper.find('|');
  std::string letters;
  for (Dim d : allowed) letters += dim_letter(d);
  const std::string allowed_forms = "expected U|V with dimension letters from " + letters +
                                    " on each side (e.g. \"C|K\", \"R|P\", \"CK|PQ\") or one of WS, OS, RS, NLR";
  if (bar == std::string::npos || upper.find('|', bar + 1) != std::string::npos) {
    return Error{"dataflow '" + std::string(text) + "': " + allowed_forms};
  }
  Dataflow df;
  PerDim<bool> seen{};
  for (std::size_t i = 0; i < upper.size(); ++i) {
    if (i == bar || upper[i] == ' ') continue;
    const auto d = dim_from_letter(upper[i]);
    if (!d || std::find(allowed.begin(), allowed.end(), *d) == allowed.end()) {
      return Error{"dataflow '" + std::string(text) + "': unknown dimension '" + upper[i] + "'; " + allowed_forms};
    }
    if (seen[*d]) {
      return Error{"dataflow '" + std::string(text) + "': dimension " + upper[i] + " appears twice"};
    }
    seen[*d] = true;
    auto& axis = i < bar ? df.rows : df.cols;
    if (axis.full()) return Error{"dataflow '" + std::string(text) + "': at most 4 loops per axis"};
    axis.push_back(*d);
  }
  if (df.rows.empty() && df.cols.empty()) return Error{"dataflow '" + std::string(text) + "': " + allowed_forms};
  return df;
}

std::string dataflow_name(const Dataflow& dataflow) {
  if (dataflow.rows.empty() && dataflow.cols.empty()) return "none";  // nothing unrolled
  std::string out;
  for (Dim d : dataflow.rows) out += dim_letter(d);
  out += '|';
  for (Dim d : dataflow.cols) out += dim_letter(d);
  return out;
}

Dataflow dataflow_of(const Mapping& mapping, const Architecture& arch) {
  Dataflow df;
  const auto level = static_cast<std::size_t>(arch.array.parent_level);
  if (level >= mapping.levels.size()) return df;
  for (const Loop& l : mapping.levels[level].rows) if (l.factor > 1 && !df.rows.full()) df.rows.push_back(l.dim);
  for (const Loop& l : mapping.levels[level].cols) if (l.factor > 1 && !df.cols.full()) df.cols.push_back(l.dim);
  return df;
}

std::vector<Dataflow> replicated_extensions(const Dataflow& dataflow, const Layer& layer, const PeArray& array) {
  using AxisLoops = FixedVector<Dim, kMaxSpatialLoops>;
  const auto present = [&](const AxisLoops& axis) {
    AxisLoops out;
    for (Dim d : axis) if (layer.bounds[d] > 1) out.push_back(d);
    return out;
  };
  const AxisLoops rows = present(dataflow.rows), cols = present(dataflow.cols);
  const auto is_short = [&](const AxisLoops& axis, std::int64_t size) {
    std::int64_t product = 1;
    for (Dim d : axis) product = std::min(product * layer.bounds[d], size);  // saturates at the size
    return product < size;
  };
  const bool rows_short = is_short(rows, array.rows), cols_short = is_short(cols, array.cols);
  const bool any_short = rows_short || cols_short;
  const auto used = [&](Dim d) {
    return std::find(rows.begin(), rows.end(), d) != rows.end() || std::find(cols.begin(), cols.end(), d) != cols.end();
  };
  // The options for one axis: keep it (allowed unless it is empty), or add one loop.
  const auto options = [&](const AxisLoops& axis, bool may_extend) {
    std::vector<std::optional<Dim>> out;
    if (!axis.empty()) out.push_back(std::nullopt);
    if (!may_extend || axis.full()) return out;
    for (Dim d : layer.dims) if (layer.bounds[d] > 1 && !used(d)) out.push_back(d);
    return out;
  };
  const auto row_options = options(rows, !any_short || rows_short);
  const auto col_options = options(cols, !any_short || cols_short);
  std::vector<Dataflow> out;
  for (const std::optional<Dim>& r : row_options) {
    for (const std::optional<Dim>& c : col_options) {
      if (!r && !c) continue;           // that is the dataflow itself
      if (r && c && *r == *c) continue;  // a dimension on both axes
      Dataflow df{rows, cols};
      if (r) df.rows.push_back(*r);
      if (c) df.cols.push_back(*c);
      if (std::find(out.begin(), out.end(), df) == out.end()) out.push_back(df);
    }
  }
  return out;
}

Expected<Mapping> default_mapping(const Layer& layer, const Architecture& arch, const Dataflow& dataflow) {
  const std::size_t n = arch.levels.size();
  Mapping m;
  m.levels.resize(n);
  PerDim<std::int64_t> remaining = layer.bounds;

  // Spatial: each unrolled dimension takes what its axis still has room for.
  auto& feeder = m.levels[static_cast<std::size_t>(arch.array.parent_level)];
  for (Axis axis : {Axis::Rows, Axis::Cols}) {
    std::int64_t room = axis == Axis::Rows ? arch.array.rows : arch.array.cols;
    const auto& dims = axis == Axis::Rows ? dataflow.rows : dataflow.cols;
    auto& loops = axis == Axis::Rows ? feeder.rows : feeder.cols;
    for (Dim d : dims) {
      const std::int64_t f = std::min(room, remaining[d]);
      if (f <= 1) continue;
      loops.push_back({f, d});
      room /= f;
      remaining[d] = ceil_div(remaining[d], f);
    }
  }
  if (auto fits = check_mapping_fits(layer, arch, [&] {
        Mapping probe = m;
        for (Dim d : layer.dims) {
          if (remaining[d] > 1) probe.levels[0].temporal.push_back({remaining[d], d});
        }
        return probe;
      }());
      !fits) {
    return Error{"no blocking of dataflow " + dataflow_name(dataflow) + " fits: " + fits.error().message};
  }

  // Temporal: fill levels from the innermost outwards with the largest factors that fit.
  // Filter dimensions first, then channels, the output plane, batch and groups.
  const auto order = ordered_dims(layer, {Dim::S, Dim::R, Dim::C, Dim::K, Dim::Q, Dim::P, Dim::N, Dim::G});
  for (std::size_t l = n; l-- > 1;) {
    for (Dim d : order) {
      if (remaining[d] <= 1) continue;
      // Candidates, largest first: exact divisors (no partial tiles), and ceil splits
      // (partial last tile). A ceil split wins only when it is over twice the largest
      // fitting divisor, so 13 becomes 13 or 1 x 13, not 4 x 4 with three idle steps.
      auto fits_with = [&](std::int64_t f) {
        Mapping trial = m;
        trial.levels[l].temporal.push_back({f, d});
        PerDim<std::int64_t> rest = remaining;
        rest[d] = ceil_div(remaining[d], f);
        for (Dim e : layer.dims) {
          if (rest[e] > 1) trial.levels[0].temporal.push_back({rest[e], e});
        }
        return static_cast<bool>(check_mapping_fits(layer, arch, trial));
      };
      if (m.levels[l].temporal.full()) break;
      // Tiles only grow with a factor, so the factors that fit are 1..largest: found by
      // bisection, in O(log bound) capacity checks for bounds of any size.
      std::int64_t largest = 1;
      for (std::int64_t lo = 2, hi = remaining[d]; lo <= hi;) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (fits_with(mid)) { largest = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      const std::int64_t best_divisor = largest_divisor_at_most(remaining[d], largest);
      // The largest ceil split that fits: the fewest splits whose part is <= largest.
      const std::int64_t splits = std::max<std::int64_t>(2, ceil_div(remaining[d], largest));
      const std::int64_t best_split = splits <= remaining[d] ? ceil_div(remaining[d], splits) : 1;
      const std::int64_t f = best_split > 2 * best_divisor ? best_split : best_divisor;
      if (f > 1) {
        m.levels[l].temporal.push_back({f, d});
        remaining[d] = ceil_div(remaining[d], f);
      }
    }
    // Loops were added innermost dimension first; list them outermost first.
    std::reverse(m.levels[l].temporal.begin(), m.levels[l].temporal.end());
  }
  // The outermost level takes what remains, in G N K C P Q R S order.
  for (Dim d : ordered_dims(layer, {Dim::G, Dim::N, Dim::K, Dim::C, Dim::P, Dim::Q, Dim::R, Dim::S})) {
    if (remaining[d] > 1) m.levels[0].temporal.push_back({remaining[d], d});
  }
  if (auto ok = check_mapping(layer, arch, m); !ok) {
    return Error{"default blocking of dataflow " + dataflow_name(dataflow) + " is illegal: " + ok.error().message};
  }
  return m;
}

}  // namespace dnnspace
