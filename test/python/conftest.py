"""Fixtures for the tests of the Python module `yolo-codegen --emit=python`
builds (runtime/python/yolo_module.c).

The session fixture `built` compiles the bundled demo detector twice into a
temporary directory: once as the Python module `shapes` (--emit=python, for
the interpreter running the tests), once with the C runner and detector
(--emit-runner --emit-detector) that the tests compare the module against.

Environment:
  YOLO_TOOLS_DIR  the directory holding yolo-codegen (default:
                  <repo>/build/bin).
"""

import importlib.util
import os
import subprocess
import sys
import sysconfig
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = Path(os.environ.get("YOLO_TOOLS_DIR", REPO / "build" / "bin"))
MODEL = REPO / "models" / "demo" / "yolov9-t-shapes.onnx"
SAMPLE = REPO / "models" / "demo" / "sample.jpg"
NAME = "shapes"


def _run(argv):
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, argv))} failed ({proc.returncode}):\n"
            f"{proc.stdout}{proc.stderr}"
        )
    return proc


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The module `shapes` and the C programs of the same model."""
    base = tmp_path_factory.mktemp("yolo-python")
    mod_dir, c_dir = base / "module", base / "programs"
    _run(
        [
            TOOLS / "yolo-codegen",
            MODEL,
            "-o",
            mod_dir,
            "--name",
            NAME,
            "--emit=python",
            "--python=" + sys.executable,
            "--quiet",
        ]
    )
    _run(
        [
            TOOLS / "yolo-codegen",
            MODEL,
            "-o",
            c_dir,
            "--name",
            NAME,
            "--emit-runner",
            "--emit-detector",
            "--quiet",
        ]
    )
    so = mod_dir / (NAME + sysconfig.get_config_var("EXT_SUFFIX"))
    assert so.is_file(), f"no {so.name} in {sorted(os.listdir(mod_dir))}"
    spec = importlib.util.spec_from_file_location(NAME, so)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.setdefault(NAME, module)
    return types.SimpleNamespace(
        module=module,
        dir=base,
        runner=c_dir / f"{NAME}-run",
        detector=c_dir / f"{NAME}-detect",
    )


@pytest.fixture(scope="session")
def shapes(built):
    return built.module


@pytest.fixture(scope="session")
def model(shapes):
    """One shared single-threaded Model."""
    return shapes.Model()
