"""The host CPU's features as Linux's /proc/cpuinfo names them (the names
generated libraries use in their CPU checks; see yolo_runtime.h). Shared by
test/lit.cfg.py (lit features) and scripts/check_codegen.py (messages).

The test-only environment variable YOLO_CPU_DISABLE (comma-separated names,
no spaces, matched exactly as the runtime's CPU check matches them) takes
features away, as it does from that check and from what `yolo-codegen
--target=host` compiles for: with the list `--beyond-avx2` prints, the
tests run on an AVX-512 CPU as on an AVX2-only one (README.md)."""
import os


def cpu_flags(honour_disable=True):
    """The "flags" (x86) or "Features" (AArch64) of the first CPU, less
    those YOLO_CPU_DISABLE lists (unless `honour_disable` is false); an
    empty set where /proc/cpuinfo cannot be read."""
    flags = set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    flags = set(line.split(":", 1)[1].split())
                    break
    except OSError:
        pass
    if not honour_disable:
        return flags
    return flags - set(os.environ.get("YOLO_CPU_DISABLE", "").split(","))


def beyond_avx2(flags):
    """Those of `flags` that an AVX2-only x86-64 CPU (AMD Zen 2: AVX2, FMA,
    F16C, BMI; no AVX-512, AVX-VNNI, AMX, GFNI, VAES, VPCLMULQDQ, AVX10,
    APX) lacks."""
    return sorted(f for f in flags
                  if f.startswith(("avx512", "amx", "avx10", "apx"))
                  or f in ("avx_vnni", "gfni", "vaes", "vpclmulqdq"))


if __name__ == "__main__":
    import sys
    if sys.argv[1:] != ["--beyond-avx2"]:
        sys.exit("usage: cpuinfo.py --beyond-avx2  (prints, comma-separated, "
                 "this CPU's features that an AVX2-only one lacks: the value "
                 "of YOLO_CPU_DISABLE that makes the tests run as on such a "
                 "CPU)")
    # The CPU's own flags: printed again under the list it printed, it
    # prints the same list.
    print(",".join(beyond_avx2(cpu_flags(honour_disable=False))))
