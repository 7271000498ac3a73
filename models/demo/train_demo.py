#!/usr/bin/env python3
"""Trains the bundled demo model: yolov9-t on the synthetic shapes dataset.

One command, run with the interpreter of .venv-export (Debian torch + PyPI
`yolo9`, the upstream YOLOv9 code):

    nice -n 10 .venv-export/bin/python models/demo/train_demo.py [--cache DIR]
        [--train-count N] [--epochs E] [--batch B] [--seed S] [--no-install]

1. generates the training set (seed 1) and a small validation set for the
   training loop's final validation (seed 2) under DIR (default
   ~/.cache/yolo-compiler/demo); the held-out evaluation set of
   eval_map.py uses seed 3,
2. trains yolov9-t (models/detect/yolov9-t.yaml with nc set, auxiliary branch
   included, as users train it) with upstream train_dual.py on the CPU at
   imgsz 320 from scratch, seeded,
3. exports the trained TRAINING model (auxiliary branch inside, not
   reparameterized) to ONNX at 1x3x320x320 the way upstream export.py does,
4. copies it with the class names and a held-out sample image to models/demo/,
   this script's folder (unless --no-install).

Upstream train_dual.py is run unchanged (its own main()); the only change,
made at run time, is the nominal batch size `nbs` (64 upstream: one optimizer
step per 64 images, via gradient accumulation), set to the batch size so a
CPU-sized run of a few thousand images makes a few hundred optimizer steps.
"""
import argparse
import contextlib
import functools
import hashlib
import importlib.util
import io
import json
import os
import pathlib
import shutil
import sys
import time
import types

HERE = pathlib.Path(__file__).resolve().parent  # models/demo
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
import make_dataset  # noqa: E402

TRAIN_SEED, VAL_SEED, HELDOUT_SEED = 1, 2, 3
IMGSZ = 320


def load_train_dual(nbs):
    """Upstream train_dual as a module, with `nbs = 64` replaced by nbs."""
    import yolo9
    src_path = pathlib.Path(yolo9.__file__).parent / "train_dual.py"
    src = src_path.read_text()
    needle = "    nbs = 64  # nominal batch size\n"
    if src.count(needle) != 1:
        sys.exit(f"train_demo: {src_path} has no unique '{needle.strip()}'; "
                 f"yolo9 changed, revisit the nbs patch")
    src = src.replace(needle, f"    nbs = {nbs}  # nominal batch size "
                              f"(train_demo.py: 64 upstream)\n")
    # Debian ships no tensorboard; upstream's loggers import its
    # SummaryWriter unconditionally. Stand in a module whose SummaryWriter
    # must never be built, and keep the loggers to the CSV one (results.csv).
    if importlib.util.find_spec("tensorboard") is None:
        tb = types.ModuleType("torch.utils.tensorboard")

        class SummaryWriter:
            def __init__(self, *a, **k):
                raise RuntimeError("train_demo: tensorboard is not installed")

        tb.SummaryWriter = SummaryWriter
        sys.modules["torch.utils.tensorboard"] = tb
    mod = types.ModuleType("train_dual")
    mod.__file__ = str(src_path)
    sys.modules["train_dual"] = mod
    exec(compile(src, str(src_path), "exec"), mod.__dict__)
    mod.Loggers = functools.partial(mod.Loggers, include=("csv",))
    return mod


def write_hyp(path, warmup_epochs):
    """hyp.scratch-high.yaml with the changes this dataset needs: no
    left-right flips (they would mirror the digits) and a shorter warm-up
    for a short run."""
    import yaml
    import yolo9
    src = pathlib.Path(yolo9.__file__).parent / "data" / "hyps" / \
        "hyp.scratch-high.yaml"
    hyp = yaml.safe_load(src.read_text())
    hyp["fliplr"] = 0.0
    hyp["warmup_epochs"] = warmup_epochs
    path.write_text(yaml.safe_dump(hyp, sort_keys=False))
    return hyp


def write_cfg(path, nc):
    import yaml
    import yolo9
    src = pathlib.Path(yolo9.__file__).parent / "models" / "detect" / \
        "yolov9-t.yaml"
    cfg = yaml.safe_load(src.read_text())
    cfg["nc"] = nc
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))


def train(args, cache):
    data_dir = cache / "data"
    train_dir, val_dir = data_dir / "train", data_dir / "val"
    t0 = time.time()
    make_dataset.ensure_dataset(train_dir, args.train_count, TRAIN_SEED)
    make_dataset.ensure_dataset(val_dir, args.val_count, VAL_SEED)
    nc = len(make_dataset.NAMES)
    names = "\n".join(f"  {i}: {n}" for i, n in enumerate(make_dataset.NAMES))
    data_yaml = cache / "shapes.yaml"
    data_yaml.write_text(f"path: {data_dir}\ntrain: train/images\n"
                         f"val: val/images\nnc: {nc}\nnames:\n{names}\n")
    print(f"train_demo: datasets ready in {time.time() - t0:.0f} s", flush=True)

    cfg, hyp = cache / "yolov9-t-shapes.yaml", cache / "hyp.yaml"
    write_cfg(cfg, nc)
    write_hyp(hyp, args.warmup_epochs)

    import torch
    torch.set_num_threads(args.threads)
    td = load_train_dual(args.batch)
    opt = td.parse_opt(known=True)
    opt.cfg, opt.data, opt.hyp, opt.weights = str(cfg), str(data_yaml), \
        str(hyp), ""
    opt.epochs, opt.batch_size, opt.imgsz = args.epochs, args.batch, IMGSZ
    opt.device, opt.workers, opt.seed = "cpu", args.workers, args.seed
    opt.project, opt.name, opt.exist_ok = str(cache / "runs"), args.name, True
    opt.noval, opt.noplots = True, True  # validate the final epoch only
    opt.close_mosaic = args.close_mosaic
    t0 = time.time()
    td.main(opt)
    wall = time.time() - t0
    run = cache / "runs" / args.name
    (run / "train_wall_s.txt").write_text(f"{wall:.0f}\n")
    print(f"train_demo: training took {wall / 60:.1f} min -> {run}",
          flush=True)
    return run


def export_onnx(ckpt_path, onnx_path):
    """As upstream export.py for ONNX: float32 model, eval, export mode
    for the detect heads, two dry runs, opset 12, constant folding; the
    model is NOT fused or reparameterized (the training model)."""
    import onnx
    import torch
    from yolo9.models.yolo import DDetect, DualDDetect

    ckpt = torch.load(ckpt_path, map_location="cpu")
    model = (ckpt.get("ema") or ckpt["model"]).float().eval()
    for m in model.modules():
        if isinstance(m, (DDetect, DualDDetect)):
            m.inplace, m.dynamic, m.export = True, False, True
    im = torch.zeros(1, 3, IMGSZ, IMGSZ)
    with torch.no_grad():
        for _ in range(2):
            model(im)
    tmp = onnx_path.with_suffix(".tmp")
    with contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        torch.onnx.export(model, im, str(tmp), verbose=False, opset_version=12,
                          do_constant_folding=True, input_names=["images"],
                          output_names=["output0"])
    proto = onnx.load(str(tmp))
    onnx.checker.check_model(proto)
    size = tmp.stat().st_size
    if size > 16 * 1024 * 1024:
        sys.path.insert(0, str(REPO / "scripts"))
        import export_fixtures
        proto = export_fixtures.to_fp16(proto)
    names = dict(enumerate(make_dataset.NAMES))
    for k, v in (("stride", str(int(max(model.stride)))),
                 ("names", json.dumps(names))):
        meta = proto.metadata_props.add()
        meta.key, meta.value = k, v
    onnx.save(proto, str(tmp))
    os.replace(tmp, onnx_path)
    return [o.name for o in proto.graph.output]


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def pick_sample(cache, dest):
    """A non-square held-out image with several objects, JPEG <= ~60 KB."""
    from PIL import Image
    d = cache / "data" / "heldout"
    make_dataset.ensure_dataset(d, 200, HELDOUT_SEED)
    best = None
    for lab in sorted((d / "labels").glob("*.txt")):
        n = len(lab.read_text().splitlines())
        img = Image.open(d / "images" / (lab.stem + ".jpg"))
        w, h = img.size
        if w != h and abs(w / h - 4 / 3) < 0.15 and n >= 5:
            best = img
            break
    if best is None:
        sys.exit("train_demo: no suitable sample image in the held-out set")
    for q in (85, 80, 75, 70, 60):
        best.save(dest, quality=q)
        if dest.stat().st_size <= 60 * 1024:
            break


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default=str(pathlib.Path.home() / ".cache" /
                                           "yolo-compiler" / "demo"))
    ap.add_argument("--train-count", type=int, default=1000)
    ap.add_argument("--val-count", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--warmup-epochs", type=float, default=1.0)
    ap.add_argument("--close-mosaic", type=int, default=0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--name", default="shapes")
    ap.add_argument("--export-only", action="store_true",
                    help="skip training; export the existing run's weights")
    ap.add_argument("--no-install", action="store_true",
                    help="do not copy the results into models/demo")
    args = ap.parse_args()

    cache = pathlib.Path(args.cache).expanduser().resolve()
    cache.mkdir(parents=True, exist_ok=True)
    run = cache / "runs" / args.name if args.export_only else \
        train(args, cache)
    ckpt = run / "weights" / "last.pt"
    if not ckpt.exists():
        sys.exit(f"train_demo: no checkpoint {ckpt}")
    onnx_path = run / "weights" / "yolov9-t-shapes.onnx"
    outputs = export_onnx(ckpt, onnx_path)
    print(f"train_demo: exported {onnx_path} ({onnx_path.stat().st_size} "
          f"bytes, outputs {outputs})", flush=True)
    if args.no_install:
        return
    dest = HERE
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(onnx_path, dest / "yolov9-t-shapes.onnx")
    (dest / "shapes.names").write_text(
        "".join(n + "\n" for n in make_dataset.NAMES))
    pick_sample(cache, dest / "sample.jpg")
    print(f"train_demo: installed into {dest}: yolov9-t-shapes.onnx "
          f"sha256 {sha256(dest / 'yolov9-t-shapes.onnx')}")


if __name__ == "__main__":
    main()
