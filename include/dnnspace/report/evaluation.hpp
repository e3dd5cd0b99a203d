// The report of one evaluated (layer, architecture, mapping): a readable table and JSON.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "dnnspace/arch/architecture.hpp"
#include "dnnspace/mapping/mapping.hpp"
#include "dnnspace/model/cost.hpp"
#include "dnnspace/workload/layer.hpp"

namespace dnnspace::report {

/// The JSON object of one evaluation, with the same numbers as evaluation_table:
///   arch (name), layer (layer_json of network_report.hpp: name, type, N K C P Q R S G,
///   stride, pad, dilation and their _w forms, macs, weights), dataflow ("U|V"), feasible, energy_pj, energy_breakdown_pj {level
///   name -> pJ, "MAC", "Array"}, energy_by_tensor_pj {level name and "Array" ->
///   {inputs, weights, outputs}}, accesses {level -> {inputs|weights|outputs ->
///   {reads, writes}}}, array_transfers {inputs, weights, outputs}, cycles,
///   compute_cycles, utilization (0..1), offchip_bytes, pj_per_mac, mapping (the loop
///   nest of format_loop_nest as one string), mapping_yaml (format_mapping_yaml).
/// Energies are in pJ, accesses and transfers in words. `cost` must come from
/// evaluate(prepare(layer, arch), mapping); a level named "MAC" or "Array" would clash
/// with the breakdown's fixed keys, and architecture validation does not forbid it, so
/// such a level is reported under "level:NAME" instead.
nlohmann::json evaluation_json(const Layer& layer, const Architecture& arch, const Mapping& mapping,
                               const CostResult& cost);

/// The readable report of one evaluation: a header (architecture, layer shape and MACs,
/// dataflow), energy per level and tensor in pJ with MAC and Array rows, the total and
/// pJ/MAC, accesses per level and tensor (reads, writes, in words), cycles, compute
/// cycles, utilization and off-chip bytes, then the loop nest. Ends with a newline.
std::string evaluation_table(const Layer& layer, const Architecture& arch, const Mapping& mapping,
                             const CostResult& cost);

/// "N=16 K=384 C=256 P=13 Q=13 R=3 S=3" plus " G=.." when G > 1 and stride/pad/dilation
/// when not 1/0/1: the shape of a layer on one line. A workload given as data: its
/// dimensions, then ": " and tensors_text.
std::string layer_shape(const Layer& layer);

/// A workload's tensors as index expressions in its pass, operands then the accumulated
/// one: "Q[B,M,K] * Kt[B,K,N] -> S[B,M,N]".
std::string tensors_text(const Layer& layer);

/// A mapping on one line, outermost level first: "DRAM[N16 K12 C8] GlobalBuffer[P13 Q13
/// | rows C16 | cols K16] RegFile[K2 C2 R3 S3]" (temporal loops, then spatial per axis).
std::string compact_mapping(const Architecture& arch, const Mapping& mapping);

/// The architecture's area, "1.234 mm2 (a 28 nm estimate, docs/arch.md)" (area_mm2).
std::string area_text(const Architecture& arch);

/// What each level below the outermost keeps and how it buffers, on one line:
/// "GlobalBuffer keeps outputs (single-buffered); RegFile keeps inputs, weights (...)".
std::string storage_text(const Architecture& arch);

/// "bypass and buffering searched" (or only one of them) when the architecture leaves
/// some level's storage to the mapper, else empty: for the headers of search reports.
std::string storage_search_text(const Architecture& arch);

/// The same per level, as evaluation_json's "storage": [{level, keeps, double_buffered}].
nlohmann::json storage_json(const Architecture& arch);

/// Level `l` as {name, capacity_bytes, access_energy_pj, energy_source, read_energy_pj,
/// write_energy_pj, per_pe}.
nlohmann::json level_json(const Architecture& arch, std::size_t l);

/// {name, levels: [level_json], array: {rows, cols}, word_bits, mac_energy_pj, clock_mhz,
/// area_mm2, storage: storage_json}.
nlohmann::json architecture_json(const Architecture& arch);

/// An integer with thousands separators: 2390753280 -> "2,390,753,280".
std::string group_digits(std::int64_t value);

/// A double (pJ, mostly) as group_digits prints its integer part; one too large for 64
/// bits, or not finite, in scientific notation.
std::string group_digits_of(double value);

}  // namespace dnnspace::report
