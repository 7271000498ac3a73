"""The host CPU's features as Linux's /proc/cpuinfo names them (the names
generated libraries use in their CPU checks; see yolo_runtime.h). Shared by
test/lit.cfg.py (lit features) and scripts/check_codegen.py (messages)."""


def cpu_flags():
    """The "flags" (x86) or "Features" (AArch64) of the first CPU; an empty
    set where /proc/cpuinfo cannot be read."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()
