// The schedule text form: 004 Fig. 2b as printed in the paper, the round trip mapping ->
// schedule -> mapping on random problems, and the parser's errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "dnnspace/io/schedule_text.hpp"
#include "dnnspace/mapping/footprint.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "support/random_problem.hpp"
#include "support/fig2_layer.hpp"

namespace dnnspace {
namespace {

// 004 Fig. 2b, verbatim but for the comment.
constexpr const char* kFig2b = R"(// 004 Fig. 2b
d = output.in()

output.tile(x, y, xo, yo, xi, yi, 28, 28)
  .reorder(xi, yi, xo, yo)
  .accelerate({input, w});

input.in().compute_at(output, xo);
w.in().compute_at(output, xo);
output.compute_at(d, xo);
)";

using testing::fig2_layer;

Architecture two_level() {
  Architecture a;
  a.name = "two-level";
  a.levels.resize(2);
  a.levels[0].name = "DRAM";
  a.levels[1].name = "Buffer";
  a.array.parent_level = 1;
  return a;
}

TEST(ScheduleText, Fig2bAsPrintedCompilesToFig2c) {
  const auto schedule = io::parse_schedule_text(kFig2b, "fig2b.sched");
  ASSERT_TRUE(schedule) << schedule.error().message;
  const Layer layer = fig2_layer();
  const auto compiled = compile_schedule(layer, two_level(), *schedule);
  ASSERT_TRUE(compiled) << compiled.error().message;
  const Mapping& m = compiled->mapping;
  const std::vector<Loop> dram(m.levels[0].temporal.begin(), m.levels[0].temporal.end());
  const std::vector<Loop> buffer(m.levels[1].temporal.begin(), m.levels[1].temporal.end());
  EXPECT_EQ(dram, (std::vector<Loop>{{64, Dim::K}, {4, Dim::P}, {4, Dim::Q}}));
  EXPECT_EQ(buffer, (std::vector<Loop>{{28, Dim::P}, {28, Dim::Q}, {3, Dim::C}, {5, Dim::R}, {5, Dim::S}}));
  EXPECT_EQ(tile_words(layer, flatten(m), TensorId::Inputs, 1), 32 * 32 * 3);
  // The same schedule written with the builder is the same value, origins aside.
  Schedule built;
  built.tile("x", "y", "xo", "yo", "xi", "yi", 28, 28).reorder({"xi", "yi", "xo", "yo"}).accelerate({"input", "w"});
  built.buffer("input", "", "xo").buffer("w", "", "xo").buffer("output", "", "xo");
  Schedule parsed = *schedule;
  for (auto& p : parsed.primitives) p.where.clear();
  EXPECT_EQ(parsed, built);
}

// Drops loops of factor 1: they never change an index, and a schedule has no loop of extent 1.
Mapping normalized(Mapping m) {
  for (LevelLoops& l : m.levels) {
    for (auto* loops : {&l.temporal}) {
      FixedVector<Loop, kMaxTemporalLoops> kept;
      for (const Loop& x : *loops) if (x.factor > 1) kept.push_back(x);
      *loops = kept;
    }
    for (auto* loops : {&l.rows, &l.cols}) {
      FixedVector<Loop, kMaxSpatialLoops> kept;
      for (const Loop& x : *loops) if (x.factor > 1) kept.push_back(x);
      *loops = kept;
    }
  }
  return m;
}

bool holds_some_tensor(const Architecture& arch) {
  for (std::size_t i = 1; i < arch.levels.size(); ++i) {
    const auto& h = arch.levels[i].holds;
    if (!h[TensorId::Inputs] && !h[TensorId::Weights] && !h[TensorId::Outputs]) return false;
  }
  return true;
}

// mapping -> schedule text -> parse -> compile gives the mapping back (loops of factor 1
// aside) and the architecture's storage unchanged.
void expect_round_trip(const testing::RandomProblem& p, int trial) {
  const auto text = schedule_text(p.layer, p.arch, p.mapping);
  ASSERT_TRUE(text) << text.error().message;
  const auto schedule = io::parse_schedule_text(*text, "printed");
  ASSERT_TRUE(schedule) << schedule.error().message << "\n" << *text;
  const auto compiled = compile_schedule(p.layer, p.arch, *schedule);
  ASSERT_TRUE(compiled) << compiled.error().message << "\n" << *text;
  EXPECT_EQ(compiled->mapping, normalized(p.mapping)) << "trial " << trial << "\n" << *text;
  for (std::size_t i = 0; i < p.arch.levels.size(); ++i) {
    EXPECT_EQ(compiled->arch.levels[i].holds, p.arch.levels[i].holds) << "trial " << trial << " level " << i;
  }
  // The compiled mapping prints to the same schedule.
  EXPECT_EQ(schedule_text(p.layer, compiled->arch, compiled->mapping).value(), *text);
}

TEST(ScheduleText, RandomMappingsRoundTrip) {
  std::mt19937_64 rng(20261204);
  int done = 0;
  for (int trial = 0; done < 1000; ++trial) {
    testing::RandomProblem p = testing::random_problem(rng);
    if (!holds_some_tensor(p.arch)) continue;
    ASSERT_TRUE(check_mapping_structure(p.layer, p.arch, p.mapping));
    expect_round_trip(p, trial);
    if (::testing::Test::HasFailure()) return;
    ++done;
  }
}

TEST(ScheduleText, RandomWorkloadsRoundTrip) {
  std::mt19937_64 rng(4122026);
  int done = 0;
  for (int trial = 0; done < 500; ++trial) {
    testing::RandomProblem p;
    p.layer = testing::random_workload(rng);
    p.arch = testing::random_arch(rng, static_cast<int>(testing::uniform(rng, 1, 4)));
    if (!holds_some_tensor(p.arch)) continue;
    if (trial % 2 == 1) {
      // Names the text form must quote: tensors a workload may name so (an operand called
      // output, a keyword, quotes and backslashes) and levels with spaces.
      std::vector<std::string> pool = {"Q-proj", "Var", "output", "a \"b\" \\c", "RDom", "k.v", "W 2", "_x", "Func", "dO"};
      std::shuffle(pool.begin(), pool.end(), rng);
      std::size_t next = 0;
      for (TensorId t : layer_tensors(p.layer)) {
        const std::string name = pool[next++];
        if (t == TensorId::Outputs && name == "output") continue;  // the output may keep "output" bare
        p.layer.custom->names[t] = name;
      }
      for (std::size_t i = 1; i < p.arch.levels.size(); ++i) p.arch.levels[i].name = "Level " + std::to_string(i) + " \"on\" chip";
    }
    p.mapping = testing::random_mapping(rng, p.layer, p.arch, 3);
    expect_round_trip(p, trial);
    if (::testing::Test::HasFailure()) return;
    ++done;
  }
}

TEST(ScheduleText, PrintsTheReadableForm) {
  // One buffer level, C on rows, K split 4 on columns, systolic.
  Layer layer;
  layer.name = "small";
  layer.bounds[Dim::K] = 8;
  layer.bounds[Dim::C] = 4;
  layer.bounds[Dim::P] = 5;
  Architecture arch = two_level();
  arch.array.rows = 4;
  arch.array.cols = 4;
  arch.array.timing = ArrayTiming::Systolic;
  Mapping m;
  m.levels.resize(2);
  m.levels[0].temporal.push_back({2, Dim::K});
  m.levels[1].temporal.push_back({5, Dim::P});
  m.levels[1].rows.push_back({4, Dim::C});
  m.levels[1].cols.push_back({4, Dim::K});
  EXPECT_EQ(schedule_text(layer, arch, m).value(),
            "# small on two-level\n"
            "output.split(k, k1, k0, 4)\n"
            "output.reorder(c, k0, p, k1)\n"
            "output.unroll(k0, cols)\n"
            "output.unroll(c, rows)\n"
            "output.systolic()\n"
            "output.accelerate({inputs, weights})\n"
            "inputs.in(Buffer).compute_at(output, k1)\n"
            "weights.in(Buffer).compute_at(output, k1)\n"
            "outputs.in(Buffer).compute_at(output, k1)\n");
}

std::string parse_error(const std::string& text) {
  const auto r = io::parse_schedule_text(text, "s.sched");
  EXPECT_FALSE(r) << text;
  return r ? std::string() : r.error().message;
}

TEST(ScheduleText, ErrorsNameTheLineAndWhatIsAllowed) {
  using ::testing::HasSubstr;
  EXPECT_THAT(parse_error(""), HasSubstr("s.sched: the schedule is empty"));
  EXPECT_THAT(parse_error("output.split(p, po, pi)"), HasSubstr("s.sched:1: .split takes 4 argument(s)"));
  EXPECT_THAT(parse_error("\noutput.split(p, po, pi, x)"), HasSubstr("s.sched:2: .split(): argument 4 must be an integer"));
  EXPECT_THAT(parse_error("output.vectorize(p)"), HasSubstr("unknown primitive .vectorize (allowed: split"));
  EXPECT_THAT(parse_error("output.unroll(c)"), HasSubstr("say which array axis"));
  EXPECT_THAT(parse_error("output.unroll(c, diagonal)"), HasSubstr("the axis is rows or cols"));
  EXPECT_THAT(parse_error("inputs.in().compute_at(other, p)"), HasSubstr("s.sched:1: compute_at(other, ...): compute_at outside accelerate"));
  EXPECT_THAT(parse_error("inputs.in()"), HasSubstr("say where its buffer sits"));
  EXPECT_THAT(parse_error("inputs.split(p, po, pi, 2)"), HasSubstr("'inputs' is not the accelerated function"));
  EXPECT_THAT(parse_error("output.accelerate(inputs, weights)"), HasSubstr("the operands as a list"));
  EXPECT_THAT(parse_error("output.split(p, po, pi, 99999999999999999999)"), HasSubstr("is not an integer"));
  EXPECT_THAT(parse_error("output.split(p, po, pi, 2) extra"), HasSubstr("unexpected 'e'"));
  EXPECT_THAT(parse_error("d = inputs.in()"), HasSubstr("only a wrapper of the output can be named"));
  EXPECT_THAT(parse_error("output.bound(p, 1, 10)"), HasSubstr("loops start at 0"));
  EXPECT_THAT(parse_error("inputs.in(\"x).compute_root()"), HasSubstr("not closed"));
  EXPECT_THAT(parse_error(std::string("output.systolic()\0", 18)), HasSubstr("NUL"));
  const auto missing = io::load_schedule("/nonexistent/s.sched");
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("/nonexistent/s.sched"));
}

TEST(ScheduleText, StatementsCommentsAndDeclarations) {
  const auto s = io::parse_schedule_text(
      "Var po, pi;  # declarations are ignored\n"
      "output.split(p, po, pi, 4); output.unroll(pi, rows)  // two statements\n"
      "output.accelerate({inputs, weights})\n"
      "  .systolic()\n"
      "inputs.in(\"Global Buffer\").compute_root()\n",
      "s.sched");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->primitives.size(), 5u);
  EXPECT_EQ(s->primitives[1].kind, PrimitiveKind::Unroll);
  EXPECT_EQ(s->primitives[1].where, "s.sched:2");
  EXPECT_EQ(s->primitives[3].kind, PrimitiveKind::Systolic);
  EXPECT_EQ(s->primitives[4].level, "Global Buffer");
  EXPECT_TRUE(s->primitives[4].vars.empty());
}

// The error's message for `text`, checked to be one line of printable ASCII (names from the
// file escaped).
std::string one_line_error(const std::string& text) {
  const std::string message = parse_error(text);
  for (const char c : message) {
    EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f)
        << "byte " << static_cast<int>(static_cast<unsigned char>(c)) << " in: " << message;
  }
  return message;
}

TEST(ScheduleText, TensorNamesMayBeQuoted) {
  using ::testing::HasSubstr;
  const auto s = io::parse_schedule_text(
      "output.accelerate({\"Q-proj\", W, \"a \\\"b\\\" \\\\c\"})\n"
      "\"Q-proj\".in(GlobalBuffer).compute_root()\n"
      "\"Var\".in(\"Reg-File\").compute_at(output, m)\n"
      "\"output\".in(L1).compute_root()\n",
      "s.sched");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->primitives.size(), 4u);
  EXPECT_EQ(s->primitives[0].names, (std::vector<std::string>{"Q-proj", "W", "a \"b\" \\c"}));
  EXPECT_EQ(s->primitives[1].names, std::vector<std::string>{"Q-proj"});
  EXPECT_EQ(s->primitives[1].level, "GlobalBuffer");
  EXPECT_EQ(s->primitives[2].names, std::vector<std::string>{"Var"});  // quoted: a tensor, not a declaration
  EXPECT_EQ(s->primitives[2].level, "Reg-File");
  EXPECT_EQ(s->primitives[2].vars, std::vector<std::string>{"m"});
  EXPECT_EQ(s->primitives[3].names, std::vector<std::string>{"output"});
  // A bare name stops at '-': the error says to quote it.
  EXPECT_THAT(one_line_error("Q-proj.in(GlobalBuffer).compute_root()"),
              HasSubstr("s.sched:1: expected '.' after 'Q', found '-' (a name that is not letters, digits and '_' is quoted: \"Q-proj\")"));
  EXPECT_THAT(one_line_error("output.accelerate({Q-proj, W})"),
              HasSubstr("s.sched:1: expected ',' or '}' in a {list}, found '-' (a name that is not letters, digits and '_' is quoted: \"Q-proj\")"));
  // A quoted object is a tensor: no loop primitives, no wrapper.
  EXPECT_THAT(one_line_error("\"output\".split(p, po, pi, 2)"), HasSubstr("s.sched:1: '\"output\"' is not the accelerated function"));
  EXPECT_THAT(one_line_error("\"d\" = output.in()"), HasSubstr("a wrapper's name is a plain name"));
  EXPECT_THAT(one_line_error("inputs.in(\"a\\nb\").compute_root()"), HasSubstr("the escapes are \\\" (a quote) and \\\\ (a backslash)"));
  EXPECT_THAT(one_line_error("inputs.in(\"\").compute_root()"), HasSubstr("s.sched:1: a quoted name is empty"));
  EXPECT_THAT(one_line_error("inputs.in(\"a\\\").compute_root()"), HasSubstr("s.sched:1: a quoted name is not closed"));
}

TEST(ScheduleText, QuotedNamesHideCommentsAndSeparators) {
  const auto s = io::parse_schedule_text(
      "output.accelerate({inputs, weights})\n"
      "inputs.in(\"Buf \\\"#\\\" x\").compute_at(output, q1)  # a comment\n"
      "weights.in(\"a; b // c \\\\\").compute_root(); outputs.in(\"\\\";\").compute_root()\n",
      "s.sched");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->primitives.size(), 4u);
  EXPECT_EQ(s->primitives[1].level, "Buf \"#\" x");
  EXPECT_EQ(s->primitives[1].vars, std::vector<std::string>{"q1"});
  EXPECT_EQ(s->primitives[2].level, "a; b // c \\");
  EXPECT_EQ(s->primitives[3].level, "\";");
  EXPECT_EQ(s->primitives[3].where, "s.sched:3");
}

TEST(ScheduleText, OnlyVarDeclarationsAreIgnored) {
  using ::testing::HasSubstr;
  const auto s = io::parse_schedule_text(
      "Var x, y;\nRVar rx\nVar a(\"a\"), b(\"b\"); output.systolic()\n", "s.sched");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->primitives.size(), 1u);
  EXPECT_EQ(s->primitives[0].where, "s.sched:3");
  const std::string form = "; a declaration is Var NAME, NAME, ... (ignored: the primitives name the loops), "
                           "and a tensor named Var is quoted: \"Var\".in(...)";
  EXPECT_THAT(one_line_error("Var.unroll(c, rows)"), HasSubstr("s.sched:1: expected a loop name after Var, found '.'" + form));
  EXPECT_THAT(one_line_error("output.systolic()\nVar ))) garbage ((("), HasSubstr("s.sched:2: expected a loop name after Var, found ')'"));
  EXPECT_THAT(one_line_error("RVar = output.in()"), HasSubstr("s.sched:1: expected a loop name after RVar, found '='; a declaration is RVar NAME"));
  EXPECT_THAT(one_line_error("Var x, y z"), HasSubstr("expected ',' or the declaration's end after 'y', found 'z'"));
  EXPECT_THAT(one_line_error("Var x,"), HasSubstr("expected a loop name after ',', found the end of the statement"));
  EXPECT_THAT(one_line_error("Var"), HasSubstr("expected a loop name after Var, found the end of the statement"));
  EXPECT_THAT(one_line_error("Var x(1)"), HasSubstr("expected a quoted name in x(\"...\"), found '1'"));
  EXPECT_THAT(one_line_error("Func f;"), HasSubstr("s.sched:1: Func is not supported: a schedule schedules the layer's one function, output"));
  EXPECT_THAT(one_line_error("RDom r(0, 3, 0, 3)"), HasSubstr("s.sched:1: RDom is not supported"));
  EXPECT_THAT(one_line_error("Func f = output.in()"), HasSubstr("Func is not supported"));
}

TEST(ScheduleText, AccelerateListsEachNameOnce) {
  using ::testing::HasSubstr;
  EXPECT_THAT(one_line_error("output.accelerate({inputs, input, inputs, w})"),
              HasSubstr("s.sched:1: .accelerate({inputs, input, inputs, w}): 'inputs' is listed twice; list each operand once"));
  EXPECT_THAT(one_line_error("output.accelerate({\"Q-proj\", W, \"Q-proj\"})"),
              HasSubstr(".accelerate({\"Q-proj\", W, \"Q-proj\"}): 'Q-proj' is listed twice"));
  EXPECT_THAT(one_line_error("output.accelerate({W, \"W\"})"), HasSubstr("'W' is listed twice"));
}

TEST(ScheduleText, ErrorsOnContinuationLinesNameThatLine) {
  using ::testing::HasSubstr;
  // The parser's errors.
  EXPECT_THAT(one_line_error("output.split(p, po, pi, 4)\n  .split(q, qo, qi)\n  .systolic()"),
              HasSubstr("s.sched:2: .split takes 4 argument(s)"));
  EXPECT_THAT(one_line_error("output.split(p, po, pi, 4)\n\n  # comment\n  .systolic()\n  .vectorize(q)"),
              HasSubstr("s.sched:5: unknown primitive .vectorize"));
  EXPECT_THAT(one_line_error("output.split(p, po, pi, 4)\n  .split(q, qo, qi, 2) extra"), HasSubstr("s.sched:2: unexpected 'e'"));
  EXPECT_THAT(one_line_error("inputs.in(L1)\n  .compute_at(output)"), HasSubstr("s.sched:2: .compute_at takes 2 argument(s)"));
  EXPECT_THAT(one_line_error("inputs.in(L1)\n  .compute_root()\n  .systolic()"), HasSubstr("s.sched:3: .systolic: nothing can follow"));
  // The compiler's: each primitive keeps the line of its call.
  const auto s = io::parse_schedule_text("output.split(p, po, pi, 4)\n  .split(q, qo, qi, 0)\n  .accelerate({inputs, weights})\n", "s.sched");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->primitives.size(), 3u);
  EXPECT_EQ(s->primitives[0].where, "s.sched:1");
  EXPECT_EQ(s->primitives[1].where, "s.sched:2");
  EXPECT_EQ(s->primitives[2].where, "s.sched:3");
  const auto compiled = compile_schedule(fig2_layer(), two_level(), *s);
  ASSERT_FALSE(compiled);
  EXPECT_THAT(compiled.error().message, HasSubstr("s.sched:2: split(q)"));
  // A buffer's primitive is at its .in().
  const auto b = io::parse_schedule_text("inputs.in(L1)\n  .compute_at(output, q)\n", "s.sched");
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->primitives[0].where, "s.sched:1");
}

TEST(ScheduleText, ErrorsEscapeNonAsciiAndControlBytes) {
  using ::testing::HasSubstr;
  EXPECT_THAT(one_line_error("\xc3\xb6utput.split(p, po, pi, 4)"),
              HasSubstr("s.sched:1: expected a name (output, a wrapper of it or a tensor), found '\\xc3\\xb6' "
                        "(a name that is not letters, digits and '_' is quoted: \"\\xc3\\xb6utput\")"));
  EXPECT_THAT(one_line_error("\xc3\x9c.in(GlobalBuffer).compute_root()"), HasSubstr("found '\\xc3\\x9c'"));
  EXPECT_THAT(one_line_error("output.split(p, po, pi, 4) \xff"), HasSubstr("unexpected '\\xff'"));
  EXPECT_THAT(one_line_error("output.split(p, po, pi, 4)\r\x01"), HasSubstr("unexpected '\\x01'"));
  EXPECT_THAT(one_line_error("inputs.in(\"a\tb\").compute_root()"),
              HasSubstr("the quoted name \"a\\x09b\": control characters (newline, tab, NUL, ...) are not allowed"));
  EXPECT_THAT(one_line_error("inputs.in(\"a\xff\").compute_root()"), HasSubstr("the quoted name \"a\\xff\": not valid UTF-8 text"));
  EXPECT_THAT(one_line_error("\"\xc3\xa9t\xc3\xa9\".split(p, po, pi, 2)"), HasSubstr("'\"\\xc3\\xa9t\\xc3\\xa9\"' is not the accelerated function"));
  EXPECT_THAT(one_line_error("output.accelerate({\"\xc3\xa9\", \"\xc3\xa9\"})"), HasSubstr("'\\xc3\\xa9' is listed twice"));
  // Valid UTF-8 in a quoted name is a name.
  const auto s = io::parse_schedule_text("inputs.in(\"Gr\xc3\xb6\xc3\x9f" "e\").compute_root()", "s.sched");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->primitives[0].level, "Gr\xc3\xb6\xc3\x9f" "e");
}

TEST(ScheduleText, WrappersAreNotNamedLikeTensors) {
  EXPECT_EQ(parse_error("inputs = output.in()\n"), "s.sched:1: a wrapper cannot be called inputs, a tensor's name: d = output.in()");
  EXPECT_EQ(parse_error("output = output.in()\n"), "s.sched:1: a wrapper cannot be called output, a tensor's name: d = output.in()");
  EXPECT_TRUE(io::parse_schedule_text("d = output.in()\noutput.compute_at(d, x)\n", "s.sched"));
}

TEST(ScheduleText, EmptyStatementsAndContinuationsAfterSemicolon) {
  using ::testing::HasSubstr;
  // Empty statements, as in C++, do nothing.
  const auto s = io::parse_schedule_text("output.accelerate({inputs, weights});;\n;\n ; ;output.systolic();", "s.sched");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->primitives.size(), 2u);
  EXPECT_EQ(s->primitives[1].where, "s.sched:3");
  EXPECT_THAT(one_line_error(";;"), HasSubstr("s.sched: the schedule is empty"));
  // A '.' line continues only a statement that did not end with ';'.
  EXPECT_THAT(one_line_error("output.systolic();\n  .unroll(c, rows)"),
              HasSubstr("s.sched:2: a line starting with '.' continues the statement before it, but that statement ended with ';' "
                        "(drop the ';' to continue it)"));
  EXPECT_THAT(one_line_error("output.systolic()\n;\n.unroll(c, rows)"), HasSubstr("s.sched:3: a line starting with '.'"));
  EXPECT_THAT(one_line_error("# nothing before\n.unroll(c, rows)"),
              HasSubstr("s.sched:2: a line starting with '.' continues the statement before it, but there is none"));
  EXPECT_THAT(one_line_error("output.systolic(); .unroll(c, rows)"),
              HasSubstr("s.sched:1: a statement starts with what it schedules (output.PRIMITIVE(...) or TENSOR.in(...)), not '.'"));
  // A continuation after a statement not ended by ';' is fine, also after a ';' earlier on its line.
  const auto c = io::parse_schedule_text("output.systolic(); output.accelerate({inputs, weights})\n  .unroll(c, rows);", "s.sched");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->primitives.size(), 3u);
  EXPECT_EQ(c->primitives[2].where, "s.sched:2");
}

}  // namespace
}  // namespace dnnspace
