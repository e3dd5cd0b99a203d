#include "dnnspace/io/scalesim.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "dnnspace/arch/level_energy.hpp"
#include "dnnspace/arch/tech_table.hpp"
#include "dnnspace/arch/validate.hpp"
#include "dnnspace/core/checked.hpp"
#include "dnnspace/io/input_file.hpp"
#include "dnnspace/io/name_text.hpp"

namespace dnnspace::io {
namespace {

constexpr std::string_view kTable = "interstellar-28nm";
constexpr int kWordBits = 8;  // SCALE-Sim's word_size: one byte
constexpr std::int64_t kMaxSramKb = std::int64_t{1} << 30;  // 1 TB: past any chip
constexpr std::size_t kMaxTopologyLayers = 10000;  // SCALE-Sim's own topologies have < 200
// Words per cycle: the architecture's limit for a bandwidth.
constexpr std::int64_t kMaxBandwidth = 1000000000000;
// The MACs of one layer the mapper searches (check_searchable's per-network limit).
constexpr std::int64_t kMaxLayerMacs = std::int64_t{1} << 49;
constexpr std::int64_t kMaxLayerExtent = std::int64_t{1} << 31;

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Expected<std::string> read_text(const std::string& path) {
  if (Expected<void> ok = check_input_file(path); !ok) return ok.error();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open file"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a UTF-8 byte order mark
  return text;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
    lines.emplace_back(line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

std::optional<std::int64_t> whole_number(const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

struct ConfigEntry {
  std::string value;
  std::string key;  // as written, for messages
  int line = 0;
};

}  // namespace

std::string_view systolic_dataflow_name(SystolicDataflow dataflow) noexcept {
  switch (dataflow) {
    case SystolicDataflow::OutputStationary: return "os";
    case SystolicDataflow::WeightStationary: return "ws";
    case SystolicDataflow::InputStationary: return "is";
  }
  return "os";
}

Expected<ScaleSimConfig> parse_scalesim_config(std::string_view text, const std::string& origin) {
  std::map<std::string, ConfigEntry> entries;  // lower-cased key -> value
  const std::vector<std::string> lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line_no = static_cast<int>(i) + 1;
    const std::string line = trim(lines[i]);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const std::string where = origin + ":" + std::to_string(line_no);
    if (line.front() == '[') {
      // Sections only group the keys: dnnspace reads each key wherever it is.
      if (line.back() != ']') return Error{where + ": a section header must end with ']', got '" + line + "'"};
      continue;
    }
    const std::size_t sep = line.find_first_of(":=");
    if (sep == std::string::npos) {
      return Error{where + ": expected 'Key : value' or 'Key = value', got '" + line + "'"};
    }
    const std::string key = trim(std::string_view(line).substr(0, sep));
    if (key.empty()) return Error{where + ": a line with no key before '" + line.substr(sep, 1) + "'"};
    const std::string id = lower(key);
    if (entries.count(id) > 0) {
      return Error{where + ": key '" + key + "' given twice (first on line " + std::to_string(entries[id].line) + ")"};
    }
    entries[id] = {trim(std::string_view(line).substr(sep + 1)), key, line_no};
  }

  const auto missing = [&](std::string_view key) {
    return Error{origin + ": key '" + std::string(key) + "' missing (a SCALE-Sim configuration gives ArrayHeight, "
                 "ArrayWidth, IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB and Dataflow)"};
  };
  const auto at = [&](const ConfigEntry& e) { return origin + ":" + std::to_string(e.line) + ": " + e.key + ": "; };
  const auto integer = [&](std::string_view key, std::int64_t max_value) -> Expected<std::int64_t> {
    const auto it = entries.find(lower(std::string(key)));
    if (it == entries.end()) return missing(key);
    const std::optional<std::int64_t> v = whole_number(it->second.value);
    if (!v || *v < 1 || *v > max_value) {
      return Error{at(it->second) + "expected a whole number from 1 to " + std::to_string(max_value) + ", got '" +
                   it->second.value + "'"};
    }
    return *v;
  };

  ScaleSimConfig config;
  if (const auto it = entries.find("run_name"); it != entries.end()) {
    if (const std::optional<std::string> problem = name_text_problem(it->second.value)) return Error{at(it->second) + *problem};
    config.run_name = it->second.value;
  }
  Expected<std::int64_t> rows = integer("ArrayHeight", kMaxArrayAxis);
  if (!rows) return rows.error();
  Expected<std::int64_t> cols = integer("ArrayWidth", kMaxArrayAxis);
  if (!cols) return cols.error();
  Expected<std::int64_t> ifmap = integer("IfmapSramSzkB", kMaxSramKb);
  if (!ifmap) return ifmap.error();
  Expected<std::int64_t> filter = integer("FilterSramSzkB", kMaxSramKb);
  if (!filter) return filter.error();
  Expected<std::int64_t> ofmap = integer("OfmapSramSzkB", kMaxSramKb);
  if (!ofmap) return ofmap.error();
  config.rows = *rows;
  config.cols = *cols;
  config.ifmap_sram_kb = *ifmap;
  config.filter_sram_kb = *filter;
  config.ofmap_sram_kb = *ofmap;

  const auto df = entries.find("dataflow");
  if (df == entries.end()) return missing("Dataflow");
  const std::string dataflow = lower(df->second.value);
  if (dataflow == "os") config.dataflow = SystolicDataflow::OutputStationary;
  else if (dataflow == "ws") config.dataflow = SystolicDataflow::WeightStationary;
  else if (dataflow == "is") config.dataflow = SystolicDataflow::InputStationary;
  else return Error{at(df->second) + "unknown dataflow '" + df->second.value + "' (allowed: os, ws, is)"};

  if (const auto it = entries.find("interfacebandwidth"); it != entries.end()) {
    const std::string mode = lower(it->second.value);
    if (mode != "user" && mode != "calc") {
      return Error{at(it->second) + "unknown mode '" + it->second.value + "' (allowed: USER, CALC)"};
    }
    config.user_bandwidth = mode == "user";
  }
  if (config.user_bandwidth) {
    const auto it = entries.find("bandwidth");
    if (it == entries.end()) {
      return Error{origin + ": key 'Bandwidth' missing: InterfaceBandwidth: USER takes its words per cycle from it"};
    }
    // SCALE-Sim takes a list (one per operand) and uses the first; every entry must be a number.
    std::string_view rest = it->second.value;
    bool first = true;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::optional<std::int64_t> v = whole_number(trim(rest.substr(0, comma)));
      if (!v || *v < 1 || *v > kMaxBandwidth) {
        return Error{at(it->second) + "expected whole numbers of words per cycle from 1 to 1000000000000, got '" +
                     it->second.value + "'"};
      }
      if (first) config.bandwidth_words_per_cycle = static_cast<double>(*v);
      first = false;
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  }
  if (const auto it = entries.find("sparsitysupport"); it != entries.end() && lower(it->second.value) == "true") {
    return Error{at(it->second) + "sparse compute is not modelled by dnnspace (allowed: false)"};
  }
  return config;
}

Expected<ScaleSimConfig> load_scalesim_config(const std::string& path) {
  Expected<std::string> text = read_text(path);
  if (!text) return text.error();
  return parse_scalesim_config(*text, path);
}

Expected<std::vector<ScaleSimLayer>> parse_scalesim_topology(std::string_view text, const std::string& origin) {
  std::vector<ScaleSimLayer> layers;
  bool header_seen = false, gemm = false;
  const std::vector<std::string> lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string line = trim(lines[i]);
    if (line.empty()) continue;
    const std::string where = origin + ":" + std::to_string(i + 1);
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = line.find(',', start);
      fields.push_back(trim(std::string_view(line).substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    while (!fields.empty() && fields.back().empty()) fields.pop_back();  // SCALE-Sim rows end with ','
    if (!header_seen) {
      header_seen = true;
      gemm = fields.size() >= 4 && lower(fields[1]) == "m" && lower(fields[2]) == "n" && lower(fields[3]) == "k";
      if (gemm && fields.size() != 4) {
        return Error{where + ": a GEMM topology's header is 'Layer name, M, N, K', got " + std::to_string(fields.size()) +
                     " fields"};
      }
      // SCALE-Sim skips the first line: a layer there would be lost without a word.
      bool numbers = fields.size() > 1;
      for (std::size_t f = 1; f < fields.size(); ++f) numbers = numbers && whole_number(fields[f]).has_value();
      if (numbers) {
        return Error{where + ": the first line is a layer ('" + fields[0] +
                     "'); a topology starts with a header line such as 'Layer name, IFMAP Height, IFMAP Width, Filter "
                     "Height, Filter Width, Channels, Num Filter, Strides,'"};
      }
      continue;
    }
    if (layers.size() == kMaxTopologyLayers) {
      return Error{where + ": more than " + std::to_string(kMaxTopologyLayers) + " layers"};
    }
    const std::size_t expected = gemm ? 4 : 8;
    if (fields.size() != expected && !(!gemm && fields.size() == 9)) {
      return Error{where + ": expected " +
                   (gemm ? std::string("4 fields (layer name, M, N, K)")
                         : std::string("8 or 9 fields (layer name, IFMAP height, IFMAP width, filter height, filter "
                                       "width, channels, filters, stride[, stride width])")) +
                   ", got " + std::to_string(fields.size())};
    }
    if (fields[0].empty()) return Error{where + ": the layer name is empty"};
    if (const std::optional<std::string> problem = name_text_problem(fields[0])) {
      return Error{where + ": the layer name: " + *problem};
    }
    std::vector<std::int64_t> v;
    for (std::size_t f = 1; f < fields.size(); ++f) {
      const std::optional<std::int64_t> n = whole_number(fields[f]);
      if (!n || *n < 1 || *n > kMaxLayerExtent) {
        return Error{where + ": field " + std::to_string(f + 1) + " of layer '" + fields[0] +
                     "': expected a whole number from 1 to 2^31, got '" + fields[f] + "'"};
      }
      v.push_back(*n);
    }
    ScaleSimLayer l;
    l.name = fields[0];
    if (gemm) {  // SCALE-Sim: an M x K IFMAP, a 1 x K filter, N filters
      l.ifmap_h = v[0];
      l.ifmap_w = v[2];
      l.filter_h = 1;
      l.filter_w = v[2];
      l.channels = 1;
      l.filters = v[1];
    } else {
      l.ifmap_h = v[0];
      l.ifmap_w = v[1];
      l.filter_h = v[2];
      l.filter_w = v[3];
      l.channels = v[4];
      l.filters = v[5];
      l.stride_h = v[6];
      l.stride_w = v.size() == 8 ? v[7] : v[6];
      l.depthwise = l.name.find("DP") != std::string::npos;
      if (l.filter_h > l.ifmap_h || l.filter_w > l.ifmap_w) {
        return Error{where + ": layer '" + l.name + "': the filter (" + std::to_string(l.filter_h) + "x" +
                     std::to_string(l.filter_w) + ") is larger than the IFMAP (" + std::to_string(l.ifmap_h) + "x" +
                     std::to_string(l.ifmap_w) + ")"};
      }
    }
    layers.push_back(l);
  }
  if (layers.empty()) return Error{origin + ": no layers (a header line, then one line per layer)"};
  return layers;
}

Expected<std::vector<ScaleSimLayer>> load_scalesim_topology(const std::string& path) {
  Expected<std::string> text = read_text(path);
  if (!text) return text.error();
  return parse_scalesim_topology(*text, path);
}

Expected<Architecture> scalesim_architecture(const ScaleSimConfig& config) {
  Architecture arch;
  arch.name = config.run_name.empty() ? std::string("scalesim") : config.run_name;
  arch.word_bits = kWordBits;
  arch.clock_mhz = 1000.0;
  const TensorId stationary = config.dataflow == SystolicDataflow::OutputStationary   ? TensorId::Outputs
                              : config.dataflow == SystolicDataflow::WeightStationary ? TensorId::Weights
                                                                                      : TensorId::Inputs;
  struct Spec {
    const char* name;
    MemoryKind kind;
    std::int64_t bytes;
    std::optional<TensorId> only;
  };
  const Spec specs[] = {
      {"DRAM", MemoryKind::Dram, 0, std::nullopt},
      {"IfmapSRAM", MemoryKind::Sram, config.ifmap_sram_kb * 1024, TensorId::Inputs},
      {"FilterSRAM", MemoryKind::Sram, config.filter_sram_kb * 1024, TensorId::Weights},
      {"OfmapSRAM", MemoryKind::Sram, config.ofmap_sram_kb * 1024, TensorId::Outputs},
      {"PE", MemoryKind::RegisterFile, kWordBits / 8, stationary},
  };
  for (const Spec& s : specs) {
    StorageLevel level;
    level.name = s.name;
    level.capacity_bytes = s.bytes;
    if (s.only) {
      level.holds = PerTensor<bool>::filled(false);
      level.holds[*s.only] = true;
    }
    // SCALE-Sim's scratchpads are double buffers (half of each is active).
    level.double_buffered = s.kind == MemoryKind::Sram;
    if (s.kind == MemoryKind::Dram && config.user_bandwidth) level.bandwidth_words_per_cycle = config.bandwidth_words_per_cycle;
    if (Expected<void> ok = derive_level_energy(level, EnergyDerivation{std::string(kTable), s.kind}, kWordBits); !ok) {
      return ok.error();
    }
    arch.levels.push_back(std::move(level));
  }
  Expected<double> mac = mac_energy_pj(kTable, kWordBits);
  if (!mac) return mac.error();
  arch.mac_energy_pj = *mac;
  arch.array.rows = config.rows;
  arch.array.cols = config.cols;
  arch.array.parent_level = 3;
  arch.array.cost_style = ArrayCostStyle::PerHop;  // neighbour to neighbour
  arch.array.timing = ArrayTiming::Systolic;
  Expected<double> hop = array_hop_energy_pj(kTable, kWordBits);
  if (!hop) return hop.error();
  arch.array.hop_energy_pj = *hop;
  if (Expected<void> ok = validate_architecture(arch); !ok) return ok.error();
  return arch;
}

Expected<Network> scalesim_network(const std::vector<ScaleSimLayer>& topology, std::string name) {
  Network network;
  network.name = std::move(name);
  for (const ScaleSimLayer& s : topology) {
    // SCALE-Sim's output size: ceil((in - filter + stride) / stride).
    const std::int64_t out_h = (s.ifmap_h - s.filter_h + s.stride_h + s.stride_h - 1) / s.stride_h;
    const std::int64_t out_w = (s.ifmap_w - s.filter_w + s.stride_w + s.stride_w - 1) / s.stride_w;
    const std::int64_t channels = s.depthwise ? 1 : s.channels;
    const std::optional<std::int64_t> pixels = checked_mul(out_h, out_w);
    const std::optional<std::int64_t> area = checked_mul(s.filter_h, s.filter_w);
    const std::optional<std::int64_t> window = area ? checked_mul(*area, channels) : std::nullopt;
    const std::optional<std::int64_t> pw = pixels && window ? checked_mul(*pixels, *window) : std::nullopt;
    const std::optional<std::int64_t> pwk = pw ? checked_mul(*pw, s.filters) : std::nullopt;
    const std::optional<std::int64_t> layer_macs = pwk ? checked_mul(*pwk, s.depthwise ? s.channels : 1) : std::nullopt;
    if (!layer_macs || *layer_macs > kMaxLayerMacs) {
      return Error{"layer '" + s.name + "': " +
                   (layer_macs ? std::to_string(*layer_macs) + " MACs" : std::string("more MACs than 64 bits count")) +
                   "; dnnspace maps at most 2^49 = 562949953421312 per layer"};
    }
    Layer l;
    l.name = s.name;
    l.kind = LayerKind::Matmul;
    l.bounds[Dim::P] = *pixels;
    l.bounds[Dim::C] = *window;
    l.bounds[Dim::K] = s.filters;
    l.bounds[Dim::G] = s.depthwise ? s.channels : 1;
    network.layers.push_back(l);
  }
  if (Expected<void> ok = check_network_size(network); !ok) return ok.error();
  return network;
}

Mapping scalesim_mapping(const Layer& layer, const Architecture& arch, SystolicDataflow dataflow) {
  // On the rows, on the columns, in time inside the PEs.
  Dim row = Dim::P, col = Dim::K, time = Dim::C;
  if (dataflow == SystolicDataflow::WeightStationary) {
    row = Dim::C;
    col = Dim::K;
    time = Dim::P;
  } else if (dataflow == SystolicDataflow::InputStationary) {
    row = Dim::C;
    col = Dim::P;
    time = Dim::K;
  }
  const auto side = [&](Dim d, std::int64_t n) { return std::min(layer.bounds[d], n); };
  const auto folds = [&](Dim d, std::int64_t n) { return (layer.bounds[d] + side(d, n) - 1) / side(d, n); };
  Mapping m;
  m.levels.resize(arch.levels.size());
  LevelLoops& outer = m.levels[0];
  for (const Loop& loop : {Loop{layer.bounds[Dim::G], Dim::G}, Loop{folds(col, arch.array.cols), col},
                           Loop{folds(row, arch.array.rows), row}}) {
    if (loop.factor > 1) outer.temporal.push_back(loop);
  }
  LevelLoops& feeding = m.levels[static_cast<std::size_t>(arch.array.parent_level)];
  if (side(row, arch.array.rows) > 1) feeding.rows.push_back({side(row, arch.array.rows), row});
  if (side(col, arch.array.cols) > 1) feeding.cols.push_back({side(col, arch.array.cols), col});
  if (layer.bounds[time] > 1) m.levels.back().temporal.push_back({layer.bounds[time], time});
  return m;
}

}  // namespace dnnspace::io
