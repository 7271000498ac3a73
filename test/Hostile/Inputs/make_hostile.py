#!/usr/bin/env python3
"""Writes hostile binary ONNX models into a folder: make_hostile.py OUTDIR.

Hostile means built to hurt a parser or importer: nesting deeper than any
real model, repeated fields with millions of entries, sizes whose product
overflows, names that are not UTF-8. The files are made at test time (some
are megabytes) with the protobuf wire format written by hand, so that no
library's checks get in the way and the script needs only Python's stdlib.
"""
import os
import struct
import sys


def varint(n):
    n &= (1 << 64) - 1  # negative int64 values: two's complement, 10 bytes
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(num, value):
    """One field: ints as varints, bytes/str as length-delimited."""
    if isinstance(value, int):
        return varint(num << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint(num << 3 | 2) + varint(len(value)) + value


def packed(num, ints):
    body = b"".join(varint(i) for i in ints)
    return varint(num << 3 | 2) + varint(len(body)) + body


FLOAT = 1


def dim(n):
    return field(1, field(1, n))  # TensorShapeProto.dim { dim_value }


def value_info(name, dims):
    shape = b"".join(dim(d) for d in dims)
    tensor_type = field(1, FLOAT) + field(2, shape)
    return field(1, name) + field(2, field(1, tensor_type))


def node(op, inputs, outputs, name="", attrs=b""):
    out = b"".join(field(1, i) for i in inputs)
    out += b"".join(field(2, o) for o in outputs)
    if name:
        out += field(3, name)
    return out + field(4, op) + attrs


def model(nodes, inputs, outputs, inits=(), opset=13):
    graph = b"".join(field(1, n) for n in nodes) + field(2, "hostile")
    graph += b"".join(field(5, t) for t in inits)
    graph += b"".join(field(11, i) for i in inputs)
    graph += b"".join(field(12, o) for o in outputs)
    return (field(1, 8) + field(7, graph) +
            field(8, field(1, "") + field(2, opset)))


def tensor(name, dims, raw):
    return packed(1, dims) + field(2, FLOAT) + field(8, name) + field(9, raw)


def relu_model(x_dims=(1, 1, 2, 2), **kw):
    return model([node("Relu", ["x"], ["y"], "relu_0")],
                 [value_info("x", x_dims)], [value_info("y", x_dims)], **kw)


def add_model(w):
    """y = x + w: the initializer is used, so the importer must read it."""
    return model([node("Add", ["x", "w"], ["y"], "add_0")],
                 [value_info("x", [1, 1, 2, 2])],
                 [value_info("y", [1, 1, 2, 2])], inits=[w])


def write(out, name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def main(out):
    os.makedirs(out, exist_ok=True)

    # Nesting: a node attribute holding a graph holding a node with a graph
    # attribute ..., 20000 levels (protobuf stops at 100).
    inner = b""
    for _ in range(20000):
        g = field(1, node("If", ["c"], ["o"], attrs=inner)) if inner else b""
        inner = field(5, field(1, "then_branch") + field(6, g) + field(20, 5))
    write(out, "deep_nesting.onnx",
          model([node("If", ["x"], ["y"], "if_0", inner)],
                [value_info("x", [1])], [value_info("y", [1])]))

    # Repeated fields with a million entries.
    write(out, "rank_million.onnx",
          model([node("Relu", ["x"], ["y"], "relu_0")],
                [value_info("x", [1] * 1000000)], [value_info("y", [1])]))
    write(out, "inputs_million.onnx",
          model([node("Sum", ["x"] * 1000000, ["y"], "sum_0")],
                [value_info("x", [1, 1, 2, 2])],
                [value_info("y", [1, 1, 2, 2])]))
    kernel = field(1, "kernel_shape") + packed(8, [1] * 1000000) + field(20, 7)
    write(out, "ints_million.onnx",
          model([node("MaxPool", ["x"], ["y"], "pool_0", field(5, kernel))],
                [value_info("x", [1, 1, 2, 2])],
                [value_info("y", [1, 1, 2, 2])]))
    write(out, "initializer_rank_million.onnx",
          add_model(tensor("w", [1] * 1000000, b"\0\0\0\0")))

    # Sizes whose product wraps around to a small number in 64 bits:
    # 2^32 * 2^32 * 4 bytes = 2^66 = 0 (mod 2^64).
    write(out, "wrapping_dims.onnx",
          add_model(tensor("w", [1 << 32, 1 << 32], b"")))
    write(out, "wrapping_input.onnx", relu_model(x_dims=(1 << 32, 1 << 32)))
    write(out, "negative_input.onnx", relu_model(x_dims=(1, -5, 2, 2)))

    # A name that is not UTF-8.
    write(out, "latin1_name.onnx",
          model([node("Relu", ["x"], [b"caf\xe9"], "relu_0"),
                 node("Relu", [b"caf\xe9"], ["y"], "relu_1")],
                [value_info("x", [1, 1, 2, 2])],
                [value_info("y", [1, 1, 2, 2])]))
    write(out, "bad_utf8_node.onnx",
          model([node("Relu", ["x"], ["y"], b"relu_\xff\xfe")],
                [value_info("x", [1, 1, 2, 2])],
                [value_info("y", [1, 1, 2, 2])]))

    # Opset numbers far outside any range, negative included.
    write(out, "opset_negative.onnx", relu_model(opset=-1))
    write(out, "opset_huge.onnx", relu_model(opset=(1 << 63) - 1))

    # Import-time evaluation: a hundred Range nodes of 10 M int64 elements
    # each (each within the per-tensor limit) from a 10 KB file: 8 GB if all
    # were held. The total budget stops it at the second one.
    def int64_scalar(name, v):
        return field(2, 7) + field(8, name) + field(9, struct.pack("<q", v))
    # Each Range's limit is the previous one's maximum + 1, and the last
    # feeds the output, so every one is needed.
    nodes = []
    for i in range(100):
        nodes += [node("Range", ["zero", "n%d" % i if i else "n", "one"],
                       ["r%d" % i], "range_%d" % i),
                  node("ReduceMax", ["r%d" % i], ["m%d" % i], "max_%d" % i),
                  node("Add", ["m%d" % i, "one"], ["n%d" % (i + 1)],
                       "next_%d" % i)]
    nodes += [node("Cast", ["n100"], ["f"], "cast_0",
                   field(5, field(1, "to") + field(3, FLOAT) + field(20, 2))),
              node("Add", ["x", "f"], ["y"], "add_0")]
    write(out, "host_budget.onnx",
          model(nodes, [value_info("x", [1, 1, 2, 2])],
                [value_info("y", [1, 1, 2, 2])],
                inits=[int64_scalar("zero", 0),
                       int64_scalar("n", 10000000),
                       int64_scalar("one", 1)]))

    # A long chain is not hostile, only big: it must import, without deep
    # recursion anywhere.
    n = 20000
    nodes = [node("Relu", ["x" if i == 0 else "v%d" % (i - 1)],
                  ["y" if i == n - 1 else "v%d" % i], "relu_%d" % i)
             for i in range(n)]
    write(out, "long_chain.onnx",
          model(nodes, [value_info("x", [1, 1, 2, 2])],
                [value_info("y", [1, 1, 2, 2])]))


if __name__ == "__main__":
    main(sys.argv[1])
