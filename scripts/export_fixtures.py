#!/usr/bin/env python3
"""Exports the test models from the real YOLOv9 code, cached outside git.

The models come from the upstream implementation packaged on PyPI as `yolo9`
(model code unchanged), built from its yamls with seeded random weights and
non-trivial BatchNorm statistics (so BN folding is really exercised), and
exported the way upstream export.py does it. Run it with the interpreter of
.venv-export (Debian's python3-torch + yolo9), which scripts/setup.sh makes;
it runs itself in .venv-ultralytics for the Ultralytics fixtures below.

    export_fixtures.py [--out DIR] [--set test|all] [--only NAME ...]
                       [--list] [--force]

DIR defaults to $YOLO_FIXTURE_DIR or ~/.cache/yolo-compiler/fixtures. A
fixture whose file exists and whose recipe in DIR/manifest.json is unchanged
is skipped. Names: <variant>-<flavour>[-op<N>][-dyn][-fp16]-<imgsz>.onnx.
Flavours: fused (export.py's default: model.fuse() first), unfused (RepConvN
kept as 3x3 + 1x1 + Add; the exporter still folds BN), bn (BatchNormalization
nodes kept: torch.onnx.TrainingMode.PRESERVE without constant folding).

A second family, named ul-<model>[-nms][-op<N>][-nosimp][-dyn]-<imgsz>.onnx,
comes from Ultralytics (PyPI `ultralytics` and the onnx/onnxslim it exports
with, pinned in scripts/setup.sh): built from its yamls (yolov9t.yaml,
yolov9c-seg.yaml, yolov8n.yaml, yolo11n.yaml) with seeded weights and
BatchNorm statistics measured on seeded random images (see
randomize_ultralytics), and exported by Ultralytics' own exporter
(YOLO.export(format="onnx"): BN fused, onnxslim unless -nosimp, its metadata
names/stride/imgsz/task/... in the file), offline, with its settings in a
temporary directory. Only the metadata's export date is replaced by a fixed
one, so that every export of a recipe is the same file (on one machine: the
statistics come from torch's CPU kernels, whose last bits may differ on
another CPU).
"""
import argparse
import contextlib
import io
import json
import os
import pathlib
import sys
import time

SEED = 0
VARIANTS = ["yolov9-t", "yolov9-s", "yolov9-m", "yolov9-c", "yolov9-e",
            "yolov9-cf", "gelan-t", "gelan-s", "gelan-m", "gelan-c",
            "gelan-e"]


def recipe(variant, flavour, imgsz=320, opset=12, dynamic=False, fp16=False):
    name = f"{variant}-{flavour}"
    if opset != 12:
        name += f"-op{opset}"
    if dynamic:
        name += "-dyn"
    if fp16:
        name += "-fp16"
    name += f"-{imgsz}"
    return {"name": name, "variant": variant, "flavour": flavour,
            "imgsz": imgsz, "opset": opset, "dynamic": dynamic,
            "dtype": "float16" if fp16 else "float32", "seed": SEED}


def _dist_version(dist):
    from importlib import metadata
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def ul_recipe(model, imgsz=320, opset=None, dynamic=False, simplify=True,
              nms=False):
    """An Ultralytics export: YOLO(f"{model}.yaml").export(format="onnx",
    imgsz=imgsz, opset=opset, dynamic=dynamic, simplify=simplify, nms=nms);
    opset None is Ultralytics' default (17 with torch 1.13)."""
    name = f"ul-{model}"
    if nms:
        name += "-nms"
    if opset is not None:
        name += f"-op{opset}"
    if not simplify:
        name += "-nosimp"
    if dynamic:
        name += "-dyn"
    name += f"-{imgsz}"
    return {"name": name, "family": "ultralytics", "model": model,
            "imgsz": imgsz, "opset": opset, "dynamic": dynamic,
            "simplify": simplify, "nms": nms, "seed": SEED,
            "bn": "calibrated+0.01",
            # A new pin in scripts/setup.sh makes new files.
            "ultralytics": _dist_version("ultralytics"),
            "onnxslim": _dist_version("onnxslim") if simplify else None}


def ultralytics_set():
    return [ul_recipe("yolov9t"), ul_recipe("yolov9t", opset=12,
                                            simplify=False),
            ul_recipe("yolov9t", dynamic=True), ul_recipe("yolov9t", nms=True),
            ul_recipe("yolov8n"), ul_recipe("yolo11n"),
            ul_recipe("yolov9c-seg")]


def fixture_set(which):
    out = [recipe(v, "fused", 640) for v in VARIANTS]
    for v in ["yolov9-t", "yolov9-s", "gelan-t"]:
        out += [recipe(v, "fused"), recipe(v, "unfused"), recipe(v, "bn")]
    out += [recipe("gelan-s", "fused")]
    out += [recipe("gelan-t", "fused", opset=o) for o in range(13, 20)]
    out += [recipe("gelan-t", "fused", dynamic=True),
            recipe("yolov9-t", "fused", dynamic=True),
            recipe("gelan-t", "fused", fp16=True)]
    out += ultralytics_set()
    if which == "all":
        # The code generation matrix (scripts/codegen_matrix.sh).
        out += [recipe(v, "fused") for v in ["gelan-c", "yolov9-c"]]
        for v in VARIANTS:
            out += [recipe(v, "unfused", 640), recipe(v, "bn", 640)]
    seen, unique = set(), []
    for r in out:
        if r["name"] not in seen:
            seen.add(r["name"])
            unique.append(r)
    return unique


def build_model(variant, seed):
    import logging

    import torch
    import yolo9
    from yolo9.models.yolo import Model
    from yolo9.utils.general import LOGGER

    LOGGER.setLevel(logging.WARNING)  # model summaries would drown progress

    torch.manual_seed(seed)
    cfg = pathlib.Path(yolo9.__file__).parent / "models" / "detect" / \
        f"{variant}.yaml"
    if not cfg.exists():
        sys.exit(f"export_fixtures: no model yaml {cfg}")
    with contextlib.redirect_stdout(io.StringIO()):
        model = Model(str(cfg), ch=3, nc=80)
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                n = m.num_features
                m.running_mean.copy_(torch.rand(n, generator=g) * 0.4 - 0.2)
                m.running_var.copy_(torch.rand(n, generator=g) + 0.5)
                m.weight.copy_(torch.rand(n, generator=g) + 0.5)
                m.bias.copy_(torch.rand(n, generator=g) * 0.4 - 0.2)
    return model.eval()


def to_fp16(model_proto):
    """What export.py --half yields (on a GPU; torch 1.13 cannot run half
    convolutions on the CPU to trace them): every float tensor in fp16,
    except Resize's roi/scales, which ONNX defines as float32."""
    import numpy as np
    import onnx
    from onnx import TensorProto, numpy_helper

    g = model_proto.graph
    keep32 = set()
    for n in g.node:
        if n.op_type == "Resize":
            keep32.update(n.input[1:3])

    def convert(t):
        if t.data_type == TensorProto.FLOAT and t.name not in keep32:
            a = numpy_helper.to_array(t).astype(np.float16)
            t.CopyFrom(numpy_helper.from_array(a, t.name))

    for t in g.initializer:
        convert(t)
    for n in g.node:
        if n.op_type == "Constant" and n.output[0] not in keep32:
            for a in n.attribute:
                if a.name == "value":
                    convert(a.t)
        if n.op_type == "Cast":
            for a in n.attribute:
                if a.name == "to" and a.i == TensorProto.FLOAT:
                    a.i = TensorProto.FLOAT16
    for vi in list(g.input) + list(g.output) + list(g.value_info):
        if vi.type.tensor_type.elem_type == TensorProto.FLOAT:
            vi.type.tensor_type.elem_type = TensorProto.FLOAT16
    onnx.checker.check_model(model_proto)
    return model_proto


def upgrade_opset(path, opset):
    import subprocess
    venv_python = pathlib.Path(__file__).resolve().parent.parent / ".venv" / \
        "bin" / "python"
    code = ("import onnx, onnx.version_converter as v, sys; "
            "m = v.convert_version(onnx.load(sys.argv[1]), int(sys.argv[2])); "
            "onnx.checker.check_model(m, full_check=True); "
            "onnx.save(m, sys.argv[1])")
    subprocess.run([str(venv_python), "-c", code, str(path), str(opset)],
                   check=True)


def export(r, path):
    import onnx
    import torch
    from yolo9.models.yolo import DDetect, DualDDetect

    torch.set_num_threads(2)
    model = build_model(r["variant"], r["seed"])
    if r["flavour"] == "fused":
        with contextlib.redirect_stdout(io.StringIO()):
            model = model.fuse()
    model.eval()
    # As export.py: export mode for the detect heads. TripleDDetect is not in
    # export.py's list, which is why yolov9-cf exports one output.
    for m in model.modules():
        if isinstance(m, (DDetect, DualDDetect)):
            m.inplace = True
            m.dynamic = r["dynamic"]
            m.export = True
    im = torch.zeros(1, 3, r["imgsz"], r["imgsz"])
    with torch.no_grad():
        for _ in range(2):
            model(im)
    kwargs = {}
    if r["flavour"] == "bn":
        kwargs = {"training": torch.onnx.TrainingMode.PRESERVE,
                  "do_constant_folding": False}
    else:
        kwargs = {"do_constant_folding": True}
    dynamic = None
    if r["dynamic"]:
        dynamic = {"images": {0: "batch", 2: "height", 3: "width"},
                   "output0": {0: "batch", 1: "anchors"}}
    tmp = path.with_suffix(".tmp")
    # torch 1.13 exports up to opset 17; newer opsets are made from that
    # export by onnx's version converter (in the project .venv's newer onnx).
    export_opset = min(r["opset"], 17)
    with contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        torch.onnx.export(model, im, str(tmp), verbose=False,
                          opset_version=export_opset, input_names=["images"],
                          output_names=["output0"], dynamic_axes=dynamic,
                          **kwargs)
    if r["opset"] != export_opset:
        upgrade_opset(tmp, r["opset"])
    proto = onnx.load(str(tmp))
    if r["opset"] == export_opset:
        onnx.checker.check_model(proto)
    if r["dtype"] == "float16":
        proto = to_fp16(proto)
    meta = proto.metadata_props.add()
    meta.key, meta.value = "stride", str(int(max(model.stride)))
    onnx.save(proto, str(tmp))
    os.replace(tmp, path)

    outputs = [o.name for o in proto.graph.output]
    ops = {}
    for n in proto.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    # DualDDetect returns [aux, main] (models/yolo.py: y = [cat(dbox, cls),
    # cat(dbox2, cls2)], the second from cv4/cv5 on the main neck). The
    # other heads return the main output first; TripleDDetect, left out of
    # export mode, adds the raw per-level maps of the main head after it.
    dual = any(isinstance(m, DualDDetect) for m in model.modules())
    main = outputs[1] if dual else outputs[0]
    aux = outputs[:1] if dual else []
    return {"outputs": outputs, "main_output": main, "aux_outputs": aux,
            "conv": ops.get("Conv", 0),
            "batch_norm": ops.get("BatchNormalization", 0),
            "op_types": dict(sorted(ops.items())),
            "bytes": path.stat().st_size}


def randomize_ultralytics(model, seed, imgsz):
    """Seeded BatchNorm affine parameters and head biases, then BatchNorm
    statistics measured on seeded random images (one training-mode pass,
    cumulative averages; variances + 0.01), so that every layer's
    activations stay of order 1 and the outputs depend on the input: with
    the initial or random statistics, random weights shrink the signal
    layer by layer until the outputs are nearly constants (and the class
    scores ~1e-5, from the head's bias prior), which no numerical check
    could tell from wrong."""
    import torch

    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(torch.rand(n, generator=g) + 0.5)
                m.bias.copy_(torch.rand(n, generator=g) * 0.4 - 0.2)
                m.reset_running_stats()
                m.momentum = None
            elif isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d)) \
                    and m.bias is not None:
                m.bias.copy_(torch.rand(m.bias.shape, generator=g) * 2 - 1)
        model.train()
        model(torch.rand(2, 3, imgsz, imgsz, generator=g))
        model.eval()
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.momentum = 0.03  # Ultralytics' (initialize_weights)
                # A floor: a channel of near-zero variance would otherwise
                # gain up to 1/sqrt(eps), and layer after layer float32
                # rounding would grow until two correct implementations
                # differ by 1e-3 of the output (measured against float64:
                # without it boxes 0.55 and scores 1.5e-3 off; with it 1e-4
                # and 3e-7, while two random inputs still move them by 0.45
                # and 0.01 on average).
                m.running_var.add_(0.01)


# The metadata's export date (datetime.now()) is the one thing that would
# differ between two exports of a recipe.
FIXED_DATE = "2025-01-01T00:00:00+00:00"


def export_ultralytics(r, path):
    import atexit
    import shutil
    import tempfile

    # Offline, no automatic pip installs, settings in a temporary directory
    # (read when ultralytics is first imported; removed at exit, after
    # ultralytics' own exit handlers, registered later, have run).
    if "YOLO_FIXTURE_CONFIG_DIR" not in os.environ:
        cfg_dir = tempfile.mkdtemp(prefix="yolo-ultralytics-")
        atexit.register(shutil.rmtree, cfg_dir, True)
        os.environ.update({"YOLO_OFFLINE": "1", "YOLO_AUTOINSTALL": "0",
                           "YOLO_CONFIG_DIR": cfg_dir, "YOLO_VERBOSE": "0",
                           "YOLO_FIXTURE_CONFIG_DIR": cfg_dir})
    import onnx  # before torch: Debian's torch breaks a later pip onnx import
    import torch
    try:
        from ultralytics import YOLO
        from ultralytics.utils import SETTINGS
    except ImportError as e:
        sys.exit(f"export_fixtures: {r['name']}: cannot import ultralytics "
                 f"({e}); run scripts/setup.sh")
    if _dist_version("ultralytics") != r["ultralytics"]:
        sys.exit(f"export_fixtures: {r['name']}: recipe made for ultralytics "
                 f"{r['ultralytics']}, {_dist_version('ultralytics')} "
                 f"installed")
    SETTINGS.update({"sync": False})

    torch.set_num_threads(2)
    work = pathlib.Path(tempfile.mkdtemp(prefix=".ul-", dir=path.parent))
    try:
        with contextlib.chdir(work), \
                contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            torch.manual_seed(r["seed"])
            yolo = YOLO(f"{r['model']}.yaml")
            randomize_ultralytics(yolo.model, r["seed"], r["imgsz"])
            kwargs = {"opset": r["opset"]} if r["opset"] is not None else {}
            f = yolo.export(format="onnx", imgsz=r["imgsz"], batch=1,
                            device="cpu", dynamic=r["dynamic"],
                            simplify=r["simplify"], nms=r["nms"], **kwargs)
        proto = onnx.load(str(work / f))
        meta = {p.key: p.value for p in proto.metadata_props}
        for p in proto.metadata_props:
            if p.key == "date":
                p.value = FIXED_DATE
        onnx.checker.check_model(proto)
        tmp = path.with_suffix(".tmp")
        onnx.save(proto, str(tmp))
        os.replace(tmp, path)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    ops = {}
    for n in proto.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    outputs = [o.name for o in proto.graph.output]
    opset = next(o.version for o in proto.opset_import if o.domain in
                 ("", "ai.onnx"))
    # Ultralytics writes output0 (boxes, classes[, mask coefficients]) and,
    # for segmentation, output1 (the mask prototypes).
    return {"outputs": outputs, "main_output": outputs[0], "aux_outputs": [],
            "opset": opset, "task": meta.get("task"),
            "metadata": {k: v for k, v in meta.items() if k != "date"},
            "conv": ops.get("Conv", 0),
            "batch_norm": ops.get("BatchNormalization", 0),
            "op_types": dict(sorted(ops.items())),
            "bytes": path.stat().st_size}


# Each family's model code (a distribution) and the venv scripts/setup.sh
# installs it in.
FAMILIES = {"yolov9": ("yolo9", ".venv-export"),
            "ultralytics": ("ultralytics", ".venv-ultralytics")}


def delegate(recipes, out, force):
    """Exports the recipes of families whose model code this interpreter
    lacks by running this script in their venv (which skips those already
    exported, as here); returns the others."""
    import subprocess

    root = pathlib.Path(__file__).resolve().parent.parent
    here = []
    for family, (dist, venv) in FAMILIES.items():
        mine = [r for r in recipes if r.get("family", "yolov9") == family]
        if not mine or _dist_version(dist) is not None:
            here += mine
            continue
        python = root / venv / "bin" / "python"
        if not python.exists():
            sys.exit(f"export_fixtures: the {family} fixtures are exported "
                     f"with {python}, which does not exist; run "
                     f"scripts/setup.sh")
        cmd = [str(python), str(pathlib.Path(__file__).resolve()), "--out",
               str(out), "--only", *[r["name"] for r in mine]]
        if subprocess.run(cmd + (["--force"] if force else [])).returncode:
            sys.exit(f"export_fixtures: exporting the {family} fixtures "
                     f"with {python} failed")
    return [r for r in recipes if r in here]


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        # onnxslim's result can depend on the order of sets of strings
        # (e.g. dynamic exports): fix the hash seed, so that every export of
        # a recipe is the same file.
        os.execve(sys.executable, [sys.executable, *sys.argv],
                  {**os.environ, "PYTHONHASHSEED": "0"})
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.environ.get(
        "YOLO_FIXTURE_DIR",
        str(pathlib.Path.home() / ".cache" / "yolo-compiler" / "fixtures")))
    ap.add_argument("--set", choices=["test", "all"], default="test")
    ap.add_argument("--only", nargs="*", default=None,
                    help="fixture names (without .onnx) to export")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()

    recipes = fixture_set("all" if args.only else args.set)
    if args.only:
        by_name = {r["name"]: r for r in recipes}
        missing = [n for n in args.only if n not in by_name]
        if missing:
            sys.exit(f"export_fixtures: unknown fixture(s) {missing}; "
                     f"--list shows the names")
        recipes = [by_name[n] for n in args.only]
    if args.list:
        for r in recipes:
            print(r["name"])
        return

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    recipes = delegate(recipes, out, args.force)
    manifest_path = out / "manifest.json"
    manifest = {}
    if manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text())
        except json.JSONDecodeError:
            manifest = {}
    t_all = time.time()
    made = 0
    for r in recipes:
        path = out / f"{r['name']}.onnx"
        entry = manifest.get(r["name"], {})
        if not args.force and path.exists() and \
                entry.get("recipe") == r:
            continue
        t0 = time.time()
        family = r.get("family", "yolov9")
        info = (export_ultralytics if family == "ultralytics" else export)(
            r, path)
        manifest[r["name"]] = {"file": path.name, "recipe": r, **info}
        manifest_path.write_text(json.dumps(manifest, indent=1,
                                            sort_keys=True))
        made += 1
        print(f"export_fixtures: {r['name']}: {time.time() - t0:.1f} s, "
              f"{info['bytes'] / 1e6:.1f} MB, {info['conv']} Conv, "
              f"{info['batch_norm']} BatchNormalization, outputs "
              f"{info['outputs']}", flush=True)
    print(f"export_fixtures: {made} exported, {len(recipes) - made} cached "
          f"in {out} ({time.time() - t_all:.0f} s)")


if __name__ == "__main__":
    main()
