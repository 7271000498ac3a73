#!/usr/bin/env bash
# The main job: take the bundled demo detector (yolov9-t trained on the
# synthetic shapes set, exported as a TRAINING model with its auxiliary PGI
# branch; see models/demo/README.md), compile it for this machine (pruning
# the auxiliary branch on the way), run it on the bundled sample image, print
# the detections and write the annotated image and a JSON file.
#   scripts/main-job.sh [MODEL.onnx [IMAGE [NAMES]]]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh yolo-opt yolo-translate yolo-codegen | tail -n 1
model=${1:-models/demo/yolov9-t-shapes.onnx}
image=${2:-models/demo/sample.jpg}
names=${3:-}
if [ -z "$names" ] && [ -z "${1:-}" ]; then
  names=models/demo/shapes.names
fi
out=build/main-job
rm -rf "$out"
mkdir -p "$out"
stats() {
  awk '/convolutions|GFLOPs|parameters/ { printf "  %s\n", $0 }'
}
echo "== $model"
build/bin/yolo-translate --import-onnx "$model" -o "$out/model.mlir"
echo "as exported (training model):"
build/bin/yolo-opt "$out/model.mlir" --yolo-print-stats -o /dev/null 2>&1 | stats
echo "after --yolo-optimize (auxiliary branch pruned, BatchNorm/RepConv folded):"
build/bin/yolo-opt "$out/model.mlir" --yolo-optimize --yolo-print-stats \
  -o /dev/null 2>&1 | stats
echo "== compile for the host (import, --yolo-optimize, Halide)"
t0=$(date +%s.%N)
build/bin/yolo-codegen "$model" -o "$out" --name model --emit-detector --quiet
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "compile time: %.1f s\n", b - a }'
echo "== detect on $image"
args=("$image" --threads "$(nproc)" --json "$out/detections.json"
  --draw "$out/detections.png")
[ -n "$names" ] && args+=(--names "$names")
# The first run warms the caches; the second one's latency is the one to read.
"$out/model-detect" "$image" --threads "$(nproc)" >/dev/null
"$out/model-detect" "${args[@]}"
echo "wrote $out/detections.png and $out/detections.json"
