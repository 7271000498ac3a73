#!/usr/bin/env bash
# The main job: take a YOLOv9 training export (yolov9-t with its auxiliary
# PGI branch; exported from the real model code with seeded weights until
# the trained demo model lands), compile it for this machine (pruning the
# auxiliary branch on the way), run it and report the compile time, the
# latency and the output.
#   scripts/main-job.sh [MODEL.onnx]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh yolo-opt yolo-translate yolo-codegen | tail -n 1
model=${1:-}
if [ -z "$model" ]; then
  .venv-export/bin/python scripts/export_fixtures.py --only yolov9-t-fused-640
  dir=${YOLO_FIXTURE_DIR:-$HOME/.cache/yolo-compiler/fixtures}
  model="$dir/yolov9-t-fused-640.onnx"
fi
out=build/main-job
rm -rf "$out"
mkdir -p "$out"
echo "== statistics of $model"
build/bin/yolo-translate --import-onnx "$model" |
  build/bin/yolo-opt --yolo-print-stats -o /dev/null
echo "== compile for the host (import, --yolo-optimize, Halide)"
t0=$(date +%s.%N)
build/bin/yolo-codegen "$model" -o "$out" --name model --emit-runner
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "compile time: %.1f s\n", b - a }'
echo "== run on a seeded random image"
.venv/bin/python - "$model" "$out/input.npy" <<'PY'
import sys, numpy as np, onnx
m = onnx.load(sys.argv[1], load_external_data=False)
dims = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
np.save(sys.argv[2], np.random.default_rng(0).random(dims, dtype=np.float32))
PY
"$out/model-run" --input "$out/input.npy" --output "$out/output.npy" \
  --threads "$(nproc)" --warmup 2 --repeat 10
.venv/bin/python - "$out/output.npy" <<'PY'
import sys, numpy as np
y = np.load(sys.argv[1])
print(f"output {sys.argv[1]}: shape {list(y.shape)}, "
      f"boxes in [{y[:, :4].min():.1f}, {y[:, :4].max():.1f}], "
      f"best class score {y[:, 4:].max():.3f}")
PY
