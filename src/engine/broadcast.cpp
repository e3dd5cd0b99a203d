#include "dnnspace/engine/broadcast.hpp"

#include <algorithm>
#include <cassert>
#include <string>

namespace dnnspace::engine {

Expected<Shape> broadcast_shapes(std::string_view op, const Shape& a, const Shape& b) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape result(rank);
  for (std::size_t i = 0; i < rank; ++i) {  // i counts from the last axis
    const std::int64_t ea = i < a.size() ? a[a.size() - 1 - i] : 1;
    const std::int64_t eb = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (ea != eb && ea != 1 && eb != 1) {
      return Error{std::string(op) + ": shapes " + to_string(a) + " and " + to_string(b) +
                   " do not broadcast (extents must be equal or 1)"};
    }
    result[rank - 1 - i] = ea == 1 ? eb : ea;
  }
  return result;
}

Shape broadcast_strides(const Shape& from, const Shape& to) {
  assert(from.size() <= to.size() && "broadcast_strides: source has the higher rank");
  const Shape own = row_major_strides(from);
  Shape strides(to.size(), 0);
  const std::size_t lead = to.size() - from.size();
  for (std::size_t i = 0; i < from.size(); ++i) {
    assert((from[i] == to[lead + i] || from[i] == 1) && "broadcast_strides: not broadcastable");
    strides[lead + i] = from[i] == 1 ? 0 : own[i];
  }
  return strides;
}

}  // namespace dnnspace::engine
