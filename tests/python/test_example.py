# The notebook-style example of examples/python runs as it is, and prints what it says.
import os
import runpy


def test_example_runs(source_dir, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runpy.run_path(os.path.join(source_dir, "examples", "python", "explore_alexnet.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "conv3" in out and "pJ/MAC" in out
    assert "best register file" in out
