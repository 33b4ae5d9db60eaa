"""Convolutions with constant weights, and the adds and activations that
follow them, against numpy references (see conv.test). They exercise the
runtime's packed-GEMM kernels: output channels that do not fill a register
tile, pixel counts that do not fill one, reductions longer than one cache
block (K > 256), strides, dilations, asymmetric pads, 1x1 convolutions,
a batch of two, and every fused epilogue.

usage: conv.py OUTDIR
"""
import sys

import numpy as np

from numerics import Model, rng, save_all

F32 = np.float32


def conv2d(x, w, b, strides, dilations, pads):
    n, c, h, wd = x.shape
    m, _, kh, kw = w.shape
    pt, pl, pb, pr = pads
    xp = np.zeros((n, c, h + pt + pb, wd + pl + pr), np.float64)
    xp[:, :, pt:pt + h, pl:pl + wd] = x
    oh = (h + pt + pb - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pl + pr - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    y = np.zeros((n, m, oh, ow), np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i * dilations[0]:i * dilations[0] + strides[0] * (oh - 1) + 1:strides[0],
                       j * dilations[1]:j * dilations[1] + strides[1] * (ow - 1) + 1:strides[1]]
            y += np.einsum('nchw,mc->nmhw', patch, w[:, :, i, j].astype(np.float64))
    if b is not None:
        y += b.reshape(1, m, 1, 1)
    return y


ACTS = {
    'relu': ('Relu', {}, lambda v: np.maximum(v, 0)),
    'clip': ('Clip', {}, lambda v: np.clip(v, 0, 6)),
    'leaky': ('LeakyRelu', {'alpha': 0.1}, lambda v: np.where(v >= 0, v, v * 0.1)),
    'hsig': ('HardSigmoid', {'alpha': 0.2, 'beta': 0.5}, lambda v: np.clip(v * 0.2 + 0.5, 0, 1)),
    'hswish': ('HardSwish', {}, lambda v: v * np.clip(v / 6 + 0.5, 0, 1)),
}


def conv_model():
    m = Model('conv', opset=14)
    r = rng('conv')
    # name, x shape, M, kernel, strides, dilations, pads, bias, residual, activation
    cases = [
        ('k3_pad1', (1, 3, 9, 11), 13, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, False, None),
        ('k1', (1, 20, 7, 5), 30, (1, 1), (1, 1), (1, 1), (0, 0, 0, 0), True, False, 'relu'),
        ('k1_stride2', (1, 8, 9, 9), 12, (1, 1), (2, 2), (1, 1), (0, 0, 0, 0), False, False, None),
        ('k3_stride2_asym', (1, 5, 10, 9), 7, (3, 2), (2, 1), (1, 1), (0, 1, 2, 0), True, False, 'clip'),
        ('dilated', (1, 4, 12, 12), 6, (3, 3), (1, 1), (2, 3), (2, 3, 2, 3), True, False, 'leaky'),
        ('long_k', (1, 40, 6, 7), 25, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, True, 'relu'),
        ('batch2_residual', (2, 6, 8, 8), 16, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, True, None),
        ('wide', (1, 3, 30, 31), 33, (5, 5), (1, 1), (1, 1), (2, 2, 2, 2), True, False, 'hswish'),
        ('hsig', (1, 4, 5, 5), 5, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, False, 'hsig'),
    ]
    for name, xs, mm, k, s, d, p, has_b, has_res, act in cases:
        x = r.normal(size=xs).astype(F32)
        w = (r.normal(size=(mm, xs[1]) + k) / np.sqrt(xs[1] * k[0] * k[1])).astype(F32)
        b = r.normal(size=(mm,)).astype(F32) if has_b else None
        y = conv2d(x, w, b, s, d, p)
        inputs = [m.input(name + '_x', x), m.const(name + '_w', w)] + ([m.const(name + '_b', b)] if has_b else [])
        attrs = dict(kernel_shape=list(k), strides=list(s), dilations=list(d), pads=list(p))
        if not has_res and act is None:
            m.case(name, 'Conv', inputs, y.astype(F32), **attrs)
            continue
        # Intermediate results stay inside the model: the node is one case
        # whose output is not a graph output.
        m.nodes.append(__import__('onnx').helper.make_node('Conv', inputs, [name + '_conv'], **attrs))
        v, cur = y, name + '_conv'
        if has_res:
            res = r.normal(size=y.shape).astype(F32)
            m.nodes.append(__import__('onnx').helper.make_node('Add', [cur, m.input(name + '_res', res)],
                                                               [name + '_sum']))
            v, cur = v + res, name + '_sum'
        if act is None:
            m.case(name, 'Identity', [cur], v.astype(F32))
        else:
            op, attrs2, f = ACTS[act]
            bounds = [m.const(name + '_min', np.array(0, F32)), m.const(name + '_max', np.array(6, F32))]
            m.case(name, op, [cur] + (bounds if op == 'Clip' else []), f(v).astype(F32), **attrs2)
    return m


save_all(sys.argv[1], [conv_model()])
