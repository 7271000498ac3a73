"""Upstream YOLOv9 for the segmentation tests (test_segment.py); runs in
.venv-export (Debian torch + the PyPI `yolo9` package), never in .venv.

  seg_upstream.py export OUT.onnx
      A small segmentation model of upstream's own code: gelan-t's
      backbone and neck with the Segment head of gelan-c-seg.yaml
      (4 classes, 32 mask coefficients, 64 prototype channels), seeded
      random weights and BatchNorm statistics (the head's last layers
      sharpened), fused, exported at 160x160
      as export.py exports segmentation models (outputs: [1, 40, 525]
      predictions and [1, 32, 40, 40] prototypes). Deterministic.

  seg_upstream.py letterbox IMAGE OUT.npy
      The model input segment/predict.py makes of an image file: read by
      OpenCV, utils/augmentations.py letterbox(auto=False) to 160x160,
      RGB, CHW, / 255, float32 [1, 3, 160, 160].

  seg_upstream.py masks IN.npz OUT.npz
      Upstream's post-processing on given output tensors (IN: pred, protos,
      conf, iou, image_h, image_w): utils/general.py non_max_suppression
      (nm=32), utils/segment/general.py process_mask(upsample=True) at the
      input size, scale_boxes and scale_image to the image, as
      segment/predict.py does. OUT: boxes (image pixels), classes, scores,
      masks_input (n, H, W), masks (n, h, w: the image), near (n, H, W:
      where the cropped, upsampled probability is within 1e-5 of 0.5).
"""
import contextlib
import io
import logging
import pathlib
import sys

import numpy as np
import torch
import torch.nn.functional as F

SEED = 17
IMGSZ = 160


def export(out):
    import yaml
    import yolo9
    from yolo9.models.yolo import Model, Segment
    from yolo9.utils.general import LOGGER

    LOGGER.setLevel(logging.WARNING)
    torch.set_num_threads(2)
    root = pathlib.Path(yolo9.__file__).parent / "models"
    cfg = yaml.safe_load((root / "detect" / "gelan-t.yaml").read_text())
    seg = yaml.safe_load((root / "segment" / "gelan-c-seg.yaml").read_text())
    head = seg["head"][-1]
    assert head[2] == "Segment", head
    cfg["head"][-1] = [cfg["head"][-1][0], 1, "Segment", ["nc", 32, 64]]
    cfg["nc"] = 4
    torch.manual_seed(SEED)
    with contextlib.redirect_stdout(io.StringIO()):
        model = Model(cfg, ch=3, nc=4)
    g = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                n = m.num_features
                m.running_mean.copy_(torch.rand(n, generator=g) * 0.4 - 0.2)
                m.running_var.copy_(torch.rand(n, generator=g) + 0.5)
                m.weight.copy_(torch.rand(n, generator=g) + 0.5)
                m.bias.copy_(torch.rand(n, generator=g) * 0.4 - 0.2)
        # Random weights give uniform heads: every box the same middling
        # size, near-equal scores, mask logits nearly constant over the
        # image (all set or all clear). Sharpened heads give boxes of
        # several sizes and masks with borders inside their boxes, where
        # the crop, the upsampling and the threshold are all exercised.
        head = model.model[-1]
        for i in range(head.nl):
            box, cls, coef = head.cv2[i][-1], head.cv3[i][-1], head.cv4[i][-1]
            box.weight.mul_(4.0)
            # Distance bins (16 per side) biased towards short distances.
            box.bias.copy_(-0.5 * torch.arange(16.0).repeat(4))
            cls.weight.mul_(3.0)
            cls.bias.fill_(-2.0)
            coef.weight.mul_(10.0)
            coef.bias.fill_(0.3)
        head.proto.cv2.conv.weight.mul_(4.0)
        head.proto.cv3.conv.weight.mul_(8.0)
    with contextlib.redirect_stdout(io.StringIO()):
        model = model.fuse().eval()
    for m in model.modules():
        if isinstance(m, Segment):
            m.inplace = True
            m.export = True
    im = torch.zeros(1, 3, IMGSZ, IMGSZ)
    tmp = pathlib.Path(out).with_suffix(".tmp")
    with torch.no_grad(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        model(im)
        torch.onnx.export(model, im, str(tmp), opset_version=12,
                          input_names=["images"],
                          output_names=["output0", "output1"],
                          do_constant_folding=True)
    tmp.replace(out)


def letterbox(image, out):
    import cv2
    from yolo9.utils.augmentations import letterbox as upstream_letterbox

    im = cv2.imread(image)  # BGR, as LoadImages reads it
    im = upstream_letterbox(im, IMGSZ, auto=False)[0]
    im = np.ascontiguousarray(im.transpose((2, 0, 1))[::-1])  # RGB, CHW
    np.save(out, (im.astype(np.float32) / 255)[None])


def masks(inp, out):
    from yolo9.utils.general import non_max_suppression, scale_boxes
    from yolo9.utils.segment.general import (crop_mask, process_mask,
                                             scale_image)

    a = np.load(inp)
    pred = torch.from_numpy(a["pred"])
    protos = torch.from_numpy(a["protos"])
    ih, iw = int(a["input_h"]), int(a["input_w"])
    h0, w0 = int(a["image_h"]), int(a["image_w"])
    nm = protos.shape[1]
    det = non_max_suppression(pred, float(a["conf"]), float(a["iou"]),
                              max_det=300, nm=nm)[0]
    n = det.shape[0]
    res = {"classes": det[:, 5].numpy().astype(np.int64),
           "scores": det[:, 4].numpy()}
    if n:
        proto = protos[0]
        mi = process_mask(proto, det[:, 6:], det[:, :4].clone(), (ih, iw),
                          upsample=True)
        # The probability process_mask thresholds, to tell which pixels
        # are too close to 0.5 for float rounding to decide.
        c, mh, mw = proto.shape
        m = (det[:, 6:] @ proto.float().view(c, -1)).sigmoid().view(-1, mh, mw)
        b = det[:, :4].clone()
        b[:, 0] *= mw / iw
        b[:, 2] *= mw / iw
        b[:, 3] *= mh / ih
        b[:, 1] *= mh / ih
        prob = F.interpolate(crop_mask(m, b)[None], (ih, iw), mode="bilinear",
                             align_corners=False)[0]
        res["near"] = (prob - 0.5).abs().le(1e-5).numpy()
        mi_np = mi.numpy().astype(np.uint8)
        res["masks_input"] = mi_np
        img = scale_image((ih, iw), np.ascontiguousarray(mi_np.transpose(1, 2, 0)),
                          (h0, w0, 3))
        res["masks"] = img.transpose(2, 0, 1).astype(bool)
        res["boxes"] = scale_boxes((ih, iw), det[:, :4].clone(),
                                   (h0, w0, 3)).numpy()
    else:
        res["near"] = np.zeros((0, ih, iw), bool)
        res["masks_input"] = np.zeros((0, ih, iw), np.uint8)
        res["masks"] = np.zeros((0, h0, w0), bool)
        res["boxes"] = np.zeros((0, 4), np.float32)
    np.savez(out, **res)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "export":
        export(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "letterbox":
        letterbox(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "masks":
        masks(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
