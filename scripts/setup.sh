#!/usr/bin/env bash
# Takes a fresh Debian 12 machine to a working build environment:
#   - Debian packages (LLVM/MLIR 19, ONNX protobuf, torch for fixture export),
#   - .venv: project-local PyPI packages (halide, cmake, lit, onnx, onnxruntime,
#     numpy, openvino, pytest),
#   - .venv-export: a venv over Debian's python3 + python3-torch holding the
#     upstream YOLOv9 model code (PyPI `yolo9`) for fixture export,
#   - .venv-ultralytics: the same over Debian's torch, holding Ultralytics
#     for its fixtures (scripts/export_fixtures.py runs each family in its
#     venv).
# Idempotent: prints one line and exits quickly when nothing is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

apt_pkgs=(
  build-essential ninja-build git libgtest-dev
  g++-aarch64-linux-gnu qemu-user
  libmlir-19-dev mlir-19-tools llvm-19-dev llvm-19-tools
  libonnx-dev libprotobuf-dev protobuf-compiler
  clang-19 libclang-rt-19-dev
  libjpeg62-turbo-dev libpng-dev python3-dev
  zlib1g-dev libzstd-dev libedit-dev libxml2-dev libcurl4-openssl-dev
  python3 python3-venv python3-pip
  python3-torch python3-torchvision python3-onnx python3-yaml python3-opencv
  python3-scipy python3-pandas python3-matplotlib python3-seaborn
  python3-ipython python3-requests python3-pil python3-packaging
  python3-psutil python3-tqdm python3-git
)
pip_pkgs=(
  "halide==21.0.0" "cmake==4.1.2" "lit==18.1.8" "onnx==1.19.1"
  "onnxruntime==1.23.2" "numpy==2.2.6" "openvino==2025.3.0" "pytest==8.3.5"
)
export_pkgs=("yolo9==1.0.18")
# Ultralytics and what its ONNX export imports beyond Debian's packages,
# installed with --no-deps over Debian's torch 1.13 and numpy 1.24: onnx new
# enough for onnxslim (1.17: the newest that runs on Debian's protobuf
# 3.21), onnxslim (the default simplify=True) with its sympy and ml_dtypes.
# Ultralytics' other requirements (polars, ultralytics-thop, ...) are not
# needed to build and export models, or come from Debian (python3-opencv,
# -yaml, -pil, -matplotlib, -requests, -psutil). A separate venv: with the
# newer onnx, `import onnx` fails after `import torch` (Debian's torch
# registers its own onnx.proto), which .venv-export's users need not know.
ultralytics_pkgs=("ultralytics==8.4.190" "onnx==1.17.0" "onnxslim==0.1.98"
                  "sympy==1.13.3" "ml_dtypes==0.5.1")

missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
did=0
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
    --no-install-recommends "${missing[@]}" >/dev/null
  did=1
fi

stamp() { printf '%s\n' "$@" | sha1sum | cut -c1-16; }

want=$(stamp "${pip_pkgs[@]}")
if [ "$(cat .venv/.stamp 2>/dev/null)" != "$want" ]; then
  echo "setup: creating .venv (${pip_pkgs[*]})"
  [ -x .venv/bin/python ] || /usr/bin/python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check "${pip_pkgs[@]}"
  echo "$want" > .venv/.stamp
  did=1
fi

want=$(stamp "${export_pkgs[@]}")
if [ "$(cat .venv-export/.stamp 2>/dev/null)" != "$want" ]; then
  echo "setup: creating .venv-export (Debian torch + ${export_pkgs[*]})"
  [ -x .venv-export/bin/python ] ||
    /usr/bin/python3 -m venv --system-site-packages .venv-export
  .venv-export/bin/python -m pip install -q --disable-pip-version-check \
    --no-deps "${export_pkgs[@]}"
  echo "$want" > .venv-export/.stamp
  did=1
fi

want=$(stamp "${ultralytics_pkgs[@]}")
if [ "$(cat .venv-ultralytics/.stamp 2>/dev/null)" != "$want" ]; then
  echo "setup: creating .venv-ultralytics (Debian torch + ${ultralytics_pkgs[*]})"
  [ -x .venv-ultralytics/bin/python ] ||
    /usr/bin/python3 -m venv --system-site-packages .venv-ultralytics
  .venv-ultralytics/bin/python -m pip install -q --disable-pip-version-check \
    --no-deps "${ultralytics_pkgs[@]}"
  echo "$want" > .venv-ultralytics/.stamp
  did=1
fi

[ $did -eq 1 ] && echo "setup: done" || echo "setup: nothing to do"
