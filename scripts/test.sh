#!/usr/bin/env bash
# The project's test command: set-up, build, fixture export, then every test
# (lit + FileCheck suite incl. fixture and numerical checks, unit tests,
# the Python module's pytest suite),
# then the bounded sanitizer run (scripts/sanitize.sh --quick: the front
# end's lit tests and both gtest binaries built with ASan + UBSan).
# Ends with one summary line "N passed, N failed, N skipped" over both.
#
#   scripts/test.sh [--no-sanitize]   (--no-sanitize: skip the ASan build,
#                                      for quick local runs; CI runs all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sanitize=1
[ "${1:-}" = "--no-sanitize" ] && sanitize=0
start=$(date +%s)
bash scripts/setup.sh
echo "== build"
bash scripts/build.sh yolo-opt yolo-translate yolo-codegen yolo-unittests \
  yolo-runtime-tests | tail -n 1
echo "== fixtures"
# Upstream YOLOv9 exports here; the Ultralytics ones (ul-*) the script
# exports by running itself in .venv-ultralytics.
.venv-export/bin/python scripts/export_fixtures.py --set test
echo "== lit"
set +e
.venv/bin/lit -sv --xunit-xml-output=build/lit-results.xml build/test
lit_rc=$?
echo "== unit tests"
build/bin/yolo-unittests --gtest_brief=1 --gtest_output=xml:build/unit-results.xml
unit_rc=$?
build/bin/yolo-runtime-tests --gtest_brief=1 \
  --gtest_output=xml:build/runtime-results.xml
runtime_rc=$?
echo "== python module tests (pytest)"
YOLO_TOOLS_DIR="$root/build/bin" .venv/bin/python -m pytest test/python -q \
  -p no:cacheprovider --junitxml=build/pytest-results.xml
pytest_rc=$?
results=(build/lit-results.xml build/unit-results.xml build/runtime-results.xml
         build/pytest-results.xml)
asan_rc=0
if [ $sanitize -eq 1 ]; then
  echo "== sanitizers (scripts/sanitize.sh --quick)"
  rm -f build-asan/lit-results.xml build-asan/unit-results.xml \
    build-asan/runtime-results.xml
  bash scripts/sanitize.sh --quick
  asan_rc=$?
  # (A missing file, from a failed ASan build, counts as a failure.)
  results+=(build-asan/lit-results.xml build-asan/unit-results.xml
            build-asan/runtime-results.xml)
fi
set -e
.venv/bin/python scripts/summarize_tests.py "${results[@]}"
echo "test time: $(( $(date +%s) - start )) s"
[ $lit_rc -eq 0 ] && [ $unit_rc -eq 0 ] && [ $runtime_rc -eq 0 ] &&
  [ $pytest_rc -eq 0 ] &&
  [ $asan_rc -eq 0 ]
