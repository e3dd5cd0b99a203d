#include "dnnspace/io/schedule_text.hpp"

#include <cctype>
#include <charconv>
#include <fstream>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "dnnspace/io/input_file.hpp"
#include "dnnspace/io/name_text.hpp"

namespace dnnspace::io {
namespace {

constexpr std::size_t kMaxScheduleBytes = std::size_t{1} << 20;

// Text from the file as an error message shows it: control characters and bytes outside
// ASCII as \xNN (the CLI's convention for control characters), so a message is one line
// of plain text whatever the file holds.
std::string shown(std::string_view s) {
  constexpr const char* kHex = "0123456789abcdef";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out;
}

// A name as the text form writes it: quoted, with \" and \\ escapes.
std::string quoted_text(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A name bare when it is one (r.x included), else quoted.
std::string as_written(std::string_view name) {
  bool bare = !name.empty() && is_name_start(name[0]) && name.back() != '.';
  for (const char c : name) bare = bare && (is_name_char(c) || c == '.');
  return bare ? std::string(name) : quoted_text(name);
}
// Characters that end a run of name-like text (for the hint to quote a name).
bool is_delimiter(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '.' || c == '(' || c == ')' || c == '{' || c == '}' ||
         c == ',' || c == ';' || c == '=' || c == '"';
}

// One argument of a call: a name (possibly dotted: r.x), an integer, a quoted string or
// a {braced, list} of names (bare or quoted).
struct Arg {
  enum class Kind { Name, Number, String, List } kind = Kind::Name;
  std::string text;                // Name, String (unescaped); Number as written
  std::int64_t number = 0;         // Number
  std::vector<std::string> items;  // List
};

// An argument as an error message shows it.
std::string arg_text(const Arg& a) {
  switch (a.kind) {
    case Arg::Kind::Name:
    case Arg::Kind::Number: return shown(a.text);
    case Arg::Kind::String: return shown(quoted_text(a.text));
    case Arg::Kind::List: {
      std::string out = "{";
      for (const std::string& item : a.items) out += (out.size() > 1 ? ", " : "") + shown(as_written(item));
      return out + "}";
    }
  }
  return {};
}

struct Call {
  std::string method;
  std::vector<Arg> args;
  int line = 0;  // the line of its '.method', for errors
};

// One statement: [target =] object.call(...).call(...), or a Var/RVar declaration.
struct Statement {
  std::string target;
  std::string object;
  bool object_quoted = false;  // "Q-proj".in(...): a tensor, never a function or keyword
  std::vector<Call> calls;
  int line = 0;  // the line of its object
  bool declaration = false;
};

// A statement's text as split from the file: its source lines joined, each line's part
// starting at the recorded offset (so errors name the line of the offending call).
struct RawStatement {
  std::string text;
  std::vector<std::pair<std::size_t, int>> lines;  // (offset in text, line number), ascending
};

class Parser {
 public:
  Parser(const RawStatement& raw, std::string origin) : text_(raw.text), lines_(raw.lines), origin_(std::move(origin)) {}

  Expected<Statement> statement() {
    Statement s;
    skip_space();
    s.line = line_at(pos_);
    if (peek('.')) {
      return error("a statement starts with what it schedules (output.PRIMITIVE(...) or TENSOR.in(...)), not '.'");
    }
    const std::size_t first_start = pos_;
    auto first = object_name();
    if (!first) return first.error();
    if (!first->second) {
      if (first->first == "Var" || first->first == "RVar") return declaration(first->first, std::move(s));
      if (first->first == "Func" || first->first == "RDom") {
        return error(first->first + " is not supported: a schedule schedules the layer's one function, output " +
                     "(and wrappers of it, d = output.in()), whose loops are the layer's dimensions");
      }
    }
    skip_space();
    if (peek('=')) {
      if (first->second) return error("a wrapper's name is a plain name (letters, digits and '_'): d = output.in()");
      ++pos_;
      s.target = first->first;
      skip_space();
      const std::size_t object_start = pos_;
      auto object = object_name();
      if (!object) return object.error();
      s.object = object->first;
      s.object_quoted = object->second;
      skip_space();
      if (!peek('.')) return expected_dot(s, object_start);
    } else {
      s.object = first->first;
      s.object_quoted = first->second;
      if (!peek('.')) return expected_dot(s, first_start);
    }
    while (peek('.')) {
      ++pos_;
      skip_space();
      Call call;
      call.line = line_at(pos_);
      auto method = name(false, "a primitive's name after '.'", false);
      if (!method) return method.error();
      call.method = *method;
      skip_space();
      if (!peek('(')) return error("expected '(' after ." + call.method + ", found " + found());
      ++pos_;
      skip_space();
      if (!peek(')')) {
        while (true) {
          skip_space();
          const std::size_t start = pos_;
          auto a = arg();
          if (!a) return a.error();
          const bool bare = a->kind == Arg::Kind::Name;
          call.args.push_back(std::move(*a));
          skip_space();
          if (peek(',')) { ++pos_; continue; }
          if (peek(')')) break;
          return error("expected ',' or ')' in the arguments of ." + call.method + "(, found " + found() + (bare ? quote_hint(start) : ""));
        }
      }
      ++pos_;  // ')'
      s.calls.push_back(std::move(call));
      skip_space();
    }
    if (pos_ < text_.size()) {
      return error("unexpected " + found() + " after ." + s.calls.back().method +
                   "(...); a statement is OBJECT.primitive(...).primitive(...), ended by ';' or the line's end");
    }
    return s;
  }

 private:
  int line_at(std::size_t pos) const {
    int line = lines_.front().second;
    for (const auto& [offset, number] : lines_) {
      if (offset <= pos) line = number;
    }
    return line;
  }
  Error error(const std::string& message) const { return Error{origin_ + ":" + std::to_string(line_at(pos_)) + ": " + message}; }

  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  // What is at pos_, for "found ..." in errors: the character (all its bytes, escaped) or
  // the end of the statement.
  std::string found() const {
    if (pos_ >= text_.size()) return "the end of the statement";
    std::size_t end = pos_ + 1;
    if (static_cast<unsigned char>(text_[pos_]) >= 0xc0) {  // a UTF-8 lead byte: its continuation bytes too
      while (end < text_.size() && end < pos_ + 4 && (static_cast<unsigned char>(text_[end]) & 0xc0) == 0x80) ++end;
    }
    return "'" + shown(text_.substr(pos_, end - pos_)) + "'";
  }

  // When the text at pos_ goes on with characters a bare name cannot hold ('-', non-ASCII,
  // ...), the hint to quote the whole run from `start`.
  // No hint when a delimiter other than '.' lies between `start` and pos_.
  std::string quote_hint(std::size_t start) const {
    if (pos_ >= text_.size() || is_delimiter(text_[pos_]) || start > pos_) return "";
    for (std::size_t i = start; i < pos_; ++i) {
      if (is_delimiter(text_[i]) && text_[i] != '.') return "";
    }
    std::size_t end = pos_;
    while (end < text_.size() && !is_delimiter(text_[end])) ++end;
    return " (a name that is not letters, digits and '_' is quoted: " + shown(quoted_text(text_.substr(start, end - start))) + ")";
  }

  Error expected_dot(const Statement& s, std::size_t object_start) const {
    const std::string object = shown(s.object_quoted ? quoted_text(s.object) : s.object);
    if (pos_ >= text_.size()) return error("'" + object + "' alone does nothing; a statement is OBJECT.primitive(...)");
    return error("expected '.' after '" + object + "', found " + found() + (s.object_quoted ? "" : quote_hint(object_start)));
  }

  // A bare name: letters, digits and '_', starting with a letter or '_'; with `dotted`,
  // also "r.x" (dots between parts). `what` says what is expected, for the error.
  Expected<std::string> name(bool dotted, const std::string& what, bool quotable = true) {
    skip_space();
    const std::size_t start = pos_;
    const auto part = [&] {
      if (pos_ >= text_.size() || !is_name_start(text_[pos_])) return false;
      while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
      return true;
    };
    if (!part()) return error("expected " + what + ", found " + found() + (quotable ? quote_hint(start) : ""));
    while (dotted && peek('.') && pos_ + 1 < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_ + 1]))) {
      ++pos_;
      part();
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  // A quoted name at pos_ ('"'): \" and \\ are its escapes; printable UTF-8, not empty.
  Expected<std::string> quoted() {
    ++pos_;
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        ++pos_;
        if (text_[pos_] != '"' && text_[pos_] != '\\') {
          return error("'\\' then " + found() + " in a quoted name: the escapes are \\\" (a quote) and \\\\ (a backslash)");
        }
      } else if (text_[pos_] == '\\') {
        break;  // a backslash at the end: not closed
      }
      out += text_[pos_++];
    }
    if (!peek('"')) {
      return error("a quoted name is not closed: it ends with '\"' on the same line (\\\" for a quote inside it)");
    }
    ++pos_;
    if (out.empty()) return error("a quoted name is empty (\"\"): name the tensor or level");
    if (auto problem = name_text_problem(out)) return error("the quoted name " + shown(quoted_text(out)) + ": " + *problem);
    return out;
  }

  // The object of a statement (or of `NAME = ...`): a bare name or a quoted one; second:
  // quoted.
  Expected<std::pair<std::string, bool>> object_name() {
    skip_space();
    if (peek('"')) {
      auto q = quoted();
      if (!q) return q.error();
      return std::pair{std::move(*q), true};
    }
    auto n = name(false, "a name (output, a wrapper of it or a tensor)");
    if (!n) return n.error();
    return std::pair{std::move(*n), false};
  }

  // `Var a, b;` / `RVar a, b;` (optionally `Var a("a")`): loop names Halide code declares,
  // ignored (the primitives name the loops). Anything else after the keyword is refused.
  Expected<Statement> declaration(const std::string& keyword, Statement s) {
    s.declaration = true;
    const auto bad = [&](const std::string& what) {
      return error(what + "; a declaration is " + keyword + " NAME, NAME, ... (ignored: the primitives name the loops), " +
                   "and a tensor named " + keyword + " is quoted: \"" + keyword + "\".in(...)");
    };
    std::string after = keyword;
    while (true) {
      skip_space();
      if (pos_ >= text_.size() || !is_name_start(text_[pos_])) return bad("expected a loop name after " + after + ", found " + found());
      auto n = name(false, "a loop name", false);
      if (!n) return n.error();
      skip_space();
      if (peek('(')) {  // Var x("x"): Halide's name for the loop, ignored as well
        ++pos_;
        skip_space();
        if (!peek('"')) return bad("expected a quoted name in " + *n + "(\"...\"), found " + found());
        auto q = quoted();
        if (!q) return q.error();
        skip_space();
        if (!peek(')')) return bad("expected ')' after " + *n + "(\"...\", found " + found());
        ++pos_;
        skip_space();
      }
      if (pos_ >= text_.size()) return s;
      if (!peek(',')) return bad("expected ',' or the declaration's end after '" + *n + "', found " + found());
      ++pos_;
      after = "','";
    }
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
        skip_space();
        const std::size_t start = pos_;
        if (peek('"')) {
          auto q = quoted();
          if (!q) return q.error();
          a.items.push_back(std::move(*q));
        } else {
          auto n = name(true, "a name in the {list}");
          if (!n) return n.error();
          a.items.push_back(std::move(*n));
        }
        skip_space();
        if (peek(',')) { ++pos_; continue; }
        if (peek('}')) { ++pos_; return a; }
        return error("expected ',' or '}' in a {list}, found " + found() + (text_[start] == '"' ? "" : quote_hint(start)));
      }
    }
    if (peek('"')) {
      auto q = quoted();
      if (!q) return q.error();
      a.kind = Arg::Kind::String;
      a.text = std::move(*q);
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
    auto n = name(true, "an argument (a name, an integer, a quoted name or a {list})");
    if (!n) return n.error();
    a.text = *n;
    return a;
  }

  std::string_view text_;
  const std::vector<std::pair<std::size_t, int>>& lines_;
  std::size_t pos_ = 0;
  std::string origin_;
};

// Splits the text into statements. ';' ends one (outside quoted names); so does a line's
// end unless the next non-blank line starts with '.', which continues the statement (an
// error when that statement ended with ';', or there is none). Empty statements (`;;`, a
// line holding only ';') are accepted and do nothing, as in C++. `//` and `#` outside quoted
// names start comments. Inside a quoted name \" and \\ are escapes; a quoted name ends on
// its line.
Expected<std::vector<RawStatement>> split_statements(std::string_view text, const std::string& origin) {
  // The lines, comments removed.
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
    if (quoted && c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') {
      current += c;
      current += text[++i];
      continue;
    }
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '#' || (c == '/' && i + 1 < text.size() && text[i + 1] == '/'))) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    current += c;
  }

  const auto trimmed = [](std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\v\f");
    return b == std::string_view::npos ? std::string() : std::string(s.substr(b, s.find_last_not_of(" \t\r\v\f") - b + 1));
  };
  std::vector<RawStatement> out;
  bool open = false;                // out.back() takes a continuation line
  bool ended_by_semicolon = false;  // the last statement (maybe empty) ended with ';'
  for (const auto& entry : lines) {
    const int number = entry.second;  // not a structured binding: the lambda below captures it
    const std::string t = trimmed(entry.first);
    if (t.empty()) continue;
    bool continues = false;
    if (t[0] == '.') {
      if (!open) {
        return Error{origin + ":" + std::to_string(number) + ": a line starting with '.' continues the statement before it, but " +
                     (ended_by_semicolon ? "that statement ended with ';' (drop the ';' to continue it)"
                                         : std::string("there is none")) +
                     "; a new statement starts with what it schedules: output.PRIMITIVE(...)"};
      }
      continues = true;
    }
    const auto emit = [&](const std::string& piece, bool ended) {
      if (continues) {
        RawStatement& s = out.back();
        s.text += ' ';
        s.lines.emplace_back(s.text.size(), number);
        s.text += piece;
        continues = false;
      } else if (trimmed(piece).empty()) {
        // An empty statement (";;" or a line holding only ';'): nothing to do.
      } else {
        out.push_back({piece, {{0, number}}});
      }
      open = !ended && !out.empty() && !trimmed(piece).empty();
      ended_by_semicolon = ended;
    };
    std::string piece;
    bool in_quotes = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
      const char c = t[i];
      if (in_quotes && c == '\\' && i + 1 < t.size()) {
        piece += c;
        piece += t[++i];
        continue;
      }
      if (c == '"') in_quotes = !in_quotes;
      if (c == ';' && !in_quotes) {
        emit(piece, true);
        piece.clear();
        continue;
      }
      piece += c;
    }
    if (!trimmed(piece).empty()) emit(piece, false);
  }
  return out;
}

class Builder {
 public:
  explicit Builder(std::string origin) : origin_(std::move(origin)) {}

  Expected<void> add(const Statement& s) {
    if (s.declaration) return {};
    const std::string where = at(s.line);
    const std::string object = shown(s.object_quoted ? quoted_text(s.object) : s.object);
    if (!s.target.empty()) {
      // NAME = output.in(): a wrapper of the output; its loops are the output's.
      if (s.object_quoted || !is_output(s.object) || s.calls.size() != 1 || s.calls[0].method != "in" || !s.calls[0].args.empty()) {
        return Error{where + ": only a wrapper of the output can be named: " + shown(s.target) + " = output.in()"};
      }
      // A wrapper named like a tensor would make `inputs.in(...)` mean two things.
      for (const char* taken : {"output", "outputs", "inputs", "weights", "input", "w"}) {
        if (s.target == taken) {
          return Error{where + ": a wrapper cannot be called " + s.target + ", a tensor's name: d = output.in()"};
        }
      }
      wrappers_.insert(s.target);
      return {};
    }
    if (s.calls[0].method == "in") {
      // TENSOR.in([LEVEL]).compute_at(FUNC, LOOP) | .compute_root()
      const Call& in = s.calls[0];
      const std::string in_where = at(in.line);
      if (in.args.size() > 1 || (in.args.size() == 1 && (in.args[0].kind == Arg::Kind::Number || in.args[0].kind == Arg::Kind::List))) {
        return Error{in_where + ": " + object + ".in(LEVEL): at most one level name (bare or quoted)"};
      }
      const std::string level = in.args.empty() ? "" : in.args[0].text;
      if (s.calls.size() < 2) {
        if (!s.object_quoted && s.object == "output") {
          return Error{in_where + ": output.in() alone does nothing: name the wrapper (d = output.in()) or place the buffer " +
                       "(.compute_at(output, LOOP))"};
        }
        return Error{in_where + ": " + object + ".in(): say where its buffer sits: .compute_at(output, LOOP) or .compute_root()"};
      }
      // The buffer's origin is its .in(): the tensor and level it names.
      auto placed = place(s.object, level, s.calls[1], at(s.calls[1].line), in_where);
      if (!placed) return placed.error();
      if (s.calls.size() > 2) {
        return Error{at(s.calls[2].line) + ": ." + s.calls[2].method + ": nothing can follow ." + s.calls[1].method + "(...) on a buffer"};
      }
      return {};
    }
    if (s.object_quoted || !is_output(s.object)) {
      return Error{where + ": '" + object + "' is not the accelerated function: loops are scheduled on output (or a wrapper, d = output.in()); " +
                   "a tensor only takes .in([LEVEL]).compute_at(output, LOOP)"};
    }
    for (const Call& c : s.calls) {
      auto ok = loop_primitive(c, at(c.line));
      if (!ok) return ok.error();
    }
    return {};
  }

  Schedule schedule;

 private:
  std::string at(int line) const { return origin_ + ":" + std::to_string(line); }
  bool is_output(const std::string& name) const { return name == "output" || wrappers_.count(name) > 0; }

  static Expected<std::string> loop_arg(const Call& c, std::size_t k, const std::string& where) {
    if (k >= c.args.size() || c.args[k].kind != Arg::Kind::Name) {
      return Error{where + ": ." + c.method + "(): argument " + std::to_string(k + 1) + " must be a loop name" +
                   (k < c.args.size() && c.args[k].kind == Arg::Kind::String ? " (loop names are not quoted)" : "")};
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
  // `where`: the call's origin, for its errors; `buffer_where`: the buffer primitive's.
  Expected<void> place(const std::string& tensor, const std::string& level, const Call& c, const std::string& where,
                       const std::string& buffer_where) {
    if (c.method == "compute_root") {
      if (auto ok = arity(c, 0, where, "compute_root()"); !ok) return ok;
      schedule.buffer(tensor, level, "", buffer_where);
      return {};
    }
    if (c.method != "compute_at") {
      return Error{where + ": ." + c.method + ": a buffer is placed with .compute_at(output, LOOP) or .compute_root()"};
    }
    if (auto ok = arity(c, 2, where, "compute_at(output, LOOP)"); !ok) return ok;
    if (c.args[0].kind != Arg::Kind::Name || !is_output(c.args[0].text)) {
      return Error{where + ": compute_at(" + arg_text(c.args[0]) + ", ...): compute_at outside accelerate: buffers sit at loops of output (" +
                   "the accelerated function) or of a wrapper of it"};
    }
    auto loop = loop_arg(c, 1, where);
    if (!loop) return loop.error();
    schedule.buffer(tensor, level, *loop, buffer_where);
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
      if (c.args.size() == 1) {
        return Error{where + ": .unroll(" + arg_text(c.args[0]) + "): say which array axis: unroll(LOOP, rows) or unroll(LOOP, cols)"};
      }
      if (auto ok = arity(c, 2, where, "unroll(LOOP, rows|cols)"); !ok) return ok;
      auto v = loop_arg(c, 0, where);
      if (!v) return v.error();
      const std::string& axis = c.args[1].text;
      if (c.args[1].kind != Arg::Kind::Name || (axis != "rows" && axis != "cols")) {
        return Error{where + ": .unroll(" + *v + ", " + arg_text(c.args[1]) + "): the axis is rows or cols"};
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
      // The same name twice (bare or quoted). Other names of one tensor (inputs, input)
      // depend on the layer: the compiler resolves them.
      std::set<std::string> listed;
      for (const std::string& item : c.args[0].items) {
        if (!listed.insert(item).second) {
          return Error{where + ": .accelerate(" + arg_text(c.args[0]) + "): '" + shown(item) + "' is listed twice; list each operand once"};
        }
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
    if (c.method == "compute_at" || c.method == "compute_root") return place("output", "", c, where, where);
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
  auto statements = split_statements(text, origin);
  if (!statements) return statements.error();
  Builder builder(origin);
  for (const RawStatement& raw : *statements) {
    Parser parser(raw, origin);
    auto s = parser.statement();
    if (!s) return s.error();
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
