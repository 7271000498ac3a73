#!/usr/bin/env bash
# The CUDA check, sized for a short GPU window: builds CUDA libraries of the
# fixture models, checks them against onnxruntime's CPU output (atol = rtol
# = 1e-3), checks the device-pointer entry point against the host one (bit
# for bit), and reports latency at batch 1.
#
#   scripts/gpu_check.sh                  # a machine with the build and a GPU
#   scripts/gpu_check.sh --bundle DIR     # here: everything a GPU machine
#                                         # needs, into DIR (no GPU needed)
#   bash DIR/run.sh                       # there: python3 + numpy only
#
# With --target host (no GPU) the same check runs on the CPU: a test of the
# check itself (test/Target/gpu-check.test).
#
# Options: --with-onnx, --no-quantize, --models "gelan-t-fused-320 ..." (fixture names; default below),
# --target T (default x86-64-linux-cuda-cuda_capability_86: host code for
# any x86-64, PTX for sm_86, which Hopper's driver compiles for sm_90).
#
# The bundle holds, per model, one program (runtime/tools/yolo_cuda_check.c
# built against libmodel.a, the weights inside, xz-compressed for the
# transfer) that runs, checks and times both entry points on a fixed
# input, and onnxruntime's reference output on that input. A device
# transfer carries at most 64 MiB and random f32 weights do not compress,
# so by default every weight tensor is first put on a 255-level grid (still
# f32, the same model for onnxruntime and for us; --no-quantize keeps the
# fixture's weights): gelan-c's 101 MB then travel as 35 MB, and the
# default bundle (gelan-t and yolov9-t at 320, gelan-c at 640) as about
# 45 MB. With --with-onnx it also holds the 640 models' ONNX files and
# inputs, so that run.sh times onnxruntime's CUDA provider next to ours
# when that provider is installed there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=""
models="gelan-t-fused-320 yolov9-t-fused-320 gelan-c-fused-640"
target="x86-64-linux-cuda-cuda_capability_86"
with_onnx=0
quantize=1
while [ $# -gt 0 ]; do
  case $1 in
    --bundle) bundle=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --with-onnx) with_onnx=1; shift ;;
    --no-quantize) quantize=0; shift ;;
    *) echo "usage: $0 [--bundle DIR] [--models \"M ...\"] [--target T]" >&2
       exit 2 ;;
  esac
done
fixtures=${YOLO_FIXTURE_DIR:-$HOME/.cache/yolo-compiler/fixtures}
py="$root/.venv/bin/python"
tools="$root/build/bin"
[ -x "$tools/yolo-codegen" ] ||
  { echo "gpu_check: build first (scripts/build.sh)" >&2; exit 1; }
run_after=0
if [ -z "$bundle" ]; then
  bundle=$(mktemp -d /tmp/yolo-gpu-check.XXXXXX)
  run_after=1
fi
mkdir -p "$bundle"
bundle=$(cd "$bundle" && pwd)

for m in $models; do
  onnx="$fixtures/$m.onnx"
  [ -f "$onnx" ] ||
    { echo "gpu_check: $onnx missing (scripts/export_fixtures.py)" >&2; exit 1; }
  out="$bundle/$m"
  rm -rf "$out"
  mkdir -p "$out/lib"
  model="$onnx"
  if [ $quantize -eq 1 ]; then
    # Weights on a 255-level grid per tensor (still f32, and the same for
    # onnxruntime and for us), so that the weights inside the program
    # compress about 3x for the transfer.
    model="$out/lib/quantized.onnx"
    "$py" - "$onnx" "$model" <<'EOF'
import sys
import numpy as np
import onnx
from onnx import numpy_helper
m = onnx.load(sys.argv[1])
for k, init in enumerate(m.graph.initializer):
    a = numpy_helper.to_array(init)
    if a.dtype == np.float32 and a.size > 16:
        s = float(np.abs(a).max()) / 127 or 1.0
        q = (np.round(a / s) * s).astype(np.float32)
        m.graph.initializer[k].CopyFrom(numpy_helper.from_array(q, init.name))
onnx.save(m, sys.argv[2])
EOF
  fi
  echo "== $m: yolo-codegen --target=$target"
  "$tools/yolo-codegen" "$model" -o "$out/lib" --name=model \
    --target="$target" --quiet
  cc -O2 -std=c11 -D_POSIX_C_SOURCE=199309L \
    "$root/runtime/tools/yolo_cuda_check.c" -I "$out/lib" -I "$root/runtime/include" \
    -o "$out/cuda-check" "$out/lib/libmodel.a" -ldl -lpthread -lm
  # The reference: onnxruntime (CPU) on the same model, main output chosen
  # by the name the library's header gives its output.
  "$py" - "$model" "$out" "$with_onnx" <<'EOF'
import lzma, pathlib, re, sys
import numpy as np
import onnxruntime as ort
onnx, out = sys.argv[1], pathlib.Path(sys.argv[2])
header = (out / "lib" / "model.h").read_text()
name = re.search(r'#define MODEL_OUTPUT0_NAME "([^"]*)"', header).group(1)
sess = ort.InferenceSession(onnx, providers=["CPUExecutionProvider"])
inp = sess.get_inputs()[0]
# The input pattern of yolo_cuda_check.c's hash_input.
i = np.arange(int(np.prod(inp.shape)), dtype=np.uint64)
x = (((i * 2654435761) % 2**32) >> 16).astype(np.float32) / 65536
x = x.reshape(inp.shape)
ref = sess.run([name], {inp.name: x})[0]
np.save(out / "ref.npy", ref)
if sys.argv[3] == "1":
    np.save(out / "x.npy", x)
    if "-640" in out.name:
        (out / "model.onnx").write_bytes(pathlib.Path(onnx).read_bytes())
print(f"   reference: onnxruntime CPU output '{name}' {list(ref.shape)}")
# The program travels compressed (run.sh unpacks it).
exe = out / "cuda-check"
packed = out / "cuda-check.xz"
packed.write_bytes(lzma.compress(exe.read_bytes(), preset=1))
print(f"   cuda-check: {exe.stat().st_size / 1e6:.1f} MB, "
      f"{packed.stat().st_size / 1e6:.1f} MB compressed")
exe.unlink()
EOF
  rm -rf "$out/lib"
done

cat >"$bundle/compare.py" <<'EOF'
"""compare.py GOT.npy REF.npy LABEL: atol = rtol = 1e-3."""
import sys
import numpy as np
got, ref = np.load(sys.argv[1]), np.load(sys.argv[2])
if got.shape != ref.shape:
    print(f"FAIL {sys.argv[3]}: shape {got.shape} != {ref.shape}")
    sys.exit(1)
err = np.abs(got - ref)
bad = int((err > 1e-3 + 1e-3 * np.abs(ref)).sum())
print(f"{'OK  ' if not bad else 'FAIL'} {sys.argv[3]}: matches onnxruntime "
      f"(max abs err {err.max():.3g}, {bad} elements outside atol=rtol=1e-3)")
sys.exit(1 if bad else 0)
EOF
cat >"$bundle/ort_cuda.py" <<'EOF'
"""ort_cuda.py MODEL.onnx X.npy: onnxruntime's CUDA provider latency."""
import sys, time
import numpy as np
import onnxruntime as ort
if "CUDAExecutionProvider" not in ort.get_available_providers():
    print("onnxruntime CUDA provider: not installed here "
          f"(providers: {ort.get_available_providers()})")
    sys.exit(0)
sess = ort.InferenceSession(sys.argv[1], providers=["CUDAExecutionProvider"])
x = np.load(sys.argv[2])
feed = {sess.get_inputs()[0].name: x}
for _ in range(5):
    sess.run(None, feed)
ms = []
for _ in range(50):
    t = time.perf_counter()
    sess.run(None, feed)
    ms.append((time.perf_counter() - t) * 1e3)
print(f"onnxruntime CUDA provider: median_ms={np.median(ms):.3f} "
      f"min_ms={min(ms):.3f} (host arrays in and out)")
EOF
cat >"$bundle/run.sh" <<'EOF'
#!/usr/bin/env bash
# Runs on the GPU machine: checks and times every model of the bundle.
cd "$(dirname "$0")"
py=${PYTHON:-python3}   # needs numpy (onnxruntime for ort_cuda.py)
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || true
status=0
for m in */; do
  m=${m%/}
  [ -f "$m/cuda-check.xz" ] || continue
  echo "== $m"
  "$py" -c "import lzma, sys; open(sys.argv[2], 'wb').write(lzma.decompress(open(sys.argv[1], 'rb').read()))" \
    "$m/cuda-check.xz" "$m/cuda-check" && chmod +x "$m/cuda-check"
  "$m/cuda-check" --output "$m/y.npy" --repeat 50 || status=1
  if [ -f "$m/y.npy" ]; then
    "$py" compare.py "$m/y.npy" "$m/ref.npy" "$m" || status=1
  else
    status=1
  fi
  if [ -f "$m/model.onnx" ]; then
    "$py" ort_cuda.py "$m/model.onnx" "$m/x.npy" || true
  fi
done
[ $status -eq 0 ] && echo "gpu_check: all OK" || echo "gpu_check: FAILED"
exit $status
EOF
chmod +x "$bundle/run.sh"
echo "gpu_check: bundle in $bundle ($(du -sh "$bundle" | cut -f1))"
if [ $run_after -eq 1 ]; then
  PYTHON="$py" bash "$bundle/run.sh"
  rm -rf "$bundle"
fi
