"""Writes small binary ONNX models, valid and broken, for kilnc's error tests.

usage: make_models.py OUTDIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, graph, opset=17, check=True):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)])
    model.ir_version = 8
    if check:
        onnx.checker.check_model(model)
    path = os.path.join(out, name)
    with open(path, 'wb') as f:
        f.write(model.SerializeToString())
    return path


x = helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3, 8, 8])
w = numpy_helper.from_array(np.random.default_rng(0).normal(size=(4, 3, 3, 3)).astype(np.float32), 'w')

# A valid conv model; copies cut in the middle and near the end follow.
conv = save('conv.onnx', helper.make_graph(
    [helper.make_node('Conv', ['x', 'w'], ['y'], name='conv0'), helper.make_node('Relu', ['y'], ['z'], name='relu0')],
    'conv', [x], [helper.make_tensor_value_info('z', TensorProto.FLOAT, [1, 4, 6, 6])], [w]))
data = open(conv, 'rb').read()
for name, n in (('half', len(data) // 2), ('tail', len(data) - 7)):
    with open(os.path.join(out, 'truncated-%s.onnx' % name), 'wb') as f:
        f.write(data[:n])
with open(os.path.join(out, 'garbage.onnx'), 'wb') as f:
    f.write(bytes(range(256)) * 4)

# Nodes stored out of order are sorted, not rejected.
save('unsorted.onnx', helper.make_graph(
    [helper.make_node('Relu', ['y'], ['z'], name='relu0'), helper.make_node('Conv', ['x', 'w'], ['y'], name='conv0')],
    'unsorted', [x], [helper.make_tensor_value_info('z', TensorProto.FLOAT, None)], [w]), check=False)

# A cycle: a = Add(x, b), b = Relu(a).
v = helper.make_tensor_value_info('v', TensorProto.FLOAT, [4])
save('cycle.onnx', helper.make_graph(
    [helper.make_node('Add', ['v', 'b'], ['a'], name='add0'), helper.make_node('Relu', ['a'], ['b'], name='relu0')],
    'cycle', [v], [helper.make_tensor_value_info('b', TensorProto.FLOAT, [4])]), check=False)

# A node reading a value nothing defines.
save('missing-input.onnx', helper.make_graph(
    [helper.make_node('Add', ['v', 'ghost'], ['a'], name='add0')],
    'missing', [v], [helper.make_tensor_value_info('a', TensorProto.FLOAT, [4])]), check=False)

# An input of unknown rank.
save('unknown-rank.onnx', helper.make_graph(
    [helper.make_node('Relu', ['u'], ['r'])], 'rank',
    [helper.make_tensor_value_info('u', TensorProto.FLOAT, None)],
    [helper.make_tensor_value_info('r', TensorProto.FLOAT, None)]), check=False)

# An initializer with fewer values than its shape says, and one of absurd size.
short = TensorProto(name='s', data_type=TensorProto.FLOAT, dims=[4], float_data=[1.0, 2.0, 3.0])
save('short-initializer.onnx', helper.make_graph(
    [helper.make_node('Add', ['v', 's'], ['a'])], 'short', [v],
    [helper.make_tensor_value_info('a', TensorProto.FLOAT, [4])], [short]), check=False)
huge = TensorProto(name='h', data_type=TensorProto.FLOAT, dims=[1 << 30, 1 << 30, 4])
save('absurd-initializer.onnx', helper.make_graph(
    [helper.make_node('Add', ['v', 'h'], ['a'])], 'absurd', [v],
    [helper.make_tensor_value_info('a', TensorProto.FLOAT, [4])], [huge]), check=False)

# External data: one model reads a file beside it, one tries to leave its folder.
weights = np.arange(4, dtype=np.float32)
with open(os.path.join(out, 'weights.bin'), 'wb') as f:
    f.write(weights.tobytes())
for name, location in (('external.onnx', 'weights.bin'), ('external-escape.onnx', '../outside.bin')):
    t = TensorProto(name='e', data_type=TensorProto.FLOAT, dims=[4])
    t.data_location = TensorProto.EXTERNAL
    entry = t.external_data.add()
    entry.key, entry.value = 'location', location
    save(name, helper.make_graph(
        [helper.make_node('Add', ['v', 'e'], ['a'])], 'external', [v],
        [helper.make_tensor_value_info('a', TensorProto.FLOAT, [4])], [t]), check=False)

# Three unsupported op types on five nodes, two of them in another domain.
f = helper.make_tensor_value_info('f', TensorProto.FLOAT, [1, 8, 2])
nodes = [
    helper.make_node('DFT', ['f'], ['a'], name='dft_a'),
    helper.make_node('DFT', ['a'], ['b'], name='dft_b'),
    helper.make_node('FusedGemm', ['f'], ['c'], name='fused', domain='com.microsoft'),
    helper.make_node('TfIdfVectorizer', ['t'], ['d'], mode='TF', min_gram_length=1, max_gram_length=1,
                     max_skip_count=0, ngram_counts=[0], ngram_indexes=[0], pool_int64s=[1]),
    helper.make_node('FusedGemm', ['b'], ['e'], name='fused2', domain='com.microsoft'),
]
model = helper.make_model(
    helper.make_graph(nodes, 'unsupported', [f, helper.make_tensor_value_info('t', TensorProto.INT64, [2, 4])],
                      [helper.make_tensor_value_info('e', TensorProto.FLOAT, None),
                       helper.make_tensor_value_info('c', TensorProto.FLOAT, None),
                       helper.make_tensor_value_info('d', TensorProto.FLOAT, None)]),
    opset_imports=[helper.make_opsetid('', 17), helper.make_opsetid('com.microsoft', 1)])
model.ir_version = 8
with open(os.path.join(out, 'unsupported.onnx'), 'wb') as fh:
    fh.write(model.SerializeToString())

# A Conv without its weights input: handlers can rely on ONNX's schema.
save('conv-one-input.onnx', helper.make_graph(
    [helper.make_node('Conv', ['x'], ['y'], name='lonely')], 'lonely', [x],
    [helper.make_tensor_value_info('y', TensorProto.FLOAT, None)]), check=False)

# Shapes ONNX does not check: a DepthToSpace blocksize whose square overflows
# divides by zero inside libonnx's shape inference; a Conv on rank-1 tensors.
d = helper.make_tensor_value_info('d', TensorProto.FLOAT, [1, 8, 2, 3])
save('depth-to-space-zero.onnx', helper.make_graph(
    [helper.make_node('DepthToSpace', ['d'], ['e'], blocksize=1 << 40, name='d2s')], 'd2s', [d],
    [helper.make_tensor_value_info('e', TensorProto.FLOAT, None)]), opset=11, check=False)
save('conv-rank-1.onnx', helper.make_graph(
    [helper.make_node('Conv', ['v', 'v'], ['c'], name='flat_conv')], 'flat', [v],
    [helper.make_tensor_value_info('c', TensorProto.FLOAT, None)]), check=False)
