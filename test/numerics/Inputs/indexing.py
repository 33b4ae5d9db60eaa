"""Indexing, sampling and small linear-algebra models with numpy reference
outputs (see indexing.test).

usage: indexing.py OUTDIR

Every reference below is written from the ONNX operator definitions (opset
17); GridSample follows PyTorch's grid_sample, which its definition refers
to, and RoiAlign ONNX Runtime, as ONNX's own reference implementation does.
Index operands are graph inputs, so the lowering sees them as data.
"""
import math
import sys

import numpy as np

from numerics import Model, rng, save_all

F32 = np.float32


def signed_indices(r, idx, extent):
    """Makes about half of the indices negative (i - extent, same element)."""
    return np.where(r.random(idx.shape) < 0.5, idx - extent, idx).astype(idx.dtype)


def wrap(i, extent):
    return int(i) + extent if i < 0 else int(i)


# --- GatherND, ScatterElements, ScatterND -----------------------------------

def gather_nd(data, indices, batch_dims):
    b, k = batch_dims, indices.shape[-1]
    batch = int(np.prod(data.shape[:b]))
    d = data.reshape((batch,) + data.shape[b:])
    ind = indices.reshape((batch, -1, k))
    rows = []
    for n in range(batch):
        for t in ind[n]:
            rows.append(d[n][tuple(wrap(v, data.shape[b + j]) for j, v in enumerate(t))])
    return np.array(rows, data.dtype).reshape(indices.shape[:-1] + data.shape[b + k:])


def apply_update(out, where, value, reduction):
    if reduction == 'none':
        out[where] = value
    elif reduction == 'add':
        out[where] += value
    else:
        out[where] *= value


def scatter_elements(data, indices, updates, axis, reduction):
    out = data.copy()
    for pos in np.ndindex(indices.shape):
        where = list(pos)
        where[axis] = wrap(indices[pos], data.shape[axis])
        apply_update(out, tuple(where), updates[pos], reduction)
    return out


def scatter_nd(data, indices, updates, reduction):
    out = data.copy()
    for pos in np.ndindex(indices.shape[:-1]):
        where = tuple(wrap(v, data.shape[j]) for j, v in enumerate(indices[pos]))
        apply_update(out, where, updates[pos], reduction)
    return out


def gather_scatter_model():
    m = Model('gather_scatter')

    def gnd(name, data, indices, b):
        m.case(name, 'GatherND', [m.input(name + '_data', data), m.input(name + '_indices', indices)],
               gather_nd(data, indices, b), batch_dims=b)

    r = rng('gather_nd')
    x = r.normal(size=(2, 3, 4)).astype(F32)
    gnd('gather_nd_b0_elements', x, signed_indices(r, np.array([[0, 2, 3], [1, 0, 1], [1, 2, 0]]), np.array([2, 3, 4])), 0)
    gnd('gather_nd_b0_rows', x, np.array([[1, -3], [0, 2], [-1, -1], [0, 0]]), 0)
    gnd('gather_nd_b0_slices', x, np.array([[[1], [0]], [[-1], [-2]]]), 0)
    gnd('gather_nd_b1_slices', x, np.array([[2], [-3]]), 1)
    gnd('gather_nd_b1_elements', x, np.array([[[2, 3], [-1, 0], [0, -4]], [[1, 1], [0, 3], [-2, 2]]]), 1)
    y = r.integers(-100, 100, (2, 3, 4, 5)).astype(np.int64)
    gnd('gather_nd_b2_int64', y, np.array([[[3], [-1]], [[0], [2]], [[-4], [1]]] * 2).reshape(2, 3, 2, 1), 2)

    def se(name, data, indices, updates, axis, reduction):
        m.case(name, 'ScatterElements',
               [m.input(name + '_data', data), m.input(name + '_indices', indices),
                m.input(name + '_updates', updates)],
               scatter_elements(data, indices, updates, axis, reduction), axis=axis, reduction=reduction)

    r = rng('scatter_elements')
    d = r.normal(size=(4, 5)).astype(F32)
    # Without a reduction, no two updates hit one element.
    rows = np.stack([r.permutation(4)[:3] for _ in range(5)], axis=1)  # 3x5, distinct per column
    se('scatter_elements_axis0', d, signed_indices(r, rows, 4), r.normal(size=(3, 5)).astype(F32), 0, 'none')
    cols = np.stack([r.permutation(5)[:2] for _ in range(4)])  # 4x2, distinct per row
    se('scatter_elements_axis1', d, signed_indices(r, cols, 5), r.normal(size=(4, 2)).astype(F32), 1, 'none')
    se('scatter_elements_axis_neg', d, signed_indices(r, cols, 5), r.normal(size=(4, 2)).astype(F32), -1, 'none')
    dup = np.array([[1, 1, -4, 3, 0], [1, -3, 0, 3, 0], [2, 1, 1, -1, 0]])
    se('scatter_elements_add_dup', d, dup, r.normal(size=(3, 5)).astype(F32), 0, 'add')
    se('scatter_elements_mul_dup', d, dup, r.uniform(0.5, 1.5, (3, 5)).astype(F32), 0, 'mul')
    di = r.integers(-9, 9, (3, 4)).astype(np.int32)
    se('scatter_elements_add_int32', di, np.array([[0, 3, 3, -1], [2, 2, -2, 0], [1, 0, 0, 0]], np.int32),
       r.integers(-9, 9, (3, 4)).astype(np.int32), 1, 'add')
    se('scatter_elements_mul_int64', di.astype(np.int64), np.array([[0, 2], [1, 1], [-1, -1]]),
       r.integers(-3, 4, (3, 2)).astype(np.int64), 1, 'mul')

    def snd(name, data, indices, updates, reduction):
        m.case(name, 'ScatterND',
               [m.input(name + '_data', data), m.input(name + '_indices', indices),
                m.input(name + '_updates', updates)],
               scatter_nd(data, indices, updates, reduction), reduction=reduction)

    # Negative indices count from the end, as in GatherND (and ONNX Runtime).
    r = rng('scatter_nd')
    d = r.normal(size=(4, 3, 2)).astype(F32)
    snd('scatter_nd_slices', d, np.array([[2], [-4]]), r.normal(size=(2, 3, 2)).astype(F32), 'none')
    snd('scatter_nd_elements', d, np.array([[0, 1, 1], [-1, -3, 0], [2, 2, -1]]),
        r.normal(size=(3,)).astype(F32), 'none')
    snd('scatter_nd_rows', d, np.array([[[1, 2], [3, 0]], [[-4, 0], [0, -1]]]), r.normal(size=(2, 2, 2)).astype(F32),
        'none')
    snd('scatter_nd_add_dup', d, np.array([[1], [3], [-3], [1]]), r.normal(size=(4, 3, 2)).astype(F32), 'add')
    snd('scatter_nd_mul_dup', d, np.array([[1, 2], [-3, -1], [0, 0], [1, 2]]),
        r.uniform(0.5, 1.5, (4, 2)).astype(F32), 'mul')
    di = r.integers(-50, 50, (5, 3)).astype(np.int64)
    snd('scatter_nd_add_int64', di, np.array([[4, 2], [-1, -1], [0, 0], [4, 2]]),
        r.integers(-50, 50, (4,)).astype(np.int64), 'add')
    return m


# --- TopK, ReverseSequence --------------------------------------------------

def top_k(x, k, axis, largest):
    """Values and indices; ties go to the lower index (a stable sort)."""
    xm = np.moveaxis(x, axis, -1)
    key = -xm.astype(np.float64) if largest else xm
    order = np.argsort(key, axis=-1, kind='stable')[..., :k]
    values = np.take_along_axis(xm, order, axis=-1)
    return np.moveaxis(values, -1, axis), np.moveaxis(order, -1, axis).astype(np.int64)


def reverse_sequence(x, lens, batch_axis, time_axis):
    out = x.copy()
    for b, n in enumerate(lens):
        src = [slice(None)] * x.ndim
        src[batch_axis] = b
        src[time_axis] = slice(0, n)
        dst = list(src)
        dst[time_axis] = slice(n - 1, None, -1) if n > 0 else slice(0, 0)
        out[tuple(src)] = x[tuple(dst)]
    return out


def topk_reverse_model():
    m = Model('topk_reverse')
    r = rng('top_k')
    # Few distinct values: many ties.
    ties = r.integers(0, 4, (3, 7)).astype(F32)
    ties[0, :] = 2.0
    distinct = r.normal(size=(4, 5, 3)).astype(F32)

    def tk(name, x, k, axis, largest):
        m.case(name, 'TopK', [m.input(name + '_x', x), m.const(name + '_k', np.array([k], np.int64))],
               list(top_k(x, k, axis, largest)), axis=axis, largest=largest)

    tk('top_k_largest_ties', ties, 4, -1, 1)
    tk('top_k_smallest_ties', ties, 4, 1, 0)
    tk('top_k_largest_k_eq_n', ties, 7, 1, 1)
    tk('top_k_smallest_k_eq_n', ties, 7, -1, 0)
    tk('top_k_axis0', distinct, 2, 0, 1)
    tk('top_k_axis1_smallest', distinct, 3, 1, 0)
    tk('top_k_k1', distinct, 1, 2, 1)
    tk('top_k_int64', r.integers(-5, 5, (2, 9)).astype(np.int64), 5, 1, 1)
    tk('top_k_int32_smallest', r.integers(-5, 5, (2, 9)).astype(np.int32), 6, 1, 0)

    def rs(name, x, lens, batch_axis, time_axis):
        lens = np.array(lens, np.int64)
        m.case(name, 'ReverseSequence', [m.input(name + '_x', x), m.input(name + '_lens', lens)],
               reverse_sequence(x, lens, batch_axis, time_axis), batch_axis=batch_axis, time_axis=time_axis)

    r = rng('reverse_sequence')
    rs('reverse_sequence_time0', r.normal(size=(5, 4, 2)).astype(F32), [5, 1, 3, 2], 1, 0)
    rs('reverse_sequence_time1', r.normal(size=(3, 6)).astype(F32), [2, 6, 4], 0, 1)
    rs('reverse_sequence_time1_rank3', r.integers(0, 100, (2, 4, 3)).astype(np.int64), [3, 4], 0, 1)
    return m


# --- Einsum -----------------------------------------------------------------

def einsum_model():
    m = Model('einsum')
    r = rng('einsum')
    cases = [
        ('einsum_matmul', 'ij,jk->ik', [(3, 4), (4, 5)]),
        ('einsum_batch_matmul', 'bij,bjk->bik', [(2, 3, 4), (2, 4, 2)]),
        ('einsum_transpose', 'ij->ji', [(3, 5)]),
        ('einsum_permute3', 'abc->cab', [(2, 3, 4)]),
        ('einsum_trace', 'ii->', [(4, 4)]),
        ('einsum_diagonal', 'ii->i', [(4, 4)]),
        ('einsum_batch_diagonal', 'bii->bi', [(3, 4, 4)]),
        ('einsum_reduce_rows', 'ij->i', [(3, 5)]),
        ('einsum_reduce_all', 'ijk->', [(2, 3, 4)]),
        ('einsum_inner', 'i,i->', [(6,), (6,)]),
        ('einsum_outer', 'i,j->ij', [(3,), (4,)]),
        ('einsum_hadamard_sum', 'ij,ij->j', [(3, 4), (3, 4)]),
        ('einsum_three_operands', 'ij,jk,kl->il', [(2, 3), (3, 4), (4, 2)]),
        ('einsum_ellipsis_broadcast', '...ij,...jk->...ik', [(2, 1, 3, 4), (1, 5, 4, 2)]),
        ('einsum_ellipsis_transpose', '...ij->...ji', [(2, 3, 4)]),
        ('einsum_ellipsis_reduce', 'i...->...', [(3, 2, 4)]),
        ('einsum_bilinear', 'bn,anm,bm->ba', [(2, 3), (4, 3, 5), (2, 5)]),
    ]
    for name, equation, shapes in cases:
        ops = [r.normal(size=s).astype(F32) for s in shapes]
        expected = np.einsum(equation, *[o.astype(np.float64) for o in ops]).astype(F32)
        m.case(name, 'Einsum', [m.input('%s_%d' % (name, i), o) for i, o in enumerate(ops)], expected,
               equation=equation)
    a, b = r.integers(-9, 9, (3, 4)).astype(np.int64), r.integers(-9, 9, (4, 2)).astype(np.int64)
    m.case('einsum_matmul_int64', 'Einsum', [m.input('einsum_i64_a', a), m.input('einsum_i64_b', b)],
           np.einsum('ij,jk->ik', a, b), equation='ij,jk->ik')
    return m


# --- GridSample (PyTorch's grid_sample) ------------------------------------

def unnormalize(c, size, align_corners):
    return (c + 1) / 2 * (size - 1) if align_corners else ((c + 1) * size - 1) / 2


def reflect(x, twice_low, twice_high):
    if twice_low == twice_high:
        return 0.0
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    x = abs(x - low)
    extra, flips = math.fmod(x, span), math.floor(x / span)
    return extra + low if flips % 2 == 0 else span - extra + low


def pad_coordinate(x, size, padding, align_corners):
    """The coordinate that `padding` maps x to (zeros: x itself)."""
    if padding == 'border':
        return min(max(x, 0.0), size - 1.0)
    if padding == 'reflection':
        x = reflect(x, 0, 2 * (size - 1)) if align_corners else reflect(x, -1, 2 * size - 1)
        return min(max(x, 0.0), size - 1.0)
    return x


def cubic_weights(t, a=-0.75):
    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def grid_sample(x, grid, mode, padding, align_corners):
    N, C, H, W = x.shape
    _, Ho, Wo, _ = grid.shape
    x = x.astype(np.float64)
    out = np.zeros((N, C, Ho, Wo))

    def pixel(n, yy, xx):  # zero outside
        return x[n, :, yy, xx] if 0 <= yy < H and 0 <= xx < W else np.zeros(C)

    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                gx, gy = float(grid[n, i, j, 0]), float(grid[n, i, j, 1])
                ux, uy = unnormalize(gx, W, align_corners), unnormalize(gy, H, align_corners)
                if mode == 'bicubic':
                    # Unpadded coordinates; each of the 16 taps is padded.
                    x0, y0 = math.floor(ux), math.floor(uy)
                    wx, wy = cubic_weights(ux - x0), cubic_weights(uy - y0)
                    v = np.zeros(C)
                    for a in range(4):
                        for b in range(4):
                            px = pad_coordinate(float(x0 - 1 + b), W, padding, align_corners)
                            py = pad_coordinate(float(y0 - 1 + a), H, padding, align_corners)
                            v += wy[a] * wx[b] * pixel(n, int(py), int(px))
                    out[n, :, i, j] = v
                    continue
                px = pad_coordinate(ux, W, padding, align_corners)
                py = pad_coordinate(uy, H, padding, align_corners)
                if mode == 'nearest':
                    out[n, :, i, j] = pixel(n, int(np.rint(py)), int(np.rint(px)))
                    continue
                x0, y0 = math.floor(px), math.floor(py)
                tx, ty = px - x0, py - y0
                out[n, :, i, j] = ((1 - ty) * ((1 - tx) * pixel(n, y0, x0) + tx * pixel(n, y0, x0 + 1)) +
                                   ty * ((1 - tx) * pixel(n, y0 + 1, x0) + tx * pixel(n, y0 + 1, x0 + 1)))
    return out.astype(F32)


def grid_for(name, shape, H, W):
    """A grid reaching past [-1, 1], with no nearest-mode sample within 1e-3
    of a rounding tie (in either align_corners mode)."""
    r = rng(name)
    grid = r.uniform(-1.6, 1.6, shape).astype(F32)
    for pos in np.ndindex(shape[:-1]):
        while True:
            ok = True
            for c, size in ((0, W), (1, H)):
                for ac in (0, 1):
                    u = unnormalize(float(grid[pos][c]), size, ac)
                    for padding in ('zeros', 'border', 'reflection'):
                        p = pad_coordinate(u, size, padding, ac)
                        ok &= abs(abs(p - math.floor(p)) - 0.5) > 1e-3
            if ok:
                break
            grid[pos] = r.uniform(-1.6, 1.6, 2).astype(F32)
    # The grid's corners and center sample exactly at the extrema.
    grid[0, 0, 0] = [-1, -1]
    grid[0, -1, -1] = [1, 1]
    return grid


def grid_sample_model():
    m = Model('grid_sample', opset=16)
    r = rng('grid_sample')
    x = r.normal(size=(2, 2, 4, 5)).astype(F32)
    xs = m.input('grid_sample_x', x)
    grid = grid_for('grid_sample_grid', (2, 3, 4, 2), 4, 5)
    grid_nearest = grid.copy()
    grid_nearest[0, 0, 0] = [-0.9, -0.85]  # -1 and 1 tie for nearest with align_corners=0
    grid_nearest[0, -1, -1] = [0.95, 0.9]
    gs = m.input('grid_sample_grid', grid)
    gsn = m.input('grid_sample_grid_nearest', grid_nearest)
    for mode in ('bilinear', 'nearest', 'bicubic'):
        for padding in ('zeros', 'border', 'reflection'):
            for ac in (0, 1):
                g = grid_nearest if mode == 'nearest' else grid
                m.case('grid_sample_%s_%s_ac%d' % (mode, padding, ac), 'GridSample',
                       [xs, gsn if mode == 'nearest' else gs], grid_sample(x, g, mode, padding, ac),
                       mode=mode, padding_mode=padding, align_corners=ac)
    # A 1x1 image and an upsampling grid.
    x1 = r.normal(size=(1, 3, 1, 1)).astype(F32)
    g1 = grid_for('grid_sample_1x1', (1, 2, 3, 2), 1, 1)
    for mode in ('bilinear', 'bicubic'):
        m.case('grid_sample_1x1_%s' % mode, 'GridSample', [m.input('gs1_x_' + mode, x1), m.input('gs1_g_' + mode, g1)],
               grid_sample(x1, g1, mode, 'border', 0), mode=mode, padding_mode='border')
    return m


# --- RoiAlign (as ONNX Runtime and ONNX's reference implementation) --------

def roi_align(x, rois, batch_indices, mode, out_h, out_w, sampling_ratio, spatial_scale, half_pixel):
    """'max' takes, over the samples of a bin, the largest of the four
    weighted neighbours w_k * v_k of each sample (not of the interpolated
    values), as ONNX Runtime and ONNX's reference implementation do."""
    N, C, H, W = x.shape
    x = x.astype(np.float64)
    out = np.zeros((len(rois), C, out_h, out_w))
    offset = 0.5 if half_pixel else 0.0
    for r, roi in enumerate(rois.astype(np.float64)):
        x1, y1, x2, y2 = roi * spatial_scale - offset
        rw, rh = x2 - x1, y2 - y1
        if not half_pixel:
            rw, rh = max(rw, 1.0), max(rh, 1.0)
        bh, bw = rh / out_h, rw / out_w
        gh = sampling_ratio if sampling_ratio > 0 else math.ceil(rh / out_h)
        gw = sampling_ratio if sampling_ratio > 0 else math.ceil(rw / out_w)
        count = max(gh * gw, 1)
        img = x[batch_indices[r]]
        for ph in range(out_h):
            for pw in range(out_w):
                total, best = np.zeros(C), None
                for iy in range(gh):
                    y = y1 + ph * bh + (iy + 0.5) * bh / gh
                    for ix in range(gw):
                        xx = x1 + pw * bw + (ix + 0.5) * bw / gw
                        if y < -1.0 or y > H or xx < -1.0 or xx > W:
                            taps = [np.zeros(C)] * 4
                        else:
                            yc, xc = max(y, 0.0), max(xx, 0.0)
                            yl, xl = int(yc), int(xc)
                            if yl >= H - 1:
                                yl = yh = H - 1
                                yc = float(yl)
                            else:
                                yh = yl + 1
                            if xl >= W - 1:
                                xl = xh = W - 1
                                xc = float(xl)
                            else:
                                xh = xl + 1
                            ly, lx = yc - yl, xc - xl
                            taps = [(1 - ly) * (1 - lx) * img[:, yl, xl], (1 - ly) * lx * img[:, yl, xh],
                                    ly * (1 - lx) * img[:, yh, xl], ly * lx * img[:, yh, xh]]
                        total += sum(taps)
                        v = np.max(taps, axis=0)
                        best = v if best is None else np.maximum(best, v)
                out[r, :, ph, pw] = total / count if mode == 'avg' else best
    return out.astype(F32)


def roi_align_model():
    m = Model('roi_align', opset=16)
    r = rng('roi_align')
    x = r.normal(size=(2, 3, 6, 7)).astype(F32)
    # Inside, partly outside, tiny and large regions, in both images.
    rois = np.array([[0.6, 1.1, 4.3, 5.2], [-1.3, 0.4, 2.9, 3.1], [3.2, 2.9, 3.7, 3.3],
                     [1.1, 0.3, 7.9, 6.7], [5.1, 4.3, 8.6, 7.2]], F32)
    batch = np.array([0, 1, 1, 0, 1], np.int64)
    xs, rs, bs = m.input('roi_align_x', x), m.input('roi_align_rois', rois), m.input('roi_align_batch', batch)
    for mode in ('avg', 'max'):
        for ctm in ('half_pixel', 'output_half_pixel'):
            for (oh, ow, sr, ss) in ((3, 2, 2, 1.0), (2, 3, 0, 0.75)):
                m.case('roi_align_%s_%s_sr%d' % (mode, ctm, sr), 'RoiAlign', [xs, rs, bs],
                       roi_align(x, rois, batch, mode, oh, ow, sr, ss, ctm == 'half_pixel'),
                       mode=mode, coordinate_transformation_mode=ctm, output_height=oh, output_width=ow,
                       sampling_ratio=sr, spatial_scale=ss)
    return m


# --- Det --------------------------------------------------------------------

def det_model():
    m = Model('det')
    r = rng('det')
    cases = {
        'det_2x2': r.normal(size=(2, 2)),
        'det_3x3': r.normal(size=(3, 3)),
        'det_batched': r.normal(size=(2, 3, 3)),
        'det_batched2_4x4': r.normal(size=(2, 2, 4, 4)),
        'det_1x1': np.array([[-2.5]]),
        # Singular: dependent rows (exactly zero in any order of elimination),
        # a zero column, and a classic rank-2 matrix.
        'det_singular': np.array([[[1, 2, 3], [2, 4, 6], [1, 0, 1]], [[0, 2, 3], [0, 4, 6.5], [0, -1, 1]],
                                  [[1, 2, 3], [4, 5, 6], [7, 8, 9]]]),
        # Needs a row exchange (zero leading pivot) and has a negative det.
        'det_pivot': np.array([[0, 1, 2], [3, 4, 5], [6, 7, 9.0]]),
    }
    for name, a in cases.items():
        a = a.astype(F32)
        m.case(name, 'Det', [m.input(name + '_x', a)], np.linalg.det(a.astype(np.float64)).astype(F32))
    return m


# --- MaxPool's indices, MaxUnpool -------------------------------------------

def max_pool(x, kernel, strides, pads, dilations, storage_order=0, ceil_mode=0):
    """Values and indices: flat over the whole (unpadded) tensor, the
    spatial part row major or (storage_order 1) column major; the first
    largest element of a window in row-major order wins."""
    N, C = x.shape[:2]
    sp = x.shape[2:]
    nd = len(sp)
    outs = []
    for i in range(nd):
        span = (kernel[i] - 1) * dilations[i] + 1
        n = (sp[i] + pads[i] + pads[i + nd] - span) / strides[i]
        outs.append(int(math.ceil(n) if ceil_mode else math.floor(n)) + 1)
    values = np.zeros((N, C) + tuple(outs), x.dtype)
    indices = np.zeros((N, C) + tuple(outs), np.int64)
    for n in range(N):
        for c in range(C):
            for o in np.ndindex(*outs):
                best, where = -np.inf, None
                for k in np.ndindex(*kernel):
                    p = tuple(o[i] * strides[i] - pads[i] + k[i] * dilations[i] for i in range(nd))
                    if all(0 <= p[i] < sp[i] for i in range(nd)) and x[(n, c) + p] > best:
                        best, where = x[(n, c) + p], p
                values[(n, c) + o] = best
                if storage_order:  # column major: the first spatial axis varies fastest
                    flat = sum(where[i] * int(np.prod(sp[:i])) for i in range(nd))
                else:
                    flat = int(np.ravel_multi_index(where, sp))
                indices[(n, c) + o] = (n * C + c) * int(np.prod(sp)) + flat
    return values, indices


def max_unpool(x, indices, out_spatial):
    out = np.zeros(x.shape[:2] + tuple(out_spatial), x.dtype)
    out.reshape(-1)[indices.reshape(-1)] = x.reshape(-1)
    return out


def pool_model():
    m = Model('pool')
    r = rng('pool')
    x = r.permutation(2 * 3 * 7 * 6).reshape(2, 3, 7, 6).astype(F32) / 10 - 12  # distinct values
    xs = m.input('pool_x', x)
    cases = [
        ('maxpool_k2_s2', dict(kernel_shape=[2, 2], strides=[2, 2]), [0, 0, 0, 0], [1, 1]),
        ('maxpool_k3_s1_pads', dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1]), [1, 1, 1, 1], [1, 1]),
        ('maxpool_k3_s2_asym_pads', dict(kernel_shape=[3, 2], strides=[2, 1], pads=[0, 1, 2, 0]), [0, 1, 2, 0], [1, 1]),
        ('maxpool_dilations', dict(kernel_shape=[2, 2], strides=[1, 2], dilations=[2, 2]), [0, 0, 0, 0], [2, 2]),
        ('maxpool_ceil', dict(kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1), [0, 0, 0, 0], [1, 1]),
    ]
    for name, attrs, pads, dil in cases:
        for order in (0, 1):
            v, i = max_pool(x, attrs['kernel_shape'], attrs.get('strides', [1, 1]), pads, dil, order,
                            attrs.get('ceil_mode', 0))
            m.case('%s_order%d' % (name, order), 'MaxPool', [xs], [v, i], storage_order=order, **attrs)
    x1 = r.normal(size=(1, 2, 9)).astype(F32)
    m.case('maxpool_1d', 'MaxPool', [m.input('pool_x1', x1)], list(max_pool(x1, [3], [2], [1, 1], [1])),
           kernel_shape=[3], strides=[2], pads=[1, 1])

    # MaxUnpool of MaxPool's results inside the model, and of inputs. The
    # indices address the pooled tensor, so the unpooled shape must be its.
    x6 = r.permutation(2 * 3 * 6 * 6).reshape(2, 3, 6, 6).astype(F32)
    v, i = max_pool(x6, [2, 2], [2, 2], [0, 0, 0, 0], [1, 1])
    pv, pi = m.case('unpool_src', 'MaxPool', [m.input('pool_x6', x6)], [v, i], kernel_shape=[2, 2], strides=[2, 2])
    m.case('maxunpool_chain', 'MaxUnpool', [pv, pi], max_unpool(v, i, (6, 6)), kernel_shape=[2, 2], strides=[2, 2])
    v, i = max_pool(x, [2, 2], [2, 2], [0, 0, 0, 0], [1, 1])
    m.case('maxunpool_output_shape', 'MaxUnpool',
           [m.input('unpool_v', v), m.input('unpool_i', i),
            m.const('unpool_shape', np.array([2, 3, 7, 6], np.int64))],
           max_unpool(v, i, (7, 6)), kernel_shape=[2, 2], strides=[2, 2])
    x75 = r.normal(size=(1, 2, 7, 5)).astype(F32)
    v, i = max_pool(x75, [3, 3], [2, 2], [1, 1, 1, 1], [1, 1])
    m.case('maxunpool_pads', 'MaxUnpool', [m.input('unpool_v_pads', v), m.input('unpool_i_pads', i)],
           max_unpool(v, i, (7, 5)), kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    return m


save_all(sys.argv[1], [gather_scatter_model(), topk_reverse_model(), einsum_model(), grid_sample_model(),
                       roi_align_model(), det_model(), pool_model()])
