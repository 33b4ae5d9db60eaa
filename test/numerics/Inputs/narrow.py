"""Models for --quantize=bf16 and --quantize=fp16 (see narrow.test): the
weights of convolutions and products are stored as f32 in the model; the
references are computed with those weights rounded to nearest even in the
narrow type, and in float64.

usage: narrow.py OUTDIR

Two models, each saved three times with the same ONNX file and different
references: OUTDIR/<model>_<type>/ for type f32, bf16 and f16.
  - narrow_nhwc has only convolutions with one group, so kilnc runs it
    channels-last (conv2d_nhwc_f32): a 3x3 reduction over more input
    channels than one chunk into 130 output channels (two full panels of
    64 at avx512 and a partial one), a 1x1 reduction over 300 channels, a
    7x7 stride-2 stem, and two fully connected layers (dense_f32): a Gemm
    with a bias whose reduction (67) leaves a vector tail, a MatMul.
  - narrow_nchw has a grouped convolution, so it stays channels-first
    (conv2d_f32): the grouped one, a 1x1 convolution with 300 output
    channels and a reduction of 300 (two cache blocks; the rows of a task
    split to fit the weight stage), a 3x3 one with 14 output channels
    (partial register panels), a transposed convolution (conv2d_f32 and
    col2im) and a depthwise one (which stays f32).
One weight of some layers is 1e-6: in bf16 it is not exact in f16, so those
layers are stored as bf16, the others (bf16 values within f16's range are
exact in f16) as f16.

OUTDIR/narrow_exhaustive/ puts every finite f16 value, and every finite
bf16 value, through the dense kernel's vector loads: Gemms by a one-hot row
whose outputs are exactly the weights' first row, all of it exact in f16
(stored f16) or in bf16 but not f16 (stored bf16).

A third model, OUTDIR/f16_initializers/, is a model stored in fp16 as
converters write them: f16 initializers, each cast to float before a Conv
and a Gemm. Without --quantize its weights stay f16 in the library.
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper

sys.path.insert(0, os.path.dirname(__file__))
from conv import conv2d, conv_transpose2d  # noqa: E402
from numerics import Model, rng  # noqa: E402

F32 = np.float32


def rounded(w, kind):
    """w rounded to nearest even in `kind` (f32: unchanged), as f32."""
    w = np.asarray(w, F32)
    if kind == 'f16':
        return w.astype(np.float16).astype(F32)
    if kind == 'bf16':
        u = w.view(np.uint32).astype(np.uint64)
        u = (u + 0x7fff + ((u >> 16) & 1)) & 0xffff0000
        return u.astype(np.uint32).view(F32)
    return w


def weights(r, shape, tiny=False):
    w = (r.normal(size=shape) / np.sqrt(np.prod(shape[1:]))).astype(F32)
    if tiny:
        w.flat[0] = 1e-6
    return w


def add_conv(m, r, kind, name, xs, mm, k, s=(1, 1), p=(0, 0, 0, 0), g=1, bias=True, act=None,
             tiny=False):
    x = r.normal(size=xs).astype(F32)
    w = weights(r, (mm, xs[1] // g) + k, tiny)
    b = r.normal(size=(mm,)).astype(F32) if bias else None
    # Depthwise convolutions keep f32 weights.
    wr = w if g == xs[1] == mm else rounded(w, kind)
    y = conv2d(x, wr, b, s, (1, 1), p, group=g)
    inputs = [m.input(name + '_x', x), m.const(name + '_w', w)] + ([m.const(name + '_b', b)] if bias else [])
    attrs = dict(kernel_shape=list(k), strides=list(s), pads=list(p))
    if g > 1:
        attrs['group'] = g
    if act is None:
        m.case(name, 'Conv', inputs, y.astype(F32), **attrs)
    else:
        m.nodes.append(helper.make_node('Conv', inputs, [name + '_conv'], **attrs))
        m.case(name, 'Relu', [name + '_conv'], np.maximum(y, 0).astype(F32))


def nhwc_model(kind):
    m = Model('narrow_nhwc_' + kind, opset=14)
    r = rng('narrow_nhwc')
    add_conv(m, r, kind, 'k3_c40_m130', (1, 40, 5, 13), 130, (3, 3), p=(1, 1, 1, 1), act='relu',
             tiny=True)
    add_conv(m, r, kind, 'k1_c300', (1, 300, 4, 5), 20, (1, 1))
    add_conv(m, r, kind, 'stem7', (1, 3, 23, 21), 16, (7, 7), s=(2, 2), p=(3, 3, 3, 3), act='relu')
    a = r.normal(size=(2, 67)).astype(F32)
    b = weights(r, (67, 45), tiny=True)
    c = r.normal(size=(45,)).astype(F32)
    y = a.astype(np.float64) @ rounded(b, kind) + c
    m.case('gemm', 'Gemm', [m.input('gemm_a', a), m.const('gemm_b', b), m.const('gemm_c', c)],
           y.astype(F32))
    a = r.normal(size=(3, 100)).astype(F32)
    b = weights(r, (100, 10))
    m.case('matmul', 'MatMul', [m.input('matmul_a', a), m.const('matmul_b', b)],
           (a.astype(np.float64) @ rounded(b, kind)).astype(F32))
    return m


def nchw_model(kind):
    m = Model('narrow_nchw_' + kind, opset=14)
    r = rng('narrow_nchw')
    add_conv(m, r, kind, 'group2', (1, 6, 7, 9), 10, (3, 3), p=(1, 1, 1, 1), g=2, act='relu')
    add_conv(m, r, kind, 'k1_m300_c300', (1, 300, 5, 6), 300, (1, 1), tiny=True)
    add_conv(m, r, kind, 'k3_m14', (2, 33, 6, 7), 14, (3, 3), p=(1, 0, 1, 2), act='relu')
    add_conv(m, r, kind, 'depthwise', (1, 7, 9, 20), 7, (3, 3), p=(1, 1, 1, 1), g=7)
    x = r.normal(size=(1, 8, 5, 6)).astype(F32)
    w = weights(r, (8, 6, 3, 3), tiny=True)
    b = r.normal(size=(6,)).astype(F32)
    y = conv_transpose2d(x, rounded(w, kind), b, (2, 2), (1, 1), (1, 1, 1, 1), (0, 0))
    m.case('transposed', 'ConvTranspose', [m.input('transposed_x', x), m.const('transposed_w', w),
                                           m.const('transposed_b', b)],
           y.astype(F32), kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    return m


def exhaustive_model():
    m = Model('narrow_exhaustive', opset=14)
    r = rng('narrow_exhaustive')
    bits = np.arange(1 << 16, dtype=np.uint32)
    f16 = bits.astype(np.uint16).view(np.float16).astype(F32)
    bf16 = (bits << 16).view(F32)
    a = np.zeros((1, 16), F32)
    a[0, 0] = 1.0
    for name, row, noise in (('all_f16', f16, lambda n: r.normal(size=n).astype(np.float16).astype(F32)),
                             ('all_bf16', bf16, lambda n: rounded(r.normal(size=n).astype(F32), 'bf16'))):
        row = row[np.isfinite(row)]
        b = np.concatenate([row[None, :], noise((15, row.size)).reshape(15, row.size)])
        m.case(name, 'Gemm', [m.input(name + '_a', a), m.const(name + '_b', b)], row.reshape(1, -1))
    return m


def f16_initializers_model():
    m = Model('f16_initializers', opset=14)
    r = rng('f16_initializers')
    x = r.normal(size=(1, 8, 10, 10)).astype(F32)
    w = (r.normal(size=(16, 8, 3, 3)) * 0.1).astype(np.float16)
    b = r.normal(size=(16,)).astype(np.float16)
    for name, value in (('w', w), ('b', b)):
        m.nodes.append(helper.make_node('Cast', [m.const(name + '16', value)], [name],
                                        to=onnx.TensorProto.FLOAT))
    y = conv2d(x, w.astype(F32), b.astype(F32), (1, 1), (1, 1), (1, 1, 1, 1))
    m.case('conv', 'Conv', [m.input('x', x), 'w', 'b'], y.astype(F32), pads=[1, 1, 1, 1])
    a = r.normal(size=(2, 40)).astype(F32)
    g = (r.normal(size=(40, 24)) * 0.1).astype(np.float16)
    m.nodes.append(helper.make_node('Cast', [m.const('g16', g)], ['g'], to=onnx.TensorProto.FLOAT))
    m.case('gemm', 'Gemm', [m.input('a', a), 'g'], (a.astype(np.float64) @ g.astype(np.float64)).astype(F32))
    return m


if __name__ == '__main__':
    for build in (nhwc_model, nchw_model):
        for kind in ('f32', 'bf16', 'f16'):
            m = build(kind)
            print('%s: %d outputs' % (m.name, m.save(sys.argv[1])))
    for build in (exhaustive_model, f16_initializers_model):
        m = build()
        print('%s: %d outputs' % (m.name, m.save(sys.argv[1])))
