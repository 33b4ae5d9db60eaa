"""Models on odd inputs, with numpy reference outputs (see edge-cases.test).

usage: edge_cases.py OUTDIR

Where ONNX defines the result, the reference follows the operator
definitions (opset 17). Where it does not, the expected values are Kiln's
documented choices (README, "Lowering"; codegen/Linalg/*ToLinalg.cpp):
  - integer Div and Mod by zero yield 0, and so does INT_MIN / -1 (whose
    quotient does not fit), rather than trapping;
  - data-dependent indices out of range are clamped: a Gather index i into
    an axis of extent n reads min(max(i < 0 ? i + n : i, 0), n - 1).
Results that ONNX leaves undefined and Kiln does not define either (NaN,
infinities and out-of-range floats cast to integers) go into a model with
no reference outputs: the test only checks that it runs.
"""
import math
import sys

import numpy as np

from numerics import NP_TO_ONNX, Model, rng, save_all

F32, F16 = np.float32, np.float16
I8, U8, I32, I64 = np.int8, np.uint8, np.int32, np.int64


# --- integer Div and Mod ----------------------------------------------------

def int_div(a, b):
    """Truncating division; 0 for x / 0 and for INT_MIN / -1 (Kiln)."""
    a64, b64 = a.astype(object), b.astype(object)
    out = []
    for x, y in zip(a64.reshape(-1), np.broadcast_to(b64, a.shape).reshape(-1)):
        if y == 0:
            out.append(0)
            continue
        q = abs(x) // abs(y)
        q = q if (x >= 0) == (y >= 0) else -q
        out.append(q if np.iinfo(a.dtype).min <= q <= np.iinfo(a.dtype).max else 0)
    return np.array(out, a.dtype).reshape(a.shape)


def int_mod(a, b, fmod):
    """Remainder with the divisor's sign (fmod=0) or the dividend's (fmod=1);
    0 for x mod 0 (Kiln: ONNX calls it platform dependent)."""
    out = []
    for x, y in zip(a.astype(object).reshape(-1), np.broadcast_to(b.astype(object), a.shape).reshape(-1)):
        if y == 0:
            out.append(0)
            continue
        r = abs(x) % abs(y)
        r = r if x >= 0 else -r  # C's fmod: the dividend's sign
        if not fmod and r != 0 and (r < 0) != (y < 0):
            r += y
        out.append(r)
    return np.array(out, a.dtype).reshape(a.shape)


def division_model():
    m = Model('division')
    for dtype in (I8, I32, I64):
        lo, hi = int(np.iinfo(dtype).min), int(np.iinfo(dtype).max)
        a = np.array([7, -7, 7, -7, 0, 5, -5, lo, lo, hi, lo, hi, 3, 6, -6, lo + 1], dtype)
        b = np.array([2, 2, -2, -2, 3, 0, 0, -1, 1, -1, 0, hi, 0, -3, 4, -1], dtype)
        t = np.dtype(dtype).name
        ai, bi = m.input('a_' + t, a), m.input('b_' + t, b)
        m.case('div_' + t, 'Div', [ai, bi], int_div(a, b))
        m.case('mod_' + t, 'Mod', [ai, bi], int_mod(a, b, 0))
        m.case('fmod_' + t, 'Mod', [ai, bi], int_mod(a, b, 1), fmod=1)
        # Broadcasting a zero divisor.
        zero = m.const('zero_' + t, np.zeros((1,), dtype))
        m.case('div_by_zero_' + t, 'Div', [ai, zero], np.zeros_like(a))
        m.case('mod_by_zero_' + t, 'Mod', [ai, zero], np.zeros_like(a))
    a = np.array([7, 255, 0, 200, 13, 1, 128, 255], U8)
    b = np.array([2, 16, 3, 0, 0, 255, 128, 1], U8)
    au, bu = m.input('a_uint8', a), m.input('b_uint8', b)
    m.case('div_uint8', 'Div', [au, bu], int_div(a, b))
    m.case('mod_uint8', 'Mod', [au, bu], int_mod(a, b, 0))
    m.case('fmod_uint8', 'Mod', [au, bu], int_mod(a, b, 1), fmod=1)
    # Floats follow IEEE: x / 0 is an infinity or NaN, fmod(x, 0) is NaN.
    a = np.array([1, -1, 0, 2.5, -7.5, 7.5, np.inf, 5], F32)
    b = np.array([0, 0, 0, -0.0, 2, -2, 2, np.inf], F32)
    af, bf = m.input('a_float', a), m.input('b_float', b)
    with np.errstate(divide='ignore', invalid='ignore'):
        m.case('div_float', 'Div', [af, bf], (a / b).astype(F32))
        m.case('fmod_float', 'Mod', [af, bf], np.fmod(a, b).astype(F32), fmod=1)
    return m


# --- Gather with out-of-range indices (clamped) ------------------------------

def clamp_index(i, n):
    i = int(i)
    if i < 0:
        i += n
    return min(max(i, 0), n - 1)


def gather_model():
    m = Model('gather_clamp')
    r = rng('gather_clamp')
    x = r.normal(size=(3, 4)).astype(F32)
    xs = m.input('gather_x', x)
    # In range (negative ones count from the end), then out of range.
    idx = np.array([0, 3, -1, -4, 4, 7, 100, -5, -9, -100, 2 ** 40, -2 ** 40], I64)
    c = [clamp_index(i, 4) for i in idx]
    m.case('gather_axis1_clamped', 'Gather', [xs, m.input('gather_idx1', idx)], x[:, c], axis=1)
    idx0 = np.array([[2, -1], [3, -4], [5, -7]], I64)
    m.case('gather_axis0_clamped', 'Gather', [xs, m.input('gather_idx0', idx0)],
           x[np.vectorize(lambda i: clamp_index(i, 3))(idx0)], axis=0)
    idx32 = np.array([-2147483648, 2147483647, 1, -2], I32)
    m.case('gather_int32_clamped', 'Gather', [xs, m.input('gather_idx32', idx32)],
           x[:, [clamp_index(i, 4) for i in idx32]], axis=1)
    ge = np.array([[0, 5, -1, -9], [3, 3, -5, 4], [-2, 1, 7, 2]], I64)
    m.case('gather_elements_clamped', 'GatherElements', [xs, m.input('gather_elements_idx', ge)],
           np.take_along_axis(x, np.vectorize(lambda i: clamp_index(i, 4))(ge), axis=1), axis=1)
    return m


# --- Resize ------------------------------------------------------------------

def cubic_coefficients(t, a):
    return [((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
            ((a + 2) * t - (a + 3)) * t * t + 1,
            ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
            ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a]


def resize_matrix(n_in, n_out, scale, mode, ctm, nearest_mode, cubic_a, exclude_outside, exact_ties):
    """The (n_out, n_in) interpolation matrix of one axis."""
    mat = np.zeros((n_out, n_in))
    for o in range(n_out):
        if ctm == 'half_pixel':
            x = (o + 0.5) / scale - 0.5
        elif ctm == 'pytorch_half_pixel':
            x = (o + 0.5) / scale - 0.5 if n_out > 1 else 0.0
        elif ctm == 'align_corners':
            x = o * (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        elif ctm == 'asymmetric':
            x = o / scale
        else:
            raise ValueError(ctm)
        if mode == 'nearest':
            frac = x - math.floor(x)
            assert exact_ties or abs(frac - 0.5) > 1e-3, 'a rounding tie that depends on float error'
            i = {'round_prefer_floor': math.ceil(x - 0.5), 'round_prefer_ceil': math.floor(x + 0.5),
                 'floor': math.floor(x), 'ceil': math.ceil(x)}[nearest_mode]
            mat[o, min(max(i, 0), n_in - 1)] = 1
        elif mode == 'linear':
            x = min(max(x, 0.0), n_in - 1.0)
            i = min(int(math.floor(x)), n_in - 1)
            t = x - i
            mat[o, i] += 1 - t
            mat[o, min(i + 1, n_in - 1)] += t
        else:
            i = math.floor(x)
            w = cubic_coefficients(x - i, cubic_a)
            taps = [i - 1, i, i + 1, i + 2]
            if exclude_outside:
                w = [wk if 0 <= tk < n_in else 0.0 for wk, tk in zip(w, taps)]
                total = sum(w)
                w = [wk / total for wk in w]
            for wk, tk in zip(w, taps):
                mat[o, min(max(tk, 0), n_in - 1)] += wk
    return mat


def resize(x, out_shape, scales, mode, ctm, nearest_mode='round_prefer_floor', cubic_a=-0.75,
           exclude_outside=0):
    y = x.astype(np.float64)
    for axis, (n_in, n_out, s) in enumerate(zip(x.shape, out_shape, scales)):
        if n_in == n_out and s == 1:
            continue
        exact = math.log2(s).is_integer()  # x_original is exact in binary
        mat = resize_matrix(n_in, n_out, s, mode, ctm, nearest_mode, cubic_a, exclude_outside, exact)
        y = np.moveaxis(np.tensordot(mat, np.moveaxis(y, axis, 0), axes=1), 0, axis)
    return y.astype(x.dtype)


def resize_model():
    m = Model('resize')
    r = rng('resize')
    x = r.normal(size=(1, 2, 4, 6)).astype(F32)
    xs = m.input('resize_x', x)
    # Odd extents for `sizes`: no output coordinate is then a rounding tie.
    x_odd = r.normal(size=(1, 2, 3, 5)).astype(F32)
    xs_odd = m.input('resize_x_odd', x_odd)
    cases = [
        # name, scales (or sizes), mode, coordinate transformation, extra attributes
        ('nearest_up2', [1, 1, 2, 2], 'nearest', 'half_pixel', {}),
        ('nearest_up2_asymmetric_floor', [1, 1, 2, 2], 'nearest', 'asymmetric', {'nearest_mode': 'floor'}),
        ('nearest_up2_asymmetric_round_floor', [1, 1, 2, 2], 'nearest', 'asymmetric',
         {'nearest_mode': 'round_prefer_floor'}),
        ('nearest_up2_asymmetric_round_ceil', [1, 1, 2, 2], 'nearest', 'asymmetric',
         {'nearest_mode': 'round_prefer_ceil'}),
        ('nearest_up4_ceil', [1, 1, 4, 1], 'nearest', 'half_pixel', {'nearest_mode': 'ceil'}),
        ('nearest_down2', [1, 1, 0.5, 0.5], 'nearest', 'half_pixel', {}),
        ('nearest_down2_asymmetric', [1, 1, 0.5, 0.5], 'nearest', 'asymmetric', {}),
        ('nearest_down2_align_corners', [1, 1, 0.5, 0.5], 'nearest', 'align_corners', {}),
        ('nearest_sizes_up', (1, 2, 7, 8), 'nearest', 'half_pixel', {}),
        ('nearest_sizes_down', (1, 2, 2, 3), 'nearest', 'pytorch_half_pixel', {'nearest_mode': 'round_prefer_ceil'}),
        ('linear_up2', [1, 1, 2, 2], 'linear', 'half_pixel', {}),
        ('linear_up1_5', [1, 1, 1.5, 1.5], 'linear', 'half_pixel', {}),
        ('linear_up2_align_corners', [1, 1, 2, 2], 'linear', 'align_corners', {}),
        ('linear_up2_asymmetric', [1, 1, 2, 2], 'linear', 'asymmetric', {}),
        ('linear_down2', [1, 1, 0.5, 0.5], 'linear', 'half_pixel', {}),
        ('linear_down0_75', [1, 1, 0.75, 0.5], 'linear', 'pytorch_half_pixel', {}),
        ('linear_down_align_corners', (1, 2, 2, 3), 'linear', 'align_corners', {}),
        ('linear_sizes_mixed', (1, 2, 7, 3), 'linear', 'half_pixel', {}),
        ('cubic_up2', [1, 1, 2, 2], 'cubic', 'half_pixel', {}),
        ('cubic_up1_5_a05_exclude', [1, 1, 1.5, 1.5], 'cubic', 'half_pixel',
         {'cubic_coeff_a': -0.5, 'exclude_outside': 1}),
        ('cubic_up2_align_corners', [1, 1, 2, 2], 'cubic', 'align_corners', {}),
        ('cubic_down2', [1, 1, 0.5, 0.5], 'cubic', 'half_pixel', {}),
        ('cubic_down0_75_asymmetric', [1, 1, 0.75, 0.5], 'cubic', 'asymmetric', {}),
    ]
    for name, scales_or_sizes, mode, ctm, attrs in cases:
        if isinstance(scales_or_sizes, tuple):
            src, out_shape = x_odd, scales_or_sizes
            scales = [o / i for o, i in zip(out_shape, src.shape)]
            ins = [xs_odd, '', '', m.const(name + '_sizes', np.array(out_shape, I64))]
        else:
            src, scales = x, scales_or_sizes
            out_shape = tuple(int(math.floor(n * s)) for n, s in zip(src.shape, scales))
            assert all(n * s == o for n, s, o in zip(src.shape, scales, out_shape)), 'inexact output size'
            ins = [xs, '', m.const(name + '_scales', np.array(scales, F32))]
        expected = resize(src, out_shape, scales, mode, ctm, attrs.get('nearest_mode', 'round_prefer_floor'),
                          attrs.get('cubic_coeff_a', -0.75), attrs.get('exclude_outside', 0))
        m.case('resize_' + name, 'Resize', ins, expected, mode=mode, coordinate_transformation_mode=ctm, **attrs)
    return m


# --- Pad, Slice --------------------------------------------------------------

def onnx_slice(x, starts, ends, axes, steps):
    """Slice as ONNX defines it (not Python's slicing: a start below -n
    with a negative step clamps to 0 and still reads element 0)."""
    for s, e, a, st in zip(starts, ends, axes, steps):
        a %= x.ndim
        n = x.shape[a]
        s = s + n if s < 0 else s
        e = e + n if e < 0 else e
        if st > 0:
            s, e = min(max(s, 0), n), min(max(e, 0), n)
        else:
            s, e = min(max(s, 0), n - 1), min(max(e, -1), n - 1)
        x = np.take(x, list(range(s, e, st)), axis=a)
    return x


def pad_slice_model():
    m = Model('pad_slice')
    r = rng('pad_slice')
    x = r.normal(size=(2, 3, 4, 5)).astype(F32)
    xs = m.input('pad_x', x)

    def pad(name, pads, mode, value=None):
        rank = x.ndim
        width = list(zip(pads[:rank], pads[rank:]))
        ins = [xs, m.const(name + '_pads', np.array(pads, I64))]
        if mode == 'constant':
            # Negative pads crop.
            crop = tuple(slice(max(-lo, 0), x.shape[i] - max(-hi, 0)) for i, (lo, hi) in enumerate(width))
            expected = np.pad(x[crop], [(max(lo, 0), max(hi, 0)) for lo, hi in width], constant_values=value or 0)
            if value is not None:
                ins.append(m.const(name + '_value', np.array(value, F32)))
        else:
            expected = np.pad(x, width, mode=mode)
        m.case(name, 'Pad', ins, expected.astype(F32), mode=mode)

    pad('pad_reflect_spatial', [0, 0, 1, 2, 0, 0, 3, 4], 'reflect')
    pad('pad_reflect_all_axes', [1, 2, 0, 1, 1, 0, 3, 0], 'reflect')
    pad('pad_edge_spatial', [0, 0, 3, 1, 0, 0, 2, 6], 'edge')
    pad('pad_edge_all_axes', [2, 0, 1, 0, 0, 3, 0, 2], 'edge')
    pad('pad_constant_value', [0, 1, 1, 0, 1, 0, 2, 3], 'constant', 1.5)
    pad('pad_constant_negative', [0, -1, 2, -2, -1, 1, -1, 1], 'constant')

    y = r.normal(size=(5, 6)).astype(F32)
    ys = m.input('slice_x', y)
    int_min, int_max = -2 ** 63, 2 ** 63 - 1
    cases = [
        # name, starts, ends, axes, steps
        ('slice_reverse_all', [-1], [int_min], [1], [-1]),
        ('slice_reverse_step2_out_of_range', [10], [-100], [0], [-2]),
        ('slice_reverse_both_axes', [int_max, 4], [int_min, 0], [0, 1], [-1, -2]),
        ('slice_start_below_negative_step', [-100], [-100], [1], [-1]),
        ('slice_out_of_range_forward', [-100], [100], [0], [1]),
        ('slice_step3_end_out_of_range', [1], [1000], [1], [3]),
        ('slice_negative_axes', [4, -2], [0, 1000], [-1, 0], [-1, 1]),
        ('slice_int_max_start_forward', [int_max], [int_max], [0], [1]),
    ]
    for name, starts, ends, axes, steps in cases:
        expected = onnx_slice(y, starts, ends, axes, steps)
        ins = [ys] + [m.const('%s_%s' % (name, k), np.array(v, I64))
                      for k, v in (('starts', starts), ('ends', ends), ('axes', axes), ('steps', steps))]
        if expected.size == 0:
            # An empty result: let it flow into a Concat that has elements.
            (sliced,) = m.case(name + '_empty', 'Slice', ins, expected)
            m.case(name, 'Concat', [sliced, ys], np.concatenate([expected, y], axis=0 if expected.shape[0] == 0 else 1),
                   axis=0 if expected.shape[0] == 0 else 1)
        else:
            m.case(name, 'Slice', ins, expected)
    return m


# --- Zero-sized tensors ------------------------------------------------------

def empty_model():
    m = Model('empty')
    r = rng('empty')
    x = r.normal(size=(2, 3)).astype(F32)
    e = np.zeros((0, 3), F32)
    xs, es = m.input('x', x), m.input('e', e)
    m.case('concat_empty_first', 'Concat', [es, xs], x, axis=0)
    m.case('concat_empty_middle', 'Concat', [xs, es, xs], np.concatenate([x, x]), axis=0)
    m.case('concat_empty_only', 'Concat', [es, es], np.zeros((0, 3), F32), axis=0)
    m.case('reshape_empty', 'Reshape', [es, m.const('shape_3x0', np.array([3, 0], I64))], np.zeros((3, 0), F32),
           allowzero=1)
    m.case('reshape_empty_infer', 'Reshape', [es, m.const('shape_m1x1', np.array([-1, 1, 3], I64))],
           np.zeros((0, 1, 3), F32))
    m.case('reduce_sum_empty', 'ReduceSum', [es, m.const('axes0', np.array([0], I64))], np.zeros((3,), F32),
           keepdims=0)
    m.case('matmul_empty_inner', 'MatMul', [m.input('a_2x0', np.zeros((2, 0), F32)),
                                            m.input('b_0x4', np.zeros((0, 4), F32))], np.zeros((2, 4), F32))
    (sliced,) = m.case('slice_to_empty', 'Slice', [xs] + [m.const(k, np.array([v], I64)) for k, v in
                                                          (('s_start', 1), ('s_end', 1), ('s_axis', 0))],
                       np.zeros((0, 3), F32))
    (reshaped,) = m.case('reshape_sliced_empty', 'Reshape', [sliced, m.const('shape_0x3', np.array([0, 3], I64))],
                         np.zeros((0, 3), F32))
    m.case('concat_sliced_empty', 'Concat', [reshaped, xs, sliced], x, axis=0)
    return m


# --- Cast ----------------------------------------------------------------------

TYPES = {'float32': F32, 'float16': F16, 'int8': I8, 'uint8': U8, 'int32': I32, 'int64': I64, 'bool': np.bool_}
SOURCES = {
    'float32': np.array([0, -0.0, 1, -1, 2.7, -2.7, 0.4, -0.7, 127.9, -128.9, 255.9, 300, -300.5, 65504, 65519,
                         65520, 1e5, -1e5, 2147483520, -2147483648, 3e9, 1e18, -9.2e18, 6e-8, 1e-8, 3.4e38, np.inf,
                         -np.inf, np.nan], F32),
    'float16': np.array([np.nan, 0, -0.0, 1, -1, 2.5, -2.7, 0.4, -0.7, 127.9, -128.9, 255.9, 300, -300.5, 65504, -65504,
                         6e-8, 1e-4, np.inf, -np.inf], F16),
    'int8': np.array([-128, -127, -1, 0, 1, 5, 127], I8),
    'uint8': np.array([0, 1, 5, 127, 128, 200, 255], U8),
    'int32': np.array([-2 ** 31, -70000, -129, -1, 0, 1, 255, 256, 300, 2049, 65504, 70000, 16777217, 2 ** 31 - 1],
                      I32),
    'int64': np.array([-2 ** 63, -2 ** 32 - 5, -70000, -1, 0, 1, 300, 2049, 65504, 70000, 2 ** 40 + 3, 2 ** 63 - 1],
                      I64),
    'bool': np.array([True, False, True], np.bool_),
}


def cast_defined(v, src, dst):
    """Whether ONNX (with IEEE and two's complement conversions) defines
    Cast of value v from src to dst."""
    if src in ('float32', 'float16') and dst not in ('float32', 'float16', 'bool'):
        if not np.isfinite(v):
            return False
        info = np.iinfo(TYPES[dst])
        return info.min <= math.trunc(float(v)) <= info.max
    return not np.isnan(v) or dst in ('float32', 'float16')


def cast_reference(x, src, dst):
    """Floats to integers truncate; integers to narrower integers wrap
    (two's complement); integers and floats round to the nearest float;
    anything to bool is x != 0."""
    if dst == 'bool':
        return x != 0
    if src in ('float32', 'float16') and dst not in ('float32', 'float16'):
        return np.trunc(x.astype(np.float64)).astype(TYPES[dst])
    if src in ('int32', 'int64') and dst == 'float16':
        # Round once, exactly (numpy may round through float64 first).
        return np.array([F16(float(F32(v))) if abs(int(v)) < 2 ** 24 else
                         F16(np.inf if v > 0 else -np.inf) for v in x], F16)
    return x.astype(TYPES[dst])


def cast_model():
    m = Model('cast')
    for src, values in SOURCES.items():
        for dst in TYPES:
            x = np.array([v for v in values if cast_defined(v, src, dst)], values.dtype)
            name = 'cast_%s_to_%s' % (src, dst)
            with np.errstate(over='ignore'):
                m.case(name, 'Cast', [m.input(name + '_x', x)], cast_reference(x, src, dst),
                       to=NP_TO_ONNX[np.dtype(TYPES[dst])])
    return m


def cast_undefined_model():
    """NaN, infinities and out-of-range floats to integers: ONNX leaves the
    result undefined; the library must only run (no reference outputs)."""
    m = Model('cast_undefined', reference=False)
    undefined = {
        'float32': np.array([np.nan, -np.nan, np.inf, -np.inf, 1e10, -1e10, 3e9, 300, -300, -1, 1e38, -1e38], F32),
        'float16': np.array([np.nan, np.inf, -np.inf, 65504, -65504, 300, -300, -1], F16),
    }
    for src, x in undefined.items():
        for dst in ('int8', 'uint8', 'int32', 'int64', 'bool'):
            v = x[np.isnan(x)] if dst == 'bool' else x  # NaN != 0, but ONNX does not say
            name = 'cast_undefined_%s_to_%s' % (src, dst)
            m.case(name, 'Cast', [m.input(name + '_x', v)], np.zeros(v.shape, TYPES[dst]),
                   to=NP_TO_ONNX[np.dtype(TYPES[dst])])
    return m


save_all(sys.argv[1], [division_model(), gather_model(), resize_model(), pad_slice_model(), empty_model(),
                       cast_model(), cast_undefined_model()])
