# The Python tests run against the build tree: PYTHONPATH has build/python (make test sets
# it), DNNSPACE_CLI names the built command the results are compared with.
import os
import subprocess
import sys

import pytest

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="session")
def cli():
    path = os.path.abspath(os.environ.get("DNNSPACE_CLI", os.path.join(SOURCE_DIR, "build", "dnnspace")))
    if not os.access(path, os.X_OK):
        pytest.fail(f"DNNSPACE_CLI: no built command at {path}")

    def run(*args, expect=0):
        done = subprocess.run([path, *args], capture_output=True, text=True, timeout=600)
        assert done.returncode == expect, done.stderr
        return done
    return run


@pytest.fixture(scope="session")
def source_dir():
    return SOURCE_DIR
