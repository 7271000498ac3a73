#!/usr/bin/env bash
# The project's test command: set-up, build, fixture export, then every test
# (lit + FileCheck suite incl. fixture and numerical checks, unit tests).
# Ends with one summary line "N passed, N failed, N skipped".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
bash scripts/setup.sh
echo "== build"
bash scripts/build.sh yolo-opt yolo-translate yolo-codegen yolo-unittests \
  yolo-runtime-tests | tail -n 1
echo "== fixtures"
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
set -e
.venv/bin/python scripts/summarize_tests.py build/lit-results.xml \
  build/unit-results.xml build/runtime-results.xml
echo "test time: $(( $(date +%s) - start )) s"
[ $lit_rc -eq 0 ] && [ $unit_rc -eq 0 ] && [ $runtime_rc -eq 0 ]
