"""Summarizes the FMA loops of an x86 disassembly (objdump -d --no-show-raw-insn).

    objdump -d --no-show-raw-insn LIB | python3 fma_loops.py [--min-fmas N]

A loop is a backward conditional jump and the instructions from its target
to the jump; only innermost loops count (no other backward jump inside).
For each loop with at least N (default 16) FMAs whose other
operand is a broadcast from memory ({1toK}: a register tile's weights),
prints one line: the FMA count, how many distinct base registers those
broadcasts address, and how many instructions of the loop read or write
the stack (%rsp): spills; then the count and the largest of each. Used by test/Target/conv-weight-addressing.test.
"""
import re
import sys

min_fmas = 16
if "--min-fmas" in sys.argv:
    min_fmas = int(sys.argv[sys.argv.index("--min-fmas") + 1])

insn = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")
jump = re.compile(r"^j(?!mp)\w+$")
bcast = re.compile(r"-?(?:0x[0-9a-f]+)?\((%\w+)(?:,%\w+,\d)?\)\{1to\d+\}")

def _back(args, addr):
    try:
        return int(args.split()[0], 16) < addr
    except (ValueError, IndexError):
        return False


functions = []  # lists of (address, mnemonic, operands)
for line in sys.stdin:
    if re.match(r"^[0-9a-f]+ <.*>:$", line):
        functions.append([])
        continue
    m = insn.match(line)
    if m and functions:
        functions[-1].append((int(m.group(1), 16), m.group(2), m.group(3)))

loops = 0
worst_bases = worst_stack = 0
for body in functions:
    index = {addr: i for i, (addr, _, _) in enumerate(body)}
    for i, (addr, op, args) in enumerate(body):
        if not jump.match(op):
            continue
        target = args.split()[0]
        try:
            target = int(target, 16)
        except ValueError:
            continue
        if target >= addr or target not in index:
            continue
        loop = body[index[target]:i + 1]
        if any(jump.match(o) and _back(a, ad) for ad, o, a in loop[:-1]):
            continue
        fmas = [a for _, o, a in loop if o.startswith("vfmadd") and "{1to" in a]
        if len(fmas) < min_fmas:
            continue
        bases = {bcast.search(a).group(1) for a in fmas if bcast.search(a)}
        stack = sum(1 for _, _, a in loop if "(%rsp" in a)
        loops += 1
        worst_bases = max(worst_bases, len(bases))
        worst_stack = max(worst_stack, stack)
        print(f"loop: fmas={len(fmas)} bases={len(bases)} stack={stack}")
print(f"loops: {loops} most bases: {worst_bases} most stack: {worst_stack}")
