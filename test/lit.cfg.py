# -*- Python -*-
# lit configuration of the yolo compiler's tests.
#
# Features:
#   fixtures  - the exported YOLOv9 fixture models are present (made by
#               scripts/export_fixtures.py in $YOLO_FIXTURE_DIR, default
#               ~/.cache/yolo-compiler/fixtures)
#   onnxruntime - the project venv's python can import onnxruntime
#   qemu-aarch64 - the aarch64 cross toolchain (aarch64-linux-gnu-gcc, -ar)
#               and qemu-aarch64 with the cross sysroot are present, so that
#               ARM64 libraries build and their runners run here
#   nvcc      - the CUDA toolkit's cuobjdump or nvcc is present (CUDA build
#               checks inspect the generated device code with it)
#   cuda-driver - an NVIDIA GPU machine: `nvidia-smi -L` lists a GPU or
#               libcuda.so.1 loads, so CUDA libraries run here
#   cpu-x86-64, cpu-avx2, cpu-avx512 - the host CPU, from /proc/cpuinfo:
#               x86-64; AVX2 + FMA; AVX-512 F/CD/BW/DQ/VL (Skylake-level).
#               Libraries for features the host lacks are still built and
#               checked statically, but only run where the feature is.
#   %cpu_missing_target - an x86-64 Halide target whose features this CPU
#               lacks (AVX-512 on an AVX2 host, Sapphire Rapids' AMX and
#               FP16 on an AVX-512 host, APX beyond that): the refusal
#               tests run on every machine.
import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "YOLO"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "codegen.test.mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.yolo_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.yolo_tools_dir, append_path=True)
for var in ("HOME", "YOLO_FIXTURE_DIR", "YOLO_CPU_DISABLE"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

tools = ["yolo-opt", "yolo-translate", "yolo-codegen"]
llvm_config.add_tool_substitutions(tools, [config.yolo_tools_dir])

# %limit_memory: the RUN line that caps the memory of the commands after it
# (hostile-input tests: a lying header must not allocate multi-GiB). A plain
# build gets a 2 GiB address-space limit; under AddressSanitizer, which
# reserves terabytes of address space, ASan's own limits do the same job:
# one allocation over 2 GiB or a resident set over 2 GiB is a report.
if getattr(config, "yolo_sanitize", False):
    config.available_features.add("asan")
    config.substitutions.append(
        ("%limit_memory", "export ASAN_OPTIONS=$ASAN_OPTIONS:"
         "max_allocation_size_mb=2048:hard_rss_limit_mb=2048"))
else:
    config.substitutions.append(("%limit_memory", "ulimit -v 2097152"))
for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
            "ASAN_SYMBOLIZER_PATH"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

venv_python = os.path.join(config.yolo_src_root, ".venv", "bin", "python")
config.substitutions.append(("%venv_python", venv_python))
config.substitutions.append(("%tools", config.yolo_tools_dir))
# The build tree (cmake --install) and the venv's CMake (>= 3.28).
config.substitutions.append(("%yolo_build", config.yolo_obj_root))
config.substitutions.append(("%yolo_src", config.yolo_src_root))
config.substitutions.append(
    ("%cmake", os.path.join(config.yolo_src_root, ".venv", "bin", "cmake")))
config.substitutions.append(("%scripts", os.path.join(config.yolo_src_root, "scripts")))

fixture_dir = os.environ.get(
    "YOLO_FIXTURE_DIR",
    os.path.join(os.path.expanduser("~"), ".cache", "yolo-compiler", "fixtures"))
config.substitutions.append(("%fixtures", fixture_dir))
if os.path.exists(os.path.join(fixture_dir, "manifest.json")):
    config.available_features.add("fixtures")
else:
    lit_config.note("fixture models not found in %s: tests that need them are "
                    "UNSUPPORTED (run scripts/export_fixtures.py)" % fixture_dir)

def _can_import(module):
    if not os.path.exists(venv_python):
        return False
    return subprocess.call([venv_python, "-c", "import " + module],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) == 0

if _can_import("onnxruntime"):
    config.available_features.add("onnxruntime")
else:
    lit_config.note("onnxruntime not importable from .venv: numerical tests "
                    "are UNSUPPORTED")

if _can_import("openvino"):
    config.available_features.add("openvino")

if (shutil.which("qemu-aarch64") and shutil.which("aarch64-linux-gnu-gcc")
        and shutil.which("aarch64-linux-gnu-ar")
        and os.path.isdir("/usr/aarch64-linux-gnu/lib")):
    config.available_features.add("qemu-aarch64")
else:
    lit_config.note("qemu-aarch64 or the aarch64 cross toolchain is missing: "
                    "ARM64 tests are UNSUPPORTED (run scripts/setup.sh)")

# An NVIDIA GPU machine: `nvidia-smi -L` lists a GPU, or the CUDA driver
# loads; CUDA libraries can run (test/Target/gpu-run.test).
def _nvidia_gpu_listed():
    try:
        p = subprocess.run(["nvidia-smi", "-L"], capture_output=True,
                           text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return p.returncode == 0 and "GPU " in p.stdout

def _cuda_driver_loads():
    try:
        import ctypes
        ctypes.CDLL("libcuda.so.1")
        return True
    except OSError:
        return False

if _nvidia_gpu_listed() or _cuda_driver_loads():
    config.available_features.add("cuda-driver")
else:
    lit_config.note("no NVIDIA GPU (nvidia-smi -L) and no CUDA driver "
                    "(libcuda.so.1): GPU runs are UNSUPPORTED")

# The host CPU's features, as Linux names them.
import platform
import sys
sys.path.insert(0, os.path.join(config.yolo_src_root, "scripts"))
from cpuinfo import cpu_flags as _cpu_flags
cpu_flags = _cpu_flags()
# two-cpus: this process may run on two CPUs or more (bench/split_bound.py
# pins one run to each of two).
if hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) >= 2:
    config.available_features.add("two-cpus")
if platform.machine() == "x86_64":
    config.available_features.add("cpu-x86-64")
    if {"avx2", "fma"} <= cpu_flags:
        config.available_features.add("cpu-avx2")
    if {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"} <= cpu_flags:
        config.available_features.add("cpu-avx512")
    # An AVX-512 target this CPU lacks (its library must hold zmm code):
    # Skylake's AVX-512 on an AVX2 host, Sapphire Rapids' on an AVX-512 one
    # without AMX and FP16, Sapphire Rapids' with APX on a Sapphire or
    # Emerald Rapids (Intel family 6 model 207 was the first such host;
    # Linux names APX apx or apx_f). A CPU with all of them has no
    # `cpu-missing-target`.
    if "avx512f" not in cpu_flags:
        missing = "x86-64-linux-avx512_skylake"
    elif not {"amx_tile", "avx512_fp16"} <= cpu_flags:
        missing = "x86-64-linux-avx512_sapphirerapids"
    elif not {"apx", "apx_f"} & cpu_flags:
        missing = "x86-64-linux-avx512_sapphirerapids-x86apx"
    else:
        missing = None
    if missing:
        config.available_features.add("cpu-missing-target")
        config.substitutions.append(("%cpu_missing_target", missing))
    lit_config.note("host CPU: %s; a target it lacks: %s" % (
        ", ".join(f for f in ("cpu-avx2", "cpu-avx512")
                  if f in config.available_features) or "no AVX2",
        missing or "none"))
