"""What the test-model scripts of this folder share: checking and saving a
graph as an opset-13, IR-version-8 model (what onnxruntime and our importer
read alike)."""

import onnx
from onnx import TensorProto, helper


def save(nodes, name, inputs, outputs, inits, path):
    """Checks and writes the graph `name`; `inputs` and `outputs` are
    (name, shape) pairs of float32 tensors."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in outputs],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def activate(nodes, name, act, alpha=0.1):
    """Appends activation `act` ("silu", "leaky" with slope `alpha`, or
    None) of tensor `name` to `nodes`, as an exporter writes it; returns
    the activated tensor's name."""
    if act == "silu":
        nodes.append(helper.make_node("Sigmoid", [name], [name + "_s"],
                                      name=name + "/Sigmoid"))
        nodes.append(helper.make_node("Mul", [name, name + "_s"], [name + "_y"],
                                      name=name + "/Mul"))
        return name + "_y"
    if act == "leaky":
        nodes.append(helper.make_node("LeakyRelu", [name], [name + "_y"],
                                      name=name + "/LeakyRelu", alpha=alpha))
        return name + "_y"
    return name
