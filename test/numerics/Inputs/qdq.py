"""Pre-quantized models as ONNX Runtime's quantization tools write them
(see qdq.test), and their outputs computed here with numpy.

usage: qdq.py make OUTDIR
       qdq.py compare REF.pb OUT.pb MAX_REL_L2

`make` writes, with a random input OUTDIR/data/input_0.pb and the numpy
reference of each model OUTDIR/<model>_ref.pb:
  - qdq.onnx (the QDQ format): QuantizeLinear / DequantizeLinear pairs on
    activations, weights stored as int8 per output channel and dequantized
    (axis 0), biases as int32 at scale x_scale * w_scale: a 3x3 conv with
    ReLU, a 1x1 conv whose result is quantized to int8 with a zero point
    (ORT's default activation type), a strided conv, a residual add and a
    max pool in float between pairs, and a Gemm (per-tensor int8 weights,
    transB) and a MatMul (per-column weights) at the end;
  - qlinear.onnx (the operator format): QuantizeLinear, two QLinearConv
    (per-channel and per-tensor int8 weights, int32 bias), a reshape and a
    QLinearMatMul on the uint8 values, then DequantizeLinear;
  - qdq_u8w.onnx: a conv whose weights are uint8 with a zero point, which
    has no integer kernel and stays in float.
The reference follows the ONNX definitions: QuantizeLinear rounds x / scale
half to even in float32 and saturates; convolutions and products of the
dequantized values are computed in float64.

`compare` checks ||out - ref|| / ||ref|| <= MAX_REL_L2.
"""
import os
import sys

import numpy as np
from onnx import helper, numpy_helper, TensorProto, save


def q(x, s, z, dtype):
    info = np.iinfo(dtype)
    v = np.rint(np.asarray(x, np.float32) / np.float32(s)) + z
    return np.clip(v, info.min, info.max).astype(dtype)


def dq(v, s, z, axis=None, rank=None):
    s = np.asarray(s, np.float32)
    z = np.asarray(z)
    if axis is not None and s.ndim == 1:
        shape = [1] * rank
        shape[axis] = -1
        s, z = s.reshape(shape), z.reshape(shape)
    return ((v.astype(np.int64) - z.astype(np.int64)).astype(np.float32) * s).astype(np.float32)


def conv(x, w, b, stride=1, pad=0):
    n, c, h, wd = x.shape
    m, _, kh, kw = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (wd + 2 * pad - kw) // stride + 1
    y = np.zeros((n, m, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
            y += np.einsum('nchw,mc->nmhw', patch, w[:, :, i, j].astype(np.float64))
    if b is not None:
        y += b.astype(np.float64).reshape(1, -1, 1, 1)
    return y.astype(np.float32)


class Builder:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits = [], []
        self.count = 0

    def const(self, name, value):
        self.inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op, inputs, **attrs):
        self.count += 1
        out = '%s_%d' % (op.lower(), self.count)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def qdq(self, x, s, z):
        """A QuantizeLinear / DequantizeLinear pair; z's dtype is the type."""
        sn = self.const('s%d' % self.count, np.float32(s))
        zn = self.const('z%d' % self.count, z)
        return self.node('DequantizeLinear', [self.node('QuantizeLinear', [x, sn, zn]), sn, zn])

    def weights(self, shape, per_channel=True, dtype=np.int8):
        """Random float weights quantized symmetric (int8) or with a zero
        point (uint8): the stored integers, scales and zero points."""
        w = (self.rng.standard_normal(shape) / np.sqrt(np.prod(shape[1:]))).astype(np.float32)
        axes = tuple(range(1, len(shape))) if per_channel else None
        amax = np.abs(w).max(axis=axes)
        if dtype == np.int8:
            scale = (amax / 127).astype(np.float32)
            zp = np.zeros_like(scale, dtype=np.int8)
        else:
            scale = (2 * amax / 255).astype(np.float32)
            zp = np.full_like(scale, 128, dtype=np.uint8)
        s = scale.reshape([-1] + [1] * (len(shape) - 1)) if per_channel else scale
        z = zp.reshape([-1] + [1] * (len(shape) - 1)) if per_channel else zp
        return q(w, s, z, dtype), scale, zp


def save_model(b, out, name, inputs, outputs):
    graph = helper.make_graph(b.nodes, name, inputs, outputs, b.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
    model.ir_version = 7
    save(model, os.path.join(out, name + '.onnx'))


def write_tensor(path, array):
    with open(path, 'wb') as f:
        f.write(numpy_helper.from_array(array).SerializeToString())


def make_qdq(out, x):
    b = Builder(1)
    ref = {}

    def qconv(inp, xval, xs, m, k, stride=1, pad=0, relu=True):
        c = xval.shape[1]
        wq, ws, wz = b.weights((m, c, k, k))
        bias = (0.1 * b.rng.standard_normal(m)).astype(np.float32)
        bs = (np.float32(xs) * ws).astype(np.float32)
        bq = np.rint(bias / bs).astype(np.int32)
        w = b.node('DequantizeLinear', [b.const('w%d' % b.count, wq), b.const('ws%d' % b.count, ws),
                                        b.const('wz%d' % b.count, wz)], axis=0)
        bb = b.node('DequantizeLinear', [b.const('b%d' % b.count, bq), b.const('bs%d' % b.count, bs),
                                         b.const('bz%d' % b.count, np.zeros(m, np.int32))], axis=0)
        y = b.node('Conv', [inp, w, bb], kernel_shape=[k, k], strides=[stride] * 2, pads=[pad] * 4)
        yval = conv(xval, dq(wq, ws, wz, 0, 4), dq(bq, bs, 0), stride, pad)
        if relu:
            y = b.node('Relu', [y])
            yval = np.maximum(yval, 0)
        return y, yval

    def pair(inp, val, s, z):
        return b.qdq(inp, s, z), dq(q(val, s, z, z.dtype), s, z)

    a, av = pair('x', x, 0.02, np.uint8(128))
    a, av = qconv(a, av, 0.02, 24, 3, pad=1)
    a, av = pair(a, av, 0.03, np.uint8(0))
    c, cv = qconv(a, av, 0.03, 32, 1, relu=False)
    c, cv = pair(c, cv, 0.05, np.int8(-3))
    d, dv = qconv(c, cv, 0.05, 32, 3, stride=2, pad=1)
    d, dv = pair(d, dv, 0.0413, np.uint8(0))
    e, ev = qconv(d, dv, 0.0413, 32, 1, relu=False)
    e, ev = pair(e, ev, 0.0587, np.int8(10))
    s = b.node('Add', [d, e])
    sv = dv + ev
    s, sv = pair(s, sv, 0.0791, np.uint8(20))
    p = b.node('MaxPool', [s], kernel_shape=[2, 2], strides=[2, 2])
    pv = sv.reshape(1, 32, 4, 2, 4, 2).max(axis=(3, 5))
    p, pv = pair(p, pv, 0.0791, np.uint8(20))
    f = b.node('Flatten', [p], axis=1)
    fv = pv.reshape(1, -1)
    # Gemm, per-tensor int8 weights stored [N][K] (transB).
    wq, ws, wz = b.weights((40, 512), per_channel=False)
    w = b.node('DequantizeLinear', [b.const('gw', wq), b.const('gws', ws), b.const('gwz', wz)])
    bias = (0.1 * b.rng.standard_normal(40)).astype(np.float32)
    g = b.node('Gemm', [f, w, b.const('gb', bias)], transB=1)
    gv = (fv.astype(np.float64) @ dq(wq, ws, wz).T.astype(np.float64) + bias).astype(np.float32)
    g, gv = pair(g, gv, 0.05, np.uint8(128))
    # MatMul, per-column int8 weights [K][N].
    wq, ws, wz = b.weights((10, 40))
    w = b.node('DequantizeLinear', [b.const('mw', wq.T.copy()), b.const('mws', ws),
                                    b.const('mwz', wz)], axis=1)
    y = b.node('MatMul', [g, w])
    ref['qdq'] = (gv.astype(np.float64) @ dq(wq, ws, wz, 0, 2).T.astype(np.float64)).astype(np.float32)
    b.nodes[-1].output[0] = 'y'
    save_model(b, out, 'qdq', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3, 16, 16])],
               [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 10])])
    return ref


def make_qlinear(out, x):
    b = Builder(2)
    xs, xz = np.float32(0.02), np.uint8(128)
    xq = b.node('QuantizeLinear', ['x', b.const('xs', xs), b.const('xz', xz)])
    xv = q(x, xs, xz, np.uint8)

    def qlconv(inp, val, s, z, m, k, os_, oz, per_channel, pad):
        c = val.shape[1]
        wq, ws, wz = b.weights((m, c, k, k), per_channel=per_channel)
        bias = (0.1 * b.rng.standard_normal(m)).astype(np.float32)
        bq = np.rint(bias / (s * ws)).astype(np.int32)
        n = b.count
        y = b.node('QLinearConv', [inp, b.const('cs%d' % n, s), b.const('cz%d' % n, z),
                                   b.const('w%d' % n, wq), b.const('ws%d' % n, ws),
                                   b.const('wz%d' % n, wz), b.const('os%d' % n, os_),
                                   b.const('oz%d' % n, oz), b.const('b%d' % n, bq)],
                   kernel_shape=[k, k], pads=[pad] * 4)
        acc = conv(dq(val, s, z), dq(wq, ws, wz, 0, 4), None, 1, pad).astype(np.float64)
        acc += (bq.astype(np.float64) * (s * ws.astype(np.float64))).reshape(1, -1, 1, 1)
        return y, q(acc.astype(np.float32), os_, oz, type(oz))

    a, av = qlconv(xq, xv, xs, xz, 16, 3, np.float32(0.05), np.uint8(100), True, 1)
    c, cv = qlconv(a, av, np.float32(0.05), np.uint8(100), 8, 1, np.float32(0.04),
                   np.uint8(120), False, 0)
    r = b.node('Reshape', [c, b.const('shape', np.array([8, 256], np.int64))])
    rv = cv.reshape(8, 256)
    wq, ws, wz = b.weights((12, 256), per_channel=False)
    n = b.count
    y = b.node('QLinearMatMul', [r, b.const('as', np.float32(0.04)), b.const('az', np.uint8(120)),
                                 b.const('mw', wq.T.copy()), b.const('mws', ws),
                                 b.const('mwz', wz), b.const('ys', np.float32(0.1)),
                                 b.const('yz', np.uint8(128))])
    prod = dq(rv, 0.04, 120).astype(np.float64) @ dq(wq, ws, wz).T.astype(np.float64)
    yv = q(prod.astype(np.float32), np.float32(0.1), np.uint8(128), np.uint8)
    b.node('DequantizeLinear', [y, b.const('ds', np.float32(0.1)), b.const('dz', np.uint8(128))])
    b.nodes[-1].output[0] = 'y'
    save_model(b, out, 'qlinear', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3, 16, 16])],
               [helper.make_tensor_value_info('y', TensorProto.FLOAT, [8, 12])])
    return {'qlinear': dq(yv, 0.1, 128)}


def make_u8_weights(out, x):
    b = Builder(3)
    a = b.qdq('x', 0.02, np.uint8(128))
    av = dq(q(x, 0.02, 128, np.uint8), 0.02, 128)
    wq, ws, wz = b.weights((8, 3, 3, 3), dtype=np.uint8)
    w = b.node('DequantizeLinear', [b.const('w', wq), b.const('ws', ws), b.const('wz', wz)], axis=0)
    b.node('Conv', [a, w], kernel_shape=[3, 3])
    b.nodes[-1].output[0] = 'y'
    save_model(b, out, 'qdq_u8w', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3, 16, 16])],
               [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 8, 14, 14])])
    return {'qdq_u8w': conv(av, dq(wq, ws, wz, 0, 4), None)}


def main():
    if sys.argv[1] == 'make':
        out = sys.argv[2]
        os.makedirs(os.path.join(out, 'data'), exist_ok=True)
        x = np.random.default_rng(0).uniform(-2, 2, (1, 3, 16, 16)).astype(np.float32)
        write_tensor(os.path.join(out, 'data', 'input_0.pb'), x)
        refs = {}
        for make in (make_qdq, make_qlinear, make_u8_weights):
            refs.update(make(out, x))
        for name, value in refs.items():
            write_tensor(os.path.join(out, name + '_ref.pb'), value)
        return
    if sys.argv[1] == 'compare':
        from onnx import TensorProto as T
        def load(path):
            t = T()
            with open(path, 'rb') as f:
                t.ParseFromString(f.read())
            return numpy_helper.to_array(t).astype(np.float64)
        ref, out = load(sys.argv[2]), load(sys.argv[3])
        err = np.linalg.norm(out - ref) / max(np.linalg.norm(ref), 1e-30)
        limit = float(sys.argv[4])
        print('relative L2 error %s %g' % ('within' if err <= limit else 'ABOVE', limit))
        print('  (%.3g)' % err)
        sys.exit(0 if err <= limit else 1)
    sys.exit(__doc__)


if __name__ == '__main__':
    main()
