#include "dnnspace/io/schedule_text.hpp"

#include <cctype>
#include <charconv>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "dnnspace/io/input_file.hpp"

namespace dnnspace::io {
namespace {

constexpr std::size_t kMaxScheduleBytes = std::size_t{1} << 20;

// One argument of a call: a name (possibly dotted: r.x), an integer, a quoted string or
// a {braced, list} of names.
struct Arg {
  enum class Kind { Name, Number, String, List } kind = Kind::Name;
  std::string text;                // Name, String; Number as written
  std::int64_t number = 0;         // Number
  std::vector<std::string> items;  // List
};

struct Call {
  std::string method;
  std::vector<Arg> args;
};

// One statement: [target =] object.call(...).call(...)
struct Statement {
  std::string target;
  std::string object;
  std::vector<Call> calls;
  int line = 0;
};

class Parser {
 public:
  Parser(std::string_view text, int line, std::string origin) : text_(text), line_(line), origin_(std::move(origin)) {}

  Expected<Statement> statement() {
    Statement s;
    s.line = line_;
    auto first = name(false);
    if (!first) return first.error();
    skip_space();
    if (peek('=')) {
      ++pos_;
      s.target = *first;
      auto object = name(false);
      if (!object) return object.error();
      s.object = *object;
    } else {
      s.object = *first;
    }
    if (s.object == "Var" || s.object == "RVar") return s;  // declarations: nothing to do
    skip_space();
    while (peek('.')) {
      ++pos_;
      auto method = name(false);
      if (!method) return method.error();
      Call call{*method, {}};
      skip_space();
      if (!peek('(')) return error("expected '(' after ." + *method);
      ++pos_;
      skip_space();
      if (!peek(')')) {
        while (true) {
          auto a = arg();
          if (!a) return a.error();
          call.args.push_back(std::move(*a));
          skip_space();
          if (peek(',')) { ++pos_; continue; }
          if (peek(')')) break;
          return error("expected ',' or ')' in the arguments of ." + *method + "(");
        }
      }
      ++pos_;  // ')'
      s.calls.push_back(std::move(call));
      skip_space();
    }
    if (peek(';')) { ++pos_; skip_space(); }
    if (pos_ < text_.size()) return error("unexpected '" + std::string(1, text_[pos_]) + "'; a statement is OBJECT.primitive(...)");
    if (s.calls.empty()) return error("'" + s.object + "' alone does nothing; a statement is OBJECT.primitive(...)");
    return s;
  }

 private:
  Error error(const std::string& message) const { return Error{origin_ + ":" + std::to_string(line_) + ": " + message}; }

  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  // A name: letters, digits and '_', starting with a letter or '_'; with `dotted`, also
  // "r.x" (dots between parts).
  Expected<std::string> name(bool dotted) {
    skip_space();
    const std::size_t start = pos_;
    const auto part = [&] {
      if (pos_ >= text_.size() || !(std::isalpha(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) return false;
      while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
      return true;
    };
    if (!part()) {
      if (pos_ >= text_.size()) return error("a name is missing at the end of the statement");
      return error("expected a name, found '" + std::string(1, text_[pos_]) + "'");
    }
    while (dotted && peek('.') && pos_ + 1 < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_ + 1]))) {
      ++pos_;
      part();
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  Expected<Arg> arg() {
    skip_space();
    Arg a;
    if (peek('{')) {
      ++pos_;
      a.kind = Arg::Kind::List;
      skip_space();
      if (peek('}')) { ++pos_; return a; }
      while (true) {
        auto n = name(true);
        if (!n) return n.error();
        a.items.push_back(*n);
        skip_space();
        if (peek(',')) { ++pos_; continue; }
        if (peek('}')) { ++pos_; return a; }
        return error("expected ',' or '}' in a {list}");
      }
    }
    if (peek('"')) {
      ++pos_;
      a.kind = Arg::Kind::String;
      while (pos_ < text_.size() && text_[pos_] != '"') {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
        a.text += text_[pos_++];
      }
      if (!peek('"')) return error("a quoted name is not closed");
      ++pos_;
      return a;
    }
    if (pos_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '-')) {
      const std::size_t start = pos_;
      if (text_[pos_] == '-') ++pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      a.kind = Arg::Kind::Number;
      a.text = std::string(text_.substr(start, pos_ - start));
      const auto [end, ec] = std::from_chars(a.text.data(), a.text.data() + a.text.size(), a.number);
      if (ec != std::errc{} || end != a.text.data() + a.text.size()) {
        return error("'" + a.text + "' is not an integer between -2^63 and 2^63-1");
      }
      return a;
    }
    auto n = name(true);
    if (!n) return n.error();
    a.text = *n;
    return a;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_;
  std::string origin_;
};

// Splits the text into statements: ';' ends one, and so does a line end unless the next
// non-blank line starts with '.'. Comments go. Quoted names keep their characters.
struct RawStatement {
  std::string text;
  int line = 0;
};

std::vector<RawStatement> split_statements(std::string_view text) {
  std::vector<std::pair<std::string, int>> lines;
  int line = 1;
  std::string current;
  bool quoted = false;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : '\n';
    if (c == '\n') {
      lines.emplace_back(current, line++);
      current.clear();
      quoted = false;
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '#' || (c == '/' && i + 1 < text.size() && text[i + 1] == '/'))) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    current += c;
  }
  std::vector<RawStatement> out;
  const auto trimmed = [](const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
  };
  for (const auto& [raw, number] : lines) {
    const std::string t = trimmed(raw);
    if (t.empty()) continue;
    const bool continues = t[0] == '.' && !out.empty() && !out.back().text.empty() && out.back().text.back() != ';';
    // Statements separated by ';' on one line.
    std::string piece;
    bool in_quotes = false;
    bool first = true;
    for (char c : t) {
      if (c == '"') in_quotes = !in_quotes;
      piece += c;
      if (c == ';' && !in_quotes) {
        if (first && continues) out.back().text += piece; else out.push_back({piece, number});
        piece.clear();
        first = false;
      }
    }
    if (!trimmed(piece).empty()) {
      if (first && continues) out.back().text += piece; else out.push_back({piece, number});
    }
  }
  return out;
}

class Builder {
 public:
  explicit Builder(std::string origin) : origin_(std::move(origin)) {}

  Expected<void> add(const Statement& s) {
    const std::string where = origin_ + ":" + std::to_string(s.line);
    if (s.object == "Var" || s.object == "RVar") return {};
    if (!s.target.empty()) {
      // NAME = output.in(): a wrapper of the output; its loops are the output's.
      if (!is_output(s.object) || s.calls.size() != 1 || s.calls[0].method != "in" || !s.calls[0].args.empty()) {
        return Error{where + ": only a wrapper of the output can be named: " + s.target + " = output.in()"};
      }
      wrappers_.insert(s.target);
      return {};
    }
    std::size_t i = 0;
    if (s.calls[0].method == "in") {
      // TENSOR.in([LEVEL]).compute_at(FUNC, LOOP) | .compute_root()
      const Call& in = s.calls[0];
      if (in.args.size() > 1 || (in.args.size() == 1 && in.args[0].kind == Arg::Kind::Number) ||
          (in.args.size() == 1 && in.args[0].kind == Arg::Kind::List)) {
        return Error{where + ": " + s.object + ".in(LEVEL): at most one level name"};
      }
      const std::string level = in.args.empty() ? "" : in.args[0].text;
      if (s.calls.size() < 2) {
        return Error{where + ": " + s.object + ".in(): say where its buffer sits: .compute_at(output, LOOP) or .compute_root()"};
      }
      auto placed = place(s.object, level, s.calls[1], where);
      if (!placed) return placed.error();
      if (s.calls.size() > 2) return Error{where + ": nothing can follow ." + s.calls[1].method + "(...) on a buffer"};
      return {};
    }
    if (!is_output(s.object)) {
      return Error{where + ": '" + s.object + "' is not the accelerated function: loops are scheduled on output (or a wrapper, d = output.in()); " +
                   "a tensor only takes .in([LEVEL]).compute_at(output, LOOP)"};
    }
    for (; i < s.calls.size(); ++i) {
      auto ok = loop_primitive(s.calls[i], where);
      if (!ok) return ok.error();
    }
    return {};
  }

  Schedule schedule;

 private:
  bool is_output(const std::string& name) const { return name == "output" || wrappers_.count(name) > 0; }

  static Expected<std::string> loop_arg(const Call& c, std::size_t k, const std::string& where) {
    if (k >= c.args.size() || c.args[k].kind != Arg::Kind::Name) {
      return Error{where + ": ." + c.method + "(): argument " + std::to_string(k + 1) + " must be a loop name"};
    }
    return c.args[k].text;
  }
  static Expected<std::int64_t> number_arg(const Call& c, std::size_t k, const std::string& where) {
    if (k >= c.args.size() || c.args[k].kind != Arg::Kind::Number) {
      return Error{where + ": ." + c.method + "(): argument " + std::to_string(k + 1) + " must be an integer"};
    }
    return c.args[k].number;
  }
  static Expected<void> arity(const Call& c, std::size_t n, const std::string& where, const std::string& form) {
    if (c.args.size() != n) return Error{where + ": ." + c.method + " takes " + std::to_string(n) + " argument(s): " + form};
    return {};
  }

  // compute_at(FUNC, LOOP) or compute_root() after TENSOR.in(LEVEL), or on output itself.
  Expected<void> place(const std::string& tensor, const std::string& level, const Call& c, const std::string& where) {
    if (c.method == "compute_root") {
      if (auto ok = arity(c, 0, where, "compute_root()"); !ok) return ok;
      schedule.buffer(tensor, level, "", where);
      return {};
    }
    if (c.method != "compute_at") {
      return Error{where + ": ." + c.method + ": a buffer is placed with .compute_at(output, LOOP) or .compute_root()"};
    }
    if (auto ok = arity(c, 2, where, "compute_at(output, LOOP)"); !ok) return ok;
    if (c.args[0].kind != Arg::Kind::Name || !is_output(c.args[0].text)) {
      return Error{where + ": compute_at(" + c.args[0].text + ", ...): compute_at outside accelerate: buffers sit at loops of output (" +
                   "the accelerated function) or of a wrapper of it"};
    }
    auto loop = loop_arg(c, 1, where);
    if (!loop) return loop.error();
    schedule.buffer(tensor, level, *loop, where);
    return {};
  }

  Expected<void> loop_primitive(const Call& c, const std::string& where) {
    if (c.method == "split") {
      if (auto ok = arity(c, 4, where, "split(LOOP, OUTER, INNER, FACTOR)"); !ok) return ok;
      auto v = loop_arg(c, 0, where), o = loop_arg(c, 1, where), in = loop_arg(c, 2, where);
      auto f = number_arg(c, 3, where);
      if (!v) return v.error();
      if (!o) return o.error();
      if (!in) return in.error();
      if (!f) return f.error();
      schedule.split(*v, *o, *in, *f, where);
      return {};
    }
    if (c.method == "tile") {
      if (auto ok = arity(c, 8, where, "tile(X, Y, XO, YO, XI, YI, FX, FY)"); !ok) return ok;
      std::vector<std::string> names;
      for (std::size_t k = 0; k < 6; ++k) {
        auto v = loop_arg(c, k, where);
        if (!v) return v.error();
        names.push_back(*v);
      }
      auto fx = number_arg(c, 6, where), fy = number_arg(c, 7, where);
      if (!fx) return fx.error();
      if (!fy) return fy.error();
      schedule.tile(names[0], names[1], names[2], names[3], names[4], names[5], *fx, *fy, where);
      return {};
    }
    if (c.method == "reorder") {
      if (c.args.empty()) return Error{where + ": .reorder takes the loops, innermost first"};
      std::vector<std::string> names;
      for (std::size_t k = 0; k < c.args.size(); ++k) {
        auto v = loop_arg(c, k, where);
        if (!v) return v.error();
        names.push_back(*v);
      }
      schedule.reorder(names, where);
      return {};
    }
    if (c.method == "unroll") {
      if (c.args.size() == 1) return Error{where + ": .unroll(" + c.args[0].text + "): say which array axis: unroll(LOOP, rows) or unroll(LOOP, cols)"};
      if (auto ok = arity(c, 2, where, "unroll(LOOP, rows|cols)"); !ok) return ok;
      auto v = loop_arg(c, 0, where);
      if (!v) return v.error();
      const std::string& axis = c.args[1].text;
      if (c.args[1].kind != Arg::Kind::Name || (axis != "rows" && axis != "cols")) {
        return Error{where + ": .unroll(" + *v + ", " + axis + "): the axis is rows or cols"};
      }
      schedule.unroll(*v, axis == "rows" ? Axis::Rows : Axis::Cols, where);
      return {};
    }
    if (c.method == "systolic") {
      if (auto ok = arity(c, 0, where, "systolic()"); !ok) return ok;
      schedule.systolic(where);
      return {};
    }
    if (c.method == "accelerate") {
      if (c.args.size() != 1 || c.args[0].kind != Arg::Kind::List) {
        return Error{where + ": .accelerate takes the operands as a list: accelerate({inputs, weights})"};
      }
      schedule.accelerate(c.args[0].items, where);
      return {};
    }
    if (c.method == "bound") {
      if (auto ok = arity(c, 3, where, "bound(LOOP, 0, EXTENT)"); !ok) return ok;
      auto v = loop_arg(c, 0, where);
      auto lo = number_arg(c, 1, where), extent = number_arg(c, 2, where);
      if (!v) return v.error();
      if (!lo) return lo.error();
      if (!extent) return extent.error();
      if (*lo != 0) return Error{where + ": .bound(" + *v + ", " + std::to_string(*lo) + ", ...): loops start at 0"};
      schedule.bound(*v, *extent, where);
      return {};
    }
    if (c.method == "compute_at" || c.method == "compute_root") return place("output", "", c, where);
    if (c.method == "in") {
      return Error{where + ": output.in(...) names a wrapper (d = output.in()) or, followed by .compute_at, the output's buffer"};
    }
    return Error{where + ": unknown primitive ." + c.method +
                 " (allowed: split, tile, reorder, unroll, systolic, accelerate, bound, in, compute_at, compute_root)"};
  }

  std::string origin_;
  std::set<std::string> wrappers_;
};

}  // namespace

Expected<Schedule> parse_schedule_text(std::string_view text, const std::string& origin) {
  if (text.find('\0') != std::string_view::npos) return Error{origin + ": not a text file (it holds NUL bytes)"};
  Builder builder(origin);
  for (const RawStatement& raw : split_statements(text)) {
    Parser parser(raw.text, raw.line, origin);
    auto s = parser.statement();
    if (!s) return s.error();
    // output.in(L).compute_at(...) buffers the output; a bare output.in() only in `d = ...`.
    if (s->target.empty() && s->object == "output" && !s->calls.empty() && s->calls[0].method == "in" && s->calls.size() < 2) {
      return Error{origin + ":" + std::to_string(s->line) + ": output.in() alone does nothing: name the wrapper (d = output.in()) or place the buffer (.compute_at(output, LOOP))"};
    }
    auto ok = builder.add(*s);
    if (!ok) return ok.error();
  }
  if (builder.schedule.primitives.empty()) return Error{origin + ": the schedule is empty (no primitive)"};
  return builder.schedule;
}

Expected<Schedule> load_schedule(const std::string& path) {
  if (auto ok = check_input_file(path); !ok) return ok.error();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open file"};
  std::string text(kMaxScheduleBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxScheduleBytes) return Error{path + ": a schedule file is at most 1 MiB"};
  return parse_schedule_text(text, path);
}

}  // namespace dnnspace::io
