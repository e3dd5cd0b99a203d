// Schedules on the architecture they imply, printed and read back: random schedules keep
// their mapping and their implied architecture through the text form.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "dnnspace/io/schedule_text.hpp"
#include "dnnspace/mapping/schedule.hpp"

namespace dnnspace {
namespace {

// A random schedule on the architecture it implies, printed and read back: the same
// mapping on the same implied architecture (levels, what they keep, sizes, array, timing).
TEST(Schedule, ImpliedArchitectureRoundTrip) {
  std::mt19937_64 rng(1812);
  const auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  int compiled = 0;
  for (int trial = 0; trial < 400; ++trial) {
    Layer l;
    l.name = "conv";
    for (Dim d : {Dim::N, Dim::K, Dim::C, Dim::P, Dim::Q, Dim::R, Dim::S}) l.bounds[d] = pick(1, d == Dim::R || d == Dim::S ? 3 : 9);
    Schedule s;
    std::vector<std::string> names;
    for (Dim d : {Dim::N, Dim::K, Dim::C, Dim::P, Dim::Q, Dim::R, Dim::S}) {
      std::string v(1, static_cast<char>(dim_letter(d) - 'A' + 'a'));
      const int splits = static_cast<int>(pick(0, 2));
      std::int64_t extent = l.bounds[d];
      for (int k = 0; k < splits && extent > 1; ++k) {
        const std::int64_t f = pick(1, extent);
        const std::string outer = v + "o" + std::to_string(k), inner = v + "i" + std::to_string(k);
        s.split(v, outer, inner, f);
        names.push_back(inner);
        extent = (extent + f - 1) / f;
        v = outer;
      }
      names.push_back(v);
    }
    std::shuffle(names.begin(), names.end(), rng);
    s.reorder(names);  // innermost first
    // Levels: boundaries in the outermost-first nest; each keeps a random non-empty subset.
    const int levels = static_cast<int>(pick(1, 3));
    std::vector<std::size_t> at;
    for (int i = 0; i < levels; ++i) at.push_back(static_cast<std::size_t>(pick(0, static_cast<std::int64_t>(names.size()))));
    std::sort(at.begin(), at.end());
    // Unrolls: up to two loops of one level's range, on random axes.
    const int unrolled_level = static_cast<int>(pick(0, levels - 1));
    const std::size_t lo = at[static_cast<std::size_t>(unrolled_level)];
    const std::size_t hi = unrolled_level + 1 < levels ? at[static_cast<std::size_t>(unrolled_level) + 1] : names.size();
    for (int u = 0, n = static_cast<int>(pick(0, 2)); u < n && hi > lo; ++u) {
      const std::size_t outer_first = static_cast<std::size_t>(pick(static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi) - 1));
      const std::string& v = names[names.size() - 1 - outer_first];
      bool done = false;
      for (const SchedulePrimitive& p : s.primitives) done = done || (p.kind == PrimitiveKind::Unroll && p.vars[0] == v);
      if (!done) s.unroll(v, pick(0, 1) == 0 ? Axis::Rows : Axis::Cols);
    }
    if (pick(0, 1) == 1) s.systolic();
    s.accelerate({"inputs", "weights"});
    for (int i = 0; i < levels; ++i) {
      const std::size_t b = at[static_cast<std::size_t>(i)];
      const std::string loop = b == 0 ? "" : names[names.size() - b];  // the loop just outside the level
      const std::int64_t mask = pick(1, 7);
      const char* tensors[] = {"inputs", "weights", "outputs"};
      for (int t = 0; t < 3; ++t) if (mask & (1 << t)) s.buffer(tensors[t], "B" + std::to_string(i), loop);
    }
    const auto first = compile_schedule(l, s);
    if (!first) continue;  // e.g. an array too large, a level's buffers at two loops
    ++compiled;
    SCOPED_TRACE("trial " + std::to_string(trial));
    const auto text = schedule_text(l, first->arch, first->mapping);
    ASSERT_TRUE(text) << text.error().message;
    const auto parsed = io::parse_schedule_text(*text, "printed");
    ASSERT_TRUE(parsed) << parsed.error().message << "\n" << *text;
    const auto second = compile_schedule(l, *parsed);
    ASSERT_TRUE(second) << second.error().message << "\n" << *text;
    EXPECT_EQ(second->mapping, first->mapping) << *text;
    ASSERT_EQ(second->arch.levels.size(), first->arch.levels.size()) << *text;
    for (std::size_t i = 0; i < first->arch.levels.size(); ++i) {
      EXPECT_EQ(second->arch.levels[i].name, first->arch.levels[i].name) << *text;
      EXPECT_EQ(second->arch.levels[i].holds, first->arch.levels[i].holds) << *text;
      EXPECT_EQ(second->arch.levels[i].capacity_bytes, first->arch.levels[i].capacity_bytes) << *text;
      EXPECT_EQ(second->arch.levels[i].access_energy_pj, first->arch.levels[i].access_energy_pj) << *text;
    }
    EXPECT_EQ(second->arch.array.rows, first->arch.array.rows) << *text;
    EXPECT_EQ(second->arch.array.cols, first->arch.array.cols) << *text;
    EXPECT_EQ(second->arch.array.parent_level, first->arch.array.parent_level) << *text;
    EXPECT_EQ(second->arch.array.timing, first->arch.array.timing) << *text;
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GE(compiled, 200);  // most random schedules compile
}

}  // namespace
}  // namespace dnnspace
