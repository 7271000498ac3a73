#!/usr/bin/env bash
# The main job. Today: take a YOLOv9 training export (yolov9-t with its
# auxiliary PGI branch, exported from the real model code with seeded
# weights), import it into the yolo dialect and print its statistics.
# It grows into compile + run + detections as code generation lands.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh yolo-opt yolo-translate | tail -n 1
model=${1:-}
if [ -z "$model" ]; then
  .venv-export/bin/python scripts/export_fixtures.py --only yolov9-t-fused-640
  dir=${YOLO_FIXTURE_DIR:-$HOME/.cache/yolo-compiler/fixtures}
  model="$dir/yolov9-t-fused-640.onnx"
fi
out=build/main-job
mkdir -p "$out"
echo "== import $model"
t0=$(date +%s.%N)
build/bin/yolo-translate --import-onnx "$model" -o "$out/model.mlir"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "import time: %.2f s\n", b - a }'
echo "== statistics"
build/bin/yolo-opt "$out/model.mlir" --yolo-print-stats -o /dev/null
