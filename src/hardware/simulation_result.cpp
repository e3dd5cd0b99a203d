#include "dnnspace/hardware/simulation_result.hpp"

#include <charconv>
#include <string>
#include <vector>

namespace dnnspace {
namespace {

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool to_int(std::string_view s, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

bool tensor_of(std::string_view name, TensorId& t) {
  if (name == "inputs") t = TensorId::Inputs;
  else if (name == "weights") t = TensorId::Weights;
  else if (name == "outputs") t = TensorId::Outputs;
  else return false;
  return true;
}

}  // namespace

Expected<SimulationResult> parse_simulation_result(std::string_view text, std::int64_t num_outputs) {
  SimulationResult r;
  r.outputs.assign(static_cast<std::size_t>(num_outputs), 0);
  std::vector<bool> seen(static_cast<std::size_t>(num_outputs), false);
  int line_no = 0;
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    ++line_no;
    const std::vector<std::string_view> w = words_of(line);
    if (w.empty()) continue;
    const auto bad = [&] { return Error{"simulation result line " + std::to_string(line_no) + ": '" + std::string(line) + "'"}; };
    std::int64_t a = 0, b = 0;
    TensorId t{};
    if (w[0] == "error") return Error{"simulation: " + std::string(line)};
    if (w[0] == "cycles" && w.size() == 3 && to_int(w[2], a)) {
      if (w[1] == "total") r.total_cycles = a;
      else if (w[1] == "compute") r.compute_cycles = a;
      else if (w[1] == "dma") r.dma_cycles = a;
      else return bad();
    } else if (w[0] == "macs" && w.size() == 2 && to_int(w[1], r.macs)) {
    } else if (w[0] == "access" && w.size() == 5 && to_int(w[1], a) && a >= 0 && a < static_cast<std::int64_t>(kMaxLevels) &&
               tensor_of(w[2], t) && to_int(w[3], b)) {
      auto& acc = r.accesses[static_cast<std::size_t>(a)][t];
      acc.reads = b;
      if (!to_int(w[4], acc.writes)) return bad();
    } else if (w[0] == "transfers" && w.size() == 3 && tensor_of(w[1], t) && to_int(w[2], a)) {
      r.array_transfers[t] = a;
    } else if (w[0] == "out" && w.size() == 3 && to_int(w[1], a) && a >= 0 && a < num_outputs && to_int(w[2], b)) {
      r.outputs[static_cast<std::size_t>(a)] = b;
      seen[static_cast<std::size_t>(a)] = true;
    } else if (w[0] == "mismatches" && w.size() == 2 && to_int(w[1], a)) {
      r.mismatches = a;
    } else {
      return bad();
    }
  }
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) return Error{"simulation result: output " + std::to_string(i) + " missing"};
  }
  return r;
}

}  // namespace dnnspace
