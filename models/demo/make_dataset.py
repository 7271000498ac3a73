#!/usr/bin/env python3
"""Generates a seeded synthetic detection dataset in YOLO format.

Coloured shapes and digits (circle, square, triangle, star, cross and the
digits 0-3) with random size, rotation and colour on textured, noisy
backgrounds, a little overlap allowed. Images have varying aspect ratios
(each side 320..480 px). Only numpy and PIL; no network, no fonts (the digits
are drawn as strokes).

    make_dataset.py --out DIR [--count N] [--seed S]

writes DIR/images/NNNNN.jpg, DIR/labels/NNNNN.txt (one line per object:
class cx cy w h, normalised), DIR/shapes.names and DIR/dataset.yaml. The same
seed gives the same files. A train set and a held-out set must use different
seeds.
"""
import argparse
import math
import pathlib
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

NAMES = ["circle", "square", "triangle", "star", "cross",
         "zero", "one", "two", "three"]


def rand_colour(rng, avoid):
    """A saturated-ish colour that differs clearly from `avoid` (RGB)."""
    for _ in range(50):
        c = rng.integers(0, 256, 3)
        if np.abs(c.astype(int) - avoid).sum() > 180 and np.ptp(c) > 60:
            return tuple(int(v) for v in c)
    return tuple(int(255 - v) for v in avoid)


def background(rng, w, h):
    """Gradient + low-frequency blobs + stripes/grid + pixel noise."""
    base = rng.integers(40, 216, 3).astype(np.float32)
    other = np.clip(base + rng.normal(0, 50, 3), 0, 255)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(0, 2 * math.pi)
    t = (np.cos(ang) * xx / w + np.sin(ang) * yy / h + 1.0) / 2.0
    img = base[None, None] * (1 - t[..., None]) + other[None, None] * t[..., None]
    # Low-frequency texture: upsampled random field.
    gh, gw = rng.integers(3, 9), rng.integers(3, 9)
    field = Image.fromarray(
        (rng.random((gh, gw)) * 255).astype(np.uint8)).resize(
            (w, h), Image.BICUBIC)
    img += (np.asarray(field, np.float32)[..., None] - 128) * rng.uniform(
        0.1, 0.35)
    kind = rng.integers(0, 3)
    if kind == 0:  # stripes
        period = rng.uniform(6, 30)
        a2 = rng.uniform(0, math.pi)
        s = np.sin((np.cos(a2) * xx + np.sin(a2) * yy) * 2 * math.pi / period)
        img += s[..., None] * rng.uniform(5, 25)
    elif kind == 1:  # grid
        period = int(rng.integers(10, 40))
        g = ((xx.astype(int) % period) < 2) | ((yy.astype(int) % period) < 2)
        img += g[..., None] * rng.uniform(-40, 40)
    img += rng.normal(0, rng.uniform(3, 14), (h, w, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def star_points(cx, cy, r, points=5, inner=0.45):
    pts = []
    for i in range(points * 2):
        rr = r if i % 2 == 0 else r * inner
        a = -math.pi / 2 + i * math.pi / points
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def draw_digit(d, cls, s, lw, fill):
    """Stroke digits in a box of side s (aspect ~0.6 wide)."""
    w = s * 0.6
    x0, y0 = (s - w) / 2, s * 0.05
    x1, y1 = x0 + w, s * 0.95
    if cls == "zero":
        d.ellipse([x0, y0, x1, y1], outline=fill, width=lw)
    elif cls == "one":
        xm = (x0 + x1) / 2 + w * 0.1
        d.line([(xm, y0), (xm, y1)], fill=fill, width=lw)
        d.line([(xm, y0), (x0 + w * 0.1, y0 + s * 0.22)], fill=fill, width=lw)
        d.line([(x0 + w * 0.15, y1 - lw / 2), (x1 - w * 0.05, y1 - lw / 2)],
               fill=fill, width=lw)
    elif cls == "two":
        hh = (y1 - y0) * 0.5
        d.arc([x0, y0, x1, y0 + hh], start=180, end=40, fill=fill, width=lw)
        d.line([(x0 + w * 0.5 + w * 0.5 * math.cos(math.radians(40)),
                 y0 + hh / 2 + hh / 2 * math.sin(math.radians(40))),
                (x0, y1 - lw / 2)], fill=fill, width=lw)
        d.line([(x0, y1 - lw / 2), (x1, y1 - lw / 2)], fill=fill, width=lw)
    elif cls == "three":
        hh = (y1 - y0) / 2
        d.arc([x0, y0, x1, y0 + hh], start=200, end=90, fill=fill, width=lw)
        d.arc([x0, y0 + hh, x1, y1], start=270, end=160, fill=fill, width=lw)


def make_object(rng, cls, size, colour):
    """RGBA sprite of the object, rotated; returns the PIL image."""
    pad = int(size * 0.25)
    s = size
    canvas = Image.new("RGBA", (s + 2 * pad, s + 2 * pad), (0, 0, 0, 0))
    d = ImageDraw.Draw(canvas)
    fill = colour + (255,)
    o = pad
    if cls == "circle":
        d.ellipse([o, o, o + s, o + s], fill=fill)
    elif cls == "square":
        d.rectangle([o, o, o + s, o + s], fill=fill)
    elif cls == "triangle":
        d.polygon([(o + s / 2, o), (o + s, o + s * 0.87), (o, o + s * 0.87)],
                  fill=fill)
    elif cls == "star":
        d.polygon(star_points(o + s / 2, o + s / 2, s / 2), fill=fill)
    elif cls == "cross":
        t = s * 0.3
        d.rectangle([o + (s - t) / 2, o, o + (s + t) / 2, o + s], fill=fill)
        d.rectangle([o, o + (s - t) / 2, o + s, o + (s + t) / 2], fill=fill)
    else:
        sub = Image.new("RGBA", (s, s), (0, 0, 0, 0))
        draw_digit(ImageDraw.Draw(sub), cls, s, max(2, int(s * 0.14)), fill)
        canvas.paste(sub, (o, o), sub)
    if cls in ("zero", "one", "two", "three"):
        angle = rng.uniform(-25, 25)  # digits stay upright-ish
    else:
        angle = rng.uniform(0, 360)
    return canvas.rotate(angle, resample=Image.BICUBIC, expand=True)


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / ua if ua > 0 else 0.0


def make_image(rng):
    w = int(rng.integers(320, 481)) // 8 * 8
    h = int(rng.integers(320, 481)) // 8 * 8
    bg = background(rng, w, h)
    img = Image.fromarray(bg).convert("RGBA")
    mean = bg.reshape(-1, 3).mean(0)
    boxes = []
    n = int(rng.integers(2, 8))
    for _ in range(n):
        cls_id = int(rng.integers(0, len(NAMES)))
        size = int(rng.integers(22, 110))
        sprite = make_object(rng, NAMES[cls_id], size, rand_colour(rng, mean))
        alpha = np.asarray(sprite)[..., 3]
        ys, xs = np.nonzero(alpha > 127)
        if len(xs) == 0:
            continue
        sw, sh = sprite.size
        if sw >= w or sh >= h:
            continue
        for _try in range(20):
            px = int(rng.integers(0, w - sw))
            py = int(rng.integers(0, h - sh))
            box = (px + xs.min(), py + ys.min(), px + xs.max() + 1,
                   py + ys.max() + 1)
            if all(iou(box, b[1]) < 0.15 for b in boxes):
                break
        else:
            continue
        if rng.random() < 0.3:  # a shadow-ish soft edge now and then
            sprite = sprite.filter(ImageFilter.GaussianBlur(0.8))
        img.alpha_composite(sprite, (px, py))
        boxes.append((cls_id, box))
    out = img.convert("RGB")
    if rng.random() < 0.3:
        out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    arr = np.asarray(out).astype(np.float32)
    arr += rng.normal(0, rng.uniform(0, 6), arr.shape)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), boxes


def write_dataset(out, count, seed, quality=90):
    out = pathlib.Path(out)
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "labels").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    nobj = 0
    for i in range(count):
        img, boxes = make_image(rng)
        w, h = img.size
        stem = f"{i:05d}"
        img.save(out / "images" / f"{stem}.jpg", quality=quality)
        lines = []
        for c, (x1, y1, x2, y2) in boxes:
            lines.append(f"{c} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} "
                         f"{(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}")
        (out / "labels" / f"{stem}.txt").write_text(
            "".join(line + "\n" for line in lines))
        nobj += len(boxes)
    (out / "shapes.names").write_text("".join(n + "\n" for n in NAMES))
    names = "\n".join(f"  {i}: {n}" for i, n in enumerate(NAMES))
    (out / "dataset.yaml").write_text(
        f"# synthetic shapes, seed {seed}, {count} images\n"
        f"path: {out.resolve()}\ntrain: images\nval: images\n"
        f"nc: {len(NAMES)}\nnames:\n{names}\n")
    (out / "SEED").write_text(f"{seed} {count}\n")
    return nobj


def ensure_dataset(out, count, seed):
    """Generates the set unless DIR/SEED says it is already this one."""
    out = pathlib.Path(out)
    stamp = out / "SEED"
    if stamp.exists() and stamp.read_text().split() == [str(seed), str(count)]:
        return False
    for sub in ("images", "labels"):
        for f in (out / sub).glob("*"):
            f.unlink()
    for f in out.glob("*.cache"):  # the YOLO loader's label cache
        f.unlink()
    write_dataset(out, count, seed)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--count", type=int, default=100, help="number of images")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if args.count < 1:
        sys.exit("make_dataset: --count must be at least 1")
    n = write_dataset(args.out, args.count, args.seed)
    print(f"make_dataset: {args.count} images, {n} objects, seed {args.seed} "
          f"-> {args.out}")


if __name__ == "__main__":
    main()
