// The schedule builder: each method appends one primitive (compile_schedule reads them).
#include "dnnspace/mapping/schedule.hpp"

#include <utility>

namespace dnnspace {

Schedule& Schedule::split(std::string var, std::string outer, std::string inner, std::int64_t factor,
                          std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Split;
  p.vars = {std::move(var), std::move(outer), std::move(inner)};
  p.number = factor;
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::tile(std::string x, std::string y, std::string xo, std::string yo, std::string xi,
                         std::string yi, std::int64_t fx, std::int64_t fy, std::string where) {
  split(x, xo, xi, fx, where);
  split(y, yo, yi, fy, where);
  return reorder({xi, yi, xo, yo}, where);
}

Schedule& Schedule::reorder(std::vector<std::string> innermost_first, std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Reorder;
  p.vars = std::move(innermost_first);
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::unroll(std::string var, Axis axis, std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Unroll;
  p.vars = {std::move(var)};
  p.axis = axis;
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::systolic(std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Systolic;
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::accelerate(std::vector<std::string> operands, std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Accelerate;
  p.names = std::move(operands);
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::bound(std::string var, std::int64_t extent, std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Bound;
  p.vars = {std::move(var)};
  p.number = extent;
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

Schedule& Schedule::buffer(std::string tensor, std::string level, std::string at_var, std::string where) {
  SchedulePrimitive p;
  p.kind = PrimitiveKind::Buffer;
  p.names = {std::move(tensor)};
  p.level = std::move(level);
  if (!at_var.empty()) p.vars = {std::move(at_var)};
  p.where = std::move(where);
  primitives.push_back(std::move(p));
  return *this;
}

}  // namespace dnnspace
