# `dnnspace plot` and `dnnspace report --html` on the JSON the commands write: the figures
# exist and say what the results say, bad input gets one line, and the page renders in
# headless Chromium without console errors, self-contained, with the key numbers in its DOM.
import json
import os
import re
import shutil
import subprocess

import pytest


@pytest.fixture(scope="module")
def results(cli, tmp_path_factory, source_dir):
    d = tmp_path_factory.mktemp("results")
    runs = {
        "evaluation": ["evaluate"],
        "network": ["optimize", "--network", "alexnet", "--batch", "16", "--dataflow", "C|K"],
        "dataflows": ["dataflows", "--layer", "alexnet/conv5", "--batch", "1"],
        "dse": ["dse", "--network", "alexnet", "--batch", "1", "--dataflow", "C|K", "--sweep", "rf=16,64"],
        "roofline": ["roofline", "--arch", "eyeriss-chip", "--network", "alexnet", "--batch", "4"],
    }
    paths = {}
    for kind, args in runs.items():
        paths[kind] = str(d / f"{kind}.json")
        cli(*args, "--json", paths[kind])
    return paths


def layer_names(result):
    return [l["name"] for l in result.get("layers", [])]


@pytest.mark.parametrize("kind", ["evaluation", "network", "dataflows", "dse", "roofline"])
def test_plot_draws_every_kind(cli, results, kind, tmp_path):
    result = json.load(open(results[kind]))
    png = tmp_path / f"{kind}.png"
    done = cli("plot", results[kind], "--out", str(png))
    assert f"({kind} figure)" in done.stdout
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    svg = tmp_path / f"{kind}.svg"
    cli("plot", results[kind], "--out", str(svg))
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    # Text stays text in the SVG: the layers and labels the result names are in it.
    if kind in ("network", "roofline"):
        for name in layer_names(result):
            assert f">{name}<" in text, name
    if kind == "network":
        total = result["total"]
        assert f"{total['energy_pj'] / total['macs']:.3f} pJ/MAC" in text
    if kind == "dse":
        for p in result["points"]:
            assert f">{p['label']}<" in text
    if kind == "dataflows":
        best = min((d for d in result["dataflows"] if d["found"]), key=lambda d: d["relative_energy"])
        assert f">{best['dataflow']}<" in text
    # Log axes label their decades as numbers, not as raw TeX (mathtext is off for names).
    assert "mathdefault" not in text and "10^{" not in text
    if kind == "roofline":
        assert re.search(r">1e\+?\d+<|>\d+000<", text), "the log axes' decade labels"


def test_plot_default_output_is_beside_the_result(cli, results, tmp_path):
    src = tmp_path / "run.json"
    shutil.copy(results["evaluation"], src)
    cli("plot", str(src))
    assert (tmp_path / "run.png").read_bytes()[:4] == b"\x89PNG"


def test_plot_and_report_bad_input(cli, results, tmp_path, source_dir):
    bad = tmp_path / "bad.json"
    bad.write_text('{"layers": [\n  1,\n  oops]}')
    err = cli("plot", str(bad), expect=2).stderr.strip()
    assert err.startswith(f"dnnspace: error: {bad}:3: not JSON")
    assert len(err.splitlines()) == 1
    zoo = tmp_path / "zoo.json"
    zoo.write_text(cli("zoo", "show", "alexnet", "--json").stdout)
    err = cli("plot", str(zoo), expect=2).stderr.strip()
    assert "no figure for this result" in err and len(err.splitlines()) == 1
    err = cli("report", str(zoo), "--html", str(tmp_path / "z.html"), expect=2).stderr
    assert "no page for this result" in err
    missing = tmp_path / "missing.json"
    assert cli("plot", str(missing), expect=2).stderr.strip() == f"dnnspace: error: {missing}: cannot open file"
    # Never over the input; only the formats it writes; an existing directory.
    before = open(results["evaluation"], "rb").read()
    err = cli("plot", results["evaluation"], "--out", results["evaluation"], expect=2).stderr
    assert "must end in one of .png, .svg, .pdf" in err
    copy = tmp_path / "copy.svg"
    copy.write_text("<svg/>")
    err = cli("report", str(copy), "--html", str(tmp_path / "x.txt"), expect=2).stderr
    assert "--html" in err and ".html" in err
    assert open(results["evaluation"], "rb").read() == before
    err = cli("plot", results["evaluation"], "--out", str(tmp_path / "no" / "dir.png"), expect=2).stderr
    assert "does not exist" in err
    html_in = tmp_path / "in.html"
    html_in.write_text("{}")
    err = cli("report", str(html_in), "--html", str(html_in), expect=2).stderr
    assert "an input is never overwritten" in err and html_in.read_text() == "{}"


def chromium(url, tmp_path, *args):
    exe = shutil.which("chromium")
    assert exe, "chromium is not installed (scripts/install-deps installs it)"
    done = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                           f"--user-data-dir={tmp_path / 'chromium-profile'}", *args, url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def console_messages(stderr):
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_console_errors_are_detected(tmp_path):
    # The check below would see a page's console errors: a page with one is caught.
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><script>console.error("broken page")</script></body></html>')
    done = chromium(page.as_uri(), tmp_path, "--dump-dom")
    assert any("broken page" in line for line in console_messages(done.stderr))


def self_contained(text):
    """No script, and nothing fetched: every src/href is a fragment of the page itself."""
    assert "<script" not in text.lower()
    assert "@import" not in text
    for ref in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', text) + re.findall(r"url\(([^)]*)\)", text):
        assert ref.startswith("#"), ref


@pytest.mark.parametrize("kind", ["evaluation", "network", "dataflows", "dse", "roofline"])
def test_report_renders_in_chromium(cli, results, kind, tmp_path):
    result = json.load(open(results[kind]))
    page = tmp_path / f"{kind}.html"
    cli("report", results[kind], "--html", str(page))
    text = page.read_text()
    self_contained(text)
    done = chromium(page.as_uri(), tmp_path, "--dump-dom")
    assert console_messages(done.stderr) == []
    dom = done.stdout
    assert "<svg" in dom and "</table>" in dom
    if kind == "network":
        total = result["total"]
        assert f"{round(total['energy_pj']):,d} pJ" in dom
        assert f"{total['cycles']:,d}" in dom
        for l in result["layers"]:
            assert f"<td>{l['name']}</td>" in dom
            assert f"{l['pj_per_mac']:.4f}" in dom
            # The loop nest of each mapping, as the command prints it.
            assert l["mapping"].splitlines()[1] in dom
    if kind == "evaluation":
        assert f"{round(result['energy_pj']):,d} pJ" in dom and f"{result['cycles']:,d}" in dom
    if kind == "dse":
        for p in result["points"]:
            assert f"<td>{p['label']}</td>" in dom


def test_report_screenshot(cli, results, tmp_path):
    out_dir = os.environ.get("DNNSPACE_TEST_OUTPUT", str(tmp_path))
    os.makedirs(out_dir, exist_ok=True)
    page = tmp_path / "network.html"
    cli("report", results["network"], "--html", str(page))
    shot = os.path.join(out_dir, "report_alexnet_eyeriss.png")
    if os.path.exists(shot):
        os.unlink(shot)
    chromium(page.as_uri(), tmp_path, f"--screenshot={shot}", "--window-size=1200,1600")
    data = open(shot, "rb").read()
    assert data[:4] == b"\x89PNG" and len(data) > 20_000


def test_names_are_text_and_incomplete_results_say_so(cli, results, tmp_path):
    # A "$" in a name is a dollar sign, not math markup.
    net = tmp_path / "net.yaml"
    net.write_text("network:\n  name: net$x^2$ <&>\n  layers:\n"
                   "    - {name: fc$1, type: fc, N: 16, K: 256, C: 256}\n")
    res = tmp_path / "net.json"
    cli("optimize", "--network", str(net), "--json", str(res))
    svg = tmp_path / "net.svg"
    cli("plot", str(res), "--out", str(svg))
    text = svg.read_text()
    assert "net$x^2$ &lt;&amp;&gt;" in text and ">fc$1<" in text
    page = tmp_path / "net.html"
    cli("report", str(res), "--html", str(page))
    assert "net$x^2$ &lt;&amp;&gt;" in page.read_text()
    # An interrupted run's totals are not the network's: the title and the page say so.
    stopped = json.load(open(results["network"]))
    stopped["interrupted"] = True
    stopped["complete"] = False
    stopped["layers"] = stopped["layers"][:3]
    src = tmp_path / "stopped.json"
    src.write_text(json.dumps(stopped))
    cli("plot", str(src), "--out", str(tmp_path / "stopped.svg"))
    assert "interrupted: 3 layers mapped before the stop" in (tmp_path / "stopped.svg").read_text()
    cli("report", str(src), "--html", str(tmp_path / "stopped.html"))
    assert "NOT a network total" in (tmp_path / "stopped.html").read_text()


def test_a_module_in_the_working_directory_is_not_imported(cli, results, tmp_path, monkeypatch):
    (tmp_path / "dnnspace.py").write_text("raise SystemExit('the wrong dnnspace')\n")
    (tmp_path / "json.py").write_text("raise SystemExit('the wrong json')\n")
    monkeypatch.chdir(tmp_path)
    cli("plot", results["evaluation"], "--out", str(tmp_path / "ok.png"))
    assert (tmp_path / "ok.png").exists()
    assert "an empty file name" in cli("plot", results["evaluation"], "--out", "", expect=2).stderr
