#!/usr/bin/env bash
# Runs on the GPU machine, from a bundle of scripts/gpu_check.sh: unpacks,
# runs, checks (compare.py) and times every model of the bundle.
#   bash DIR/run.sh        (PYTHON: an interpreter with numpy; default python3)
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
