"""What the test scripts share: running the compiler's tools, onnxruntime
reference sessions, and the one rule (and report wording) by which an
output is compared with its reference.

Used by check_codegen.py, check_codegen_outputs.py, check_numerics.py,
check_onnx.py, check_stats.py, optimize_report.py and gpu/compare.py.
Needs numpy only: onnxruntime is imported when a session is made, so
gpu/compare.py runs in a bundle on a machine that has numpy alone
(scripts/gpu_check.sh copies this file there).
"""
import contextlib
import pathlib
import shutil
import subprocess
import sys
import tempfile

import numpy as np

# The compiler's tools in the default build tree.
DEFAULT_TOOLS = pathlib.Path(__file__).resolve().parent.parent / "build" / "bin"


def add_tools_argument(parser):
    """The --tools option: the folder holding yolo-translate, yolo-opt and
    yolo-codegen."""
    parser.add_argument("--tools", default=str(DEFAULT_TOOLS))


@contextlib.contextmanager
def work_dir(path, prefix):
    """The folder a check writes its files to: `path` when given (created,
    and kept), else a new temporary one named `prefix`*, removed when the
    check passes (the block ends, or exits with status 0) and kept, with a
    line naming it, when it fails (exits with another status, or raises)."""
    if path:
        work = pathlib.Path(path)
        work.mkdir(parents=True, exist_ok=True)
        yield work
        return
    work = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    passed = False
    try:
        yield work
        passed = True
    except SystemExit as e:
        passed = e.code is None or e.code == 0
        raise
    finally:
        if passed:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept the files of the failed check in {work}",
                  file=sys.stderr)


def run_tool(cmd, stdin=None):
    """Runs `cmd` (feeding it the bytes `stdin`) and returns its stdout as
    bytes; exits the script with the command line and its stderr when it
    fails."""
    p = subprocess.run([str(c) for c in cmd], input=stdin, capture_output=True)
    if p.returncode != 0:
        sys.exit(f"FAILED: {' '.join(map(str, cmd))}\n"
                 f"{p.stderr.decode(errors='replace')}")
    return p.stdout


def model_stats(tools, model, optimize=False, input_shape=None):
    """`yolo-opt --yolo-print-stats=json` of MODEL.onnx as imported by
    yolo-translate (with --input-shape), after --yolo-optimize if asked."""
    tools = pathlib.Path(tools)
    cmd = [tools / "yolo-translate", "--import-onnx", model]
    if input_shape:
        cmd.append(f"--input-shape={input_shape}")
    ir = run_tool(cmd)
    if optimize:
        ir = run_tool([tools / "yolo-opt", "-", "--yolo-optimize"], ir)
    import json
    return json.loads(run_tool([tools / "yolo-opt", "-",
                                "--yolo-print-stats=json", "-o", "/dev/null"],
                               ir))


def ort_session(path, threads=None, as_written=True):
    """An onnxruntime CPU session of the model at `path`. `threads`: intra-op
    threads (None: onnxruntime's default). `as_written`: graph optimizations
    off, so the model runs as written (reference semantics, not
    onnxruntime's own rewrites); False keeps onnxruntime's default level."""
    import onnxruntime as ort
    opts = ort.SessionOptions()
    if threads:
        opts.intra_op_num_threads = threads
    if as_written:
        opts.graph_optimization_level = \
            ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(str(path), opts,
                                providers=["CPUExecutionProvider"])


def mark(ok):
    """The first word of a check's line: "OK  " or "FAIL"."""
    return "OK  " if ok else "FAIL"


class Comparison:
    """An output against its reference, elementwise: an element is outside
    the tolerance when |got - ref| > atol + rtol * |ref| (numpy.isclose's
    rule, with the reference on the right), or when either is NaN.

    The arithmetic is in the inputs' own types: pass `got` as float64 to
    compare in double precision. The shapes must agree (the callers report
    a mismatch in their own words)."""

    def __init__(self, got, ref, atol, rtol):
        self.atol, self.rtol = atol, rtol
        err = np.abs(got - ref)
        # `not <=`, so that a NaN anywhere is outside the tolerance.
        bad = ~(err <= atol + rtol * np.abs(ref))
        rel = err / np.maximum(np.abs(ref), 1e-6)
        self.max_abs = float(err.max()) if err.size else 0.0
        self.max_rel = float(rel.max()) if err.size else 0.0
        self.outside = int(bad.sum())
        self.ok = self.outside == 0

    def summary(self):
        """The errors and the count outside the tolerance, as every check
        line reports them."""
        return (f"max abs err {self.max_abs:.3g}, max rel err "
                f"{self.max_rel:.3g}, {self.outside} elements outside "
                f"atol={self.atol:g} rtol={self.rtol:g}")
