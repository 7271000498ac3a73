#!/usr/bin/env python3
"""The instruction mix of a generated library's hot loops, from its
disassembly (qemu timings mean nothing, so this is what an ARM64 build
reports instead of speed).

    insn_mix.py LIBRARY.a [--objdump aarch64-linux-gnu-objdump] [--top 10]

A loop is the address range from a backward branch's target to the branch,
inside one function. The hot loops are the innermost ones (no other loop
inside) that hold at least one floating-point multiply-add: in the
generated kernels, the reduction loops of the convolutions. For them it
counts FMA instructions by kind:

  vector  fmla/fmls (and fmlal) on vector registers (v.4s, v.8h, by
          element or not)
  scalar  fmadd/fmsub/fnmadd/fnmsub, and fmla on scalar registers

and prints, per kernel object and in total, the fraction that is vector,
plus the same count over the whole library (hot or not). Exits 1 when no
hot loop is found (a disassembly problem, not a result).
"""
import argparse
import collections
import re
import subprocess
import sys

INSN = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")
FUNC = re.compile(r"^[0-9a-f]+ <(.+)>:$")
MEMBER = re.compile(r"^In archive .*?:$|^(\S+\.o):\s+file format")
BRANCH = re.compile(r"^(b|b\.\w+|cbz|cbnz|tbz|tbnz)$")
VECTOR_FMA = re.compile(r"^(fmla|fmls|fmlal2?|fmlsl2?)$")
SCALAR_FMA = re.compile(r"^(fmadd|fmsub|fnmadd|fnmsub)$")


def classify(mnemonic, operands):
    """'vector', 'scalar' or None."""
    if VECTOR_FMA.match(mnemonic):
        first = operands.split(",")[0].strip()
        return "vector" if first.startswith("v") else "scalar"
    if SCALAR_FMA.match(mnemonic):
        return "scalar"
    return None


def parse(text):
    """{(object, function): [(address, mnemonic, operands)]}"""
    funcs = collections.OrderedDict()
    obj, cur = "?", None
    for line in text.splitlines():
        m = MEMBER.match(line)
        if m:
            if m.group(1):
                obj = m.group(1)
            continue
        m = FUNC.match(line)
        if m:
            cur = funcs.setdefault((obj, m.group(1)), [])
            continue
        m = INSN.match(line)
        if m and cur is not None:
            cur.append((int(m.group(1), 16), m.group(2), m.group(3)))
    return funcs


def branch_target(operands):
    # "b.ne 328 <k0+0x328>" / "cbnz x1, 1f0 <...>" / "tbz w0, #3, 10 <...>"
    m = re.search(r"\b([0-9a-f]+) <", operands)
    return int(m.group(1), 16) if m else None


def hot_loops(insns):
    """Innermost loops holding an FMA: lists of instructions."""
    loops = []
    for i, (addr, mnem, ops) in enumerate(insns):
        if BRANCH.match(mnem):
            target = branch_target(ops)
            if target is not None and target <= addr:
                loops.append((target, addr))
    inner = [l for l in loops
             if not any(o != l and l[0] <= o[0] and o[1] <= l[1]
                        for o in loops)]
    out = []
    for lo, hi in inner:
        body = [x for x in insns if lo <= x[0] <= hi]
        if any(classify(m, o) for _, m, o in body):
            out.append(body)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("library")
    ap.add_argument("--objdump", default="aarch64-linux-gnu-objdump")
    ap.add_argument("--top", type=int, default=10,
                    help="kernels listed (most hot FMAs first)")
    args = ap.parse_args()
    text = subprocess.run([args.objdump, "-d", "--no-show-raw-insn",
                           args.library], capture_output=True, text=True,
                          check=True).stdout
    funcs = parse(text)
    per_obj = collections.defaultdict(collections.Counter)
    everywhere = collections.Counter()
    loops = 0
    for (obj, _), insns in funcs.items():
        for _, m, o in insns:
            kind = classify(m, o)
            if kind:
                everywhere[kind] += 1
        for body in hot_loops(insns):
            loops += 1
            for _, m, o in body:
                kind = classify(m, o)
                if kind:
                    per_obj[obj][kind] += 1
                per_obj[obj]["insns"] += 1
    if not loops:
        print(f"insn_mix: no hot loop found in {args.library}",
              file=sys.stderr)
        sys.exit(1)

    def frac(c):
        total = c["vector"] + c["scalar"]
        return 100.0 * c["vector"] / total if total else 0.0

    total = collections.Counter()
    for c in per_obj.values():
        total.update(c)
    print(f"{args.library}: {loops} hot loops in {len(per_obj)} objects")
    print(f"{'object':<24} {'vector fma':>10} {'scalar fma':>10} "
          f"{'insns':>7} {'vector %':>9}")
    ranked = sorted(per_obj.items(), key=lambda kv: -kv[1]["vector"])
    for obj, c in ranked[:args.top]:
        print(f"{obj:<24} {c['vector']:>10} {c['scalar']:>10} "
              f"{c['insns']:>7} {frac(c):>8.2f}%")
    scalar = [f"{o} ({c['scalar']})" for o, c in ranked if c["scalar"]]
    if scalar:
        print("scalar FMAs in the hot loops of: " + ", ".join(scalar))
    print(f"{'hot loops, all':<24} {total['vector']:>10} {total['scalar']:>10} "
          f"{total['insns']:>7} {frac(total):>8.2f}%")
    print(f"{'whole library':<24} {everywhere['vector']:>10} "
          f"{everywhere['scalar']:>10} {'':>7} {frac(everywhere):>8.2f}%")


if __name__ == "__main__":
    main()
