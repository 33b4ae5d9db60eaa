"""A small CNN for int8 post-training quantization (see quantize-int8.test).

usage: quantize_int8.py make OUTDIR [--depthwise]
       quantize_int8.py compare REF_DIR OUT_DIR MAX_REL_L2

`make` writes OUTDIR/model.onnx (3x3 convs with padding, stride 2 and
dilation 2, 1x1 convs, 3 and 20 input channels (not multiples of 4), 20
and 24 output channels (not multiples of 16), a bias-less conv, ReLUs, a
residual add and a max pool), OUTDIR/calibration/set_K/input_0.pb (three
sets) and OUTDIR/validation/input_0.pb. With --depthwise a depthwise 3x3
convolution follows the first one, so the model stays channels-first
(NCHW) where Kiln has integer kernels for 1x1 convolutions only.

`compare` reads the output_0.pb files kiln-run saved under REF_DIR and
OUT_DIR (one per data set, in matching subfolders or directly) and checks
the relative L2 error ||out - ref|| / ||ref|| of each stays under
MAX_REL_L2.
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def make(out, depthwise=False):
    rng = np.random.default_rng(5)
    nodes, inits = [], []

    def conv(name, x, cin, cout, k, stride=1, pad=0, dilation=1, bias=True, group=1):
        w = (rng.standard_normal((cout, cin // group, k, k)) / np.sqrt(cin // group * k * k)).astype(np.float32)
        inits.append(numpy_helper.from_array(w, name + '_w'))
        inputs = [x, name + '_w']
        if bias:
            inits.append(numpy_helper.from_array(
                (0.1 * rng.standard_normal(cout)).astype(np.float32), name + '_b'))
            inputs.append(name + '_b')
        nodes.append(helper.make_node('Conv', inputs, [name], name=name, kernel_shape=[k, k],
                                      strides=[stride, stride], pads=[pad] * 4,
                                      dilations=[dilation, dilation], group=group))
        return name

    def relu(x):
        nodes.append(helper.make_node('Relu', [x], [x + '_relu']))
        return x + '_relu'

    a = relu(conv('c1', 'x', 3, 20, 3, pad=1))
    if depthwise:
        a = relu(conv('dw', a, 20, 20, 3, pad=1, group=20))
    b = conv('c2', a, 20, 32, 1, bias=False)
    c = relu(conv('c3', b, 32, 24, 3, stride=2, pad=1))
    d = conv('c4', c, 24, 24, 1)
    nodes.append(helper.make_node('Add', [d, c], ['sum']))
    e = relu('sum')
    nodes.append(helper.make_node('MaxPool', [e], ['pool'], kernel_shape=[2, 2], strides=[2, 2]))
    conv('c5', 'pool', 24, 16, 3, pad=2, dilation=2)
    graph = helper.make_graph(
        nodes, 'quantize_int8',
        [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3, 32, 32])],
        [helper.make_tensor_value_info('c5', TensorProto.FLOAT, [1, 16, 8, 8])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)])
    onnx.checker.check_model(model)
    os.makedirs(out, exist_ok=True)
    onnx.save(model, os.path.join(out, 'model.onnx'))

    def image(seed):
        r = np.random.default_rng(seed)
        # Smooth images with an offset: activations are not centred on 0.
        base = r.standard_normal((1, 3, 8, 8)).repeat(4, axis=2).repeat(4, axis=3)
        return (base + 0.3 * r.standard_normal((1, 3, 32, 32)) + 0.5).astype(np.float32)

    for k in range(3):
        d = os.path.join(out, 'calibration', 'set_%d' % k)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'input_0.pb'), 'wb') as f:
            f.write(numpy_helper.from_array(image(100 + k), 'x').SerializeToString())
    d = os.path.join(out, 'validation')
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'input_0.pb'), 'wb') as f:
        f.write(numpy_helper.from_array(image(200), 'x').SerializeToString())


def outputs(root):
    found = {}
    for dirpath, _, files in os.walk(root):
        if 'output_0.pb' in files:
            found[os.path.relpath(dirpath, root)] = numpy_helper.to_array(
                onnx.load_tensor(os.path.join(dirpath, 'output_0.pb')))
    return found


def compare(ref_dir, out_dir, limit):
    ref, out = outputs(ref_dir), outputs(out_dir)
    assert ref and sorted(ref) == sorted(out), (sorted(ref), sorted(out))
    worst = 0.0
    for name in sorted(ref):
        r, o = ref[name].astype(np.float64), out[name].astype(np.float64)
        rel = np.linalg.norm(o - r) / np.linalg.norm(r)
        worst = max(worst, rel)
    print('%d outputs, worst relative L2 error %s %g (%.3g)' % (
        len(ref), 'within' if worst <= limit else 'ABOVE', limit, worst))
    return 0 if worst <= limit else 1


if __name__ == '__main__':
    if sys.argv[1] == 'make':
        make(sys.argv[2], depthwise='--depthwise' in sys.argv[3:])
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3], float(sys.argv[4])))
