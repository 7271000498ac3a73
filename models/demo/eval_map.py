#!/usr/bin/env python3
"""mAP of the demo model on the held-out synthetic set, for every source.

Run with .venv-export/bin/python (torch + the upstream yolo9 code):

    eval_map.py [--ckpt last.pt] [--detections DET.json ...]
                [--data DIR] [--count 200] [--max-drop 0.5]
                [--write-json OUT.json]

Sources, all scored by the same code (upstream YOLOv9's ap_per_class and
its IoU matching, thresholds 0.5:0.95):
  - `--ckpt`: the PyTorch model (the EMA weights of a train_dual.py
    checkpoint), run in torch on the letterboxed images (upstream letterbox,
    auto=False), upstream non_max_suppression (conf 0.001, IoU 0.7, at most
    300 boxes) on the main head's output, boxes scaled back with
    upstream scale_boxes. `--write-json` also writes these detections in
    the format of NAME-detect --json.
  - `--detections FILE.json`: what `NAME-detect --json` wrote, run with the
    same thresholds: `NAME-detect IMAGES... --conf 0.001 --iou 0.7 --json F`.
The held-out set (seed 3, make_dataset.py) is generated into
--data if missing. Prints a table; exits 1 if a --detections source's
mAP@0.5 is more than --max-drop points below the PyTorch model's.
"""
import argparse
import json
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_dataset  # noqa: E402

HELDOUT_SEED = 3
IMGSZ = 320


def load_labels(data):
    """{image path: (classes[n], boxes[n, 4] xyxy pixels)}."""
    from PIL import Image
    out = {}
    for img in sorted((data / "images").glob("*")):
        w, h = Image.open(img).size
        lab = data / "labels" / (img.stem + ".txt")
        rows = [list(map(float, l.split()))
                for l in lab.read_text().splitlines() if l.strip()] \
            if lab.exists() else []
        a = np.array(rows, dtype=np.float64).reshape(-1, 5)
        boxes = np.stack([(a[:, 1] - a[:, 3] / 2) * w,
                          (a[:, 2] - a[:, 4] / 2) * h,
                          (a[:, 1] + a[:, 3] / 2) * w,
                          (a[:, 2] + a[:, 4] / 2) * h], 1)
        out[str(img.resolve())] = (a[:, 0].astype(int), boxes)
    return out


def torch_detections(ckpt_path, images):
    import cv2
    import torch
    from yolo9.utils.augmentations import letterbox
    from yolo9.utils.general import non_max_suppression, scale_boxes
    torch.set_num_threads(2)
    ckpt = torch.load(ckpt_path, map_location="cpu")
    model = (ckpt.get("ema") or ckpt["model"]).float().eval()
    dets = {}
    for path in images:
        im0 = cv2.imread(path)
        im = letterbox(im0, IMGSZ, auto=False)[0]
        im = np.ascontiguousarray(im.transpose(2, 0, 1)[::-1])
        x = torch.from_numpy(im).float()[None] / 255
        with torch.no_grad():
            pred = model(x)
        # Dual-head models: (inference outputs [aux, main], train outputs).
        pred = pred[0][1] if isinstance(pred, (list, tuple)) and \
            isinstance(pred[0], (list, tuple)) else pred[0]
        d = non_max_suppression(pred, 0.001, 0.7, max_det=300)[0]
        d[:, :4] = scale_boxes(x.shape[2:], d[:, :4], im0.shape).round()
        d = d.numpy()
        dets[path] = (d[:, 5].astype(int), d[:, 4], d[:, :4])
    return dets


def json_detections(path):
    doc = json.loads(pathlib.Path(path).read_text())
    dets = {}
    for im in doc["images"]:
        ds = im["detections"]
        dets[str(pathlib.Path(im["file"]).resolve())] = (
            np.array([d["class_id"] for d in ds], dtype=int),
            np.array([d["score"] for d in ds], dtype=np.float64),
            np.array([d["box"] for d in ds], dtype=np.float64).reshape(-1, 4))
    return dets


def box_iou(a, b):
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(rb - lt, 0, None), 2)
    area = lambda x: np.prod(x[:, 2:] - x[:, :2], 1)  # noqa: E731
    return inter / (area(a)[:, None] + area(b)[None] - inter + 1e-9)


def score(labels, dets):
    """mAP@0.5 and mAP@0.5:0.95 with upstream's matching and AP code."""
    from yolo9.utils.metrics import ap_per_class
    iouv = np.linspace(0.5, 0.95, 10)
    stats = []
    for path, (tcls, tbox) in labels.items():
        pcls, conf, pbox = dets.get(path, (np.zeros(0, int), np.zeros(0),
                                           np.zeros((0, 4))))
        correct = np.zeros((len(pcls), len(iouv)), dtype=bool)
        if len(pcls) and len(tcls):
            iou = box_iou(tbox, pbox)
            same = tcls[:, None] == pcls[None, :]
            for i, t in enumerate(iouv):
                x = np.argwhere((iou >= t) & same)
                if len(x):
                    m = np.concatenate([x, iou[x[:, 0], x[:, 1]][:, None]], 1)
                    m = m[m[:, 2].argsort()[::-1]]
                    m = m[np.unique(m[:, 1], return_index=True)[1]]
                    m = m[np.unique(m[:, 0], return_index=True)[1]]
                    correct[m[:, 1].astype(int), i] = True
        stats.append((correct, conf, pcls, tcls))
    tp, conf, pcls, tcls = [np.concatenate(s, 0) for s in zip(*stats)]
    if not len(tp):
        return 0.0, 0.0
    _, _, _, _, _, ap, _ = ap_per_class(tp, conf, pcls, tcls, names={})
    return float(ap[:, 0].mean()), float(ap.mean())


def write_json(dets, names, out):
    doc = {"model": "pytorch", "input": [1, 3, IMGSZ, IMGSZ], "conf": 0.001,
           "iou": 0.7, "max_det": 300, "images": []}
    for path, (cls, conf, box) in dets.items():
        doc["images"].append({"file": path, "detections": [
            {"class_id": int(c), "class": names[int(c)], "score": float(s),
             "box": [float(v) for v in b]} for c, s, b in zip(cls, conf, box)]})
    pathlib.Path(out).write_text(json.dumps(doc, indent=1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ckpt")
    ap.add_argument("--detections", nargs="*", default=[])
    ap.add_argument("--data", default=str(pathlib.Path.home() / ".cache" /
                                          "yolo-compiler" / "demo" / "data" /
                                          "heldout"))
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--max-drop", type=float, default=0.5)
    ap.add_argument("--write-json")
    ap.add_argument("--list-images", action="store_true",
                    help="print the held-out image paths and exit")
    args = ap.parse_args()
    data = pathlib.Path(args.data)
    make_dataset.ensure_dataset(data, args.count, HELDOUT_SEED)
    labels = load_labels(data)
    if args.list_images:
        print("\n".join(labels))
        return 0
    rows = []
    if args.ckpt:
        dets = torch_detections(args.ckpt, list(labels))
        rows.append(("pytorch " + args.ckpt, *score(labels, dets)))
        if args.write_json:
            write_json(dets, make_dataset.NAMES, args.write_json)
    for f in args.detections:
        rows.append((f, *score(labels, json_detections(f))))
    n = sum(len(c) for c, _ in labels.values())
    print(f"held-out set: {len(labels)} images, {n} objects ({data})")
    print("| source | mAP@0.5 | mAP@0.5:0.95 |\n|---|---|---|")
    for name, m50, m in rows:
        print(f"| {name} | {100 * m50:.2f} | {100 * m:.2f} |")
    if args.ckpt:
        ref = rows[0][1]
        bad = [r for r in rows[1:] if 100 * (ref - r[1]) > args.max_drop]
        for r in bad:
            print(f"FAIL {r[0]}: mAP@0.5 {100 * r[1]:.2f} is more than "
                  f"{args.max_drop} points below PyTorch's {100 * ref:.2f}")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
