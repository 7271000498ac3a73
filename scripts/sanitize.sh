#!/usr/bin/env bash
# Builds the compiler, its tools and both unit-test binaries with
# AddressSanitizer + UndefinedBehaviorSanitizer (clang-19, YOLO_SANITIZE=ON)
# in build-asan/ and runs the test suite against that build. Our code is
# instrumented; the prebuilt MLIR/LLVM, protobuf and Halide libraries are not.
#
#   scripts/sanitize.sh          the whole lit suite + both gtest binaries
#   scripts/sanitize.sh --quick  importer, dialect, pass, export and hostile-
#                                input lit tests + both gtest binaries (CI;
#                                no yolo-codegen, no fixture or codegen tests)
#
# Any sanitizer report fails the run (halt_on_error, no recovery).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
quick=0
[ "${1:-}" = "--quick" ] && quick=1
export PATH="$root/.venv/bin:$PATH"
for tool in clang-19 clang++-19; do
  command -v "$tool" >/dev/null ||
    { echo "sanitize: $tool missing: run scripts/setup.sh" >&2; exit 1; }
done
if [ ! -f build-asan/build.ninja ]; then
  # -O1 and line tables only: quick to build, readable reports.
  cmake -G Ninja -S . -B build-asan -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_C_FLAGS_RELEASE="-O1 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only" \
    -DYOLO_SANITIZE=ON \
    -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT="$root/.venv/bin/lit" >/dev/null
fi
targets=(yolo-opt yolo-translate yolo-unittests yolo-runtime-tests)
[ $quick -eq 1 ] || targets+=(yolo-codegen)
ninja -C build-asan "${targets[@]}" | tail -n 1

# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons its slabs in the
# (instrumented) inline code of our files but not in the uninstrumented
# MLIR libraries that allocate from the same slabs: false reports.
export ASAN_OPTIONS="allow_user_poisoning=0:detect_leaks=1:abort_on_error=0:halt_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:${LSAN_OPTIONS:-}"
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-19/bin/llvm-symbolizer

if [ $quick -eq 1 ]; then
  suites=(build-asan/test/Conversion build-asan/test/Dialect
          build-asan/test/Passes build-asan/test/Hostile)
else
  suites=(build-asan/test)
fi
set +e
.venv/bin/lit -sv --xunit-xml-output=build-asan/lit-results.xml "${suites[@]}"
lit_rc=$?
build-asan/bin/yolo-unittests --gtest_brief=1 \
  --gtest_output=xml:build-asan/unit-results.xml
unit_rc=$?
build-asan/bin/yolo-runtime-tests --gtest_brief=1 \
  --gtest_output=xml:build-asan/runtime-results.xml
runtime_rc=$?
set -e
echo -n "sanitize: "
.venv/bin/python scripts/summarize_tests.py build-asan/lit-results.xml \
  build-asan/unit-results.xml build-asan/runtime-results.xml
[ $lit_rc -eq 0 ] && [ $unit_rc -eq 0 ] && [ $runtime_rc -eq 0 ]
