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
# check itself (test/Target/gpu-check.test). On a machine with a GPU, the
# suite runs it for CUDA (test/Target/gpu-run.test, REQUIRES: cuda-driver).
#
# Its Python is in scripts/gpu/: quantize.py and reference.py run here;
# run.sh, compare.py and ort_cuda.py (with scripts/yolocheck.py, the
# comparison rule of all the test scripts) are copied into the bundle.
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
    model="$out/lib/quantized.onnx"
    "$py" "$root/scripts/gpu/quantize.py" "$onnx" "$model"
  fi
  echo "== $m: yolo-codegen --target=$target"
  "$tools/yolo-codegen" "$model" -o "$out/lib" --name=model \
    --target="$target" --quiet
  cc -O2 -std=c11 -D_POSIX_C_SOURCE=199309L \
    "$root/runtime/tools/yolo_cuda_check.c" -I "$out/lib" -I "$root/runtime/include" \
    -o "$out/cuda-check" "$out/lib/libmodel.a" -ldl -lpthread -lm
  # The reference: onnxruntime (CPU) on the same model, main output chosen
  # by the name the library's header gives its output; the program packed.
  "$py" "$root/scripts/gpu/reference.py" "$model" "$out" "$with_onnx"
  rm -rf "$out/lib"
done

# What runs there: run.sh, the comparison (compare.py, with the rule of
# yolocheck.py) and onnxruntime's CUDA timing (ort_cuda.py).
cp "$root/scripts/gpu/run.sh" "$root/scripts/gpu/compare.py" \
  "$root/scripts/gpu/ort_cuda.py" "$root/scripts/yolocheck.py" "$bundle/"
chmod +x "$bundle/run.sh"
echo "gpu_check: bundle in $bundle ($(du -sh "$bundle" | cut -f1))"
if [ $run_after -eq 1 ]; then
  PYTHON="$py" bash "$bundle/run.sh"
  rm -rf "$bundle"
fi
