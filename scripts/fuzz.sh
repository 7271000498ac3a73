#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-19, ASan + UBSan, YOLO_ENABLE_FUZZERS)
# in build-fuzz/ and runs each for a bounded time, niced:
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 60; TARGETs are import-onnx (binary
# protobuf), import-onnxtxt (protobuf text), mlir (the .mlir path of
# yolo-opt/yolo-codegen), image, npy and postprocess (the runtime's image
# and .npy readers and its post-processing, fuzz/fuzz-runtime.c), all by
# default, one after the other.
# Seeds come from scripts/fuzz_seeds.py; what libFuzzer learns is kept in
# build-fuzz/corpus/TARGET, so later runs continue from there. A crash
# leaves build-fuzz/artifacts/TARGET-crash-* and makes the script fail;
# turn it into a regression test: a lit test under test/Hostile for the
# compiler (the input must give `error:` and exit 1), a gtest replaying the
# file from unittests/Inputs for the runtime. Each target runs as a series of fresh processes of at most
# YOLO_FUZZ_SEGMENT seconds (900 by default; see below), YOLO_FUZZ_JOBS of
# them side by side (1 by default); the script prints the executions per
# process, their sum, and the coverage reached per target.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] ||
  targets=(import-onnx import-onnxtxt mlir image npy postprocess)
export PATH="$root/.venv/bin:$PATH"
for tool in clang-19 clang++-19; do
  command -v "$tool" >/dev/null ||
    { echo "fuzz: $tool missing: run scripts/setup.sh" >&2; exit 1; }
done
if [ ! -f build-fuzz/build.ninja ]; then
  # Optimized, with line tables, and with assertions (no -DNDEBUG): an
  # assertion in our code or in MLIR's inline code is a finding too.
  cmake -G Ninja -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_C_FLAGS_RELEASE="-O2 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -gline-tables-only" \
    -DYOLO_ENABLE_FUZZERS=ON -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT="$root/.venv/bin/lit" >/dev/null
fi
nice -n 15 ninja -C build-fuzz "${targets[@]/#/yolo-fuzz-}" | tail -n 1

# Seeds are made afresh per invocation (several may run at once).
seed_dir=build-fuzz/seeds.$$
trap 'rm -rf "$seed_dir"' EXIT
.venv/bin/python scripts/fuzz_seeds.py "$seed_dir"
mkdir -p build-fuzz/artifacts build-fuzz/logs
# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons its slabs in the
# (instrumented) inline code of our files but not in the uninstrumented
# MLIR libraries that allocate from the same slabs: false reports.
export ASAN_OPTIONS="allow_user_poisoning=0:halt_on_error=1:${ASAN_OPTIONS:-}"
# ubsan.supp: suppressions for known, recoverable reports (none at present).
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/scripts/ubsan.supp:${UBSAN_OPTIONS:-}"
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-19/bin/llvm-symbolizer
# Long campaigns are cut into runs of at most $segment seconds, each a
# fresh process: with ASan, the process's RSS creeps up with allocator
# fragmentation (an mlir run of 7.6 M executions reached the 2 GiB limit
# with 38 MB of live heap), and a fresh process keeps the limit meaningful
# for the input at hand. Executions are summed over the runs.
segment=${YOLO_FUZZ_SEGMENT:-900}
# YOLO_FUZZ_JOBS: fuzzer processes per target at a time (1 by default).
jobs=${YOLO_FUZZ_JOBS:-1}
status=0
for t in "${targets[@]}"; do
  case $t in
    # 64 KB: the seeds' size (scripts/fuzz_seeds.py); larger inputs (the
    # million-entry hostile models) are slow: 991 -> 2754 exec/s measured.
    import-onnx) seeds=onnx; max_len=65536 ;;
    import-onnxtxt) seeds=onnxtxt; max_len=65536 ;;
    mlir) seeds=mlir; max_len=32768 ;;
    image) seeds=image; max_len=65536 ;;
    npy) seeds=npy; max_len=4096 ;;
    postprocess) seeds=postprocess; max_len=16384 ;;
    *) echo "fuzz: unknown target '$t'" >&2; exit 2 ;;
  esac
  mkdir -p "build-fuzz/corpus/$t"
  log=build-fuzz/logs/$t.log
  : >"$log"
  echo "== fuzz $t for $seconds s in runs of at most $segment s," \
    "$jobs process(es) at a time (log: $log)"
  total=0 left=$seconds rc=0 runs=0 started=$SECONDS
  while [ "$left" -gt 0 ] && [ $rc -eq 0 ]; do
    run=$((left < segment ? left : segment))
    # -rss_limit_mb: a lying header must not take more than 2 GiB (and
    # -malloc_limit_mb: nor may one allocation); -timeout: one input may
    # take 10 s at most (a hang is a finding too). Parallel processes share
    # the corpus folder, as libFuzzer's own -jobs do.
    pids=()
    for ((j = 0; j < jobs; ++j)); do
      nice -n 15 timeout $((run + 120)) "build-fuzz/bin/yolo-fuzz-$t" \
        "build-fuzz/corpus/$t" "$seed_dir/$seeds" \
        -max_total_time="$run" -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -max_len=$max_len -timeout=10 -print_final_stats=1 \
        -artifact_prefix="build-fuzz/artifacts/$t-" >"$log.$j" 2>&1 &
      pids+=($!)
    done
    for ((j = 0; j < jobs; ++j)); do
      set +e
      wait "${pids[$j]}"
      code=$?
      set -e
      [ $code -eq 0 ] || rc=$code
      cat "$log.$j" >>"$log"
      # The executions of this process: its statistics line.
      execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log.$j" |
        tail -n 1 | grep -o '[0-9]*$' || true)
      total=$((total + ${execs:-0}))
      runs=$((runs + 1))
      echo "fuzz $t: run $runs: rc=$code executions=${execs:-?} (total $total)"
      rm -f "$log.$j"
    done
    left=$((left - run))
  done
  elapsed=$((SECONDS - started))
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 || true)
  corpus=$(ls "build-fuzz/corpus/$t" | wc -l)
  echo "fuzz $t: rc=$rc runs=$runs executions=$total" \
    "exec/s=$((total / (elapsed > 0 ? elapsed : 1))) ${cov:-cov: ?} corpus=$corpus"
  if [ $rc -ne 0 ]; then
    status=1
    grep -m 3 -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" || true
  fi
done
exit $status
