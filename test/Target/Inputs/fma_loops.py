"""Summarizes the FMA loops of an x86 disassembly.

    objdump -d --no-show-raw-insn LIB | python3 fma_loops.py

A loop is a backward conditional jump and the instructions from its target
to the jump; only innermost loops count (no other backward jump inside).
For each loop with at least 16 FMAs whose other operand is a broadcast
from memory ({1toK}: a register tile's weights), prints one line: the FMA
count, how many distinct base registers those broadcasts address, and how
many instructions of the loop read or write the stack (%rsp): spills;
then the count of such loops and the largest of each. Used by
test/Target/conv-weight-addressing.test.
"""
import re
import sys

MIN_FMAS = 16

insn = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")
jump = re.compile(r"^j(?!mp)\w+$")
bcast = re.compile(r"\((%\w+)(?:,%\w+,\d)?\)\{1to\d+\}")


def back_target(addr, op, args):
    """The target of a backward conditional jump at `addr`, else None."""
    if not jump.match(op):
        return None
    try:
        target = int(args.split()[0], 16)
    except (ValueError, IndexError):
        return None
    return target if target < addr else None


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
    for i, insn_ in enumerate(body):
        target = back_target(*insn_)
        if target is None or target not in index:
            continue
        loop = body[index[target]:i + 1]
        if any(back_target(*x) is not None for x in loop[:-1]):
            continue
        fmas = [a for _, o, a in loop if o.startswith("vfmadd") and "{1to" in a]
        if len(fmas) < MIN_FMAS:
            continue
        bases = {m.group(1) for m in map(bcast.search, fmas) if m}
        stack = sum(1 for _, _, a in loop if "(%rsp" in a)
        loops += 1
        worst_bases = max(worst_bases, len(bases))
        worst_stack = max(worst_stack, stack)
        print(f"loop: fmas={len(fmas)} bases={len(bases)} stack={stack}")
print(f"loops: {loops} most bases: {worst_bases} most stack: {worst_stack}")
