"""Quantization models with numpy reference outputs (see quantization.test).

usage: quantization.py OUTDIR

The references follow the ONNX operator definitions (opset 13):
  QuantizeLinear    y = saturate(round(x / scale) + zero_point)
  DequantizeLinear  y = (x - zero_point) * scale
  QLinear*          y = saturate(round(acc * x_scale * w_scale / y_scale) + y_zero_point)
                    where acc is the exact integer result on x - x_zero_point and
                    w - w_zero_point (plus the int32 bias of QLinearConv)
with round-half-to-even and saturation to the output type's range. Random
values are redrawn where round()'s argument comes within 1e-3 of a tie, so
that a correct result cannot depend on how the division is rounded; ties
are tested on purpose with exactly representable values.
"""
import sys

import numpy as np

from numerics import Model, rng, save_all

F32 = np.float32
U8, I8, I32 = np.uint8, np.int8, np.int32


def away_from_ties(v, margin=1e-3):
    v = np.asarray(v, np.float64)
    return bool(np.all(np.abs(np.abs(v - np.floor(v)) - 0.5) > margin))


def saturate(q, dtype):
    info = np.iinfo(dtype)
    return np.clip(q, info.min, info.max).astype(dtype)


def along(v, axis, ndim):
    """A per-axis parameter shaped to broadcast along `axis`."""
    v = np.asarray(v)
    if v.ndim == 0:
        return v
    shape = [1] * ndim
    shape[axis] = v.size
    return v.reshape(shape)


def quantize(x, scale, zp, dtype, axis=1):
    s = along(scale, axis % x.ndim, x.ndim)
    z = along(zp, axis % x.ndim, x.ndim).astype(np.float64)
    with np.errstate(over='ignore', invalid='ignore'):
        return saturate(np.rint((x / s).astype(F32)).astype(np.float64) + z, dtype)


def dequantize(x, scale, zp, axis=1):
    s = along(scale, axis % x.ndim, x.ndim)
    z = along(zp, axis % x.ndim, x.ndim).astype(np.int64)
    return ((x.astype(np.int64) - z).astype(F32) * s).astype(F32)


def random_quantizable(r, shape, scale, lo, hi):
    """Uniform values in [lo, hi] whose x / scale is no tie (per-axis
    scales along axis 1)."""
    x = r.uniform(lo, hi, shape).astype(F32)
    while True:
        bad = np.abs(np.abs((x / scale) - np.floor(x / scale)) - 0.5) <= 1e-3
        if not bad.any():
            return x
        x[bad] = r.uniform(lo, hi, int(bad.sum())).astype(F32)


def quantize_model():
    m = Model('quantize', opset=13)
    r = rng('quantize')

    def q(name, x, scale, zp, axis=None, const=True, **attrs):
        dtype = np.asarray(zp).dtype if zp is not None else U8
        put = m.const if const else m.input
        ins = [m.input(name + '_x', x), put(name + '_scale', np.asarray(scale, F32))]
        if zp is not None:
            ins.append(put(name + '_zp', np.asarray(zp)))
        if axis is not None:
            attrs['axis'] = axis
        m.case(name, 'QuantizeLinear', ins,
               quantize(x, np.asarray(scale, F32), np.asarray(zp if zp is not None else 0), dtype,
                        axis if axis is not None else 1), **attrs)

    s = F32(0.02)
    q('quantize_u8', random_quantizable(r, (3, 4, 5), s, -3, 4), s, U8(100))
    q('quantize_i8', random_quantizable(r, (3, 4, 5), s, -3, 3), s, I8(-5))
    q('quantize_u8_no_zp', random_quantizable(r, (17,), s, -1, 6), s, None)
    q('quantize_u8_inputs', random_quantizable(r, (2, 6), s, -3, 4), s, U8(37), const=False)
    # Ties round to even: x / scale = +-0.5, 1.5, 2.5, 3.5, ...
    halves = np.array([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, -3.5, 4.5, -4.5, 126.5, 127.5], F32)
    q('quantize_u8_ties', (halves * 0.25).astype(F32), F32(0.25), U8(10))
    q('quantize_i8_ties', (halves * 0.5).astype(F32), F32(0.5), I8(0))
    q('quantize_i8_ties_shifted', (halves * 0.5).astype(F32), F32(0.5), I8(-3))
    # Saturation at both ends, including infinities.
    big = np.array([1e30, -1e30, 300, -300, 127.9, 128.1, -128.4, -129, 255.4, 256, 0.3, -0.3], F32)
    q('quantize_u8_saturate', big, F32(1), U8(0))
    q('quantize_i8_saturate', big, F32(1), I8(0))
    q('quantize_u8_saturate_shifted', big, F32(0.5), U8(200))
    q('quantize_inf', np.array([np.inf, -np.inf, 1, -1], F32), F32(0.1), I8(3))
    # Per axis.
    sa = np.array([0.01, 0.05, 0.2], F32)
    x = np.stack([random_quantizable(r, (2, 4), s_, -5, 5) for s_ in sa], axis=1)
    q('quantize_u8_axis1', x, sa, np.array([0, 128, 250], U8), axis=1)
    q('quantize_i8_axis1', x, sa, np.array([-100, 0, 20], I8), axis=1)
    sb = np.array([0.03, 0.1, 0.007, 0.5], F32)
    x = np.stack([random_quantizable(r, (3,), s_, -2, 2) for s_ in sb], axis=1)
    q('quantize_i8_axis_last', x, sb, np.array([1, -2, 3, -4], I8), axis=-1)
    x = np.stack([random_quantizable(r, (5,), s_, -2, 2) for s_ in sb], axis=0)
    q('quantize_u8_axis0', x, sb, np.array([10, 20, 127, 200], U8), axis=0)
    return m


def dequantize_model():
    m = Model('dequantize', opset=13)
    r = rng('dequantize')

    def dq(name, x, scale, zp, axis=None):
        ins = [m.input(name + '_x', x), m.const(name + '_scale', np.asarray(scale, F32))]
        if zp is not None:
            ins.append(m.const(name + '_zp', np.asarray(zp)))
        attrs = {'axis': axis} if axis is not None else {}
        m.case(name, 'DequantizeLinear', ins,
               dequantize(x, np.asarray(scale, F32), np.asarray(zp if zp is not None else 0),
                          axis if axis is not None else 1), **attrs)

    u8 = np.concatenate([np.array([0, 255, 128, 1], U8), r.integers(0, 256, 20).astype(U8)]).reshape(4, 6)
    i8 = np.concatenate([np.array([-128, 127, 0, -1], I8), r.integers(-128, 128, 20).astype(I8)]).reshape(4, 6)
    dq('dequantize_u8', u8, F32(0.1), U8(128))
    dq('dequantize_u8_no_zp', u8, F32(0.37), None)
    dq('dequantize_i8', i8, F32(0.05), I8(-7))
    dq('dequantize_i32', r.integers(-2 ** 20, 2 ** 20, (3, 5)).astype(I32), F32(0.001), None)
    dq('dequantize_i32_zero_zp', np.array([-2 ** 31, 2 ** 31 - 1, 0, 7], I32), F32(2.0 ** -20), I32(0))
    dq('dequantize_u8_axis0', u8, np.array([0.1, 0.2, 0.5, 1.5], F32), np.array([0, 10, 128, 255], U8), axis=0)
    x3 = r.integers(-128, 128, (2, 3, 4)).astype(I8)
    dq('dequantize_i8_axis1', x3, np.array([0.01, 0.1, 1.0], F32), np.array([-3, 0, 5], I8), axis=1)
    dq('dequantize_i8_axis_last', x3, np.array([0.5, 0.25, 2.0, 0.125], F32), np.array([1, 2, 3, 4], I8), axis=-1)
    return m


def dynamic_quantize(x):
    """y, y_scale, y_zero_point of DynamicQuantizeLinear, in float32 steps."""
    lo = min(F32(0), x.min())
    hi = max(F32(0), x.max())
    scale = F32((hi - lo) / F32(255))
    zp_real = F32(F32(0) - F32(lo / scale))
    zp = np.rint(np.clip(zp_real, 0, 255))
    q = (x / scale).astype(F32)
    assert away_from_ties(zp_real) and away_from_ties(q), 'pick other data'
    return saturate(np.rint(q) + zp, U8), scale, U8(zp)


def dynamic_quantize_model():
    m = Model('dynamic_quantize', opset=13)
    for name, lo, hi, shape in (('dynamic_quantize_mixed', -1.7, 2.9, (3, 4)),
                                ('dynamic_quantize_positive', 0.5, 3.0, (2, 3, 5)),
                                ('dynamic_quantize_negative', -4.0, -0.25, (7,)),
                                ('dynamic_quantize_wide', -100.0, 30.0, (4, 16))):
        for attempt in range(100):
            x = rng('%s#%d' % (name, attempt)).uniform(lo, hi, shape).astype(F32)
            try:
                expected = dynamic_quantize(x)
                break
            except AssertionError:
                continue
        m.case(name, 'DynamicQuantizeLinear', [m.input(name + '_x', x)], list(expected))
    return m


# --- integer matmul and convolution ----------------------------------------

def conv(x, w, pads, strides, dilations, group):
    """Exact 2-D convolution on int64 (or float64) values, zero padded."""
    N, C, H, W = x.shape
    M, Cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    sh, sw = strides
    dh, dw = dilations
    oh = (xp.shape[2] - (kh - 1) * dh - 1) // sh + 1
    ow = (xp.shape[3] - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((N, M, oh, ow), x.dtype)
    mg = M // group
    for mo in range(M):
        g = mo // mg
        xs = xp[:, g * Cg:(g + 1) * Cg]
        for i in range(oh):
            for j in range(ow):
                patch = xs[:, :, i * sh:i * sh + (kh - 1) * dh + 1:dh, j * sw:j * sw + (kw - 1) * dw + 1:dw]
                out[:, mo, i, j] = (patch * w[mo]).sum(axis=(1, 2, 3))
    return out


def requantize(acc, multiplier, zp, dtype):
    real = acc.astype(np.float64) * multiplier
    assert away_from_ties(real), 'pick other data'
    return saturate(np.rint(real) + int(zp), dtype)


def integer_model():
    m = Model('integer', opset=13)
    r = rng('integer')

    def rand(dtype, shape):
        info = np.iinfo(dtype)
        return r.integers(info.min, int(info.max) + 1, shape).astype(dtype)

    def mmi(name, a, b, azp=None, bzp=None):
        ins = [m.input(name + '_a', a), m.input(name + '_b', b)]
        A, B = a.astype(np.int64), b.astype(np.int64)
        if azp is not None:
            ins.append(m.const(name + '_azp', azp))
            A = A - (azp.astype(np.int64).reshape(-1, 1) if azp.ndim == 1 else azp.astype(np.int64))
        elif bzp is not None:
            ins.append('')
        if bzp is not None:
            ins.append(m.const(name + '_bzp', bzp))
            B = B - bzp.astype(np.int64)
        m.case(name, 'MatMulInteger', ins, np.matmul(A, B).astype(I32))

    mmi('matmul_integer_u8', rand(U8, (3, 5)), rand(U8, (5, 4)), U8(12), U8(200))
    mmi('matmul_integer_i8', rand(I8, (3, 5)), rand(I8, (5, 4)))
    mmi('matmul_integer_i8_zp', rand(I8, (4, 6)), rand(I8, (6, 2)), I8(-3), I8(7))
    mmi('matmul_integer_u8_i8', rand(U8, (2, 7)), rand(I8, (7, 3)), U8(128), I8(-1))
    mmi('matmul_integer_b_zp_only', rand(U8, (2, 3)), rand(U8, (3, 2)), None, U8(5))
    mmi('matmul_integer_per_row_col', rand(U8, (3, 4)), rand(U8, (4, 5)), np.array([1, 128, 255], U8),
        np.array([0, 3, 100, 200, 255], U8))
    mmi('matmul_integer_batched', rand(U8, (2, 3, 4)), rand(U8, (4, 5)), U8(3), U8(250))
    mmi('matmul_integer_broadcast', rand(I8, (2, 1, 3, 4)), rand(I8, (3, 4, 2)), I8(1), I8(-2))

    def ci(name, x, w, xzp, wzp, **attrs):
        ins = [m.input(name + '_x', x), m.input(name + '_w', w)]
        X, Wt = x.astype(np.int64), w.astype(np.int64)
        if xzp is not None:
            ins.append(m.const(name + '_xzp', xzp))
            X = X - int(xzp)
        elif wzp is not None:
            ins.append('')
        if wzp is not None:
            ins.append(m.const(name + '_wzp', wzp))
            Wt = Wt - (wzp.astype(np.int64).reshape(-1, 1, 1, 1) if wzp.ndim == 1 else int(wzp))
        pads = attrs.get('pads', [0, 0, 0, 0])
        m.case(name, 'ConvInteger', ins,
               conv(X, Wt, pads, attrs.get('strides', [1, 1]), attrs.get('dilations', [1, 1]),
                    attrs.get('group', 1)).astype(I32), **attrs)

    # Padding contributes x_zero_point, i.e. nothing after the shift.
    ci('conv_integer_u8', rand(U8, (1, 2, 5, 5)), rand(U8, (3, 2, 3, 3)), U8(100), U8(128), pads=[1, 1, 1, 1])
    ci('conv_integer_i8', rand(I8, (2, 3, 6, 5)), rand(I8, (4, 3, 2, 2)), None, None, strides=[2, 1])
    ci('conv_integer_u8_i8_group', rand(U8, (1, 4, 7, 6)), rand(I8, (6, 2, 3, 2)), U8(7), I8(-2), group=2,
       pads=[2, 0, 1, 1], strides=[2, 2], dilations=[1, 2])
    ci('conv_integer_per_channel_zp', rand(U8, (1, 2, 4, 4)), rand(U8, (3, 2, 2, 2)), U8(9),
       np.array([0, 128, 255], U8), pads=[0, 1, 0, 1])

    def qmm(name, a, sa, za, b, sb, zb, sy, zy):
        for attempt in range(100):
            acc = np.matmul(a.astype(np.int64) - za, b.astype(np.int64) - zb)
            try:
                expected = requantize(acc, np.float64(F32(sa)) * np.float64(F32(sb)) / np.float64(F32(sy)), zy,
                                      np.asarray(zy).dtype)
                break
            except AssertionError:
                a = rand(a.dtype, a.shape)
        ins = [m.input(name + '_a', a), m.const(name + '_sa', F32(sa)), m.const(name + '_za', za),
               m.input(name + '_b', b), m.const(name + '_sb', F32(sb)), m.const(name + '_zb', zb),
               m.const(name + '_sy', F32(sy)), m.const(name + '_zy', zy)]
        m.case(name, 'QLinearMatMul', ins, expected)

    qmm('qlinear_matmul_u8', rand(U8, (3, 5)), 0.02, U8(120), rand(U8, (5, 4)), 0.01, U8(130), 0.15, U8(128))
    qmm('qlinear_matmul_i8', rand(I8, (2, 6)), 0.05, I8(3), rand(I8, (6, 3)), 0.02, I8(-4), 0.9, I8(-10))
    qmm('qlinear_matmul_3d', rand(U8, (2, 3, 4)), 0.1, U8(128), rand(U8, (2, 4, 2)), 0.003, U8(5), 0.2, U8(60))
    # A small output scale: most results saturate.
    qmm('qlinear_matmul_saturate', rand(U8, (3, 4)), 0.5, U8(0), rand(U8, (4, 3)), 0.5, U8(0), 200.0, U8(7))

    def qconv(name, x, sx, zx, w, sw, zw, sy, zy, bias=None, **attrs):
        sw = np.asarray(sw, F32)
        zw = np.asarray(zw)
        if sw.ndim and not zw.ndim:  # a scale and its zero point have one shape
            zw = np.full(sw.shape, zw, zw.dtype)
        for attempt in range(100):
            shifted_w = w.astype(np.int64) - (zw.astype(np.int64).reshape(-1, 1, 1, 1) if zw.ndim else int(zw))
            acc = conv(x.astype(np.int64) - int(zx), shifted_w, attrs.get('pads', [0, 0, 0, 0]),
                       attrs.get('strides', [1, 1]), attrs.get('dilations', [1, 1]), attrs.get('group', 1))
            if bias is not None:
                acc = acc + bias.astype(np.int64).reshape(1, -1, 1, 1)
            mult = np.float64(F32(sx)) * sw.astype(np.float64) / np.float64(F32(sy))
            try:
                expected = requantize(acc, mult.reshape(1, -1, 1, 1) if mult.ndim else mult, zy,
                                      np.asarray(zy).dtype)
                break
            except AssertionError:
                x = rand(x.dtype, x.shape)
        ins = [m.input(name + '_x', x), m.const(name + '_sx', F32(sx)), m.const(name + '_zx', zx),
               m.input(name + '_w', w), m.const(name + '_sw', sw), m.const(name + '_zw', zw),
               m.const(name + '_sy', F32(sy)), m.const(name + '_zy', zy)]
        if bias is not None:
            ins.append(m.const(name + '_bias', bias))
        m.case(name, 'QLinearConv', ins, expected, **attrs)

    qconv('qlinear_conv_u8', rand(U8, (1, 2, 5, 5)), 0.02, U8(128), rand(U8, (3, 2, 3, 3)), 0.01, U8(120),
          0.25, U8(100), pads=[1, 1, 1, 1])
    qconv('qlinear_conv_u8_bias', rand(U8, (1, 3, 6, 6)), 0.05, U8(10), rand(U8, (2, 3, 2, 2)), 0.004, U8(128),
          0.3, U8(50), bias=np.array([-2000, 3500], I32), strides=[2, 2])
    qconv('qlinear_conv_i8_per_channel', rand(I8, (2, 4, 5, 4)), 0.03, I8(-2), rand(I8, (4, 2, 3, 3)),
          [0.01, 0.02, 0.005, 0.04], I8(0), 0.5, I8(5), bias=np.array([100, -50, 0, 7], I32), group=2,
          pads=[1, 0, 1, 2], dilations=[1, 2])
    qconv('qlinear_conv_u8_i8_per_channel', rand(U8, (1, 3, 4, 4)), 0.1, U8(0), rand(I8, (2, 3, 1, 1)),
          [0.02, 0.3], I8(0), 0.05, U8(128))
    return m


save_all(sys.argv[1], [quantize_model(), dequantize_model(), dynamic_quantize_model(), integer_model()])
