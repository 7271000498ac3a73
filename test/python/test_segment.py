"""Segmentation end to end: a small model of upstream YOLOv9's own code
(gelan-t with the Segment head, seeded weights; seg_upstream.py export)
compiled as the Python module and NAME-detect. Its masks are compared with
upstream's post-processing (non_max_suppression, process_mask with
upsample=True, scale_image) run by .venv-export's torch on the very output
tensors our library computed.

The fixture is made once into the fixture folder ($YOLO_FIXTURE_DIR or
~/.cache/yolo-compiler/fixtures) as seg-gelan-t-160.onnx; without
.venv-export these tests are skipped.
"""

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import types
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import REPO, TOOLS, _run

EXPORT_PYTHON = REPO / ".venv-export" / "bin" / "python"
UPSTREAM = Path(__file__).with_name("seg_upstream.py")
FIXTURES = Path(
    os.environ.get(
        "YOLO_FIXTURE_DIR", Path.home() / ".cache" / "yolo-compiler" / "fixtures"
    )
)
NAME = "segt"
INPUT = 160
# The test image: 225x300 (w x h) scales by 160/300 to 120x160 (rows of
# 360 bytes: OpenCV's vector code covers 352, its scalar tail the rest),
# letterboxed 20 columns right; masks scale back by 1.875, where OpenCV's
# fixed-point rounding shows.
IMAGE_W, IMAGE_H = 225, 300


def _need_export_venv():
    if not EXPORT_PYTHON.exists():
        pytest.skip(f"{EXPORT_PYTHON} is missing (scripts/setup.sh makes it)")


@pytest.fixture(scope="module")
def seg(tmp_path_factory):
    _need_export_venv()
    onnx = FIXTURES / "seg-gelan-t-160.onnx"
    if not onnx.exists():
        FIXTURES.mkdir(parents=True, exist_ok=True)
        _run([EXPORT_PYTHON, UPSTREAM, "export", onnx])
    out = tmp_path_factory.mktemp("yolo-seg")
    _run(
        [
            TOOLS / "yolo-codegen",
            onnx,
            "-o",
            out,
            "--name",
            NAME,
            "--emit=python",
            "--python=" + sys.executable,
            "--emit-detector",
            "--quiet",
        ]
    )
    so = out / (NAME + sysconfig.get_config_var("EXT_SUFFIX"))
    spec = importlib.util.spec_from_file_location(NAME, so)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # A deterministic picture with structure at several scales.
    y, x = np.mgrid[0:IMAGE_H, 0:IMAGE_W].astype(np.float32)
    rgb = np.stack(
        [
            128 + 120 * np.sin(x / 17.0) * np.cos(y / 23.0),
            128 + 120 * np.sin((x + y) / 31.0),
            255 * ((x - 200) ** 2 + (y - 90) ** 2 < 60**2),
        ],
        axis=-1,
    ).clip(0, 255).astype(np.uint8)
    png = out / "seg.png"
    Image.fromarray(rgb).save(png)
    return types.SimpleNamespace(
        module=module,
        model=module.Model(),
        dir=out,
        detector=out / f"{NAME}-detect",
        rgb=rgb,
        png=png,
    )


def letterbox(seg):
    """The model input upstream's segment/predict.py makes of the test
    image; detect() must make the same (yolo_letterbox), or the detections
    below differ."""
    out = seg.dir / "letterboxed.npy"
    _run([EXPORT_PYTHON, UPSTREAM, "letterbox", seg.png, out])
    return np.load(out)


def upstream(seg, pred, protos, conf, iou):
    """Upstream's post-processing of these tensors, in .venv-export."""
    src, dst = seg.dir / "tensors.npz", seg.dir / "upstream.npz"
    np.savez(
        src,
        pred=pred,
        protos=protos,
        conf=conf,
        iou=iou,
        input_h=INPUT,
        input_w=INPUT,
        image_h=IMAGE_H,
        image_w=IMAGE_W,
    )
    _run([EXPORT_PYTHON, UPSTREAM, "masks", src, dst])
    return dict(np.load(dst))


@pytest.fixture(scope="module")
def compared(seg):
    pred, protos = seg.model.run(letterbox(seg))
    assert pred.shape == (1, 4 + 4 + 32, 525) and protos.shape == (1, 32, 40, 40)
    # A threshold that keeps a couple of dozen candidates of this
    # random-weight model, all of distinct scores: anchors that see only
    # the letterbox's grey tie exactly, and torch's sort orders ties
    # differently from our NMS (which keeps the lower anchor index).
    scores = np.sort(pred[0, 4:8].max(axis=0))[::-1]
    ties = np.flatnonzero(scores[:-1] == scores[1:])
    keep = min(30, int(ties[0]) if len(ties) else 30)
    assert keep >= 10, f"ties from the {keep + 1}th score on"
    conf = float(scores[keep])
    ref = upstream(seg, pred, protos, conf, 0.45)
    dets, masks = seg.model.detect(str(seg.png), conf=conf, iou=0.45, masks=True)
    return types.SimpleNamespace(conf=conf, ref=ref, dets=dets, masks=masks)


def test_detections_match_upstream(compared):
    ref, dets = compared.ref, compared.dets
    assert len(dets) >= 5, f"only {len(dets)} detections: a weak test"
    assert len(dets) == len(ref["classes"])
    for d, cls, score, box in zip(dets, ref["classes"], ref["scores"], ref["boxes"]):
        assert d[0] == cls
        assert d[1] == pytest.approx(score, abs=1e-6)
        np.testing.assert_allclose(d[2:], box, atol=2e-3)


def test_masks_match_upstream(compared):
    ref, masks = compared.ref, compared.masks
    n = len(compared.dets)
    assert masks.dtype == np.bool_ and masks.shape == (n, IMAGE_H, IMAGE_W)
    assert masks.flags["C_CONTIGUOUS"]
    # Masks that test something: partly set, partly not.
    covered = masks.sum(axis=(1, 2))
    assert (covered > 0).sum() >= 3, covered
    near = ref["near"]
    diff = masks != ref["masks"]
    print(
        f"\n{n} masks, {masks.sum()} mask pixels in the image; pixels within "
        f"1e-5 of 0.5 at the input: {near.sum()}; differing image pixels: "
        f"{diff.sum()}"
    )
    # Float rounding (torch's and ours sum in different orders) may only
    # decide input pixels whose probability is within 1e-5 of 0.5, and an
    # image pixel only through the input pixels it is interpolated from.
    allowed = reachable(near)
    assert not (diff & ~allowed).any(), np.argwhere(diff & ~allowed)[:10]
    # The thresholds matter: the input masks have pixels on both sides.
    inputs = ref["masks_input"]
    assert 0 < inputs.sum() < inputs.size


def test_detect_without_masks_and_threads(seg, compared):
    """masks=False gives the same list alone; an array image gives the
    same masks as its file; two threads on one Model take turns."""
    import threading

    plain = seg.model.detect(str(seg.png), conf=compared.conf)
    assert plain == compared.dets
    dets, masks = seg.model.detect(seg.rgb, conf=compared.conf, masks=True)
    assert dets == compared.dets
    np.testing.assert_array_equal(masks, compared.masks)
    results = []

    def body():
        results.append(seg.model.detect(seg.rgb, conf=compared.conf, masks=True))

    threads = [threading.Thread(target=body) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3
    for d, m in results:
        assert d == compared.dets
        np.testing.assert_array_equal(m, compared.masks)
    # No detection: an empty (0, H, W) array.
    dets, masks = seg.model.detect(seg.rgb, conf=1.0, masks=True)
    assert dets == [] and masks.shape == (0, IMAGE_H, IMAGE_W)


def reachable(near):
    """Image pixels whose bilinear taps (scale_image's cut of the input,
    resized to the image) touch a pixel of `near` or a neighbour of one."""
    grown = near.copy()
    grown[:, 1:] |= near[:, :-1]
    grown[:, :-1] |= near[:, 1:]
    grown[:, :, 1:] |= grown[:, :, :-1].copy()
    grown[:, :, :-1] |= grown[:, :, 1:].copy()
    gain = min(INPUT / IMAGE_H, INPUT / IMAGE_W)
    top = int((INPUT - IMAGE_H * gain) / 2)
    left = int((INPUT - IMAGE_W * gain) / 2)
    ch, cw = INPUT - 2 * top, INPUT - 2 * left
    sy = np.floor((np.arange(IMAGE_H) + 0.5) * ch / IMAGE_H - 0.5).astype(int)
    sx = np.floor((np.arange(IMAGE_W) + 0.5) * cw / IMAGE_W - 0.5).astype(int)
    out = np.zeros((near.shape[0], IMAGE_H, IMAGE_W), bool)
    for dy in (0, 1):
        for dx in (0, 1):
            ys = np.clip(sy + dy, 0, ch - 1) + top
            xs = np.clip(sx + dx, 0, cw - 1) + left
            out |= grown[:, ys][:, :, xs]
    return out


def test_detector_json_and_draw(seg, compared):
    out_json, out_png = seg.dir / "seg.json", seg.dir / "drawn.png"
    proc = _run(
        [
            seg.detector,
            seg.png,
            "--conf",
            repr(compared.conf),
            "--json",
            out_json,
            "--draw",
            out_png,
        ]
    )
    assert "segmentation head: 4 classes and 32 mask coefficients" in proc.stdout
    doc = json.loads(out_json.read_text())
    found = doc["images"][0]["detections"]
    assert len(found) == len(compared.dets)
    for k, det in enumerate(found):
        rle = det["mask"]
        assert rle["size"] == [IMAGE_H, IMAGE_W]
        counts = rle["counts"]
        assert sum(counts) == IMAGE_H * IMAGE_W
        # Uncompressed COCO RLE: column-major runs, zeros first.
        flat = np.repeat(np.arange(len(counts)) % 2, counts).astype(bool)
        mask = flat.reshape(IMAGE_W, IMAGE_H).T
        np.testing.assert_array_equal(mask, compared.masks[k])
        assert det["mask_pixels"] == int(mask.sum())
        # The table prints the same count.
        assert f" {int(mask.sum()):8d}\n" in proc.stdout
    drawn = np.asarray(Image.open(out_png).convert("RGB")).astype(np.int32)
    orig = seg.rgb.astype(np.int32)
    union = compared.masks.any(axis=0)
    changed = (drawn != orig).any(axis=-1)
    # Blended where a mask covers (a box line may cover a few more).
    assert changed[union].mean() > 0.95
    # Untouched far from every box and mask.
    far = ~union
    for d in compared.dets:
        x1, y1, x2, y2 = (int(round(v)) for v in d[2:])
        far[max(0, y1 - 30) : y2 + 30, max(0, x1 - 30) : x2 + 30] = False
    assert not changed[far].any()
