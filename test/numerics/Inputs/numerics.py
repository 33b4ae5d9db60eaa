"""Shared helpers of the numerics tests' generators.

A `Model` collects independent single-op cases: each `case` adds one node
whose outputs are graph outputs named after the case, with numpy reference
values computed by the generator. `save` writes

    OUT/NAME/model.onnx
    OUT/NAME/data/input_K.pb, output_K.pb    (an ONNX test data set)

so that a lit test can compile NAME with kilnc and compare with kiln-run,
which reports every output (case) on its own. A model built with
`reference=False` gets no output_K.pb files: kiln-run then only runs it
(for results ONNX leaves undefined, where only "no crash" can be checked).
"""
import os
import zlib

import numpy as np
import onnx
from onnx import helper, numpy_helper

NP_TO_ONNX = {np.dtype(k): v for k, v in onnx.mapping.NP_TYPE_TO_TENSOR_TYPE.items()}


def rng(name):
    """A random generator seeded by `name`, stable across runs and cases."""
    return np.random.default_rng(zlib.crc32(name.encode()))


class Model:
    def __init__(self, name, opset=17, reference=True):
        self.name = name
        self.opset = opset
        self.reference = reference
        self.nodes, self.inputs, self.initializers, self.outputs = [], [], [], []
        self.feeds, self.expected = [], []
        self.names = set()

    def _fresh(self, name):
        assert name not in self.names, 'duplicate tensor name %r in %s' % (name, self.name)
        self.names.add(name)
        return name

    def input(self, name, value):
        """A graph input fed with `value` from the data set; returns its name."""
        value = np.asarray(value)
        self.inputs.append(helper.make_tensor_value_info(
            self._fresh(name), NP_TO_ONNX[value.dtype], list(value.shape)))
        self.feeds.append(numpy_helper.from_array(value, name))
        return name

    def const(self, name, value):
        """An initializer (a constant inside the model); returns its name."""
        self.initializers.append(numpy_helper.from_array(np.asarray(value), self._fresh(name)))
        return name

    def case(self, name, op, inputs, expected, outputs=None, domain=None, **attrs):
        """One node `op` reading `inputs` (names; '' for an absent optional
        input). `expected` is one array, or a list with one array (or None
        for an absent optional output) per output. Outputs are named NAME,
        or NAME_0, NAME_1, ... for several."""
        if not isinstance(expected, (list, tuple)):
            expected = [expected]
        if outputs is None:
            outputs = [name] if len(expected) == 1 else ['%s_%d' % (name, i) for i in range(len(expected))]
        node_outputs = []
        for out, value in zip(outputs, expected):
            if value is None:
                node_outputs.append('')
                continue
            value = np.asarray(value)
            node_outputs.append(self._fresh(out))
            self.outputs.append(helper.make_tensor_value_info(out, NP_TO_ONNX[value.dtype], list(value.shape)))
            self.expected.append(numpy_helper.from_array(value, out))
        while node_outputs and node_outputs[-1] == '':
            node_outputs.pop()
        kwargs = {'domain': domain} if domain else {}
        self.nodes.append(helper.make_node(op, list(inputs), node_outputs, name=name, **kwargs, **attrs))
        return node_outputs

    def save(self, out):
        assert self.outputs, 'model %s has no outputs' % self.name
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', self.opset)])
        model.ir_version = 8
        onnx.checker.check_model(model, full_check=True)
        data = os.path.join(out, self.name, 'data')
        os.makedirs(data, exist_ok=True)
        onnx.save(model, os.path.join(out, self.name, 'model.onnx'))
        tensors = [('input', self.feeds)] + ([('output', self.expected)] if self.reference else [])
        for kind, values in tensors:
            for i, t in enumerate(values):
                with open(os.path.join(data, '%s_%d.pb' % (kind, i)), 'wb') as f:
                    f.write(t.SerializeToString())
        return len(self.outputs)


def save_all(out, models):
    """Saves every model and prints a line per model with its output count."""
    for m in models:
        print('%s: %d outputs' % (m.name, m.save(out)))
