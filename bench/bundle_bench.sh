#!/usr/bin/env bash
# bench/run_bench.py on another x86-64 machine: a folder that carries our
# runners, the models and (optionally) OpenVINO to a machine that has
# python3 with numpy, onnx and onnxruntime but not this build, such as the
# device machine's CPU (an AVX-512 one, where this machine has AVX2 only).
#
#   bench/bundle_bench.sh --bundle DIR [--models "gelan-t-fused-640 ..."]
#       [--levels 15] [--target T1,T2,...] [--openvino-wheel W.whl]
#       [--telemetry-wheel W.whl] [--repeat 10] [--rounds 2] [--cpus auto]
#       [--engines ours,ort,ov]
#   bash DIR/run.sh [OUTDIR]        (there; one table per model in OUTDIR)
#
# The other machine needs python3 with numpy, onnx and onnxruntime, a C
# compiler (run_bench.py builds its FMA and memory probes), xz and taskset.
#
# A device transfer carries at most 64 MiB and random f32 weights do not
# compress, so every weight tensor is first put on a grid of --levels
# levels (scripts/gpu/quantize.py; 15 levels: gelan-c 640's 101 MB ONNX
# file packs into 11.5 MB, its runner into 19 MB). The grid changes no latency: the same model goes
# to onnxruntime, OpenVINO and yolo-codegen, and run_bench.py still checks
# our output against onnxruntime's. The runner is built for --target
# (default: AVX-512 (Skylake's set), AVX2 + FMA and plain x86-64 variants,
# picked at run time), the ONNX file and the runner are xz-packed.
#
# OpenVINO (the wheel for the machine's Python, e.g. `pip download
# --python-version 3.12 ... openvino==2025.3.0`) travels without its GPU
# and NPU plugins, its non-ONNX front ends and its headers (about 18 MB
# packed); without --openvino-wheel, run.sh benchmarks onnxruntime alone
# unless that machine has OpenVINO.
#
# run.sh pins the benchmark to --cpus (default auto: the third CPU this
# process may use and one of another core, two cores as on CI's machines,
# never two hyperthreads of one) and runs bench/run_bench.py at 1 and 2
# threads, --repeat timed runs in --rounds rounds of the engines in turn.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=""
models="gelan-t-fused-640 gelan-c-fused-640"
levels=15
target="x86-64-linux-avx512_skylake,x86-64-linux-avx2-fma,x86-64-linux"
ov_wheel=""
telemetry_wheel=""
repeat=10
rounds=2
engines="ours,ort,ov"
cpus="auto"
while [ $# -gt 0 ]; do
  case $1 in
    --bundle) bundle=$2; shift 2 ;;
    --models) models=$2; shift 2 ;;
    --levels) levels=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --openvino-wheel) ov_wheel=$2; shift 2 ;;
    --telemetry-wheel) telemetry_wheel=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --engines) engines=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    *) echo "usage: $0 --bundle DIR [--models \"M ...\"] [--levels N]" \
         "[--target T] [--openvino-wheel W] [--telemetry-wheel W]" \
         "[--repeat N] [--rounds N] [--cpus LIST] [--engines E,...]" >&2
       exit 2 ;;
  esac
done
[ -n "$bundle" ] || { echo "bundle_bench: --bundle DIR is required" >&2; exit 2; }
fixtures=${YOLO_FIXTURE_DIR:-$HOME/.cache/yolo-compiler/fixtures}
py="$root/.venv/bin/python"
tools=${YOLO_TOOLS_DIR:-$root/build/bin}
[ -z "$ov_wheel" ] || ov_wheel=$(realpath "$ov_wheel")
[ -z "$telemetry_wheel" ] || telemetry_wheel=$(realpath "$telemetry_wheel")
[ -x "$tools/yolo-codegen" ] ||
  { echo "bundle_bench: build first (scripts/build.sh)" >&2; exit 1; }
mkdir -p "$bundle"
bundle=$(cd "$bundle" && pwd)
work=$(mktemp -d /tmp/yolo-bundle-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

for m in $models; do
  onnx="$fixtures/$m.onnx"
  [ -f "$onnx" ] ||
    { echo "bundle_bench: $onnx missing (scripts/export_fixtures.py)" >&2; exit 1; }
  out="$bundle/$m"
  rm -rf "$out" "$work/lib"
  mkdir -p "$out"
  echo "== $m: weights on $levels levels; yolo-codegen --target=$target"
  "$py" "$root/scripts/gpu/quantize.py" "$onnx" "$work/model.onnx" \
    --levels "$levels"
  "$tools/yolo-codegen" "$work/model.onnx" -o "$work/lib" --name=model \
    --target="$target" --emit-runner --quiet
  xz -T2 -6 -c "$work/model.onnx" >"$out/model.onnx.xz"
  xz -T2 -6 -c "$work/lib/model-run" >"$out/model-run.xz"
  echo "   $(du -h "$out/model.onnx.xz" | cut -f1) ONNX," \
    "$(du -h "$out/model-run.xz" | cut -f1) runner (packed)"
done

if [ -n "$ov_wheel" ]; then
  echo "== OpenVINO: $(basename "$ov_wheel") without GPU/NPU plugins, other front ends, headers"
  mkdir -p "$work/ov"
  (cd "$work/ov" && unzip -q "$ov_wheel" &&
    if [ -n "$telemetry_wheel" ]; then unzip -q -o "$telemetry_wheel"; fi &&
    rm -rf openvino/include openvino/libs/cache.json \
      openvino/libs/libopenvino_intel_gpu_plugin.so \
      openvino/libs/libopenvino_intel_npu_plugin.so \
      openvino/libs/libopenvino_tensorflow_frontend.so.* \
      openvino/libs/libopenvino_tensorflow_lite_frontend.so.* \
      openvino/libs/libopenvino_paddle_frontend.so.* \
      openvino/libs/libopenvino_pytorch_frontend.so.* \
      openvino/libs/libopenvino_jax_frontend.so.* &&
    tar cf - . | xz -T2 -6 >"$bundle/openvino.tar.xz")
  echo "   $(du -h "$bundle/openvino.tar.xz" | cut -f1) packed"
fi

mkdir -p "$bundle/bench"
cp "$root/bench/run_bench.py" "$root/bench/fma_peak.c" "$root/bench/core_pingpong.c" \
  "$root/bench/maxrss_exec.c" "$bundle/bench/"
cat >"$bundle/run.sh" <<EOF
#!/usr/bin/env bash
# Made by bench/bundle_bench.sh: bench/run_bench.py for every model here,
# pinned to two CPUs ($cpus), at 1 and 2 threads; one table per model in OUTDIR.
#   bash run.sh [OUTDIR]      (python3 with numpy, onnx, onnxruntime; cc, xz, taskset)
here=\$(cd "\$(dirname "\$0")" && pwd)
outdir=\${1:-\$here}
mkdir -p "\$outdir"
py=\${PYTHON:-python3}
grep -m1 'model name' /proc/cpuinfo
echo "flags: \$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512[a-z_0-9]*|amx[a-z_0-9]*)\$' | tr '\n' ' ')"
cpus=$cpus
if [ "\$cpus" = auto ]; then
  cpus=\$("\$py" - <<'PY'
import os
def siblings(c):
    text = open(f"/sys/devices/system/cpu/cpu{c}/topology/"
                "thread_siblings_list").read().strip()
    out = set()
    for part in text.split(","):
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out
def siblings_or_self(c):
    try:
        return siblings(c)
    except OSError:
        return {c}
allowed = sorted(os.sched_getaffinity(0))
first = allowed[2] if len(allowed) > 3 else allowed[0]
other = [c for c in allowed
         if c != first and c not in siblings_or_self(first)]
print(f"{first},{other[0]}" if other else str(first))
PY
)
fi
echo "cpus: \$(nproc); pinned to \$cpus (CPU \${cpus%%,*} shares its core with \$(cat /sys/devices/system/cpu/cpu\${cpus%%,*}/topology/thread_siblings_list 2>/dev/null || echo '?'))"
if [ -f "\$here/openvino.tar.xz" ]; then
  mkdir -p /tmp/yolo-ov-site
  tar xJf "\$here/openvino.tar.xz" -C /tmp/yolo-ov-site
  export PYTHONPATH=/tmp/yolo-ov-site\${PYTHONPATH:+:\$PYTHONPATH}
fi
status=0
for m in $models; do
  d="\$here/\$m"
  xz -dkf "\$d/model.onnx.xz" && xz -dkf "\$d/model-run.xz" && chmod +x "\$d/model-run"
  echo "== \$m"
  taskset -c "\$cpus" "\$py" "\$here/bench/run_bench.py" --model "\$d/model.onnx" \\
    --runner "\$d/model-run" --threads 1,2 --repeat $repeat --rounds $rounds \\
    --engines $engines \\
    --out "\$outdir/\$m.md" || status=1
done
exit \$status
EOF
chmod +x "$bundle/run.sh"
echo "bundle_bench: bundle in $bundle ($(du -sh "$bundle" | cut -f1)); there: bash $(basename "$bundle")/run.sh OUTDIR"
