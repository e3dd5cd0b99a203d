#include "dnnspace/workload/custom_workload.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace dnnspace {

std::optional<TensorRole> parse_tensor_role(std::string_view text) noexcept {
  if (text == "operand") return TensorRole::Operand;
  if (text == "weights") return TensorRole::Weights;
  if (text == "output") return TensorRole::Output;
  return std::nullopt;
}

namespace {

bool has_dim(const FixedVector<Dim, kMaxWorkloadDims>& dims, Dim d) {
  return std::find(dims.begin(), dims.end(), d) != dims.end();
}

std::string dims_text(const FixedVector<Dim, kMaxWorkloadDims>& dims) {
  std::string out;
  for (Dim d : dims) out += (out.empty() ? "" : ", ") + std::string(1, dim_letter(d));
  return out;
}

// A tiny scanner over one index expression; whitespace is skipped.
struct Scanner {
  std::string_view text;
  std::size_t pos = 0;

  void skip() {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  }
  bool eat(char c) {
    skip();
    if (pos < text.size() && text[pos] == c) { ++pos; return true; }
    return false;
  }
  bool at_end() { skip(); return pos == text.size(); }
};

}  // namespace

Expected<IndexAxis> parse_index_axis(std::string_view text, const FixedVector<Dim, kMaxWorkloadDims>& dims) {
  const std::string where = "index '" + std::string(text) + "': ";
  const std::string form = " (an index is a dimension letter or a sum of two, each with an optional whole "
                           "coefficient >= 1: \"B\", \"P*2+R\", \"2*P + R*2\")";
  Scanner s{text};
  // A coefficient: digits, checked against overflow; a sign is reported as such.
  auto number = [&](std::int64_t& out) -> Expected<bool> {
    s.skip();
    if (s.pos < text.size() && (text[s.pos] == '-' || text[s.pos] == '+')) {
      return Error{where + "coefficients must be whole numbers >= 1, got a sign"};
    }
    if (s.pos >= text.size() || !std::isdigit(static_cast<unsigned char>(text[s.pos]))) return false;
    out = 0;
    while (s.pos < text.size() && std::isdigit(static_cast<unsigned char>(text[s.pos]))) {
      const int digit = text[s.pos++] - '0';
      if (out > (std::numeric_limits<std::int64_t>::max() - digit) / 10) {
        return Error{where + "coefficient exceeds 2^63 - 1"};
      }
      out = out * 10 + digit;
    }
    if (out < 1) return Error{where + "coefficients must be whole numbers >= 1, got 0"};
    return true;
  };
  auto term = [&]() -> Expected<IndexTerm> {
    IndexTerm t;
    std::int64_t coef = 1;
    Expected<bool> leading = number(coef);
    if (!leading) return leading.error();
    if (*leading && !s.eat('*')) return Error{where + "expected '*' after the coefficient" + form};
    s.skip();
    if (s.pos >= text.size() || !std::isalpha(static_cast<unsigned char>(text[s.pos]))) {
      return Error{where + "expected a dimension letter" + form};
    }
    const char letter = text[s.pos++];
    if (s.pos < text.size() && std::isalnum(static_cast<unsigned char>(text[s.pos]))) {
      return Error{where + "dimension names are single letters" + form};
    }
    const std::optional<Dim> d = dim_from_letter(letter);
    if (!d || !has_dim(dims, *d)) {
      return Error{where + "unknown dimension '" + std::string(1, letter) + "' (the workload's dimensions: " +
                   dims_text(dims) + ")"};
    }
    t.dim = *d;
    if (!*leading && s.eat('*')) {
      std::int64_t trailing = 0;
      Expected<bool> got = number(trailing);
      if (!got) return got.error();
      if (!*got) return Error{where + "expected a coefficient after '*'" + form};
      coef = trailing;
    }
    t.coef = coef;
    return t;
  };
  if (s.at_end()) return Error{where + "empty" + form};
  Expected<IndexTerm> first = term();
  if (!first) return first.error();
  IndexAxis axis{*first};
  if (s.eat('+')) {
    Expected<IndexTerm> second = term();
    if (!second) return second.error();
    if (second->dim == first->dim) {
      return Error{where + "dimension " + std::string(1, dim_letter(first->dim)) + " appears twice"};
    }
    axis.second = *second;
  }
  if (s.eat('+')) return Error{where + "at most two terms per index (a sliding window)" + form};
  if (!s.at_end()) {
    s.skip();
    if (text[s.pos] == '-') return Error{where + "coefficients must be >= 1 (no subtraction)" + form};
    return Error{where + "unexpected '" + std::string(1, text[s.pos]) + "'" + form};
  }
  return axis;
}

std::string index_axis_text(const IndexAxis& axis) {
  auto term = [](const IndexTerm& t) {
    return std::string(1, dim_letter(t.dim)) + (t.coef == 1 ? "" : "*" + std::to_string(t.coef));
  };
  return term(axis.first) + (axis.window() ? "+" + term(axis.second) : "");
}

Expected<Layer> make_workload_layer(const WorkloadDescription& description) {
  const std::string where = "workload '" + description.name + "': ";
  if (description.name.empty()) return Error{"workload: the name must not be empty"};
  Layer layer;
  layer.name = description.name;
  layer.kind = LayerKind::Workload;
  layer.dims.clear();
  if (description.dims.empty()) return Error{where + "no dimensions (give dims: {LETTER: bound, ...})"};
  if (description.dims.size() > kMaxWorkloadDims) {
    return Error{where + std::to_string(description.dims.size()) + " dimensions; at most " +
                 std::to_string(kMaxWorkloadDims) + " are allowed"};
  }
  for (const auto& [d, bound] : description.dims) {
    if (has_dim(layer.dims, d)) return Error{where + "dimension " + std::string(1, dim_letter(d)) + " given twice"};
    if (bound < 1) {
      return Error{where + "dimension " + std::string(1, dim_letter(d)) + ": bound must be >= 1, got " +
                   std::to_string(bound)};
    }
    layer.dims.push_back(d);
    layer.bounds[d] = bound;
  }
  int operands = 0, outputs = 0;
  for (const TensorDescription& t : description.tensors) {
    (t.role == TensorRole::Output ? outputs : operands) += 1;
  }
  if (outputs != 1 || operands < 2 || description.tensors.size() > kMaxTensors) {
    return Error{where + "has " + std::to_string(operands) + " operand(s) and " + std::to_string(outputs) +
                 " output(s); a workload multiplies 2 to " + std::to_string(kMaxTensors - 1) +
                 " operands (role operand or weights) and accumulates into one output (role output)"};
  }
  CustomTensors custom;
  std::vector<std::string> seen;
  int next_operand = 0;
  for (const TensorDescription& t : description.tensors) {
    if (t.name.empty()) return Error{where + "a tensor has an empty name"};
    if (std::find(seen.begin(), seen.end(), t.name) != seen.end()) {
      return Error{where + "tensor name '" + t.name + "' is used twice"};
    }
    seen.push_back(t.name);
    const std::string tw = where + "tensor '" + t.name + "': ";
    if (t.index.empty()) return Error{tw + "has no index (it must name at least one dimension)"};
    TensorProjection p;
    for (const IndexAxis& a : t.index) {
      for (const IndexTerm* term : {&a.first, a.window() ? &a.second : nullptr}) {
        if (!term) continue;
        if (!has_dim(layer.dims, term->dim)) {
          return Error{tw + "unknown dimension " + std::string(1, dim_letter(term->dim))};
        }
        if (term->coef < 1) return Error{tw + "coefficients must be >= 1, got " + std::to_string(term->coef)};
        if (is_relevant(p, term->dim)) {
          return Error{tw + "dimension " + std::string(1, dim_letter(term->dim)) +
                       " appears in more than one term of its index (each dimension indexes a tensor at most once)"};
        }
        p.relevant |= 1u << static_cast<unsigned>(term->dim);
      }
      p.axes.push_back(a);
    }
    // Operands fill slots Inputs, Weights, then 3, 4, ... in the order given.
    const TensorId slot = t.role == TensorRole::Output ? TensorId::Outputs
                          : next_operand == 0           ? TensorId::Inputs
                          : next_operand == 1           ? TensorId::Weights
                                                        : kTensorSlots[static_cast<std::size_t>(next_operand + 1)];
    if (t.role != TensorRole::Output) ++next_operand;
    custom.forward[slot] = p;
    custom.names[slot] = t.name;
    custom.parameters[slot] = t.role == TensorRole::Weights;
  }
  if (description.batch_dim && !has_dim(layer.dims, *description.batch_dim)) {
    return Error{where + "batch dimension " + std::string(1, dim_letter(*description.batch_dim)) +
                 " is not one of its dimensions (" + dims_text(layer.dims) + ")"};
  }
  custom.batch_dim = description.batch_dim;
  custom.count = description.tensors.size();
  layer.custom = std::move(custom);
  if (auto ok = check_layer_size(layer); !ok) return ok.error();
  return layer;
}

}  // namespace dnnspace
