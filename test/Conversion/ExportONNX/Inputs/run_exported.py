"""Checks an exported model with onnx.checker (full), runs it with
onnxruntime and prints what export.mlir checks."""
import sys

import numpy as np
import onnx
import onnxruntime as ort

path = sys.argv[1]
model = onnx.load(path)
onnx.checker.check_model(model, full_check=True)
print("checker: ok")
sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
print("inputs:", " ".join(f"{i.name}{i.shape}" for i in sess.get_inputs()))
print("outputs:", " ".join(f"{o.name}{o.shape}" for o in sess.get_outputs()))
x = np.random.default_rng(0).standard_normal((1, 4, 8, 8)).astype(np.float32)
outs = dict(zip([o.name for o in sess.get_outputs()], sess.run(None, {"x": x})))
# conv: 3x3 kernel of 0.125 on all 4 channels, pad 1, bias 0.1 * o, SiLU.
xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
s = sum(xp[0, :, i:i + 8, j:j + 8].sum(0) for i in range(3) for j in range(3))
ref = 0.125 * s[None, None] + (0.1 * np.arange(8, dtype=np.float32))[None, :, None, None]
ref = ref / (1 + np.exp(-ref))
print("conv+silu matches numpy:", bool(np.allclose(outs["conv"], ref, atol=1e-5)))
print("ops:", " ".join(sorted({n.op_type for n in model.graph.node})))
