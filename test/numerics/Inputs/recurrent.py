"""RNN, GRU and LSTM models with numpy reference outputs (see recurrent.test).

usage: recurrent.py OUTDIR

The reference follows the ONNX operator definitions (opset 14), and ONNX
Runtime where ONNX leaves room: `clip` bounds the input of every gate
activation but not LSTM's h(C_t); with sequence_lens, a batch entry at a step
t >= its length keeps its state and gets zeros in Y, so the reverse direction
starts at the entry's last valid step; activation_alpha/activation_beta are
consumed in order by the activations that take them. It computes in float64.
"""
import sys

import numpy as np

from numerics import Model, rng, save_all

# name: (takes alpha, takes beta, function)
ACTIVATIONS = {
    'Relu': (0, 0, lambda x, a, b: np.maximum(x, 0)),
    'Tanh': (0, 0, lambda x, a, b: np.tanh(x)),
    'Sigmoid': (0, 0, lambda x, a, b: 1 / (1 + np.exp(-x))),
    'Affine': (1, 1, lambda x, a, b: a * x + b),
    'LeakyRelu': (1, 0, lambda x, a, b: np.where(x >= 0, x, a * x)),
    'ThresholdedRelu': (1, 0, lambda x, a, b: np.where(x > a, x, 0)),
    'ScaledTanh': (1, 1, lambda x, a, b: a * np.tanh(b * x)),
    'HardSigmoid': (1, 1, lambda x, a, b: np.clip(a * x + b, 0, 1)),
    'Elu': (1, 0, lambda x, a, b: np.where(x >= 0, x, a * (np.exp(x) - 1))),
    'Softsign': (0, 0, lambda x, a, b: x / (1 + np.abs(x))),
    'Softplus': (0, 0, lambda x, a, b: np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)),
}
GATES = {'RNN': 1, 'GRU': 3, 'LSTM': 4}
PER_DIRECTION = {'RNN': 1, 'GRU': 2, 'LSTM': 3}
DEFAULT_ACTIVATIONS = {'RNN': ['Tanh'], 'GRU': ['Sigmoid', 'Tanh'], 'LSTM': ['Sigmoid', 'Tanh', 'Tanh']}


def activation_functions(names, alphas, betas):
    """One function per name, taking alphas and betas in order."""
    alphas, betas = list(alphas), list(betas)
    fns = []
    for n in names:
        takes_alpha, takes_beta, fn = ACTIVATIONS[n]
        a = alphas.pop(0) if takes_alpha else None
        b = betas.pop(0) if takes_beta else None
        fns.append(lambda x, fn=fn, a=a, b=b: fn(x, a, b))
    assert not alphas and not betas, 'unused activation_alpha/beta values'
    return fns


def reference(kind, inputs, attrs):
    """Y, Y_h, Y_c of a recurrent layer, in float64."""
    f64 = {k: v.astype(np.float64) for k, v in inputs.items() if k != 'sequence_lens'}
    X, W, R = f64['X'], f64['W'], f64['R']
    layout = attrs.get('layout', 0)
    direction = attrs.get('direction', 'forward')
    hs = attrs['hidden_size']
    dirs = 2 if direction == 'bidirectional' else 1
    gates, per = GATES[kind], PER_DIRECTION[kind]
    acts = activation_functions(attrs.get('activations', DEFAULT_ACTIVATIONS[kind] * dirs),
                                attrs.get('activation_alpha', []), attrs.get('activation_beta', []))
    clip = attrs.get('clip')
    if layout == 1:
        X = X.transpose(1, 0, 2)
    seq, batch, _ = X.shape
    B = f64.get('B', np.zeros((dirs, 2 * gates * hs)))
    P = f64.get('P', np.zeros((dirs, 3 * hs)))
    lens = inputs.get('sequence_lens', np.full((batch,), seq)).astype(np.int64)

    def state(name):
        v = f64.get(name, np.zeros((dirs, batch, hs)))
        return v.transpose(1, 0, 2) if layout == 1 and name in f64 else v
    H0, C0 = state('initial_h'), state('initial_c')

    def clipped(x):
        return x if clip is None else np.clip(x, -clip, clip)

    Y = np.zeros((seq, dirs, batch, hs))
    YH = np.zeros((dirs, batch, hs))
    YC = np.zeros((dirs, batch, hs))
    for d in range(dirs):
        f, g = acts[d * per], acts[d * per + 1] if per > 1 else None
        h_act = acts[d * per + 2] if per > 2 else None
        reverse = direction == 'reverse' or (direction == 'bidirectional' and d == 1)
        w, r = W[d], R[d]
        wb, rb = B[d][:gates * hs], B[d][gates * hs:]
        H, C = H0[d].copy(), C0[d].copy()
        for t in (reversed(range(seq)) if reverse else range(seq)):
            valid = (t < lens)[:, None]
            x = X[t]
            Cn = C
            if kind == 'RNN':
                Hn = f(clipped(x @ w.T + H @ r.T + wb + rb))
            elif kind == 'GRU':
                xw = x @ w.T + wb
                hr = H @ r.T
                z = f(clipped(xw[:, :hs] + hr[:, :hs] + rb[:hs]))
                rg = f(clipped(xw[:, hs:2 * hs] + hr[:, hs:2 * hs] + rb[hs:2 * hs]))
                if attrs.get('linear_before_reset', 0):
                    h = g(clipped(xw[:, 2 * hs:] + rg * (hr[:, 2 * hs:] + rb[2 * hs:])))
                else:
                    h = g(clipped(xw[:, 2 * hs:] + (rg * H) @ r[2 * hs:].T + rb[2 * hs:]))
                Hn = (1 - z) * h + z * H
            else:
                gi, go, gf, gc = np.split(x @ w.T + H @ r.T + wb + rb, 4, axis=1)
                pi, po, pf = np.split(P[d], 3)
                i = f(clipped(gi + pi * C))
                fg = 1 - i if attrs.get('input_forget', 0) else f(clipped(gf + pf * C))
                Cn = fg * C + i * g(clipped(gc))
                o = f(clipped(go + po * Cn))
                Hn = o * h_act(Cn)
            Y[t, d] = np.where(valid, Hn, 0)
            H = np.where(valid, Hn, H)
            C = np.where(valid, Cn, C)
        YH[d], YC[d] = H, C
    if layout == 1:
        Y, YH, YC = Y.transpose(2, 0, 1, 3), YH.transpose(1, 0, 2), YC.transpose(1, 0, 2)
    return {'Y': Y, 'Y_h': YH, 'Y_c': YC}


def add_case(model, name, kind, seq, batch, isz, hs, attrs, optional=(), sequence_lens=None,
             outputs=None, dtype=np.float32, const_weights=False):
    """Adds layer `name` with random inputs; `optional` names the optional
    inputs to give (B, initial_h, initial_c, P)."""
    r = rng(name)
    attrs = dict(attrs, hidden_size=hs)
    dirs = 2 if attrs.get('direction') == 'bidirectional' else 1
    gates = GATES[kind]
    layout = attrs.get('layout', 0)
    # Weights scaled so that the gates stay in their interesting range.
    ws = lambda n: 1.0 if n <= 8 else 2.0 / np.sqrt(n)
    inputs = {
        'X': r.uniform(-1, 1, (batch, seq, isz) if layout else (seq, batch, isz)),
        'W': r.uniform(-0.7, 0.7, (dirs, gates * hs, isz)) * ws(isz),
        'R': r.uniform(-0.7, 0.7, (dirs, gates * hs, hs)) * ws(hs),
    }
    state_shape = (batch, dirs, hs) if layout else (dirs, batch, hs)
    shapes = {'B': (dirs, 2 * gates * hs), 'initial_h': state_shape, 'initial_c': state_shape,
              'P': (dirs, 3 * hs)}
    for k in optional:
        inputs[k] = r.uniform(-0.5, 0.5, shapes[k]) if k in ('B', 'P') else r.uniform(-1, 1, shapes[k])
    inputs = {k: v.astype(dtype) for k, v in inputs.items()}
    if sequence_lens is not None:
        inputs['sequence_lens'] = np.array(sequence_lens, np.int32)
    expected = reference(kind, inputs, attrs)
    order = ['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h'] + (['initial_c', 'P'] if kind == 'LSTM' else [])
    names = []
    for k in order:
        if k not in inputs:
            names.append('')
        elif const_weights and k in ('W', 'R', 'B', 'P'):
            names.append(model.const('%s_%s' % (name, k), inputs[k]))
        else:
            names.append(model.input('%s_%s' % (name, k), inputs[k]))
    while names[-1] == '':
        names.pop()
    all_outputs = ['Y', 'Y_h', 'Y_c'] if kind == 'LSTM' else ['Y', 'Y_h']
    outputs = outputs or all_outputs
    model.case(name, kind, names,
               [expected[o].astype(dtype) if o in outputs else None for o in all_outputs],
               outputs=['%s_%s' % (name, o) for o in all_outputs], **attrs)


BIDIR = {'direction': 'bidirectional'}
REVERSE = {'direction': 'reverse'}
# Activations with alpha/beta, two directions each; together they use all 11.
ACTIVATION_CASES = {
    'RNN': [
        {'activations': ['Affine', 'LeakyRelu'], 'activation_alpha': [0.7, 0.4], 'activation_beta': [0.3]},
        {'activations': ['ThresholdedRelu', 'ScaledTanh'], 'activation_alpha': [0.2, 1.3],
         'activation_beta': [0.6]},
        {'activations': ['Elu', 'Softplus'], 'activation_alpha': [0.9]},
        {'activations': ['HardSigmoid', 'Softsign'], 'activation_alpha': [0.3], 'activation_beta': [0.6]},
        {'activations': ['Relu', 'Sigmoid']},
    ],
    'GRU': [
        {'activations': ['HardSigmoid', 'Elu', 'Sigmoid', 'Softsign'], 'activation_alpha': [0.25, 0.9],
         'activation_beta': [0.45]},
        {'activations': ['Sigmoid', 'ScaledTanh', 'HardSigmoid', 'Affine'], 'activation_alpha': [1.2, 0.3, 0.8],
         'activation_beta': [0.7, 0.55, 0.1]},
    ],
    'LSTM': [
        {'activations': ['Sigmoid', 'Tanh', 'Softplus', 'HardSigmoid', 'LeakyRelu', 'ThresholdedRelu'],
         'activation_alpha': [0.3, 0.1, 0.2], 'activation_beta': [0.55]},
    ],
}


def layer_model(kind):
    """The common cases of one layer kind, in float32."""
    k = kind.lower()
    m = Model(k, opset=14)
    lstm = kind == 'LSTM'
    states = ('initial_h', 'initial_c') if lstm else ('initial_h',)
    add_case(m, k + '_fwd', kind, 4, 3, 2, 5, {})
    add_case(m, k + '_seq1_batch1', kind, 1, 1, 3, 2, {}, ('B',) + states)
    add_case(m, k + '_reverse', kind, 5, 2, 3, 4, REVERSE, ('B',) + states)
    add_case(m, k + '_bidir', kind, 4, 3, 2, 3, BIDIR, ('B',) + states)
    add_case(m, k + '_bidir_layout1', kind, 4, 2, 3, 3, dict(BIDIR, layout=1), ('B',) + states)
    add_case(m, k + '_seqlens', kind, 5, 4, 2, 3, {}, ('B', 'initial_h'), sequence_lens=[5, 1, 3, 2])
    add_case(m, k + '_seqlens_bidir', kind, 5, 4, 2, 3, BIDIR, ('B',) + states, sequence_lens=[2, 5, 1, 4])
    add_case(m, k + '_seqlens_reverse_layout1', kind, 5, 3, 2, 3, dict(REVERSE, layout=1), states,
             sequence_lens=[3, 5, 1])
    add_case(m, k + '_clip', kind, 4, 2, 3, 4, {'clip': 0.3}, ('B',))
    add_case(m, k + '_clip_bidir_seqlens', kind, 4, 3, 2, 3, dict(BIDIR, clip=0.5), ('B',) + states,
             sequence_lens=[4, 1, 2])
    for i, acts in enumerate(ACTIVATION_CASES[kind]):
        add_case(m, '%s_acts%d' % (k, i), kind, 3, 2, 2, 3, dict(BIDIR, **acts), ('B', 'initial_h'))
    add_case(m, k + '_only_yh', kind, 3, 2, 2, 3, {}, ('B',), outputs=['Y_h'])
    add_case(m, k + '_only_y', kind, 3, 2, 2, 3, BIDIR, ('B',), outputs=['Y'])
    add_case(m, k + '_const_weights', kind, 3, 2, 4, 3, BIDIR, ('B', 'initial_h'), sequence_lens=[3, 2],
             const_weights=True)
    add_case(m, k + '_wide', kind, 6, 2, 16, 12, {}, ('B',) + states)
    if kind == 'GRU':
        add_case(m, 'gru_lbr', kind, 4, 3, 2, 5, {'linear_before_reset': 1}, ('B', 'initial_h'))
        add_case(m, 'gru_lbr_nobias', kind, 4, 3, 2, 5, {'linear_before_reset': 1})
        add_case(m, 'gru_lbr_bidir_seqlens', kind, 4, 3, 2, 5, dict(BIDIR, linear_before_reset=1),
                 ('B', 'initial_h'), sequence_lens=[4, 2, 3])
        add_case(m, 'gru_lbr_acts', kind, 3, 2, 2, 3,
                 dict(ACTIVATION_CASES['GRU'][1], direction='bidirectional', linear_before_reset=1), ('B',))
    if lstm:
        add_case(m, 'lstm_peepholes', kind, 4, 3, 2, 3, {}, ('B', 'P') + states)
        add_case(m, 'lstm_peepholes_bidir_clip_seqlens', kind, 4, 3, 2, 3, dict(BIDIR, clip=0.5),
                 ('B', 'P') + states, sequence_lens=[4, 1, 2])
        add_case(m, 'lstm_input_forget', kind, 4, 3, 2, 3, {'input_forget': 1}, ('B', 'P', 'initial_c'))
        add_case(m, 'lstm_input_forget_bidir', kind, 4, 2, 2, 3, dict(BIDIR, input_forget=1),
                 ('B',) + states, sequence_lens=[2, 4])
        add_case(m, 'lstm_only_yc', kind, 3, 2, 2, 3, dict(REVERSE, layout=1), ('B', 'initial_c'),
                 outputs=['Y_c'])
    return m


def dtype_model(tag, dtype):
    """One bidirectional case per kind with sequence_lens and initial states."""
    m = Model('recurrent_' + tag, opset=14)
    for kind in ('RNN', 'GRU', 'LSTM'):
        optional = ('B', 'initial_h') + (('initial_c', 'P') if kind == 'LSTM' else ())
        add_case(m, '%s_%s' % (kind.lower(), tag), kind, 3, 2, 2, 3, BIDIR, optional, sequence_lens=[3, 2],
                 dtype=dtype)
        add_case(m, '%s_%s_layout1' % (kind.lower(), tag), kind, 4, 3, 3, 2, dict(REVERSE, layout=1), optional,
                 sequence_lens=[1, 4, 2], dtype=dtype)
    return m


save_all(sys.argv[1], [layer_model('RNN'), layer_model('GRU'), layer_model('LSTM'),
                       dtype_model('f64', np.float64), dtype_model('f16', np.float16)])
