"""A dnnspace result as one self-contained HTML page (``dnnspace report RESULT.json --html
FILE.html``, docs/python.md): the key numbers, the figure of dnnspace.plot as inline SVG,
the tables, and each mapping as its loop nest. No script, no external file, font or
network access: the page renders offline in any browser.

Run as ``python3 -m dnnspace.report RESULT.json --html FILE.html``.
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from typing import Any, Dict, List, Optional, Sequence

from . import plot

STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.5em; }
dl.summary dt { font-weight: bold; } dl.summary dd { margin: 0; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
.note { color: #666; font-size: 0.9em; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def group(value: Any, digits: int = 0) -> str:
    """A number with thousands separators (the tables of the command print the same)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,d}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _table(header: Sequence[str], rows: List[Sequence[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _summary(items: List[tuple]) -> str:
    return '<dl class="summary">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items) + "</dl>"


def _layer_name(result: Dict[str, Any]) -> str:
    layer = result.get("layer")
    return layer.get("name", "") if isinstance(layer, dict) else str(layer or "")


def _evaluation(r: Dict[str, Any]) -> tuple:
    title = f"{_layer_name(r)} on {r.get('arch', '')}"
    summary = [("energy", f"{group(r['energy_pj'])} pJ"), ("energy per MAC", f"{r['pj_per_mac']:.4f} pJ"),
               ("cycles", group(r["cycles"])), ("utilization", f"{100 * r['utilization']:.1f}%"),
               ("off-chip", f"{group(r['offchip_bytes'])} B"), ("dataflow", r.get("dataflow", ""))]
    by_tensor = r["energy_by_tensor_pj"]
    tensors = sorted({t for v in by_tensor.values() for t in v})
    rows = [[level] + [group(v.get(t, 0.0)) for t in tensors] + [group(r["energy_breakdown_pj"].get(level, 0.0))]
            for level, v in by_tensor.items()]
    for extra in ("MAC", "Leakage"):
        if r["energy_breakdown_pj"].get(extra):
            rows.append([extra] + [""] * len(tensors) + [group(r["energy_breakdown_pj"][extra])])
    body = "<h2>Energy (pJ) by level and tensor</h2>" + _table(["level"] + tensors + ["total"], rows)
    acc_rows = []
    for level, v in r.get("accesses", {}).items():
        for tensor, counts in v.items():
            acc_rows.append([level, tensor, group(counts.get("reads")), group(counts.get("writes"))])
    body += "<h2>Accesses (words)</h2>" + _table(["level", "tensor", "reads", "writes"], acc_rows)
    body += "<h2>Mapping</h2><pre>" + _e(r.get("mapping", "")) + "</pre>"
    return title, summary, body


def _network(r: Dict[str, Any]) -> tuple:
    total = r["total"]
    title = f"{r.get('network', '')} (batch {r.get('batch', '')}) on {r.get('arch', '')}{plot.incomplete_note(r)}"
    per_mac = total["energy_pj"] / total["macs"] if total.get("macs") else 0.0
    summary = [("energy", f"{group(total['energy_pj'])} pJ"), ("energy per MAC", f"{per_mac:.4f} pJ"),
               ("MACs", group(total["macs"])), ("cycles", group(total["cycles"])),
               ("off-chip", f"{group(total['offchip_bytes'])} B"),
               ("layers mapped", f"{total['layers_mapped']} of {len(r['layers'])}"),
               ("objective", r.get("objective", ""))]
    if r.get("interrupted"):
        summary.append(("NOT a network total", "interrupted: only the layers searched before the stop are in it"))
    elif r.get("unmapped"):
        summary.append(("NOT a network total", "unmapped: " + ", ".join(r["unmapped"])))
    rows, nests = [], []
    for l in r["layers"]:
        if not l.get("found"):
            rows.append([l["name"], "-", "no mapping", "", "", ""])
            continue
        rows.append([l["name"], l.get("dataflow", ""), group(l["energy_pj"]), f"{l['pj_per_mac']:.4f}",
                     group(l["cycles"]), f"{100 * l['utilization']:.1f}%"])
        nests.append(f"<h3>{_e(l['name'])}</h3><pre>{_e(l.get('mapping', ''))}</pre>")
    body = "<h2>Layers</h2>" + _table(["layer", "dataflow", "energy (pJ)", "pJ/MAC", "cycles", "util"], rows)
    body += "<h2>Mappings (loop nests, outermost first)</h2>" + "".join(nests)
    return title, summary, body


def _dataflows(r: Dict[str, Any]) -> tuple:
    found = sorted((d for d in r["dataflows"] if d.get("found")), key=lambda d: d["relative_energy"])
    title = f"dataflows of {_layer_name(r)} on {r.get('arch', '')}"
    summary = [("dataflows mapped", f"{len(found)} of {len(r['dataflows'])}")]
    if found:
        summary += [("best", f"{found[0]['dataflow']}: {group(found[0]['energy_pj'])} pJ"),
                    ("worst / best", f"{found[-1]['relative_energy']:.3f}")]
    rows = [[d["dataflow"], group(d["energy_pj"]), f"{d['pj_per_mac']:.4f}", f"{d['relative_energy']:.3f}",
             group(d["cycles"])] for d in found]
    body = "<h2>Dataflows, best first</h2>" + _table(["dataflow", "energy (pJ)", "pJ/MAC", "x best", "cycles"], rows)
    if found:
        body += f"<h2>Best mapping ({_e(found[0]['dataflow'])})</h2><pre>{_e(found[0].get('mapping', ''))}</pre>"
    return title, summary, body


def _dse(r: Dict[str, Any]) -> tuple:
    title = f"{r.get('network', '')} on variants of {r.get('base', '')}"
    fronts = r.get("pareto", {})
    summary = [("design points", len(r["points"])),
               ("energy-area frontier", ", ".join(fronts.get("energy_vs_area", []))),
               ("energy-cycles frontier", ", ".join(fronts.get("energy_vs_cycles", [])))]
    rows = [[p["label"], group(p["energy_pj"]), f"{p['energy_pj'] / p['macs']:.4f}" if p.get("macs") else "-",
             group(p["cycles"]), f"{p['area_mm2']:.3f}", f"{p['layers_mapped']}"] for p in r["points"]]
    body = "<h2>Design points</h2>" + _table(["point", "energy (pJ)", "pJ/MAC", "cycles", "area (mm²)", "layers mapped"], rows)
    return title, summary, body


def _roofline(r: Dict[str, Any]) -> tuple:
    title = f"roofline of {r.get('network', '')} on {r.get('arch', '')}"
    summary = [("peak", f"{group(r['peak_ops_per_s'])} ops/s")]
    rows = [[l["name"], group(l.get("ops")), group(l.get("achieved_ops_per_s")), l.get("bound_by", "-"),
             f"{l.get('fraction_of_roof', 0):.3f}"] for l in r["layers"] if l.get("found")]
    body = "<h2>Layers</h2>" + _table(["layer", "ops", "achieved ops/s", "bound by", "of roof"], rows)
    return title, summary, body


SECTIONS = {"evaluation": _evaluation, "network": _network, "dataflows": _dataflows, "dse": _dse,
            "roofline": _roofline}


def page(result: Dict[str, Any], source: str = "") -> str:
    """The whole HTML page for a result."""
    kind = plot.kind_of(result)
    section = SECTIONS.get(kind)
    if section is None:
        raise plot.PlotError(f"report: no page for this result (its keys look like: {kind}); pages exist for the "
                             "JSON of evaluate, optimize (a network), dataflows, dse --sweep and roofline")
    try:
        title, summary, body = section(result)
    except plot.MALFORMED as e:
        raise plot.PlotError(f"report: the {kind} result lacks what its page needs ({type(e).__name__}: {e}); "
                             "is it a file a dnnspace command wrote?") from None
    figure = plot.svg_text(result)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>dnnspace: {_e(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>dnnspace: {_e(title)}</h1>"
            f"<p class=\"note\">{_e(kind)} result" + (f" from {_e(source)}" if source else "") + "</p>"
            + _summary(summary) + f"<figure>{figure}</figure>" + body + "</body></html>\n")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="dnnspace report", description="A dnnspace result as one HTML page")
    parser.add_argument("result", help="a JSON file written by evaluate, optimize, dataflows, dse or roofline --json")
    parser.add_argument("--html", required=True, help="the page to write, FILE.html")
    args = parser.parse_args(argv)
    try:
        plot.check_output(args.html, [args.result], formats=(".html", ".htm"), flag="--html")
        result = plot.load_result(args.result)
        text = page(result, os.path.basename(args.result))
        plot.write_atomically(args.html, text.encode("utf-8"))
    except plot.PlotError as e:
        print(f"dnnspace: error: {e}", file=sys.stderr)
        return 2
    print(f"wrote {args.html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
