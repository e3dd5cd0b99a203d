#include "dnnspace/dist/search_record.hpp"

#include <array>
#include <optional>
#include <utility>

#include "dnnspace/arch/storage_choice.hpp"
#include "dnnspace/core/dims.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/model/cost.hpp"

namespace dnnspace::dist {
namespace {

// The counters of a search, in the order a record lists them.
constexpr std::array<std::pair<const char*, std::int64_t MapperResult::*>, 10> kCounters{{
    {"evaluated", &MapperResult::evaluated},
    {"pruned", &MapperResult::pruned},
    {"work_items", &MapperResult::work_items},
    {"work_items_searched", &MapperResult::work_items_searched},
    {"skipped_items", &MapperResult::skipped_items},
    {"skipped_blockings", &MapperResult::skipped_blockings},
    {"skipped_subtrees", &MapperResult::skipped_subtrees},
    {"bound_evaluations", &MapperResult::bound_evaluations},
    {"storage_choices_searched", &MapperResult::storage_choices_searched},
    {"storage_choices_skipped", &MapperResult::storage_choices_skipped},
}};

template <std::size_t N>
nlohmann::json loops_record(const FixedVector<Loop, N>& loops) {
  nlohmann::json out = nlohmann::json::array();
  for (const Loop& l : loops) out.push_back({std::string(1, dim_letter(l.dim)), l.factor});
  return out;
}

Error bad(const std::string& where, const std::string& what) {
  return Error{where + ": not a record this version of dnnspace wrote: " + what};
}

// A field of an object record, of the JSON type `is` checks.
Expected<const nlohmann::json*> field(const nlohmann::json& j, const char* key, bool (nlohmann::json::*is)() const noexcept,
                                      const char* type, const std::string& where) {
  if (!j.is_object()) return bad(where, "expected an object");
  const auto it = j.find(key);
  if (it == j.end() || !((*it).*is)()) return bad(where, std::string("'") + key + "' missing or not " + type);
  return &*it;
}

template <std::size_t N>
Expected<void> read_loops(const nlohmann::json& list, FixedVector<Loop, N>& out, const std::string& where) {
  if (!list.is_array() || list.size() > N) return bad(where, "a level's loops are not a list of at most " + std::to_string(N));
  for (const nlohmann::json& loop : list) {
    if (!loop.is_array() || loop.size() != 2 || !loop[0].is_string() || !loop[1].is_number_integer()) {
      return bad(where, "a loop is not [letter, factor]");
    }
    const std::string letter = loop[0].get<std::string>();
    const std::optional<Dim> dim = letter.size() == 1 ? dim_from_letter(letter[0]) : std::nullopt;
    const std::int64_t factor = loop[1].get<std::int64_t>();
    if (!dim || factor < 1) return bad(where, "a loop names no dimension or has a factor below 1");
    out.push_back({factor, *dim});
  }
  return {};
}

}  // namespace

nlohmann::json mapper_result_record(const MapperResult& r, const Architecture& arch) {
  nlohmann::json counters = nlohmann::json::object();
  for (const auto& [name, member] : kCounters) counters[name] = r.*member;
  nlohmann::json out = {{"found", r.found},
                        {"interrupted", r.interrupted},
                        {"timed_out", r.timed_out},
                        {"replicated", r.replicated},
                        {"counters", counters}};
  if (!r.found) return out;
  nlohmann::json mapping = nlohmann::json::array();
  for (std::size_t l = 0; l < r.mapping.levels.size(); ++l) {
    const LevelLoops& level = r.mapping.levels[l];
    mapping.push_back({{"level", arch.levels[l].name},
                       {"temporal", loops_record(level.temporal)},
                       {"rows", loops_record(level.rows)},
                       {"cols", loops_record(level.cols)}});
  }
  nlohmann::json storage = nlohmann::json::array();
  for (const LevelStorage& s : r.storage.levels) {
    nlohmann::json holds = nlohmann::json::array();
    for (bool h : s.holds.values) holds.push_back(h);
    storage.push_back({{"holds", holds}, {"double_buffered", s.double_buffered}});
  }
  out["mapping"] = mapping;
  out["storage"] = storage;
  // Not read back as the cost, but compared with the cost recomputed: an edited or
  // foreign record is refused rather than silently changing the results.
  out["energy_pj"] = r.cost.energy_pj;
  out["cycles"] = r.cost.cycles;
  return out;
}

Expected<MapperResult> mapper_result_from_record(const nlohmann::json& j, const Layer& layer, const Architecture& arch,
                                                 const std::string& where) {
  MapperResult r;
  for (auto [key, flag] : {std::pair{"found", &r.found}, std::pair{"interrupted", &r.interrupted},
                           std::pair{"timed_out", &r.timed_out}, std::pair{"replicated", &r.replicated}}) {
    Expected<const nlohmann::json*> f = field(j, key, &nlohmann::json::is_boolean, "true or false", where);
    if (!f) return f.error();
    *flag = (*f)->get<bool>();
  }
  Expected<const nlohmann::json*> counters = field(j, "counters", &nlohmann::json::is_object, "an object", where);
  if (!counters) return counters.error();
  for (const auto& [name, member] : kCounters) {
    Expected<const nlohmann::json*> f = field(**counters, name, &nlohmann::json::is_number_integer, "an integer", where);
    if (!f) return f.error();
    r.*member = (*f)->get<std::int64_t>();
  }
  if (!r.found) return r;
  Expected<const nlohmann::json*> mapping = field(j, "mapping", &nlohmann::json::is_array, "a list", where);
  if (!mapping) return mapping.error();
  Expected<const nlohmann::json*> storage = field(j, "storage", &nlohmann::json::is_array, "a list", where);
  if (!storage) return storage.error();
  if ((*mapping)->size() != arch.levels.size() || (*storage)->size() != arch.levels.size()) {
    return bad(where, "its mapping or storage has " + std::to_string((*mapping)->size()) + " levels, the architecture " +
                          std::to_string(arch.levels.size()));
  }
  for (std::size_t l = 0; l < arch.levels.size(); ++l) {
    const nlohmann::json& level = (**mapping)[l];
    Expected<const nlohmann::json*> name = field(level, "level", &nlohmann::json::is_string, "a string", where);
    if (!name) return name.error();
    if ((*name)->get<std::string>() != arch.levels[l].name) {
      return bad(where, "level " + std::to_string(l) + " is '" + (*name)->get<std::string>() + "', the architecture's '" +
                            arch.levels[l].name + "'");
    }
    LevelLoops loops;
    for (auto [key, ok] : {std::pair{"temporal", 0}, std::pair{"rows", 1}, std::pair{"cols", 2}}) {
      Expected<const nlohmann::json*> list = field(level, key, &nlohmann::json::is_array, "a list", where);
      if (!list) return list.error();
      Expected<void> read = ok == 0   ? read_loops(**list, loops.temporal, where)
                            : ok == 1 ? read_loops(**list, loops.rows, where)
                                      : read_loops(**list, loops.cols, where);
      if (!read) return read.error();
    }
    r.mapping.levels.push_back(loops);
    const nlohmann::json& s = (**storage)[l];
    Expected<const nlohmann::json*> holds = field(s, "holds", &nlohmann::json::is_array, "a list", where);
    if (!holds) return holds.error();
    Expected<const nlohmann::json*> buffered = field(s, "double_buffered", &nlohmann::json::is_boolean, "true or false", where);
    if (!buffered) return buffered.error();
    LevelStorage kept;
    if ((*holds)->size() != kept.holds.values.size()) return bad(where, "'holds' does not list every tensor slot");
    for (std::size_t t = 0; t < kept.holds.values.size(); ++t) {
      if (!(**holds)[t].is_boolean()) return bad(where, "'holds' is not a list of true or false");
      kept.holds.values[t] = (**holds)[t].get<bool>();
    }
    kept.double_buffered = (*buffered)->get<bool>();
    r.storage.levels.push_back(kept);
  }
  const Architecture costed = with_storage(arch, r.storage);
  if (auto ok = check_mapping(layer, costed, r.mapping); !ok) {
    return Error{where + ": the recorded mapping does not fit layer '" + layer.name + "' on '" + arch.name +
                 "' (was the checkpoint written by another run?): " + ok.error().message};
  }
  r.cost = evaluate(prepare(layer, costed), r.mapping);
  Expected<const nlohmann::json*> energy = field(j, "energy_pj", &nlohmann::json::is_number, "a number", where);
  if (!energy) return energy.error();
  Expected<const nlohmann::json*> cycles = field(j, "cycles", &nlohmann::json::is_number_integer, "an integer", where);
  if (!cycles) return cycles.error();
  if ((*energy)->get<double>() != r.cost.energy_pj || (*cycles)->get<std::int64_t>() != r.cost.cycles) {
    return Error{where + ": the recorded mapping of layer '" + layer.name + "' costs " + std::to_string(r.cost.energy_pj) +
                 " pJ and " + std::to_string(r.cost.cycles) + " cycles here, the record says " + (*energy)->dump() +
                 " pJ and " + (*cycles)->dump() + " (an edited record, or one of another version of dnnspace)"};
  }
  return r;
}

nlohmann::json design_point_record(std::size_t index, const DesignPoint& point) {
  nlohmann::json layers = nlohmann::json::array();
  for (std::size_t i = 0; i < point.layers.size(); ++i) {
    nlohmann::json l = mapper_result_record(point.layers[i], point.arch);
    l["name"] = point.layer_names[i];
    layers.push_back(std::move(l));
  }
  return {{"point", index}, {"label", point.label}, {"layers", layers}};
}

Expected<std::size_t> design_point_index(const nlohmann::json& record, const std::string& where) {
  Expected<const nlohmann::json*> index = field(record, "point", &nlohmann::json::is_number_unsigned, "a whole number", where);
  if (!index) return index.error();
  return (*index)->get<std::size_t>();
}

Expected<DesignPoint> design_point_from_record(const nlohmann::json& record, const Network& network,
                                               const Architecture& arch, const std::string& label,
                                               const MapperOptions& options, const std::string& where) {
  Expected<const nlohmann::json*> recorded_label = field(record, "label", &nlohmann::json::is_string, "a string", where);
  if (!recorded_label) return recorded_label.error();
  if ((*recorded_label)->get<std::string>() != label) {
    return Error{where + ": the record is of design '" + (*recorded_label)->get<std::string>() + "', this run's is '" +
                 label + "' (was the checkpoint written by another run?)"};
  }
  Expected<const nlohmann::json*> layers = field(record, "layers", &nlohmann::json::is_array, "a list", where);
  if (!layers) return layers.error();
  if ((*layers)->size() != network.layers.size()) {
    return Error{where + ": the record has " + std::to_string((*layers)->size()) + " layers, network '" + network.name +
                 "' " + std::to_string(network.layers.size()) + " (was the checkpoint written by another run?)"};
  }
  std::vector<MapperResult> results;
  for (std::size_t i = 0; i < network.layers.size(); ++i) {
    const nlohmann::json& l = (**layers)[i];
    Expected<const nlohmann::json*> name = field(l, "name", &nlohmann::json::is_string, "a string", where);
    if (!name) return name.error();
    if ((*name)->get<std::string>() != network.layers[i].name) {
      return Error{where + ": layer " + std::to_string(i + 1) + " of the record is '" + (*name)->get<std::string>() +
                   "', of network '" + network.name + "' '" + network.layers[i].name + "'"};
    }
    Expected<MapperResult> r = mapper_result_from_record(l, network.layers[i], arch, where);
    if (!r) return r.error();
    if (r->interrupted) return bad(where, "a design point record with an interrupted layer");
    results.push_back(std::move(*r));
  }
  // The network search with every layer known: the same totals, in the same order, as the
  // search that wrote the record.
  NetworkSearchHooks hooks;
  hooks.known = [&](std::size_t i, const Layer&) { return std::optional<MapperResult>(results[i]); };
  MapperOptions no_stop = options;
  no_stop.stop = nullptr;
  return evaluate_design(network, arch, no_stop, label, hooks);
}

}  // namespace dnnspace::dist
