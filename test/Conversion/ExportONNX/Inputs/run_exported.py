"""Runs the model export.mlir exports with onnxruntime and compares the
outputs whose ONNX form is not a one-to-one op mapping with numpy
references written from the yolo op descriptions (not from the exporter)."""
import sys

import numpy as np
import onnxruntime as ort

path = sys.argv[1]
sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
rng = np.random.default_rng(0)
x = rng.standard_normal((1, 4, 8, 8)).astype(np.float32)
# Scaled so that the bin softmaxes are far from uniform.
raw = (3 * rng.standard_normal((1, 18, 14))).astype(np.float32)
outs = dict(zip([o.name for o in sess.get_outputs()],
                sess.run(None, {"x": x, "raw": raw})))

# conv: 3x3 kernel of 0.125 on all 4 channels, pad 1, bias 0.1 * o, SiLU.
xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
s = sum(xp[0, :, i:i + 8, j:j + 8].sum(0) for i in range(3) for j in range(3))
ref = 0.125 * s[None, None] + (0.1 * np.arange(8, dtype=np.float32))[None, :, None, None]
ref = ref / (1 + np.exp(-ref))
print("conv+silu matches numpy:", bool(np.allclose(outs["conv"], ref, atol=1e-5)))

print("reduce_sum without axes is the identity:",
      bool(np.array_equal(outs["same"], x)))


def decode(raw, reg_max, strides, grid_h, grid_w):
    """yolo.decode_detections: softmax over the bins of each side, its
    expectation as the (l, t, r, b) distance in cells from the cell centre,
    the box as (cx, cy, w, h) times the level stride, class sigmoids."""
    n, _, a = raw.shape
    r = raw.astype(np.float64)
    bins = r[:, :4 * reg_max].reshape(n, 4, reg_max, a)
    p = np.exp(bins - bins.max(2, keepdims=True))
    p /= p.sum(2, keepdims=True)
    l, t, rr, b = (p * np.arange(reg_max)[:, None]).sum(2).transpose(1, 0, 2)
    ax, ay, st = [], [], []
    for stride, h, w in zip(strides, grid_h, grid_w):
        for i in range(h):
            for j in range(w):
                ax.append(j + 0.5)
                ay.append(i + 0.5)
                st.append(stride)
    ax, ay, st = map(np.array, (ax, ay, st))
    box = np.stack([(ax + (rr - l) / 2) * st, (ay + (b - t) / 2) * st,
                    (l + rr) * st, (t + b) * st], 1)
    return np.concatenate([box, 1 / (1 + np.exp(-r[:, 4 * reg_max:]))], 1)


ref = decode(raw, 4, [8, 16], [4, 2], [3, 1])
print("decode_detections matches numpy:",
      bool(np.allclose(outs["det"], ref, rtol=1e-5, atol=1e-5)))
