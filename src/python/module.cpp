// dnnspace._native: the library's API for Python (the package python/dnnspace wraps it).
// Workloads, networks and architectures are C++ objects; results come back as the same
// JSON the commands write (so a dict from Python has the CLI's keys), which the package
// turns into result objects. Every error is dnnspace.Error (a ValueError) carrying the
// CLI's one-line message.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "dnnspace/arch/presets.hpp"
#include "dnnspace/io/arch_yaml.hpp"
#include "dnnspace/io/mapping_yaml.hpp"
#include "dnnspace/io/resolve_input.hpp"
#include "dnnspace/io/schedule_text.hpp"
#include "dnnspace/io/workload_yaml.hpp"
#include "dnnspace/arch/storage_choice.hpp"
#include "dnnspace/mapping/legality.hpp"
#include "dnnspace/mapping/schedule.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/report/dse_report.hpp"
#include "dnnspace/report/evaluation.hpp"
#include "dnnspace/report/network_report.hpp"
#include "dnnspace/report/optimize_report.hpp"
#include "dnnspace/search/arch_variant.hpp"
#include "dnnspace/search/dse.hpp"
#include "dnnspace/search/network_search.hpp"
#include "dnnspace/search/search_options.hpp"
#include "dnnspace/workload/zoo.hpp"
#include "run_interruptible.hpp"

namespace py = pybind11;

namespace dnnspace::python {
namespace {

/// dnnspace.Error: what the CLI would print after "dnnspace: error: ".
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <typename T>
T value_or_raise(Expected<T> e) {
  if (!e) throw Failure(e.error().message);
  return std::move(e).value();
}

void ok_or_raise(const Expected<void>& e) {
  if (!e) throw Failure(e.error().message);
}

std::string dump(const nlohmann::json& j) { return j.dump(); }

/// A JSON value as Python objects (dict, list, str, int, float, bool, None).
py::object as_python(const nlohmann::json& j) { return py::module_::import("json").attr("loads")(j.dump()); }

/// A network from layers, with the checks a network file gets: at least one layer, no
/// name twice, sizes within the model's limits.
Network network_of(std::string name, std::vector<Layer> layers) {
  if (layers.empty()) throw Failure("network '" + name + "': no layers");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (layers[i].name == layers[j].name) {
        throw Failure("network '" + name + "': duplicate layer name '" + layers[i].name + "' (layer " +
                      std::to_string(i + 1) + " and layer " + std::to_string(j + 1) + ")");
      }
    }
  }
  Network network{std::move(name), std::move(layers)};
  ok_or_raise(check_network_size(network));
  return network;
}

/// The search settings every searching call takes, checked as the CLI checks its flags.
struct SearchSettings {
  std::string objective;
  double min_utilization;
  int threads;
  double time_limit_s;
  std::string bypass;
  std::string buffering;
  std::string dataflow;
  std::string fallback;
  int replication;
};

MapperOptions mapper_for(const SearchSettings& s, Architecture& arch, const Network& network) {
  MapperOptions mapper =
      value_or_raise(mapper_options(s.objective, s.min_utilization, s.threads, s.time_limit_s));
  ok_or_raise(apply_storage_search(arch, s.bypass, s.buffering));
  const std::vector<Dim> dims = network_dims(network);
  ok_or_raise(apply_dataflow_choice(mapper, s.dataflow, s.fallback, s.replication, dims));
  ok_or_raise(check_searchable(network));
  return mapper;
}

std::string evaluate_json(const Layer& layer, const std::string& layer_source, const Architecture* given_arch,
                          const std::string& arch_source, const std::optional<std::string>& mapping,
                          const std::string& mapping_origin, const std::optional<std::string>& schedule,
                          const std::string& schedule_origin) {
  if (mapping.has_value() == schedule.has_value()) throw Failure("evaluate: give either a mapping or a schedule");
  Architecture arch = given_arch ? *given_arch : Architecture{};
  Mapping m;
  std::string origin;
  if (schedule) {
    const Schedule parsed = value_or_raise(io::parse_schedule_text(*schedule, schedule_origin));
    CompiledSchedule compiled =
        value_or_raise(given_arch ? compile_schedule(layer, arch, parsed) : compile_schedule(layer, parsed));
    arch = std::move(compiled.arch);
    m = std::move(compiled.mapping);
    origin = schedule_origin;
  } else {
    if (!given_arch) throw Failure("evaluate: a mapping needs an architecture (arch=...)");
    m = value_or_raise(io::parse_mapping_yaml(*mapping, mapping_origin, arch, layer_dims(layer)));
    origin = mapping_origin;
  }
  ok_or_raise(check_storage_fixed(arch, given_arch ? arch_source : std::string("the architecture the schedule implies")));
  if (auto ok = check_mapping(layer, arch, m); !ok) throw Failure(origin + ": " + ok.error().message);
  const CostResult cost = evaluate(prepare(layer, arch), m);
  nlohmann::json j = report::evaluation_json(layer, arch, m, cost);
  // As evaluate --json names them: the arguments as given.
  j["sources"] = {{"arch", given_arch ? arch_source : std::string("the architecture the schedule implies")},
                  {"layer", layer_source},
                  {"mapping", schedule ? "schedule " + origin : origin}};
  return dump(j);
}

std::string optimize_json(const Network& network, Architecture arch, const SearchSettings& settings, bool fuse) {
  MapperOptions mapper = mapper_for(settings, arch, network);
  if (fuse) ok_or_raise(check_fusable(arch));
  std::atomic<bool> stop{false};
  mapper.stop = &stop;
  const NetworkSearch search = run_interruptible(stop, [&] {
    return fuse ? search_network_fused(network, arch, mapper) : search_network(network, arch, mapper);
  });
  return dump(report::optimize_json(network, arch, search, {settings.objective, settings.min_utilization, fuse}));
}

std::string dse_json(const Network& network, Architecture base, const std::vector<std::string>& sweeps,
                     const SearchSettings& settings) {
  if (sweeps.empty()) throw Failure("dse: give at least one sweep KEY=VALUES (keys rf, rf2, gb, gb2, array, levels)");
  MapperOptions mapper = mapper_for(settings, base, network);
  const std::vector<SweepDesign> designs = value_or_raise(sweep_designs(base, value_or_raise(parse_sweeps(sweeps))));
  std::atomic<bool> stop{false};
  mapper.stop = &stop;
  std::vector<DesignPoint> points = run_interruptible(stop, [&] {
    std::vector<DesignPoint> out;
    for (std::size_t i = 0; i < designs.size() && !stop.load(); ++i) {
      out.push_back(evaluate_design(network, designs[i].arch, mapper, designs[i].label));
    }
    return out;
  });
  report::DseInfo info{network.name,
                       base.name,
                       settings.objective,
                       settings.min_utilization,
                       settings.dataflow,
                       network.layers.size(),
                       false,
                       mapper.max_loops_per_axis,
                       report::storage_search_text(base)};
  return dump(report::dse_json(points, design_fronts(points), info));
}

}  // namespace
}  // namespace dnnspace::python

PYBIND11_MODULE(_native, m) {
  using namespace dnnspace;
  using namespace dnnspace::python;
  m.doc() = "dnnspace's C++ library (use the dnnspace package, which wraps this module)";
  py::register_exception<Failure>(m, "Error", PyExc_ValueError);

  py::class_<Layer>(m, "Layer", "One layer: a loop nest over named dimensions (docs/workloads.md)")
      .def_property_readonly("name", [](const Layer& l) { return l.name; })
      .def_property_readonly("macs", [](const Layer& l) { return macs(l); }, "multiply-accumulates")
      .def("to_json", [](const Layer& l) { return dump(report::layer_json(l)); })
      .def("to_dict", [](const Layer& l) { return as_python(report::layer_json(l)); },
           "{name, type, N, K, C, P, Q, R, S, G, stride, pad, ..., macs, weights} as zoo show --json")
      .def("__repr__", [](const Layer& l) { return "<dnnspace.Layer " + l.name + ": " + report::layer_shape(l) + ">"; });

  py::class_<Network>(m, "Network", "An ordered list of layers (docs/zoo.md)")
      .def(py::init([](std::string name, std::vector<Layer> layers) { return network_of(std::move(name), std::move(layers)); }),
           py::arg("name"), py::arg("layers"))
      .def_property_readonly("name", [](const Network& n) { return n.name; })
      .def_property_readonly("layers", [](const Network& n) { return n.layers; })
      .def_property_readonly("macs", [](const Network& n) { return total_macs(n); })
      .def("to_json", [](const Network& n) { return dump(report::network_json(n)); })
      .def("to_dict", [](const Network& n) { return as_python(report::network_json(n)); },
           "{network, batch, layers: [...], total: {macs, weights}} as zoo show --json")
      .def("__len__", [](const Network& n) { return n.layers.size(); })
      .def("__repr__", [](const Network& n) {
        return "<dnnspace.Network " + n.name + ": " + std::to_string(n.layers.size()) + " layers>";
      });

  py::class_<Architecture>(m, "Architecture", "A PE array under a memory hierarchy (docs/arch.md)")
      .def_property_readonly("name", [](const Architecture& a) { return a.name; })
      .def_property_readonly("level_names", [](const Architecture& a) {
        std::vector<std::string> names;
        for (const StorageLevel& level : a.levels) names.push_back(level.name);
        return names;
      })
      .def("to_json", [](const Architecture& a) { return dump(report::architecture_json(a)); })
      .def("to_dict", [](const Architecture& a) { return as_python(report::architecture_json(a)); },
           "{name, levels: [...], array: {rows, cols}, word_bits, mac_energy_pj, clock_mhz, area_mm2, storage}")
      .def("__repr__", [](const Architecture& a) {
        return "<dnnspace.Architecture " + a.name + ": " + std::to_string(a.array.rows) + "x" +
               std::to_string(a.array.cols) + " PEs, " + std::to_string(a.levels.size()) + " levels>";
      });

  m.def("zoo_names", [] {
    std::vector<std::string> names;
    for (std::string_view n : zoo_names()) names.emplace_back(n);
    return names;
  });
  m.def("arch_preset_names", [] {
    std::vector<std::string> names;
    for (std::string_view n : arch_preset_names()) names.emplace_back(n);
    return names;
  });
  m.def("load_layer", [](const std::string& spec, std::optional<std::int64_t> batch) {
    return value_or_raise(io::resolve_layer(spec, batch, 1));
  }, py::arg("spec"), py::arg("batch") = py::none());
  m.def("layer_from_yaml", [](const std::string& text, const std::string& origin) {
    return value_or_raise(io::load_layer_yaml_text(text, origin));
  }, py::arg("text"), py::arg("origin"));
  m.def("load_network", [](const std::string& spec, std::optional<std::int64_t> batch,
                           const std::vector<std::string>& input_shapes) {
    return value_or_raise(io::resolve_network(spec, batch, input_shapes));
  }, py::arg("spec"), py::arg("batch") = py::none(), py::arg("input_shapes") = std::vector<std::string>{});
  m.def("network_from_yaml", [](const std::string& text, const std::string& origin) {
    return value_or_raise(io::load_network_yaml_text(text, origin));
  }, py::arg("text"), py::arg("origin"));
  m.def("load_arch", [](const std::string& spec) { return value_or_raise(io::resolve_arch(spec)); }, py::arg("spec"));
  m.def("arch_from_yaml", [](const std::string& text, const std::string& origin) {
    return value_or_raise(io::parse_arch_yaml(text, origin));
  }, py::arg("text"), py::arg("origin"));
  m.def("evaluate", [](const Layer& layer, const std::string& layer_source, const Architecture* arch,
                       const std::string& arch_source, std::optional<std::string> mapping,
                       const std::string& mapping_origin, std::optional<std::string> schedule,
                       const std::string& schedule_origin) {
    return evaluate_json(layer, layer_source, arch, arch_source, mapping, mapping_origin, schedule, schedule_origin);
  }, py::arg("layer"), py::arg("layer_source"), py::arg("arch").none(true), py::arg("arch_source"), py::arg("mapping"),
     py::arg("mapping_origin"), py::arg("schedule"), py::arg("schedule_origin"));
  m.def("only_layer", [](Network network, const std::string& name) {
    ok_or_raise(io::keep_only_layer(network, name));
    return network;
  }, py::arg("network"), py::arg("name"), "the network with only the named layer (as --layer NAME)");
  const auto settings = [](std::string objective, double min_utilization, int threads, double time_limit_s,
                           std::string bypass, std::string buffering, std::string dataflow, std::string fallback,
                           int replication) {
    return SearchSettings{std::move(objective), min_utilization, threads, time_limit_s, std::move(bypass),
                          std::move(buffering), std::move(dataflow), std::move(fallback), replication};
  };
  m.def("optimize", [settings](const Network& network, const Architecture& arch, std::string objective,
                               double min_utilization, int threads, double time_limit_s, std::string bypass,
                               std::string buffering, std::string dataflow, std::string fallback, int replication,
                               bool fuse) {
    return optimize_json(network, arch,
                         settings(std::move(objective), min_utilization, threads, time_limit_s, std::move(bypass),
                                  std::move(buffering), std::move(dataflow), std::move(fallback), replication),
                         fuse);
  }, py::arg("network"), py::arg("arch"), py::arg("objective"), py::arg("min_utilization"), py::arg("threads"),
     py::arg("time_limit_s"), py::arg("bypass"), py::arg("buffering"), py::arg("dataflow"), py::arg("fallback"),
     py::arg("replication"), py::arg("fuse"));
  m.def("dse", [settings](const Network& network, const Architecture& base, const std::vector<std::string>& sweeps,
                          std::string objective, double min_utilization, int threads, double time_limit_s,
                          std::string bypass, std::string buffering, std::string dataflow, std::string fallback,
                          int replication) {
    return dse_json(network, base, sweeps,
                    settings(std::move(objective), min_utilization, threads, time_limit_s, std::move(bypass),
                             std::move(buffering), std::move(dataflow), std::move(fallback), replication));
  }, py::arg("network"), py::arg("base"), py::arg("sweeps"), py::arg("objective"), py::arg("min_utilization"),
     py::arg("threads"), py::arg("time_limit_s"), py::arg("bypass"), py::arg("buffering"), py::arg("dataflow"),
     py::arg("fallback"), py::arg("replication"));
}
