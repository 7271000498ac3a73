#!/usr/bin/env bash
# The code generation proof matrix of issue 4: every generated library
# (gelan-t/s/c and yolov9-t/s/c through pruning, 320x320 and 640x640, AVX2
# and AVX-512) against onnxruntime's main output (atol = rtol = 1e-3), and
# bit-identical across runs and 1/2 threads. The small models also run in
# the test suite (test/Target/codegen-numerics.test); this covers them all.
# A target this CPU lacks (AVX-512 on an AVX2-only machine) is built and
# checked statically, reported as SKIPPED with the reason, never as FAIL.
#   scripts/codegen_matrix.sh [--targets "avx2 avx512"] [--sizes "320 640"]
#                             [--models "gelan-t ..."] [--codegen "ARGS"]
#                             > report
# --codegen passes ARGS to every yolo-codegen (e.g. --codegen --bands).
# Exports missing fixtures first (scripts/export_fixtures.py, cached in
# $YOLO_FIXTURE_DIR or ~/.cache/yolo-compiler/fixtures). Exit 1 if any
# check fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
targets="avx2 avx512"
sizes="320 640"
models="gelan-t yolov9-t gelan-s yolov9-s gelan-c yolov9-c"
codegen=""
while [ $# -gt 0 ]; do
  case $1 in
  --targets) targets=$2; shift 2 ;;
  --sizes) sizes=$2; shift 2 ;;
  --models) models=$2; shift 2 ;;
  --codegen) codegen=$2; shift 2 ;;
  *) echo "codegen_matrix.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
dir=${YOLO_FIXTURE_DIR:-$HOME/.cache/yolo-compiler/fixtures}
names=()
for m in $models; do for s in $sizes; do names+=("$m-fused-$s"); done; done
.venv-export/bin/python scripts/export_fixtures.py --set all --only "${names[@]}"
fail=0
summary=()
for n in "${names[@]}"; do
  echo "== $n ($targets)"
  start=$(date +%s)
  log=$(mktemp)
  # The libraries go to a directory of their own, removed once they pass
  # and kept otherwise, so that the summary can name a failing model's
  # (up to 536 MB a model).
  work=$(mktemp -d "${TMPDIR:-/tmp}/yolo-matrix-XXXXXX")
  # shellcheck disable=SC2086
  if .venv/bin/python scripts/check_codegen.py "$dir/$n.onnx" \
    --targets $targets --threads 1 2 --work "$work" \
    ${codegen:+-- $codegen} | tee "$log"; then
    # Targets this CPU lacks are built and checked statically, not run:
    # named in the summary, never counted as passed or failed.
    skipped=$(sed -n 's/^SKIPPED \([^:]*\):.*/\1/p' "$log" | paste -sd, -)
    summary+=("OK   $n ($(($(date +%s) - start)) s${skipped:+; SKIPPED here: $skipped})")
    rm -rf "$work"
  else
    summary+=("FAIL $n (its libraries kept in $work)")
    fail=1
  fi
  rm -f "$log"
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $fail
