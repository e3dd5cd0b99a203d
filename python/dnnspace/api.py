# The public API of the dnnspace package (re-exported by __init__; docs/python.md).
from __future__ import annotations

import copy
import json
import numbers
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


def _text_or_file(value: str, kind: str, suffixes: Sequence[str]) -> tuple:
    """(text, origin): a file when one exists at `value` or `value` ends in one of
    `suffixes` (so that a mistyped path says "cannot open file", as the command does);
    otherwise `value` itself is the text."""
    if not isinstance(value, str):
        raise TypeError(f"{kind}: expected a file path or text (str), got {type(value).__name__}")
    if "\n" not in value and (os.path.exists(value) or value.endswith(tuple(suffixes))):
        if os.path.isdir(value):
            raise Error(f"{value}: is a directory, not a {kind} file")
        try:
            with open(value, encoding="utf-8") as f:
                return f.read(), value
        except FileNotFoundError:
            raise Error(f"{value}: cannot open file") from None
        except UnicodeDecodeError:
            raise Error(f"{value}: not UTF-8 text") from None
        except OSError as e:
            raise Error(f"{value}: cannot read file ({e.strerror})") from None
    return value, f"<{kind} text>"


def _yaml_of(value: Union[str, Dict[str, Any]], kind: str) -> tuple:
    # JSON is YAML: a dict goes to the YAML readers as indented JSON, one key a line, so
    # that their line numbers still point somewhere sensible.
    if isinstance(value, dict):
        return json.dumps(value, indent=2), f"<{kind} dict>"
    if isinstance(value, str):
        return _text_or_file(value, kind, (".yaml", ".yml"))
    raise TypeError(f"{kind}: expected a dict, YAML text or a file path, got {type(value).__name__}")


def _whole(name: str, value: Any, allow_none: bool = False) -> Optional[int]:
    """An int argument: not a bool, not a float or str (which the flags' parser refuses too)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__} {value!r}")
    value = int(value)
    if not -2**62 <= value <= 2**62:
        raise Error(f"{name}: {value} is out of range")
    return value


def _real(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__} {value!r}")
    return float(value)


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__} {value!r}")
    return value


def _text(name: str, value: Any, allow_none: bool = False) -> str:
    if value is None and allow_none:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected a str, got {type(value).__name__} {value!r}")
    return value


def layer(spec: Union[str, Dict[str, Any]], batch: Optional[int] = None) -> Layer:
    """A layer: "network/layer" from the zoo (e.g. "alexnet/conv3"), a layer YAML file,
    or a dict in the layer YAML format (docs/workloads.md). ``batch`` sets N."""
    if isinstance(spec, dict):
        if batch is not None:
            raise Error("batch: give N in the layer's dict instead of batch= for a layer given as a dict")
        text, origin = _yaml_of(spec, "layer")
        return _native.layer_from_yaml(text, origin)
    return _native.load_layer(_text("layer", spec), _whole("batch", batch, allow_none=True))


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
    if isinstance(spec, (Network, Layer)):
        return _as_network(spec, batch)
    if isinstance(spec, (list, tuple)):
        if batch is not None:
            raise Error("batch: Layer objects have their N; give batch= with a zoo name or file instead")
        return _native.Network(_text("name", name), list(spec))
    shapes = [_text("input_shapes", s) for s in input_shapes]
    return _native.load_network(_text("network", spec), _whole("batch", batch, allow_none=True), shapes)


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
        """One row per storage level and tensor, plus the array, the MACs and (when the
        architecture leaks) the leakage: {level, tensor, energy_pj, reads, writes}. The
        rows' energies sum to energy_pj."""
        rows = []
        accesses = self._data.get("accesses", {})
        for level, tensors in self._data.get("energy_by_tensor_pj", {}).items():
            for tensor, pj in tensors.items():
                counts = accesses.get(level, {}).get(tensor, {})
                rows.append({"level": level, "tensor": tensor, "energy_pj": pj,
                             "reads": counts.get("reads"), "writes": counts.get("writes")})
        breakdown = self._data.get("energy_breakdown_pj", {})
        for name in ("MAC", "Leakage"):  # the rows sum to energy_pj
            if breakdown.get(name) or (name == "MAC" and name in breakdown):
                rows.append({"level": name, "tensor": None, "energy_pj": breakdown[name], "reads": None,
                             "writes": None})
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
    if isinstance(value, (Network, Layer)):
        if batch is not None:
            kind = type(value).__name__
            raise Error(f"batch: a {kind} object has its N; give batch= with a zoo name or file instead")
        return value if isinstance(value, Network) else _native.Network(value.name, [value])
    if isinstance(value, str) and "/" in value and not os.path.exists(value) and not value.endswith(
            (".yaml", ".yml", ".onnx")):
        # "net/layer": that layer of the zoo network, as --network net --layer layer.
        net, name = value.split("/", 1)
        return _native.only_layer(network(net, batch), name)
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
        schedule_text, schedule_origin = _text_or_file(schedule, "schedule", (".sched", ".schedule", ".txt"))
    layer_source = layer if isinstance(layer, str) else l.name
    arch_source = arch if isinstance(arch, str) and "\n" not in arch else (a.name if a is not None else "")
    return Evaluation(json.loads(_native.evaluate(l, layer_source, a, arch_source, mapping_text, mapping_origin or "",
                                                  schedule_text, schedule_origin or "")))


def _search_settings(objective, min_utilization, threads, time_limit_s, bypass, buffering, dataflow, fallback,
                     replication):
    return dict(objective=_text("objective", objective), min_utilization=_real("min_utilization", min_utilization),
                threads=_bounded_int("threads", threads, "--threads: must be a whole number in 0..1024 (0 = all cores)"),
                time_limit_s=_real("time_limit_s", time_limit_s), bypass=_text("bypass", bypass),
                buffering=_text("buffering", buffering), dataflow=_text("dataflow", dataflow, allow_none=True),
                fallback=_text("fallback", fallback),
                replication=_bounded_int("replication", replication, f"--replication {replication}: allowed: 1, 2, 3"))


def _bounded_int(name: str, value: Any, message: str) -> int:
    # The C++ side takes a 32-bit int: what cannot be one gets the flag's own message.
    value = _whole(name, value)
    if not -2**31 <= value < 2**31:
        raise Error(message + ("" if "allowed" in message else f", got {value}"))
    return value


def optimize(network: NetworkLike, arch: ArchLike = "eyeriss", *, batch: Optional[int] = None,
             dataflow: Optional[str] = None, fallback: str = "replicate", replication: int = 1,
             objective: str = "energy", min_utilization: float = 0.75, threads: int = 0, time_limit_s: float = 0.0,
             bypass: str = "fixed", buffering: str = "fixed", fuse: bool = False,
             partial: bool = False) -> OptimizeResult:
    """The best mapping of every layer of a network (or of one layer) on one architecture,
    as ``dnnspace optimize`` finds it; the keywords are its flags. As the command does, a
    network with layers that have no mapping raises Error (its totals are not the
    network's) unless ``partial=True``."""
    n = _as_network(network, batch)
    a = _arch(arch)
    s = _search_settings(objective, min_utilization, threads, time_limit_s, bypass, buffering, dataflow, fallback,
                         replication)
    result = OptimizeResult(json.loads(_native.optimize(n, a, fuse=_flag("fuse", fuse), **s)))
    unmapped = result["unmapped"]
    if unmapped and not _flag("partial", partial):
        raise Error(f"{len(unmapped)} of {len(n)} layers have no mapping ({', '.join(unmapped)}): the totals are not "
                    "the network's; partial=True accepts partial results")
    return result


def dse(network: NetworkLike, base: ArchLike = "eyeriss", sweep: Sequence[str] = (), *,
        batch: Optional[int] = None, dataflow: Optional[str] = None, fallback: str = "replicate",
        replication: int = 1, objective: str = "energy", min_utilization: float = 0.75, threads: int = 0,
        time_limit_s: float = 0.0, bypass: str = "fixed", buffering: str = "fixed") -> DseResult:
    """A hardware sweep as ``dnnspace dse --sweep``: ``sweep`` is a list of "KEY=VALUES"
    (rf, rf2, gb, gb2 sizes such as "rf=16..512" or "gb=64K,128K"; "array=16x16,32x8";
    "levels=base,+rf2"), crossed; every point's network is optimized."""
    if isinstance(sweep, str):
        sweep = [sweep]
    sweep = [_text("sweep", item) for item in sweep]
    n = _as_network(network, batch)
    a = _arch(base)
    s = _search_settings(objective, min_utilization, threads, time_limit_s, bypass, buffering, dataflow, fallback,
                         replication)
    return DseResult(json.loads(_native.dse(n, a, list(sweep), **s)))
