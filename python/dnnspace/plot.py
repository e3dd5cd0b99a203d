"""Figures of dnnspace results (``dnnspace plot RESULT.json``, docs/python.md).

Each result the commands write as JSON gets the figure that fits it:

- ``evaluate``: the energy of each level, the array and the MACs, stacked by tensor;
- ``optimize`` (a network): each layer's pJ/MAC stacked by level (004 Fig. 11 and 14);
- ``dataflows``: every dataflow's energy relative to the best, sorted, with the
  distribution of 004 Fig. 7-8;
- ``dse`` (a sweep): pJ/MAC per design point with the energy-area Pareto frontier (Fig. 11);
- ``roofline``: attainable performance against operational intensity with each level's
  roof and the layers as points (000 Sec. V-A).

Run as ``python3 -m dnnspace.plot RESULT.json --out FILE.{png,svg,pdf}``. The output is
written atomically and never over the input.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
from typing import Any, Callable, Dict, List, Optional

try:
    import matplotlib
except ImportError:  # pragma: no cover - the package is a declared dependency
    print("dnnspace: error: drawing needs matplotlib: install the Debian package python3-matplotlib "
          "(scripts/install-deps)", file=sys.stderr)
    sys.exit(2)

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402

# Reproducible files: no creation date, a fixed id salt for SVG.
matplotlib.rcParams["svg.hashsalt"] = "dnnspace"
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text in SVG (searchable in a page)
# Names come from users' files: "$" is a dollar sign, never mathtext.
matplotlib.rcParams["text.parse_math"] = False

TENSOR_COLORS = {"inputs": "#4c72b0", "weights": "#dd8452", "outputs": "#55a868"}
FORMATS = (".png", ".svg", ".pdf")


class PlotError(ValueError):
    """A result this module cannot draw, or a bad output path: one line for the user."""


# What a result with the right keys but wrong contents raises while it is drawn.
MALFORMED = (KeyError, TypeError, ValueError, IndexError, AttributeError, ZeroDivisionError)


def kind_of(result: Dict[str, Any]) -> str:
    """Which command wrote `result`: evaluation, network, training, dataflows, dse,
    auto_optimizer, fpga, roofline, scale (or unknown)."""
    if not isinstance(result, dict):
        return "unknown"
    if "minerva_stage" in result:
        return f"minerva{result['minerva_stage']}"
    if "minerva_final" in result:
        return "minerva_final"
    if "energy_by_tensor_pj" in result and "energy_breakdown_pj" in result:
        return "evaluation"
    if "dataflows" in result and "distribution" in result:
        return "dataflows"
    if "peak_ops_per_s" in result and "levels" in result:
        return "roofline"
    if isinstance(result.get("training"), dict):
        return "training"
    if "points" in result and "pareto" in result:
        return "dse"
    if "layers" in result and "total" in result and "metrics" in result:
        return "network"
    if "explored" in result:
        return "auto_optimizer"
    if "target" in result:
        return "fpga"
    if "points" in result:
        return "scale"
    return "unknown"


def incomplete_note(result: Dict[str, Any]) -> str:
    """" (interrupted: ...)" or " (partial: ...)" when a network's totals are not the whole network's."""
    layers = result.get("layers", [])
    mapped = sum(1 for l in layers if l.get("found"))
    if result.get("interrupted"):
        return f" (interrupted: {mapped} layers mapped before the stop; not the network's total)"
    if result.get("complete") is False:
        return f" (partial: {mapped} of {len(layers)} layers mapped; not the network's total)"
    return ""


def _log_axes(ax, x: bool = False, y: bool = False) -> None:
    """Log scales whose ticks read as plain numbers (1e-05, 0.001, 10, 1000): with mathtext
    off (users' names are never parsed as TeX) the default log labels would print raw TeX."""
    for on, axis, scale in ((x, ax.xaxis, ax.set_xscale), (y, ax.yaxis, ax.set_yscale)):
        if on:
            scale("log")
            axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_minor_formatter(matplotlib.ticker.NullFormatter())


def _level_order(names: List[str]) -> List[str]:
    # Storage levels outermost first as the result lists them, then the array and the MACs.
    tail = [n for n in ("Array", "MAC", "Leakage") if n in names]
    return [n for n in names if n not in tail] + tail


def _evaluation(result: Dict[str, Any], ax) -> None:
    by_tensor = result["energy_by_tensor_pj"]
    breakdown = result["energy_breakdown_pj"]
    levels = _level_order([n for n in breakdown if breakdown[n] > 0 or n in by_tensor])
    levels = [n for n in levels if not (n == "Leakage" and breakdown.get(n, 0) == 0)]
    tensors = []
    for t in by_tensor.values():
        for name in t:
            if name not in tensors:
                tensors.append(name)
    bottom = [0.0] * len(levels)
    for tensor in tensors:
        values = [by_tensor.get(level, {}).get(tensor, 0.0) / 1e6 for level in levels]
        ax.bar(levels, values, bottom=bottom, label=tensor, color=TENSOR_COLORS.get(tensor))
        bottom = [b + v for b, v in zip(bottom, values)]
    for name, color in (("MAC", "#8c8c8c"), ("Leakage", "#c44e52")):
        values = [breakdown[level] / 1e6 if level == name else 0.0 for level in levels]
        if any(values):
            ax.bar(levels, values, bottom=bottom, label=name.lower(), color=color)
    ax.set_ylabel("energy (µJ)")
    layer = result.get("layer", {}).get("name", "") if isinstance(result.get("layer"), dict) else result.get("layer", "")
    ax.set_title(f"{layer} on {result.get('arch', '')}: {result['energy_pj'] / 1e6:,.1f} µJ, "
                 f"{result['pj_per_mac']:.3f} pJ/MAC")
    ax.legend()


def _network(result: Dict[str, Any], ax) -> None:
    layers = [l for l in result["layers"] if l.get("found")]
    if not layers:
        raise PlotError("plot: no layer of this result has a mapping; nothing to draw")
    names = [l["name"] for l in layers]
    levels: List[str] = []
    for l in layers:
        for name, pj in l["energy_breakdown_pj"].items():
            if name not in levels and (pj > 0 or name != "Leakage"):
                levels.append(name)
    levels = _level_order(levels)
    cmap = plt.get_cmap("tab10")
    bottom = [0.0] * len(layers)
    macs = [l["energy_pj"] / l["pj_per_mac"] if l["pj_per_mac"] else 1.0 for l in layers]
    for i, level in enumerate(levels):
        values = [l["energy_breakdown_pj"].get(level, 0.0) / m for l, m in zip(layers, macs)]
        ax.bar(names, values, bottom=bottom, label=level, color=cmap(i % 10))
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_ylabel("energy per MAC (pJ)")
    total = result["total"]
    per_mac = total["energy_pj"] / total["macs"] if total.get("macs") else 0.0
    ax.set_title(f"{result.get('network', '')} (batch {result.get('batch', '')}) on {result.get('arch', '')}: "
                 f"{per_mac:.3f} pJ/MAC{incomplete_note(result)}")
    ax.legend(fontsize="small")
    ax.tick_params(axis="x", labelrotation=45 if len(names) > 8 else 0)


def _dataflows(result: Dict[str, Any], ax) -> None:
    found = [d for d in result["dataflows"] if d.get("found")]
    if not found:
        raise PlotError("plot: no dataflow of this result has a mapping; nothing to draw")
    found.sort(key=lambda d: d["relative_energy"])
    names = [d["dataflow"] for d in found]
    ax.bar(names, [d["relative_energy"] for d in found], color="#4c72b0")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_ylabel("energy relative to the best")
    ax.set_ylim(bottom=0.9)
    layer = result.get("layer", {})
    lname = layer.get("name", "") if isinstance(layer, dict) else str(layer)
    within = sum(1 for d in found if d["relative_energy"] <= 1.1)
    ax.set_title(f"{lname} on {result.get('arch', '')}: {len(found)} dataflows, {within} within 10% of the best")
    ax.tick_params(axis="x", labelrotation=90, labelsize="small")


def _sweep_axes(points: List[Dict[str, Any]]) -> List[List[str]]:
    """The swept keys' values in order of first appearance, from labels "rf=16B gb=64KB"."""
    axes: List[List[str]] = []
    for p in points:
        parts = p["label"].split() if p["label"] != "base" else []
        while len(axes) < len(parts):
            axes.append([])
        for i, part in enumerate(parts):
            if part not in axes[i]:
                axes[i].append(part)
    return axes


def _dse_lines(result: Dict[str, Any], ax) -> None:
    # 004 Fig. 11: pJ/MAC against the first swept key, one line per value of the second.
    points = [p for p in result["points"] if p.get("complete")]
    axes = _sweep_axes(result["points"])
    first = axes[0]
    series = axes[1] if len(axes) > 1 else [""]
    by_label = {p["label"]: p for p in points}
    for value in series:
        xs, ys = [], []
        for i, x in enumerate(first):
            p = by_label.get(f"{x} {value}".strip())
            if p:
                xs.append(i)
                ys.append(p["energy_pj"] / p["macs"])
        ax.plot(xs, ys, marker="o", label=value or None)
    ax.set_xticks(range(len(first)), [x.split("=", 1)[1] for x in first])
    ax.set_xlabel(first[0].split("=", 1)[0] if first else "")
    ax.set_ylabel("energy per MAC (pJ)")
    ax.set_title(f"{result.get('network', '')}: pJ/MAC by {first[0].split('=', 1)[0] if first else 'point'}")
    if len(axes) > 1:
        ax.legend(fontsize="small")


def _dse(result: Dict[str, Any], ax) -> None:
    points = [p for p in result["points"] if p.get("complete")]
    if not points:
        raise PlotError("plot: no design point of this result maps every layer; nothing to draw")
    front = set(result.get("pareto", {}).get("energy_vs_area", []))
    x = [p["area_mm2"] for p in points]
    y = [p["energy_pj"] / p["macs"] for p in points]
    ax.scatter(x, y, color="#4c72b0", label="design points")
    fx = sorted((p["area_mm2"], p["energy_pj"] / p["macs"]) for p in points if p["label"] in front)
    if fx:
        ax.plot([a for a, _ in fx], [e for _, e in fx], color="#c44e52", marker="o", label="Pareto frontier")
    for p, xi, yi in zip(points, x, y):
        if len(points) <= 8 or p["label"] in front:  # many points: name the frontier's only
            ax.annotate(p["label"], (xi, yi), fontsize="x-small", xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel("area (mm²)")
    ax.set_ylabel("energy per MAC (pJ)")
    ax.set_title(f"{result.get('network', '')} on variants of {result.get('base', '')}")
    ax.legend()


def _roofline(result: Dict[str, Any], ax) -> None:
    layers = [l for l in result["layers"] if l.get("found")]
    if not layers:
        raise PlotError("plot: no layer of this result has a mapping; nothing to draw")
    peak = result["peak_ops_per_s"]
    xs = []
    for l in layers:
        dram = l["levels"][0]
        xs.append(dram["ctc_ops_per_byte"] if dram["ctc_ops_per_byte"] else None)
    finite = [x for x in xs if x]
    lo = min(finite + [1.0]) / 10
    hi = max(finite + [1.0]) * 10
    ax.plot([lo, hi], [peak, peak], color="black", label="compute roof")
    # The x axis is the intensity over DRAM bytes, so only DRAM's roof is a line on it; a
    # layer bound by another level's bandwidth is marked with that level's name.
    dram = (result.get("total", {}).get("levels") or layers[0]["levels"])[0]
    bw = dram.get("bandwidth_bytes_per_s")
    if bw:
        knee = peak / bw
        ax.plot([lo, knee], [bw * lo, peak], linestyle="--", label=f"{dram['name']} roof")
    for l, x in zip(layers, xs):
        if x:
            bound = l.get("bound_by", "")
            other = bound not in ("compute", dram["name"], "")
            ax.scatter([x], [l["achieved_ops_per_s"]], zorder=3, marker="s" if other else "o")
            ax.annotate(l["name"] + (f" ({bound}-bound)" if other else ""), (x, l["achieved_ops_per_s"]),
                        fontsize="x-small", xytext=(3, 3), textcoords="offset points")
    _log_axes(ax, x=True, y=True)
    lowest = min([l["achieved_ops_per_s"] for l in layers] + [peak])
    ax.set_ylim(lowest / 10, peak * 2)
    ax.set_xlabel("operational intensity (ops per DRAM byte)")
    ax.set_ylabel("performance (ops/s)")
    ax.set_title(f"{result.get('network', '')} on {result.get('arch', '')}: roofline")
    ax.legend(fontsize="small")


def _frontier_scatter(ax, xs: List[float], ys: List[float], result: Dict[str, Any], points_label: str,
                      chosen_label: str) -> None:
    # Every point, the Pareto frontier through result["front"], and result["chosen"].
    ax.scatter(xs, ys, s=10, color="#8c8c8c", label=points_label)
    front = sorted(result["front"], key=lambda i: xs[i])
    ax.plot([xs[i] for i in front], [ys[i] for i in front], color="#c44e52", marker="o", markersize=3,
            label="Pareto frontier")
    c = result["chosen"]
    ax.scatter([xs[c]], [ys[c]], s=90, marker="*", color="black", zorder=3, label=chosen_label)


def _minerva1(result: Dict[str, Any], ax) -> None:
    # 001 Fig. 4.3: every trained network, the frontier of weights against error, the chosen one.
    points = result["points"]
    _frontier_scatter(ax, [p["weights"] for p in points], [100 * p["test_error"] for p in points], result,
                      "trained networks", "chosen")
    ax.axhline(100 * result["bound"], color="#c44e52", linestyle="--", linewidth=1,
               label=f"ITN 1 bound ({100 * result['bound']:.2f}%)")
    _log_axes(ax, x=True)
    ax.set_xlabel("weights")
    ax.set_ylabel("test error (%)")
    ax.set_title("Stage 1: training space")
    ax.legend()


def _minerva2(result: Dict[str, Any], ax) -> None:
    # 001 Fig. 4.4b: every design's power against its time per inference, the frontier, the baseline.
    points = result["points"]
    _frontier_scatter(ax, [p["latency_us"] for p in points], [p["power_mw"] for p in points], result, "designs",
                      f"baseline ({result['choice']})")
    _log_axes(ax, x=True, y=True)
    ax.set_xlabel("time per inference (us)")
    ax.set_ylabel("power (mW)")
    ax.set_title("Stage 2: accelerator design space")
    ax.legend()


def _minerva3(result: Dict[str, Any], ax) -> None:
    # 001 Fig. 4.6: bits per signal and layer, against the Q6.10 start.
    layers = result["layers"]
    names = [l["layer"] for l in layers]
    width = 0.27
    for k, (key, label, color) in enumerate((("weights_bits", "W", "#dd8452"), ("activations_bits", "X", "#4c72b0"),
                                             ("products_bits", "P", "#55a868"))):
        ax.bar([i + (k - 1) * width for i in range(len(names))], [l[key] for l in layers], width, label=label,
               color=color)
    ax.axhline(16, color="black", linestyle="--", linewidth=1, label="start: Q6.10")
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel("bits (integer + fraction)")
    d = result["datapath"]
    ax.set_title(f"Stage 3: quantization (datapath W {d['weights']}, X {d['activations']}, P {d['products']})")
    ax.legend()


def _minerva4(result: Dict[str, Any], ax) -> None:
    # 001 Fig. 4.7: error and pruned operations against the threshold.
    sweep = result["sweep"]
    ts = [s["threshold"] for s in sweep]
    ax.plot(ts, [100 * s["test_error"] for s in sweep], marker="o", color="#4c72b0", label="test error")
    ax.axhline(100 * result["bound"], color="#c44e52", linestyle="--", linewidth=1, label="ITN 1 bound")
    if result.get("threshold") is not None:
        ax.axvline(result["threshold"], color="black", linewidth=1, label="chosen threshold")
    ax.set_xlabel("activation threshold")
    ax.set_ylabel("test error (%)")
    right = ax.twinx()
    right.plot(ts, [100 * s["pruned_fraction"] for s in sweep], marker="s", color="#55a868", label="MACs pruned")
    right.set_ylabel("MACs pruned (%)")
    lines = ax.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1])
    ax.set_title("Stage 4: activation pruning")


def _minerva5(result: Dict[str, Any], ax) -> None:
    # 001 Fig. 4.9: mean error over the fault maps against the bit-fault rate, per mitigation.
    colors = {"none": "#8c8c8c", "word": "#4c72b0", "bit": "#c44e52"}
    for name in ("none", "word", "bit"):
        rows = [s for s in result["sweep"] if s["mitigation"] == name]
        ax.plot([s["fault_rate"] for s in rows], [100 * s["mean_error"] for s in rows], marker="o",
                color=colors[name], label=f"{name} masking")
    ax.axhline(100 * result["bound"], color="black", linestyle="--", linewidth=1, label="ITN 1 bound")
    _log_axes(ax, x=True)
    ax.set_xlabel("bitcell fault rate")
    ax.set_ylabel("mean test error (%)")
    ax.set_title(f"Stage 5: SRAM faults (weight SRAMs at {result['sram_voltage']:.3f} V)")
    ax.legend()


def _minerva_final(result: Dict[str, Any], ax) -> None:
    # 001 Fig. 4.11: power after each stage.
    rows = result["stages"]
    names = [r["name"].split(" (")[0] for r in rows]
    powers = [r["power_mw"] for r in rows]
    bars = ax.bar(range(len(rows)), powers, color=["#8c8c8c", "#dd8452", "#55a868", "#4c72b0"][:len(rows)])
    for bar, r in zip(bars, rows):
        label = "" if r["factor"] is None else f"{r['factor']:.2f}x (001 MNIST {r['minerva_mnist_factor']}x)"
        ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(rows)), names)
    ax.set_ylabel("power (mW)")
    ax.set_title(f"Minerva: {result['total_factor']:.2f}x less power overall (001: 8.1x on average)")


DRAWERS: Dict[str, Callable] = {
    "evaluation": _evaluation,
    "network": _network,
    "dataflows": _dataflows,
    "dse": _dse,
    "roofline": _roofline,
    "minerva1": _minerva1,
    "minerva2": _minerva2,
    "minerva3": _minerva3,
    "minerva4": _minerva4,
    "minerva5": _minerva5,
    "minerva_final": _minerva_final,
}


def figure(result: Dict[str, Any]):
    """The matplotlib Figure for a result (a dict as the command's --json wrote it)."""
    kind = kind_of(result)
    draw = DRAWERS.get(kind)
    if draw is None:
        raise PlotError(f"plot: no figure for this result (its keys look like: {kind}); figures exist for the "
                        "JSON of evaluate, optimize (a network), dataflows, dse --sweep, roofline and minerva's stages")
    fig = None
    try:
        # A sweep of one or two keys also gets 004 Fig. 11's lines beside its frontier.
        lines = kind == "dse" and 1 <= len(_sweep_axes(result["points"])) <= 2
        fig, axes = plt.subplots(1, 2 if lines else 1, figsize=(13 if lines else 9, 5), layout="constrained",
                                 squeeze=False)
        if lines:
            _dse_lines(result, axes[0][0])
        draw(result, axes[0][-1])
    except MALFORMED as e:
        if fig is not None:
            plt.close(fig)
        raise PlotError(f"plot: the {kind} result lacks what its figure needs ({type(e).__name__}: {e}); "
                        "is it a file a dnnspace command wrote?") from None
    for ax in axes[0]:
        ax.grid(axis="y", alpha=0.3)
    return fig


def svg_text(result: Dict[str, Any]) -> str:
    """The figure as SVG markup (for an HTML page: no XML prolog)."""
    fig = figure(result)
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = out.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def write_atomically(path: str, data: bytes) -> None:
    """Writes `data` to `path` through a temporary file in the same directory and a rename."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".dnnspace-", dir=directory)
    except OSError as e:
        raise PlotError(f"{path}: cannot write file ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        mask = os.umask(0)  # mkstemp makes the file 0600; give it what a plain open would
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise PlotError(f"{path}: cannot write file ({e.strerror})") from None
        raise


def check_output(path: str, inputs: List[str], formats=FORMATS, flag: str = "--out") -> None:
    """An output path (the option `flag`): one of `formats`, in a directory that exists,
    never an input or a directory."""
    if not path:
        raise PlotError(f"{flag}: an empty file name")
    ext = os.path.splitext(path)[1].lower()
    if ext not in formats:
        raise PlotError(f"{flag} '{path}': the file name must end in one of {', '.join(formats)}")
    if os.path.isdir(path):
        raise PlotError(f"{flag} '{path}': is a directory")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise PlotError(f"{flag} '{path}': directory '{directory}' does not exist")
    for given in inputs:
        if os.path.exists(path) and os.path.exists(given) and os.path.samefile(path, given):
            raise PlotError(f"{flag} '{path}': is the input '{given}'; an input is never overwritten")


def load_result(path: str) -> Dict[str, Any]:
    """Reads a result JSON file; errors name the file."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise PlotError(f"{path}: cannot open file") from None
    except IsADirectoryError:
        raise PlotError(f"{path}: is a directory, not a result file") from None
    except UnicodeDecodeError:
        raise PlotError(f"{path}: not UTF-8 text; a result file is the JSON a dnnspace command wrote") from None
    except json.JSONDecodeError as e:
        raise PlotError(f"{path}:{e.lineno}: not JSON ({e.msg}); a result file is the JSON a dnnspace command wrote") from None
    except OSError as e:
        raise PlotError(f"{path}: cannot read file ({e.strerror})") from None


def save(result: Dict[str, Any], path: str) -> None:
    """Draws `result` into `path` (.png, .svg or .pdf), atomically."""
    fmt = os.path.splitext(path)[1].lower().lstrip(".")
    fig = figure(result)
    out = io.BytesIO()
    fig.savefig(out, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else
                ({"CreationDate": None} if fmt == "pdf" else None))
    plt.close(fig)
    write_atomically(path, out.getvalue())


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="dnnspace plot", description="Draw the figure of a dnnspace result JSON")
    parser.add_argument("result", help="a JSON file written by evaluate, optimize, dataflows, dse or roofline --json")
    parser.add_argument("--out", help="the figure: FILE.png, FILE.svg or FILE.pdf (default: RESULT with .png)")
    args = parser.parse_args(argv)
    try:
        out = os.path.splitext(args.result)[0] + ".png" if args.out is None else args.out
        check_output(out, [args.result])  # before any work, as the commands do
        result = load_result(args.result)
        save(result, out)
    except PlotError as e:
        print(f"dnnspace: error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({kind_of(result)} figure)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
