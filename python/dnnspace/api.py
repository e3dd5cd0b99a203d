# The public API of the dnnspace package (re-exported by __init__; docs/python.md).
from __future__ import annotations

import copy
import json
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from ._native import Architecture, Error, Layer, Network
from . import _native

__all__ = [
    "Architecture", "Error", "Layer", "Network", "Result", "Evaluation", "OptimizeResult", "DseResult",
    "zoo_names", "arch_preset_names", "layer", "network", "arch", "evaluate", "optimize", "dse",
]

LayerLike = Union[Layer, str]
NetworkLike = Union[Network, Layer, str]
ArchLike = Union[Architecture, str, Dict[str, Any]]


def zoo_names() -> List[str]:
    """The built-in networks, in the order ``dnnspace zoo list`` prints them."""
    return _native.zoo_names()


def arch_preset_names() -> List[str]:
    """The built-in architectures (``--arch`` names)."""
    return _native.arch_preset_names()


def _text_or_file(value: str, kind: str) -> tuple:
    """(text, origin): a path that exists is read; otherwise the string is the text itself."""
    if "\n" not in value and os.path.isfile(value):
        with open(value, encoding="utf-8") as f:
            return f.read(), value
    return value, f"<{kind} text>"


def _yaml_of(value: Union[str, Dict[str, Any]], kind: str) -> tuple:
    # JSON is YAML: a dict goes to the YAML readers as indented JSON, one key a line, so
    # that their line numbers still point somewhere sensible.
    if isinstance(value, dict):
        return json.dumps(value, indent=2), f"<{kind} dict>"
    if isinstance(value, str):
        return _text_or_file(value, kind)
    raise TypeError(f"{kind}: expected a dict, YAML text or a file path, got {type(value).__name__}")


def layer(spec: Union[str, Dict[str, Any]], batch: Optional[int] = None) -> Layer:
    """A layer: "network/layer" from the zoo (e.g. "alexnet/conv3"), a layer YAML file,
    or a dict in the layer YAML format (docs/workloads.md). ``batch`` sets N."""
    if isinstance(spec, dict):
        if batch is not None:
            raise Error("batch: give N in the layer's dict instead of batch= for a layer given as a dict")
        text, origin = _yaml_of(spec, "layer")
        return _native.layer_from_yaml(text, origin)
    return _native.load_layer(spec, batch)


def network(spec: Union[str, Dict[str, Any], Sequence[Layer]], batch: Optional[int] = None,
            input_shapes: Iterable[str] = (), name: str = "network") -> Network:
    """A network: a zoo name ("alexnet"), a network YAML file, an ONNX model (a path
    ending in .onnx; ``input_shapes`` as "NAME=1x3x224x224"), a dict in the network YAML
    format, or a list of layers. ``batch`` sets N of every layer (zoo networks default to 1)."""
    if isinstance(spec, dict):
        text, origin = _yaml_of(spec, "network")
        if batch is not None:
            raise Error("batch: give N in the network's dict instead of batch= for a network given as a dict")
        return _native.network_from_yaml(text, origin)
    if isinstance(spec, (list, tuple)):
        return _native.Network(name, list(spec))
    return _native.load_network(spec, batch, list(input_shapes))


def arch(spec: ArchLike = "eyeriss") -> Architecture:
    """An architecture: a preset name ("eyeriss"), an architecture YAML file or text, or a
    dict in the same format (docs/arch.md)."""
    return _arch(spec)


def _arch(spec: ArchLike) -> Architecture:
    if isinstance(spec, Architecture):
        return spec
    if isinstance(spec, dict):
        text, origin = _yaml_of(spec, "arch")
        return _native.arch_from_yaml(text, origin)
    if isinstance(spec, str) and "\n" in spec:
        return _native.arch_from_yaml(spec, "<arch text>")
    if not isinstance(spec, str):
        raise TypeError(f"arch: expected a preset name, a path, YAML text, a dict or an Architecture, got {type(spec).__name__}")
    return _native.load_arch(spec)


class Result:
    """A result as the command's JSON has it: ``to_dict()``, ``result["key"]``, ``result.key``."""

    def __init__(self, data: Dict[str, Any]):
        self._data = data

    def to_dict(self) -> Dict[str, Any]:
        """A deep copy of the result, with the keys of the command's ``--json`` output."""
        return copy.deepcopy(self._data)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __getattr__(self, key: str) -> Any:
        data = self.__dict__.get("_data")
        if data is not None and key in data:
            return data[key]
        raise AttributeError(key)

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def keys(self):
        return self._data.keys()

    def __repr__(self) -> str:
        return f"<dnnspace.{type(self).__name__} {json.dumps(self._data)[:120]}...>"


def _flat_energy(row: Dict[str, Any], source: Dict[str, Any]) -> None:
    for name, pj in source.get("energy_breakdown_pj", {}).items():
        row[f"energy_{name}_pj"] = pj


class Evaluation(Result):
    """One mapping of one layer (``dnnspace evaluate --json``): energy_pj,
    energy_breakdown_pj, energy_by_tensor_pj, accesses, cycles, utilization, ..."""

    def records(self) -> List[Dict[str, Any]]:
        """One row per storage level and tensor, plus the array and the MACs:
        {level, tensor, energy_pj, reads, writes}."""
        rows = []
        accesses = self._data.get("accesses", {})
        for level, tensors in self._data.get("energy_by_tensor_pj", {}).items():
            for tensor, pj in tensors.items():
                counts = accesses.get(level, {}).get(tensor, {})
                rows.append({"level": level, "tensor": tensor, "energy_pj": pj,
                             "reads": counts.get("reads"), "writes": counts.get("writes")})
        mac = self._data.get("energy_breakdown_pj", {}).get("MAC")
        if mac is not None:
            rows.append({"level": "MAC", "tensor": None, "energy_pj": mac, "reads": None, "writes": None})
        return rows


class OptimizeResult(Result):
    """The best mapping of every layer (``dnnspace optimize --json``): layers, total,
    metrics, complete, unmapped, ..."""

    def records(self) -> List[Dict[str, Any]]:
        """One row per layer: name, found, dataflow, energy_pj, pj_per_mac, cycles,
        utilization, offchip_bytes, mapping and energy_<level>_pj per level."""
        rows = []
        for lj in self._data["layers"]:
            row = {"name": lj["name"], "found": lj["found"], "proven_optimal": lj["proven_optimal"]}
            if lj["found"]:
                for key in ("dataflow", "energy_pj", "pj_per_mac", "cycles", "utilization", "offchip_bytes", "mapping"):
                    row[key] = lj.get(key)
                _flat_energy(row, lj)
            rows.append(row)
        return rows

    @property
    def energy_pj(self) -> float:
        return self._data["total"]["energy_pj"]

    @property
    def cycles(self) -> int:
        return self._data["total"]["cycles"]


class DseResult(Result):
    """A hardware sweep (``dnnspace dse --json``): points, pareto."""

    def records(self) -> List[Dict[str, Any]]:
        """One row per design point: label, energy_pj, cycles, macs, area_mm2,
        layers_mapped, complete, on_energy_area_front, on_energy_cycles_front and
        energy_<level>_pj per level."""
        fronts = self._data.get("pareto", {})
        area_front = set(fronts.get("energy_vs_area", []))
        cycles_front = set(fronts.get("energy_vs_cycles", []))
        rows = []
        for p in self._data["points"]:
            row = {k: p[k] for k in ("label", "energy_pj", "cycles", "macs", "area_mm2", "layers_mapped", "complete")}
            row["on_energy_area_front"] = p["label"] in area_front
            row["on_energy_cycles_front"] = p["label"] in cycles_front
            for name, pj in p.get("level_energy_pj", {}).items():
                row[f"energy_{name}_pj"] = pj
            rows.append(row)
        return rows


def _as_layer(value: LayerLike, batch: Optional[int]) -> Layer:
    if isinstance(value, Layer):
        if batch is not None:
            raise Error("batch: a Layer object has its N; give batch= with a zoo spec instead")
        return value
    return layer(value, batch)


def _as_network(value: NetworkLike, batch: Optional[int]) -> Network:
    if isinstance(value, Network):
        if batch is not None:
            raise Error("batch: a Network object has its N; give batch= with a zoo name or file instead")
        return value
    if isinstance(value, Layer):
        return _native.Network(value.name, [value])
    if isinstance(value, str) and "/" in value and not os.path.exists(value) and not value.endswith((".yaml", ".yml", ".onnx")):
        one = layer(value, batch)
        return _native.Network(value, [one])
    return network(value, batch)


def evaluate(layer: LayerLike, arch: Optional[ArchLike] = "eyeriss", mapping: Union[str, Dict[str, Any], None] = None,
             schedule: Optional[str] = None, batch: Optional[int] = None) -> Evaluation:
    """Energy, accesses, cycles and utilization of one layer mapped onto one architecture.

    ``mapping`` is a mapping YAML file, YAML text or a dict (``{"mapping": [{"level": ...,
    "temporal": [{"K": 4}], "spatial": {...}}]}``); or ``schedule`` is a schedule file or
    text (docs/schedules.md), compiled onto ``arch``, or with ``arch=None`` onto the
    architecture it implies."""
    l = _as_layer(layer, batch)
    a = None if arch is None else _arch(arch)
    if (mapping is None) == (schedule is None):
        raise Error("evaluate: give either mapping= or schedule=")
    mapping_text = mapping_origin = schedule_text = schedule_origin = None
    if mapping is not None:
        mapping_text, mapping_origin = _yaml_of(mapping, "mapping")
    else:
        schedule_text, schedule_origin = _text_or_file(schedule, "schedule")
    return Evaluation(json.loads(_native.evaluate(l, a, mapping_text, mapping_origin or "", schedule_text,
                                                  schedule_origin or "")))


def _search_settings(objective, min_utilization, threads, time_limit_s, bypass, buffering, dataflow, fallback,
                     replication):
    return dict(objective=objective, min_utilization=float(min_utilization), threads=int(threads),
                time_limit_s=float(time_limit_s), bypass=bypass, buffering=buffering, dataflow=dataflow or "",
                fallback=fallback, replication=int(replication))


def optimize(network: NetworkLike, arch: ArchLike = "eyeriss", *, batch: Optional[int] = None,
             dataflow: Optional[str] = None, fallback: str = "replicate", replication: int = 1,
             objective: str = "energy", min_utilization: float = 0.75, threads: int = 0, time_limit_s: float = 0.0,
             bypass: str = "fixed", buffering: str = "fixed", fuse: bool = False) -> OptimizeResult:
    """The best mapping of every layer of a network (or of one layer) on one architecture,
    as ``dnnspace optimize`` finds it; the keywords are its flags."""
    n = _as_network(network, batch)
    a = _arch(arch)
    s = _search_settings(objective, min_utilization, threads, time_limit_s, bypass, buffering, dataflow, fallback,
                         replication)
    return OptimizeResult(json.loads(_native.optimize(n, a, fuse=fuse, **s)))


def dse(network: NetworkLike, base: ArchLike = "eyeriss", sweep: Sequence[str] = (), *,
        batch: Optional[int] = None, dataflow: Optional[str] = None, fallback: str = "replicate",
        replication: int = 1, objective: str = "energy", min_utilization: float = 0.75, threads: int = 0,
        time_limit_s: float = 0.0, bypass: str = "fixed", buffering: str = "fixed") -> DseResult:
    """A hardware sweep as ``dnnspace dse --sweep``: ``sweep`` is a list of "KEY=VALUES"
    (rf, rf2, gb, gb2 sizes such as "rf=16..512" or "gb=64K,128K"; "array=16x16,32x8";
    "levels=base,+rf2"), crossed; every point's network is optimized."""
    if isinstance(sweep, str):
        sweep = [sweep]
    n = _as_network(network, batch)
    a = _arch(base)
    s = _search_settings(objective, min_utilization, threads, time_limit_s, bypass, buffering, dataflow, fallback,
                         replication)
    return DseResult(json.loads(_native.dse(n, a, list(sweep), **s)))
