# The Python module against hand-derived values and against the command it shares a
# library with: the same inputs must give the same numbers and the same error lines.
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import dnnspace as ds

# docs/model.md's worked example (tests/model/worked_example_test.cpp derives every number
# by hand): K=2 C=2 P=4 R=3 on DRAM -> Buffer -> per-PE RegFile under a 1x2 array.
WORKED_LAYER = {"layer": {"name": "example", "type": "conv", "N": 1, "K": 2, "C": 2, "P": 4, "Q": 1, "R": 3, "S": 1}}
WORKED_ARCH = {"architecture": {
    "name": "example", "word_bits": 16, "mac_energy_pj": 0.5,
    "levels": [
        {"name": "DRAM", "kind": "dram", "access_energy_pj": 200},
        {"name": "Buffer", "kind": "sram", "capacity": "1024B", "access_energy_pj": 6},
        {"name": "RegFile", "kind": "regfile", "capacity": "64B", "access_energy_pj": 1},
    ],
    "array": {"rows": 1, "cols": 2, "below": "Buffer", "cost": "per_hop", "hop_energy_pj": 0.1},
}}
WORKED_MAPPING = {"mapping": [
    {"level": "DRAM", "temporal": [{"C": 2}]},
    {"level": "Buffer", "temporal": [{"P": 2}], "spatial": {"cols": [{"K": 2}]}},
    {"level": "RegFile", "temporal": [{"P": 2}, {"R": 3}]},
]}


def test_built_in_names():
    assert "alexnet" in ds.zoo_names() and "vgg16" in ds.zoo_names()
    assert ds.arch_preset_names()[0] == "eyeriss"


def test_zoo_network_has_the_published_macs():
    # AlexNet's 724,406,816 MACs at N=1 (docs/zoo.md, from the layer shapes of 003 Table II).
    net = ds.network("alexnet")
    assert len(net) == 8 and net.layers[2].name == "conv3"
    assert net.macs == 724_406_816
    assert ds.network("alexnet", batch=16).macs == 16 * 724_406_816
    d = net.to_dict()
    assert d["total"]["macs"] == 724_406_816 and d["layers"][0]["name"] == "conv1"


def test_worked_example_by_hand():
    ev = ds.evaluate(ds.layer(WORKED_LAYER), ds.arch(WORKED_ARCH), mapping=WORKED_MAPPING)
    # DRAM 32 x 200 + Buffer 84 x 6 + RegFile 252 x 1 + MAC 48 x 0.5 + array 16 x 0.1.
    assert ev.energy_breakdown_pj["DRAM"] == 6400.0
    assert ev.energy_breakdown_pj["Buffer"] == 504.0
    assert ev.energy_breakdown_pj["RegFile"] == 252.0
    assert ev.energy_breakdown_pj["MAC"] == 24.0
    assert ev.energy_pj == pytest.approx(7181.6, abs=1e-9)
    assert ev.cycles == 24 and ev.utilization == 1.0
    assert ev["accesses"]["Buffer"]["inputs"] == {"reads": 16, "writes": 12}
    rows = {(r["level"], r["tensor"]): r for r in ev.records()}
    assert rows[("RegFile", "outputs")]["reads"] == 56 and rows[("RegFile", "outputs")]["writes"] == 56
    assert rows[("MAC", None)]["energy_pj"] == 24.0


def test_evaluate_matches_the_command(cli, source_dir, tmp_path):
    mapping = os.path.join(source_dir, "examples", "mappings", "alexnet_conv3_rs.yaml")
    out = tmp_path / "eval.json"
    cli("evaluate", "--arch", "eyeriss", "--layer", "alexnet/conv3", "--batch", "16", "--mapping", mapping,
        "--json", str(out))
    want = json.loads(out.read_text())
    got = ds.evaluate("alexnet/conv3", "eyeriss", mapping=mapping, batch=16).to_dict()
    for key in ("energy_pj", "energy_breakdown_pj", "energy_by_tensor_pj", "accesses", "cycles", "utilization",
                "offchip_bytes", "mapping"):
        assert got[key] == want[key], key
    # The same mapping given as YAML text.
    with open(mapping) as f:
        text = f.read()
    assert ds.evaluate("alexnet/conv3", "eyeriss", mapping=text, batch=16).energy_pj == want["energy_pj"]


def test_optimize_matches_the_command(cli, tmp_path):
    out = tmp_path / "opt.json"
    cli("optimize", "--arch", "eyeriss", "--network", "alexnet", "--layer", "conv5", "--batch", "1",
        "--dataflow", "C|K", "--json", str(out))
    want = json.loads(out.read_text())
    got = ds.optimize("alexnet/conv5", "eyeriss", batch=1, dataflow="C|K")
    assert got.energy_pj == want["total"]["energy_pj"]
    assert got.cycles == want["total"]["cycles"]
    assert got.to_dict()["layers"][0]["mapping"] == want["layers"][0]["mapping"]
    assert got.to_dict()["metrics"] == want["metrics"]
    [row] = got.records()
    assert row["name"] == "conv5" and row["dataflow"] == "C|K" and row["energy_pj"] == want["total"]["energy_pj"]
    assert all(not isinstance(v, (dict, list)) for v in row.values())  # flat: one DataFrame row
    # to_dict is a copy: changing it leaves the result alone.
    d = got.to_dict()
    d["total"]["energy_pj"] = 0
    assert got.energy_pj == want["total"]["energy_pj"]


def test_dse_matches_the_command(cli, tmp_path):
    out = tmp_path / "dse.json"
    cli("dse", "--network", "alexnet", "--batch", "1", "--dataflow", "C|K", "--sweep", "rf=16,64", "--sweep",
        "gb=64K,128K", "--json", str(out))
    want = json.loads(out.read_text())
    # The network without --layer: every layer, as the command does.
    got = ds.dse("alexnet", "eyeriss", ["rf=16,64", "gb=64K,128K"], batch=1, dataflow="C|K")
    assert [p["label"] for p in got.points] == [p["label"] for p in want["points"]]
    assert [p["energy_pj"] for p in got.points] == [p["energy_pj"] for p in want["points"]]
    assert got.pareto == want["pareto"]
    records = got.records()
    assert len(records) == 4 and records[0]["label"] == "rf=16B gb=64KB"


def test_architecture_objects():
    a = ds.arch("eyeriss")
    assert a.level_names == ["DRAM", "GlobalBuffer", "RegFile"]
    d = a.to_dict()
    assert d["array"] == {"rows": 16, "cols": 16}
    assert [l["capacity_bytes"] for l in d["levels"]] == [0, 128 * 1024, 512]
    # A dict in the YAML format is the same architecture as its file.
    worked = ds.arch(WORKED_ARCH)
    assert worked.name == "example" and worked.level_names == ["DRAM", "Buffer", "RegFile"]


@pytest.mark.parametrize("call, args", [
    (lambda: ds.layer("alexnet/conv9"), ["evaluate", "--layer", "alexnet/conv9"]),
    (lambda: ds.arch("nosuch"), ["evaluate", "--arch", "nosuch"]),
    (lambda: ds.optimize("alexnet/conv5", objective="speed"), ["optimize", "--layer", "conv5", "--objective", "speed"]),
    (lambda: ds.optimize("alexnet/conv5", dataflow="C|Z"), ["optimize", "--layer", "conv5", "--dataflow", "C|Z"]),
    (lambda: ds.dse("alexnet", sweep=["foo=16"]), ["dse", "--sweep", "foo=16"]),
])
def test_errors_are_the_commands_lines(cli, call, args):
    with pytest.raises(ds.Error) as info:
        call()
    done = cli(*args, expect=2)
    line = done.stderr.strip().splitlines()[-1]
    assert line == "dnnspace: error: " + str(info.value)
    assert isinstance(info.value, ValueError)


def test_bad_python_arguments():
    with pytest.raises(ds.Error, match="give either mapping= or schedule="):
        ds.evaluate("alexnet/conv3")
    with pytest.raises(TypeError):
        ds.arch(42)
    with pytest.raises(ds.Error, match="--min-util"):
        ds.optimize("alexnet/conv5", min_utilization=1.5)


def test_searches_release_the_gil():
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.005)

    t = threading.Thread(target=tick)
    t.start()
    start = time.monotonic()
    result = ds.optimize("alexnet", batch=16, threads=1)
    end = time.monotonic()
    stop.set()
    t.join()
    assert result.complete
    during = [x for x in ticks if start < x < end]
    # The other thread ran throughout the search (a held GIL would stop it for its length).
    assert end - start > 0.2 and len(during) >= 10


def test_ctrl_c_interrupts_a_search(source_dir):
    script = ("import dnnspace as ds, sys\n"
              "print('start', flush=True)\n"
              "ds.optimize('vgg16', batch=16, replication=3, threads=1)\n"
              "print('finished', flush=True)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=os.environ.copy())
    assert proc.stdout.readline().strip() == "start"
    time.sleep(1.0)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 10
    assert "finished" not in out
    assert "KeyboardInterrupt" in err
    assert proc.returncode != 0


def test_networks_from_layers_are_checked():
    conv = ds.layer("alexnet/conv5")
    with pytest.raises(ds.Error, match="duplicate layer name 'conv5'"):
        ds.network([conv, conv])
    with pytest.raises(ds.Error, match="no layers"):
        ds.Network("empty", [])


def test_partial_networks_raise_unless_partial(cli, tmp_path):
    # lenet5 at batch 1: some layers cannot reach 75% utilization (the command exits 4).
    done = cli("optimize", "--network", "lenet5", "--threads", "1", expect=4)
    assert "have no mapping" in done.stderr
    with pytest.raises(ds.Error, match="have no mapping .*partial=True accepts partial results"):
        ds.optimize("lenet5", threads=1)
    partial = ds.optimize("lenet5", threads=1, partial=True)
    assert partial.complete is False and partial.unmapped


def test_argument_types_are_checked():
    for kwargs in ({"threads": 1.5}, {"threads": True}, {"min_utilization": True}, {"replication": "2"},
                   {"fuse": None}, {"batch": True}):
        with pytest.raises(TypeError):
            ds.optimize("alexnet/conv5", **kwargs)
    with pytest.raises(ds.Error, match="--threads: must be a whole number in 0..1024"):
        ds.optimize("alexnet/conv5", threads=2**40)
    with pytest.raises(ds.Error, match="batch: a Layer object has its N"):
        ds.optimize(ds.layer("alexnet/conv5"), batch=2)


def test_sources_and_names_are_the_commands(cli, source_dir, tmp_path):
    mapping = os.path.join(source_dir, "examples", "mappings", "alexnet_conv3_rs.yaml")
    out = tmp_path / "eval.json"
    cli("evaluate", "--layer", "alexnet/conv3", "--batch", "16", "--mapping", mapping, "--json", str(out))
    assert ds.evaluate("alexnet/conv3", "eyeriss", mapping=mapping, batch=16).sources == json.loads(out.read_text())["sources"]
    out = tmp_path / "opt.json"
    cli("optimize", "--network", "alexnet", "--layer", "conv5", "--batch", "1", "--json", str(out))
    assert ds.optimize("alexnet/conv5", batch=1).network == json.loads(out.read_text())["network"] == "alexnet"
    with pytest.raises(ds.Error, match="--layer 'conv9': network 'alexnet' has: conv1"):
        ds.optimize("alexnet/conv9")
    missing = str(tmp_path / "nope.yaml")
    with pytest.raises(ds.Error, match=f"{missing}: cannot open file"):
        ds.evaluate("alexnet/conv3", mapping=missing)
    with pytest.raises(ds.Error, match="is a directory"):
        ds.evaluate("alexnet/conv3", mapping=str(tmp_path) + "/")
