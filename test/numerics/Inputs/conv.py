"""Convolutions with constant weights, and the adds and activations that
follow them, against numpy references (see conv.test). They exercise the
runtime's packed-GEMM kernels: output channels that do not fill a register
tile, pixel counts that do not fill one, reductions longer than one cache
block (K > 256), strides, dilations, asymmetric pads, 1x1 convolutions,
a batch of two, and every fused epilogue; grouped convolutions (a product
per group); the direct depthwise kernel; transposed convolutions (a
product and a scatter); max and average pooling; and fully connected
layers (Gemm, MatMul by a constant) on the dense kernel.

A second model, conv_nhwc, has only convolutions with one group and
pooling, which kilnc then runs in channels-last layout (the
conv2d_nhwc_f32 and pool2d_nhwc_f32 kernels between transposes): the same
plain cases and pools, output channels that leave a partial vector,
reductions longer than one input-channel chunk, a 7x7 stride-2 stem, and
chains (conv into conv, a concat of two convs, pooling between) whose
transposes cancel.

usage: conv.py OUTDIR
"""
import sys

import numpy as np
import onnx

from numerics import Model, rng, save_all

F32 = np.float32


def conv2d(x, w, b, strides, dilations, pads, group=1):
    if group > 1:
        cg, mg = x.shape[1] // group, w.shape[0] // group
        ys = [conv2d(x[:, g * cg:(g + 1) * cg], w[g * mg:(g + 1) * mg], None, strides, dilations, pads)
              for g in range(group)]
        y = np.concatenate(ys, axis=1)
        if b is not None:
            y += b.reshape(1, -1, 1, 1)
        return y
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


def conv_transpose2d(x, w, b, strides, dilations, pads, output_padding):
    n, c, h, wd = x.shape
    _, m, kh, kw = w.shape
    full_h = strides[0] * (h - 1) + dilations[0] * (kh - 1) + 1 + output_padding[0]
    full_w = strides[1] * (wd - 1) + dilations[1] * (kw - 1) + 1 + output_padding[1]
    full = np.zeros((n, m, full_h, full_w), np.float64)
    for i in range(kh):
        for j in range(kw):
            full[:, :, i * dilations[0]:i * dilations[0] + strides[0] * (h - 1) + 1:strides[0],
                 j * dilations[1]:j * dilations[1] + strides[1] * (wd - 1) + 1:strides[1]] += \
                np.einsum('nchw,cm->nmhw', x.astype(np.float64), w[:, :, i, j].astype(np.float64))
    oh = full_h - pads[0] - pads[2]
    ow = full_w - pads[1] - pads[3]
    y = full[:, :, pads[0]:pads[0] + oh, pads[1]:pads[1] + ow]
    if b is not None:
        y = y + b.reshape(1, m, 1, 1)
    return y


def pool2d(x, kind, kernel, strides, dilations, pads, ceil_mode=False, include_pad=False):
    n, c, h, wd = x.shape
    ext = [(h + pads[0] + pads[2] - dilations[0] * (kernel[0] - 1) - 1),
           (wd + pads[1] + pads[3] - dilations[1] * (kernel[1] - 1) - 1)]
    rnd = (lambda a, b: -(-a // b)) if ceil_mode else (lambda a, b: a // b)
    oh, ow = rnd(ext[0], strides[0]) + 1, rnd(ext[1], strides[1]) + 1
    if ceil_mode:  # a window must start inside the input or its begin pad
        if (oh - 1) * strides[0] >= h + pads[0]:
            oh -= 1
        if (ow - 1) * strides[1] >= wd + pads[1]:
            ow -= 1
    y = np.zeros((n, c, oh, ow), np.float64)
    for oy in range(oh):
        for ox in range(ow):
            vals, count = [], 0
            for i in range(kernel[0]):
                for j in range(kernel[1]):
                    iy = oy * strides[0] - pads[0] + i * dilations[0]
                    ix = ox * strides[1] - pads[1] + j * dilations[1]
                    inside = 0 <= iy < h and 0 <= ix < wd
                    in_pads = -pads[0] <= iy < h + pads[2] and -pads[1] <= ix < wd + pads[3]
                    if inside:
                        vals.append(x[:, :, iy, ix].astype(np.float64))
                    if inside or (include_pad and in_pads):
                        count += 1
            if kind == 'max':
                y[:, :, oy, ox] = np.max(vals, axis=0)
            else:
                y[:, :, oy, ox] = np.sum(vals, axis=0) / count
    return y


def add_convs(m, r, all_cases, suffix=''):
    """Conv cases (name, group, x shape, M, kernel, strides, dilations, pads,
    bias, residual, activation), each with its own input."""
    for name, g, xs, mm, k, s, d, p, has_b, has_res, act in all_cases:
        name += suffix
        x = r.normal(size=xs).astype(F32)
        cg = xs[1] // g
        w = (r.normal(size=(mm, cg) + k) / np.sqrt(cg * k[0] * k[1])).astype(F32)
        b = r.normal(size=(mm,)).astype(F32) if has_b else None
        y = conv2d(x, w, b, s, d, p, group=g)
        inputs = [m.input(name + '_x', x), m.const(name + '_w', w)] + ([m.const(name + '_b', b)] if has_b else [])
        attrs = dict(kernel_shape=list(k), strides=list(s), dilations=list(d), pads=list(p))
        if g > 1:
            attrs['group'] = g
        if not has_res and act is None:
            m.case(name, 'Conv', inputs, y.astype(F32), **attrs)
            continue
        # Intermediate results stay inside the model: the node is one case
        # whose output is not a graph output.
        m.nodes.append(onnx.helper.make_node('Conv', inputs, [name + '_conv'], **attrs))
        v, cur = y, name + '_conv'
        if has_res:
            res = r.normal(size=y.shape).astype(F32)
            m.nodes.append(onnx.helper.make_node('Add', [cur, m.input(name + '_res', res)],
                                                 [name + '_sum']))
            v, cur = v + res, name + '_sum'
        if act is None:
            m.case(name, 'Identity', [cur], v.astype(F32))
        else:
            op, attrs2, f = ACTS[act]
            bounds = [m.const(name + '_min', np.array(0, F32)), m.const(name + '_max', np.array(6, F32))]
            m.case(name, op, [cur] + (bounds if op == 'Clip' else []), f(v).astype(F32), **attrs2)


def add_post_affine(m, r, name, xs, mm, act):
    """conv -> activation -> * s -> + t (one-element constants): the
    kernels' post scale and shift."""
    x = r.normal(size=xs).astype(F32)
    w = (r.normal(size=(mm, xs[1], 3, 3)) / np.sqrt(xs[1] * 9)).astype(F32)
    b = r.normal(size=(mm,)).astype(F32)
    op, attrs, f = ACTS[act]
    y = f(conv2d(x, w, b, (1, 1), (1, 1), (1, 1, 1, 1))) * 1.75 - 0.5
    m.nodes.append(onnx.helper.make_node('Conv', [m.input(name + '_x', x), m.const(name + '_w', w),
                                                  m.const(name + '_b', b)], [name + '_conv'],
                                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
    bounds = [m.const(name + '_min', np.array(0, F32)), m.const(name + '_max', np.array(6, F32))]
    m.nodes.append(onnx.helper.make_node(op, [name + '_conv'] + (bounds if op == 'Clip' else []),
                                         [name + '_act'], **attrs))
    m.nodes.append(onnx.helper.make_node('Mul', [name + '_act', m.const(name + '_s', np.array([1.75], F32))],
                                         [name + '_mul']))
    m.case(name, 'Add', [name + '_mul', m.const(name + '_t', np.array([-0.5], F32))], y.astype(F32))


# Plain convolutions: name, x shape, M, kernel, strides, dilations, pads,
# bias, residual, activation.
PLAIN = [
    ('k3_pad1', (1, 3, 9, 11), 13, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, False, None),
    ('k1', (1, 20, 7, 5), 30, (1, 1), (1, 1), (1, 1), (0, 0, 0, 0), True, False, 'relu'),
    ('k1_stride2', (1, 8, 9, 9), 12, (1, 1), (2, 2), (1, 1), (0, 0, 0, 0), False, False, None),
    # 1x1 with padding at the end only: the output is larger than the input.
    ('k1_end_pads', (1, 3, 5, 6), 4, (1, 1), (1, 1), (1, 1), (0, 0, 1, 2), True, False, None),
    ('k3_stride2_asym', (1, 5, 10, 9), 7, (3, 2), (2, 1), (1, 1), (0, 1, 2, 0), True, False, 'clip'),
    ('dilated', (1, 4, 12, 12), 6, (3, 3), (1, 1), (2, 3), (2, 3, 2, 3), True, False, 'leaky'),
    ('long_k', (1, 40, 6, 7), 25, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, True, 'relu'),
    ('batch2_residual', (2, 6, 8, 8), 16, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, True, None),
    ('wide', (1, 3, 30, 31), 33, (5, 5), (1, 1), (1, 1), (2, 2, 2, 2), True, False, 'hswish'),
    ('hsig', (1, 4, 5, 5), 5, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, False, 'hsig'),
]

# Pooling: kind, x shape, kernel, strides, dilations, pads, ceil_mode,
# count_include_pad.
POOLS = [
    ('maxpool_k3s2', 'max', (1, 5, 11, 12), (3, 3), (2, 2), (1, 1), (1, 1, 1, 1), False, False),
    ('maxpool_ceil', 'max', (2, 3, 10, 9), (3, 3), (2, 2), (1, 1), (0, 0, 0, 0), True, False),
    ('maxpool_dilated', 'max', (1, 4, 12, 13), (2, 3), (1, 2), (2, 2), (1, 0, 0, 1), False, False),
    ('avgpool_k3s1', 'avg', (1, 6, 8, 9), (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), False, False),
    ('avgpool_include_pad', 'avg', (1, 3, 9, 10), (3, 2), (2, 2), (1, 1), (1, 0, 1, 1), False, True),
    ('avgpool_ceil', 'avg', (1, 2, 7, 8), (2, 2), (2, 2), (1, 1), (0, 0, 0, 0), True, False),
    ('avgpool_global7', 'avg', (1, 20, 7, 7), (7, 7), (1, 1), (1, 1), (0, 0, 0, 0), False, False),
    # Planes larger than the NCHW kernel's scratch buffer: bands of rows.
    ('maxpool_large', 'max', (1, 1, 330, 320), (3, 3), (2, 2), (1, 1), (1, 1, 1, 1), True, False),
    ('avgpool_large', 'avg', (1, 1, 330, 320), (3, 3), (2, 2), (1, 1), (1, 1, 1, 1), False, True),
]

# Pools over more channels than a vector: channel blocks of the NCHW kernel.
BLOCK_POOLS = [
    ('maxpool_blocks', 'max', (1, 19, 15, 14), (3, 3), (2, 2), (1, 1), (1, 1, 1, 1), False, False),
    ('avgpool_blocks_ceil', 'avg', (2, 17, 9, 10), (3, 3), (2, 2), (1, 1), (1, 1, 1, 1), True, False),
    # More taps than the kernel's tables (64): the row loops.
    ('avgpool_k9_row_loop', 'avg', (1, 3, 12, 11), (9, 9), (1, 1), (1, 1), (2, 2, 2, 2), False, True),
]


def add_shuffle(m, r, name, xs, mm, g, residual):
    """A 1x1 convolution of g groups, a relu and ShuffleNet's channel shuffle
    (reshape to g groups, swap, reshape back), which the kernel writes
    directly unless a residual add comes between."""
    x = r.normal(size=xs).astype(F32)
    cg = xs[1] // g
    w = (r.normal(size=(mm, cg, 1, 1)) / np.sqrt(cg)).astype(F32)
    b = r.normal(size=(mm,)).astype(F32)
    y = conv2d(x, w, b, (1, 1), (1, 1), (0, 0, 0, 0), group=g)
    inputs = [m.input(name + '_x', x), m.const(name + '_w', w), m.const(name + '_b', b)]
    m.nodes.append(onnx.helper.make_node('Conv', inputs, [name + '_conv'], kernel_shape=[1, 1],
                                         group=g))
    cur = name + '_conv'
    if residual:
        res = r.normal(size=y.shape).astype(F32)
        m.nodes.append(onnx.helper.make_node('Add', [cur, m.input(name + '_res', res)],
                                             [name + '_sum']))
        y, cur = y + res, name + '_sum'
    m.nodes.append(onnx.helper.make_node('Relu', [cur], [name + '_relu']))
    y = np.maximum(y, 0)
    n, _, h, wd = y.shape
    m.nodes.append(onnx.helper.make_node(
        'Reshape', [name + '_relu', m.const(name + '_split', np.array([n, g, mm // g, h, wd], np.int64))],
        [name + '_groups']))
    m.nodes.append(onnx.helper.make_node('Transpose', [name + '_groups'], [name + '_swapped'],
                                         perm=[0, 2, 1, 3, 4]))
    shuffled = y.reshape(n, g, mm // g, h, wd).transpose(0, 2, 1, 3, 4).reshape(n, mm, h, wd)
    m.case(name, 'Reshape', [name + '_swapped', m.const(name + '_merge', np.array([n, mm, h, wd], np.int64))],
           shuffled.astype(F32))


def add_resizes(m, r):
    """Nearest-neighbour upsampling by whole factors (the resize_nearest_f32
    kernel): by scales with the asymmetric transform and floor, by sizes
    with half_pixel and round_prefer_floor, then with an add of a tensor of
    its type fused in, and a factor of 1 along the width."""
    cases = [  # name, input shape, factors, by scales, transform, nearest mode, add
        ('resize_up2', (1, 3, 5, 6), (2, 2), True, 'asymmetric', 'floor', False),
        ('resize_add', (2, 4, 4, 3), (2, 3), False, 'half_pixel', 'round_prefer_floor', True),
        ('resize_h3', (1, 5, 3, 7), (3, 1), True, 'half_pixel', 'round_prefer_ceil', False),
    ]
    for name, xs, (fh, fw), by_scales, transform, mode, add in cases:
        x = r.normal(size=xs).astype(F32)
        y = np.repeat(np.repeat(x, fh, axis=2), fw, axis=3)
        out = (xs[0], xs[1], xs[2] * fh, xs[3] * fw)
        if by_scales:
            inputs = [m.input(name + '_x', x), '', m.const(name + '_scales', np.array([1, 1, fh, fw], F32))]
        else:
            inputs = [m.input(name + '_x', x), '', '', m.const(name + '_sizes', np.array(out, np.int64))]
        attrs = dict(mode='nearest', coordinate_transformation_mode=transform, nearest_mode=mode)
        if not add:
            m.case(name, 'Resize', inputs, y, **attrs)
            continue
        m.nodes.append(onnx.helper.make_node('Resize', inputs, [name + '_up'], **attrs))
        res = r.normal(size=out).astype(F32)
        m.case(name, 'Add', [m.input(name + '_res', res), name + '_up'], (y + res).astype(F32))


def pool_attrs(kind, k, s, d, p, ceil, incl):
    attrs = dict(kernel_shape=list(k), strides=list(s), pads=list(p), ceil_mode=int(ceil))
    if kind == 'max':
        attrs['dilations'] = list(d)
    else:
        attrs['count_include_pad'] = int(incl)
    return attrs


def add_pools(m, r, pools, suffix=''):
    for name, kind, xs, k, s, d, p, ceil, incl in pools:
        name += suffix
        x = r.normal(size=xs).astype(F32)
        y = pool2d(x, kind, k, s, d, p, ceil, incl)
        m.case(name, 'MaxPool' if kind == 'max' else 'AveragePool', [m.input(name + '_x', x)],
               y.astype(F32), **pool_attrs(kind, k, s, d, p, ceil, incl))


def conv_model():
    m = Model('conv', opset=14)
    r = rng('conv')
    # Grouped: a matrix product per group (group, then the same fields).
    grouped = [
        ('group2', 2, (1, 6, 7, 9), 10, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, False, 'relu'),
        ('group4_k1', 4, (2, 16, 5, 6), 20, (1, 1), (1, 1), (1, 1), (0, 0, 0, 0), True, True, None),
        ('group3_stride2', 3, (1, 9, 11, 10), 6, (3, 3), (2, 2), (1, 1), (1, 0, 1, 2), False, False, 'clip'),
    ]
    # Depthwise (groups = channels = output channels): the direct kernel.
    depthwise = [
        ('dw_k3', (1, 7, 9, 20), (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, False, 'relu'),
        ('dw_k5_stride2', (2, 5, 13, 19), (5, 5), (2, 2), (1, 1), (2, 2, 2, 2), True, False, 'hswish'),
        ('dw_stride21_asym', (1, 4, 12, 17), (3, 3), (2, 1), (1, 1), (0, 1, 2, 1), False, True, 'hsig'),
        ('dw_dilated', (1, 3, 14, 14), (3, 3), (1, 1), (2, 2), (2, 2, 2, 2), True, True, None),
        ('dw_stride3', (1, 2, 10, 16), (2, 3), (3, 3), (1, 1), (0, 0, 1, 1), True, False, 'leaky'),
        # A plane larger than the kernel's scratch buffer: bands of rows.
        ('dw_large_plane', (1, 2, 330, 320), (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, False, None),
        # Channel blocks: a full block of 16 and a partial one, planes of
        # more than a vector with a tail, rows shorter than a vector.
        ('dw_blocks', (2, 21, 9, 11), (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, True, 'relu'),
        ('dw_blocks_stride2', (1, 35, 14, 13), (3, 3), (2, 2), (1, 1), (1, 0, 1, 1), True, False, None),
        # More taps than the kernel's tables (64): the row loop.
        ('dw_k9_row_loop', (1, 3, 12, 12), (9, 9), (1, 1), (1, 1), (4, 4, 4, 4), True, False, None),
    ]
    all_cases = [(c[0], 1) + tuple(c[1:]) for c in PLAIN]
    all_cases += [(c[0], c[1]) + tuple(c[2:]) for c in grouped]
    all_cases += [(c[0], c[1][1], c[1], c[1][1]) + tuple(c[2:]) for c in depthwise]
    add_convs(m, r, all_cases)

    # Transposed: x shape, M, kernel, strides, dilations, pads,
    # output_padding, bias, activation.
    transposed = [
        ('convT_k2s2', (1, 6, 5, 7), 4, (2, 2), (2, 2), (1, 1), (0, 0, 0, 0), (0, 0), False, None),
        ('convT_k3s2_pad', (2, 5, 6, 5), 7, (3, 3), (2, 2), (1, 1), (1, 1, 1, 1), (1, 1), True, 'relu'),
        ('convT_dilated', (1, 3, 4, 6), 2, (3, 2), (1, 3), (2, 1), (0, 1, 2, 0), (0, 2), True, None),
    ]
    for name, xs, mm, k, s, d, p, op, has_b, act in transposed:
        x = r.normal(size=xs).astype(F32)
        w = (r.normal(size=(xs[1], mm) + k) / np.sqrt(xs[1])).astype(F32)
        b = r.normal(size=(mm,)).astype(F32) if has_b else None
        y = conv_transpose2d(x, w, b, s, d, p, op)
        inputs = [m.input(name + '_x', x), m.const(name + '_w', w)] + ([m.const(name + '_b', b)] if has_b else [])
        attrs = dict(kernel_shape=list(k), strides=list(s), dilations=list(d), pads=list(p),
                     output_padding=list(op))
        if act is None:
            m.case(name, 'ConvTranspose', inputs, y.astype(F32), **attrs)
            continue
        m.nodes.append(onnx.helper.make_node('ConvTranspose', inputs, [name + '_conv'], **attrs))
        m.case(name, ACTS[act][0], [name + '_conv'], ACTS[act][2](y).astype(F32))

    add_pools(m, r, POOLS + BLOCK_POOLS)
    add_shuffle(m, r, 'shuffle_g4', (2, 12, 5, 7), 20, 4, residual=False)
    add_shuffle(m, r, 'shuffle_residual', (1, 8, 4, 4), 8, 2, residual=True)
    add_post_affine(m, r, 'post_affine', (1, 5, 7, 9), 11, 'hswish')
    add_resizes(m, r)

    # Dense: Gemm (M, K, N, trans_b, alpha, beta, C: None, 'row', 'scalar' or
    # 'input', activation) and MatMul by a constant (+ a constant row).
    gemms = [
        ('gemm_relu', 1, 300, 37, 1, 1.0, 1.0, 'row', 'relu'),
        ('gemm_scaled', 2, 37, 20, 0, 0.5, 2.0, 'row', None),
        ('gemm_c_input', 3, 16, 9, 1, 1.0, 1.0, 'input', None),
        ('gemm_scalar_c', 1, 5, 7, 0, 1.0, 0.5, 'scalar', 'clip'),
        ('gemm_no_c', 4, 64, 33, 1, 1.5, 1.0, None, None),
    ]
    for name, mm, kk, nn, tb, alpha, beta, c, act in gemms:
        a = r.normal(size=(mm, kk)).astype(F32)
        b = (r.normal(size=(nn, kk) if tb else (kk, nn)) / np.sqrt(kk)).astype(F32)
        y = alpha * (a.astype(np.float64) @ (b.T if tb else b).astype(np.float64))
        inputs = [m.input(name + '_a', a), m.const(name + '_b', b)]
        if c is not None:
            cv = r.normal(size={'row': (1, nn), 'scalar': (), 'input': (nn,)}[c]).astype(F32)
            inputs.append(m.input(name + '_c', cv) if c == 'input' else m.const(name + '_c', cv))
            y = y + beta * cv
        attrs = dict(transB=tb, alpha=alpha, beta=beta)
        if act is None:
            m.case(name, 'Gemm', inputs, y.astype(F32), **attrs)
            continue
        m.nodes.append(onnx.helper.make_node('Gemm', inputs, [name + '_g'], **attrs))
        op = ACTS[act]
        bounds = [m.const(name + '_min', np.array(0, F32)), m.const(name + '_max', np.array(6, F32))]
        m.case(name, op[0], [name + '_g'] + (bounds if op[0] == 'Clip' else []), op[2](y).astype(F32))
    a = r.normal(size=(2, 3, 40)).astype(F32)
    b = r.normal(size=(40, 6)).astype(F32)
    bias = r.normal(size=(6,)).astype(F32)
    m.nodes.append(onnx.helper.make_node(
        'MatMul', [m.input('matmul_bias_a', a), m.const('matmul_bias_b', b)], ['matmul_bias_p']))
    m.case('matmul_bias', 'Add', ['matmul_bias_p', m.const('matmul_bias_c', bias)],
           (a.astype(np.float64) @ b + bias).astype(F32))
    a = r.normal(size=(1, 17)).astype(F32)
    b = r.normal(size=(17, 2)).astype(F32)
    m.case('matmul_row', 'MatMul', [m.input('matmul_row_a', a), m.const('matmul_row_b', b)],
           (a.astype(np.float64) @ b).astype(F32))
    return m


def nhwc_model():
    """Only kernels that have a channels-last version, so that kilnc chooses
    that layout for the whole model."""
    m = Model('conv_nhwc', opset=14)
    r = rng('conv_nhwc')
    extra = [
        # 70 output channels: a panel of 64 and one with a partial vector.
        ('m70', (1, 5, 6, 7), 70, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), True, True, 'relu'),
        # 1x1 reductions over more channels than one chunk (144 at avx512).
        ('k1_c300', (1, 300, 4, 5), 20, (1, 1), (1, 1), (1, 1), (0, 0, 0, 0), True, False, None),
        ('k3_c40_m130', (1, 40, 5, 13), 130, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1), False, True, 'clip'),
        # A stem: 7x7 at stride 2 over 3 channels.
        ('stem7', (1, 3, 23, 21), 16, (7, 7), (2, 2), (1, 1), (3, 3, 3, 3), True, False, 'relu'),
        ('k1x7', (1, 6, 5, 17), 9, (1, 7), (1, 1), (1, 1), (0, 3, 0, 3), True, False, None),
        # A 1x1 convolution over a batch, whose rows are one row of tiles.
        ('k1_flat_batch', (2, 24, 7, 7), 70, (1, 1), (1, 1), (1, 1), (0, 0, 0, 0), True, True, 'relu'),
    ]
    add_convs(m, r, [(c[0], 1) + tuple(c[1:]) for c in PLAIN + extra], suffix='_cl')
    add_pools(m, r, POOLS[:7], suffix='_cl')
    add_post_affine(m, r, 'post_affine_relu', (1, 5, 7, 9), 70, 'relu')
    add_post_affine(m, r, 'post_affine_hsig', (1, 4, 6, 5), 20, 'hsig')

    # A fire module: squeeze, two expands concatenated, pooling, then a
    # convolution with a residual: the transposes between them cancel.
    helper = onnx.helper
    x = r.normal(size=(1, 12, 9, 10)).astype(F32)
    ws = [(r.normal(size=shape) / np.sqrt(np.prod(shape[1:]))).astype(F32)
          for shape in [(6, 12, 1, 1), (8, 6, 1, 1), (10, 6, 3, 3), (18, 18, 3, 3)]]
    bs = [r.normal(size=(w.shape[0],)).astype(F32) for w in ws]
    relu = lambda v: np.maximum(v, 0)
    s = relu(conv2d(x, ws[0], bs[0], (1, 1), (1, 1), (0, 0, 0, 0)))
    e1 = relu(conv2d(s, ws[1], bs[1], (1, 1), (1, 1), (0, 0, 0, 0)))
    e3 = relu(conv2d(s, ws[2], bs[2], (1, 1), (1, 1), (1, 1, 1, 1)))
    cat = np.concatenate([e1, e3], axis=1)
    pooled = pool2d(cat, 'max', (3, 3), (2, 2), (1, 1), (0, 0, 0, 0), True, False)
    out = conv2d(pooled, ws[3], bs[3], (1, 1), (1, 1), (1, 1, 1, 1)) + pooled
    names = [m.const('fire_w%d' % i, w) for i, w in enumerate(ws)]
    bnames = [m.const('fire_b%d' % i, b) for i, b in enumerate(bs)]
    conv = lambda i, src, dst, pads: m.nodes.append(helper.make_node(
        'Conv', [src, names[i], bnames[i]], [dst], kernel_shape=list(ws[i].shape[2:]), pads=pads))
    conv(0, m.input('fire_x', x), 'fire_s0', [0] * 4)
    m.nodes.append(helper.make_node('Relu', ['fire_s0'], ['fire_s']))
    conv(1, 'fire_s', 'fire_e10', [0] * 4)
    m.nodes.append(helper.make_node('Relu', ['fire_e10'], ['fire_e1']))
    conv(2, 'fire_s', 'fire_e30', [1] * 4)
    m.nodes.append(helper.make_node('Relu', ['fire_e30'], ['fire_e3']))
    m.nodes.append(helper.make_node('Concat', ['fire_e1', 'fire_e3'], ['fire_cat'], axis=1))
    m.nodes.append(helper.make_node('MaxPool', ['fire_cat'], ['fire_pool'], kernel_shape=[3, 3],
                                    strides=[2, 2], ceil_mode=1))
    conv(3, 'fire_pool', 'fire_c', [1] * 4)
    m.case('fire', 'Add', ['fire_c', 'fire_pool'], out.astype(F32))
    return m


if __name__ == '__main__':
    save_all(sys.argv[1], [conv_model(), nhwc_model()])
