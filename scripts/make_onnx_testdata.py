#!/usr/bin/python3
"""Writes the ONNX test models under tests/data/onnx/ and, for each, the MACs, weights and
biases that PyTorch (or, for the hand-built graph, the operator definitions) give, in
<model>.expected.json. Run at development time with Debian's python3-onnx, python3-torch and
python3-torchvision (not needed to build or test: the outputs are committed):

    /usr/bin/python3 scripts/make_onnx_testdata.py

The torchvision models are exported shape-only: every initializer of more than 64 elements
keeps its dimensions but loses its data (cost needs shapes, not values), so the files stay
small. Small initializers (shape constants) keep their data for shape inference.
"""
import json
import os

import onnx
from onnx import TensorProto, helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "onnx")


def save(model, name, expected):
    os.makedirs(OUT, exist_ok=True)
    onnx.save(model, os.path.join(OUT, name + ".onnx"))
    with open(os.path.join(OUT, name + ".expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")


def strip_weights(model):
    for t in model.graph.initializer:
        n = 1
        for d in t.dims:
            n *= d
        if n > 64:
            t.ClearField("raw_data")
            t.ClearField("float_data")
            t.ClearField("int64_data")
    return model


def hand_built():
    """Every supported operator and attribute in one graph, with a symbolic batch N."""
    f = TensorProto.FLOAT
    init = []
    nodes = []
    layers = {}

    def weight(name, dims):
        init.append(helper.make_tensor(name, f, dims, [0.5] * _prod(dims)))

    # conv_g: 8 -> 16 channels, group 2, 3x3, stride 2, dilation 2, pads (1, 1, 2, 2) on 1x8x20x20.
    weight("w_g", [16, 4, 3, 3])
    weight("b_g", [16])
    nodes.append(helper.make_node("Conv", ["x", "w_g", "b_g"], ["y_g"], name="conv_g", group=2, strides=[2, 2],
                                  dilations=[2, 2], pads=[1, 1, 2, 2], kernel_shape=[3, 3]))
    # Output: floor((20 + 1 + 2 - (2*(3-1)+1)) / 2) + 1 = floor(18/2) + 1 = 10.
    layers["conv_g"] = {"macs": 10 * 10 * 16 * 4 * 9, "weights": 16 * 4 * 9}
    nodes.append(helper.make_node("Relu", ["y_g"], ["r_g"], name="relu_g"))
    # conv_dw: depthwise 3x3, pads 1, on 16 x 10 x 10.
    weight("w_dw", [16, 1, 3, 3])
    nodes.append(helper.make_node("Conv", ["r_g", "w_dw"], ["y_dw"], name="conv_dw", group=16, pads=[1, 1, 1, 1],
                                  kernel_shape=[3, 3]))
    layers["conv_dw"] = {"macs": 10 * 10 * 16 * 9, "weights": 16 * 9}
    nodes.append(helper.make_node("MaxPool", ["y_dw"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]))
    # deconv: ConvTranspose 16 -> 8, 3x3, stride 2 on 5x5: each of the 16 x 25 inputs scatters 8 x 9.
    weight("w_t", [16, 8, 3, 3])
    nodes.append(helper.make_node("ConvTranspose", ["p", "w_t"], ["y_t"], name="deconv", strides=[2, 2],
                                  kernel_shape=[3, 3]))
    layers["deconv"] = {"macs": 16 * 5 * 5 * 8 * 9, "weights": 16 * 8 * 9}
    # Output (5-1)*2 + 3 = 11: 8 x 11 x 11.
    nodes.append(helper.make_node("BatchNormalization", ["y_t", "bn_s", "bn_b", "bn_m", "bn_v"], ["y_bn"], name="bn"))
    for n in ("bn_s", "bn_b", "bn_m", "bn_v"):
        weight(n, [8])
    nodes.append(helper.make_node("GlobalAveragePool", ["y_bn"], ["gap"], name="gap"))
    nodes.append(helper.make_node("Flatten", ["gap"], ["flat"], name="flatten"))
    # fc: Gemm 8 -> 12 with transB and bias.
    weight("w_fc", [12, 8])
    weight("b_fc", [12])
    nodes.append(helper.make_node("Gemm", ["flat", "w_fc", "b_fc"], ["fc"], name="fc", transB=1))
    layers["fc"] = {"macs": 12 * 8, "weights": 12 * 8}
    # Sequence branch on s: N x 6 x 10 (6 positions, 10 features).
    weight("w_tok", [10, 4])
    nodes.append(helper.make_node("MatMul", ["s", "w_tok"], ["tok"], name="token_linear"))
    layers["token_linear"] = {"macs": 6 * 10 * 4, "weights": 10 * 4}
    # Attention scores: (N x 2 x 6 x 2) x (N x 2 x 2 x 6): both activations, 2 heads.
    init.append(helper.make_tensor("shape_h", TensorProto.INT64, [4], [0, 6, 2, 2]))
    nodes.append(helper.make_node("Reshape", ["tok", "shape_h"], ["tok4"], name="split_heads"))
    nodes.append(helper.make_node("Transpose", ["tok4"], ["q"], name="to_heads", perm=[0, 2, 1, 3]))
    nodes.append(helper.make_node("Transpose", ["tok4"], ["kt"], name="to_keys", perm=[0, 2, 3, 1]))
    nodes.append(helper.make_node("MatMul", ["q", "kt"], ["scores"], name="scores"))
    layers["scores"] = {"macs": 2 * 6 * 2 * 6, "weights": 0}
    nodes.append(helper.make_node("Softmax", ["scores"], ["attn"], name="softmax", axis=-1))
    # 1-D conv on c: N x 3 x 16, 4 filters of 5, stride 1, no pads: 12 outputs.
    weight("w_1d", [4, 3, 5])
    nodes.append(helper.make_node("Conv", ["c", "w_1d"], ["y_1d"], name="conv_1d", kernel_shape=[5]))
    layers["conv_1d"] = {"macs": 12 * 4 * 3 * 5, "weights": 4 * 3 * 5}
    nodes.append(helper.make_node("Concat", ["y_1d", "y_1d"], ["cat"], name="concat", axis=1))

    inputs = [helper.make_tensor_value_info("x", f, ["N", 8, 20, 20]),
              helper.make_tensor_value_info("s", f, ["N", 6, 10]),
              helper.make_tensor_value_info("c", f, ["N", 3, 16])]
    outputs = [helper.make_tensor_value_info("fc", f, ["N", 12]),
               helper.make_tensor_value_info("attn", f, ["N", 2, 6, 6]),
               helper.make_tensor_value_info("cat", f, ["N", 8, 12])]
    graph = helper.make_graph(nodes, "ops", inputs, outputs, init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    macs = sum(v["macs"] for v in layers.values())
    weights = sum(v["weights"] for v in layers.values())
    # Per sample (batch 1); the test also checks batch 4 (every layer scales by it).
    save(model, "ops", {"layers": layers, "macs": macs, "weights": weights, "biases": 16 + 12,
                        "others": ["relu_g", "pool", "bn", "gap", "flatten", "split_heads", "to_heads", "to_keys",
                                   "softmax", "concat"]})


def _prod(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def torch_counts(model, example):
    """MACs, weights and biases of the Conv2d and Linear modules as PyTorch runs them."""
    import torch

    counts = {"macs": 0, "weights": 0, "biases": 0}

    def hook(module, inputs, output):
        if isinstance(module, torch.nn.Conv2d):
            counts["macs"] += output.numel() * (module.in_channels // module.groups) * module.kernel_size[0] * \
                module.kernel_size[1]
        elif isinstance(module, torch.nn.Linear):
            counts["macs"] += output.numel() * module.in_features

    handles = []
    for m in model.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            handles.append(m.register_forward_hook(hook))
            counts["weights"] += m.weight.numel()
            if m.bias is not None:
                counts["biases"] += m.bias.numel()
    with torch.no_grad():
        model(example)
    for h in handles:
        h.remove()
    return counts


def export(model, example, name, extra=None, dynamic_batch=True):
    import torch

    path = os.path.join(OUT, name + ".onnx")
    os.makedirs(OUT, exist_ok=True)
    axes = {"input": {0: "batch"}, "output": {0: "batch"}} if dynamic_batch else None
    torch.onnx.export(model, example, path, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes=axes, do_constant_folding=True)
    m = strip_weights(onnx.load(path))
    counts = torch_counts(model, example)
    # The export folds each BatchNorm into the convolution before it, which gains a bias
    # of the BatchNorm's channels: the graph's biases are PyTorch's plus those.
    counts["folded_batchnorm_channels"] = sum(
        mod.num_features for mod in model.modules() if isinstance(mod, torch.nn.BatchNorm2d))
    if extra:
        for k, v in extra.items():
            counts[k] += v
    save(m, name, counts)


def torchvision_models():
    import torch
    import torchvision

    torch.manual_seed(0)
    image = torch.zeros(1, 3, 224, 224)
    for name in ("alexnet", "resnet18", "resnet50", "mobilenet_v2"):
        model = getattr(torchvision.models, name)(weights=None).eval()
        export(model, image, name)


def transformer():
    """One encoder layer (d_model 64, 4 heads, feed-forward 128) over 10 positions."""
    import torch

    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, batch_first=True).eval()
    example = torch.zeros(1, 10, 64)
    path = os.path.join(OUT, "transformer_encoder.onnx")
    # Static shapes: ONNX 1.12's shape inference cannot follow the head-splitting reshapes
    # a dynamic batch computes at run time (through Div), so this export fixes batch 1.
    torch.onnx.export(layer, example, path, opset_version=13, input_names=["input"], output_names=["output"],
                      do_constant_folding=True)
    save(strip_weights(onnx.load(path)), "transformer_encoder", {
        # Forward hooks do not see inside MultiheadAttention (nor the fused inference path),
        # so the MACs are the layer's own arithmetic over its 10 positions: the Q/K/V
        # projection 64 -> 192, scores and context of 4 heads (10 x 10 x 16 each), the output
        # projection 64 -> 64 and the feed-forward 64 -> 128 -> 64.
        "macs": 10 * 64 * 192 + 2 * 4 * 10 * 10 * 16 + 10 * 64 * 64 + 10 * 64 * 128 + 10 * 128 * 64,
        # PyTorch's parameters: every matrix is a weight, every vector a bias or a norm's.
        "weights": sum(p.numel() for n, p in layer.named_parameters() if p.dim() == 2),
        "biases": sum(p.numel() for n, p in layer.named_parameters() if n.endswith("bias") and "norm" not in n),
    })


def bert_base_encoder():
    """BERT-base's encoder shape (12 layers, d_model 768, 12 heads, feed-forward 3072) over
    128 tokens, as PyTorch's TransformerEncoder writes it, shape-only and static (batch 1):
    for the experiment of docs/experiments.md, whose zoo BERT lists no edges."""
    import torch

    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=768, nhead=12, dim_feedforward=3072, batch_first=True)
    model = torch.nn.TransformerEncoder(layer, num_layers=12, enable_nested_tensor=False).eval()
    example = torch.zeros(1, 128, 768)
    path = os.path.join(OUT, "bert_base_encoder.onnx")
    torch.onnx.export(model, example, path, opset_version=13, input_names=["input"], output_names=["output"],
                      do_constant_folding=True)
    weights = sum(p.numel() for n, p in model.named_parameters() if p.dim() == 2)
    biases = sum(p.numel() for n, p in model.named_parameters() if n.endswith("bias") and "norm" not in n)
    # Per layer and token: Q/K/V 768 -> 2304, output 768 -> 768, feed-forward 768 -> 3072 -> 768;
    # scores and context: 12 heads x 128 x 128 x 64 each.
    macs = 12 * (128 * 768 * (2304 + 768 + 3072) + 128 * 3072 * 768 + 2 * 12 * 128 * 128 * 64)
    save(strip_weights(onnx.load(path)), "bert_base_encoder", {"macs": macs, "weights": weights, "biases": biases})


def recurrent():
    """A bidirectional LSTM (20 -> 32) and a GRU (64 -> 16) over 5 steps of a batch of 3."""
    import torch

    class Recurrent(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = torch.nn.LSTM(20, 32, bidirectional=True)
            self.gru = torch.nn.GRU(64, 16)

        def forward(self, x):
            y, _ = self.lstm(x)
            z, _ = self.gru(y)
            return z

    torch.manual_seed(0)
    model = Recurrent().eval()
    example = torch.zeros(5, 3, 20)
    path = os.path.join(OUT, "recurrent.onnx")
    torch.onnx.export(model, example, path, opset_version=13, input_names=["input"], output_names=["output"],
                      do_constant_folding=True)
    params = dict(model.named_parameters())
    weights = sum(p.numel() for n, p in params.items() if "weight" in n)
    biases = sum(p.numel() for n, p in params.items() if "bias" in n)
    # Per step and batch row: gates x hidden x (inputs + hidden), each direction.
    macs = 5 * 3 * (2 * 4 * 32 * (20 + 32) + 3 * 16 * (64 + 16))
    save(strip_weights(onnx.load(path)), "recurrent", {"macs": macs, "weights": weights, "biases": biases})


def small_cnn_with_weights():
    """A small CNN with its weights, one input and PyTorch's output for it, in the layout of
    ONNX's own test data (model.onnx, test_data_set_0/input_0.pb, output_0.pb): the engine
    runs the graph and must reproduce the output."""
    import torch
    from onnx import numpy_helper

    class SmallCnn(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = torch.nn.Conv2d(3, 8, 3, padding=1)
            self.bn1 = torch.nn.BatchNorm2d(8)
            self.conv2 = torch.nn.Conv2d(8, 16, 3, stride=2, groups=2)
            self.pool = torch.nn.MaxPool2d(2)
            self.fc = torch.nn.Linear(16 * 3 * 3, 10)

        def forward(self, x):
            x = torch.relu(self.bn1(self.conv1(x)))
            x = self.pool(torch.sigmoid(self.conv2(x)))
            return torch.softmax(self.fc(torch.flatten(x, 1)), dim=1)

    torch.manual_seed(0)
    model = SmallCnn().eval()
    with torch.no_grad():  # non-trivial BatchNorm statistics
        model.bn1.running_mean.uniform_(-0.5, 0.5)
        model.bn1.running_var.uniform_(0.5, 1.5)
    x = torch.randn(2, 3, 14, 14)
    with torch.no_grad():
        y = model(x)
    out = os.path.join(OUT, "small_cnn")
    os.makedirs(os.path.join(out, "test_data_set_0"), exist_ok=True)
    # No constant folding: the graph keeps its BatchNormalization node.
    torch.onnx.export(model, x, os.path.join(out, "model.onnx"), opset_version=13, input_names=["input"],
                      output_names=["output"], do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE)
    with open(os.path.join(out, "test_data_set_0", "input_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(x.numpy()).SerializeToString())
    with open(os.path.join(out, "test_data_set_0", "output_0.pb"), "wb") as f:
        f.write(numpy_helper.from_array(y.numpy()).SerializeToString())


if __name__ == "__main__":
    hand_built()
    torchvision_models()
    transformer()
    recurrent()
    bert_base_encoder()
    small_cnn_with_weights()
