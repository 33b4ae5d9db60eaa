#!/usr/bin/env python3
"""Quantize a float ONNX model into the QDQ format, as ONNX Runtime's
quantize_static writes it, calibrated with Kiln.

usage: bench/make_qdq.py MODEL.onnx CALIBRATION_DIR OUT.onnx
                         [--kilnc build/bin/kilnc] [--kiln-run build/bin/kiln-run]
                         [-- KILNC_OPTIONS...]

A stand-in for `onnxruntime.quantization.quantize_static(..., QuantFormat.QDQ,
per_channel=True)` where that Python package is not available (no pip here),
so that Kiln's import of pre-quantized models can be measured on real
architectures, and ONNX Runtime timed on the same model:
  - batch normalizations after convolutions are folded into them first;
  - the tensors quantized are the activation inputs and the output of every
    Conv (one group), Gemm, MatMul, Add, MaxPool, AveragePool and
    GlobalAveragePool (a Conv's output after its ReLU when that is its only
    reader), except graph outputs; each gets one QuantizeLinear /
    DequantizeLinear pair (uint8, per tensor, min-max over the calibration
    sets, ONNX Runtime's default) where it is produced, read by all its
    consumers;
  - Conv and Gemm / MatMul weights are stored int8, symmetric, per output
    channel, and dequantized (axis 0, or 1 for a [K][N] matrix); biases
    int32 at scale input_scale * weight_scale.
The ranges come from running a copy of the model that also returns those
tensors, compiled with kilnc, on every input set of CALIBRATION_DIR
(set_K/input_J.pb or input_J.pb). Needs numpy and onnx only.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnx.version_converter
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
QUANTIZED_OPS = {'Conv', 'Gemm', 'MatMul', 'Add', 'MaxPool', 'AveragePool', 'GlobalAveragePool'}


def constants(graph):
    values = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    for node in graph.node:
        if node.op_type == 'Constant' and node.attribute and node.attribute[0].name == 'value':
            values[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    return values


def attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def weighted(node, consts):
    """Whether `node` gets int8 weights: a one-group Conv, or a Gemm / MatMul
    with a constant 2-D right operand."""
    if node.op_type == 'Conv':
        return attr(node, 'group', 1) == 1 and node.input[1] in consts
    if node.op_type == 'Gemm':
        return (node.input[1] in consts and consts[node.input[1]].ndim == 2 and
                not attr(node, 'transA', 0) and attr(node, 'alpha', 1.0) == 1.0 and
                attr(node, 'beta', 1.0) == 1.0)
    if node.op_type == 'MatMul':
        return node.input[1] in consts and consts[node.input[1]].ndim == 2
    return False


def fold_batch_norms(graph, consts):
    """Folds each BatchNormalization that is a Conv's only reader into the
    Conv's weights and bias, as ONNX Runtime's pre-processing does before
    quantizing."""
    readers = {}
    for node in graph.node:
        for i in node.input:
            readers.setdefault(i, []).append(node)
    drop = set()
    for node in graph.node:
        after = readers.get(node.output[0], []) if node.op_type == 'Conv' else []
        if (len(after) != 1 or after[0].op_type != 'BatchNormalization' or
                node.input[1] not in consts or
                not all(i in consts for i in after[0].input[1:5])):
            continue
        bn = after[0]
        gamma, beta, mean, var = (consts[i].astype(np.float64) for i in bn.input[1:5])
        k = gamma / np.sqrt(var + attr(bn, 'epsilon', 1e-5))
        w = consts[node.input[1]].astype(np.float64)
        b = consts[node.input[2]].astype(np.float64) if len(node.input) > 2 and node.input[2] else 0
        base = node.name or node.output[0]
        consts[base + '_folded_w'] = (w * k.reshape(-1, 1, 1, 1)).astype(np.float32)
        consts[base + '_folded_b'] = ((b - mean) * k + beta).astype(np.float32)
        graph.initializer.extend([numpy_helper.from_array(consts[base + '_folded_w'], base + '_folded_w'),
                                  numpy_helper.from_array(consts[base + '_folded_b'], base + '_folded_b')])
        del node.input[1:]
        node.input.extend([base + '_folded_w', base + '_folded_b'])
        node.output[0] = bn.output[0]
        drop.add(id(bn))
    kept = [n for n in graph.node if id(n) not in drop]
    del graph.node[:]
    graph.node.extend(kept)


def tensors_to_quantize(graph, consts):
    readers = {}
    for node in graph.node:
        for i in node.input:
            readers.setdefault(i, []).append(node)
    outputs = {o.name for o in graph.output}
    chosen = []
    for node in graph.node:
        if node.op_type not in QUANTIZED_OPS:
            continue
        if node.op_type in ('Conv', 'Gemm', 'MatMul') and not weighted(node, consts):
            continue
        names = [node.input[0]] if node.op_type != 'Add' else list(node.input)
        out = node.output[0]
        after = readers.get(out, [])
        if len(after) == 1 and after[0].op_type in ('Relu', 'Clip'):
            out = after[0].output[0]
        names.append(out)
        for n in names:
            if n and n not in consts and n not in outputs and n not in chosen:
                chosen.append(n)
    return chosen


def calibrate(model_path, names, calibration, args, work):
    model = onnx.load(model_path)
    first = len(model.graph.output)
    for n in names:
        model.graph.output.append(helper.make_tensor_value_info(n, TensorProto.FLOAT, None))
    probe = os.path.join(work, 'probe.onnx')
    onnx.save(model, probe)
    lib = os.path.join(work, 'libprobe.so')
    subprocess.run([args.kilnc, probe, '-o', lib] + args.kilnc_options, check=True)
    sets = sorted(d for d in os.listdir(calibration) if d.startswith('set_'))
    dirs = [os.path.join(calibration, d) for d in sets] or [calibration]
    lo = np.full(len(names), np.inf)
    hi = np.full(len(names), -np.inf)
    for k, d in enumerate(dirs):
        # The inputs alone (kiln-run would check any reference outputs).
        inputs = os.path.join(work, 'in_%d' % k)
        os.makedirs(inputs)
        for f in os.listdir(d):
            if f.startswith('input_'):
                os.symlink(os.path.abspath(os.path.join(d, f)), os.path.join(inputs, f))
        d = inputs
        out = os.path.join(work, 'out_%d' % k)
        subprocess.run([args.kiln_run, lib, d, '--save-outputs', out], check=True,
                       stdout=subprocess.DEVNULL)
        for j in range(len(names)):
            t = onnx.TensorProto()
            with open(os.path.join(out, 'output_%d.pb' % (first + j)), 'rb') as f:
                t.ParseFromString(f.read())
            a = numpy_helper.to_array(t)
            lo[j] = min(lo[j], float(a.min()))
            hi[j] = max(hi[j], float(a.max()))
    return lo, hi


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('model')
    p.add_argument('calibration')
    p.add_argument('out')
    p.add_argument('--kilnc', default=os.path.join(ROOT, 'build', 'bin', 'kilnc'))
    p.add_argument('--kiln-run', default=os.path.join(ROOT, 'build', 'bin', 'kiln-run'))
    # kilnc's options come after '--' (argparse would take them for its own).
    argv = sys.argv[1:]
    options = argv[argv.index('--') + 1:] if '--' in argv else []
    args = p.parse_args(argv[:argv.index('--')] if '--' in argv else argv)
    args.kilnc_options = options

    model = onnx.load(args.model)
    # QuantizeLinear / DequantizeLinear with an axis need opset 13.
    if any(op.domain in ('', 'ai.onnx') and op.version < 13 for op in model.opset_import):
        model = onnx.version_converter.convert_version(model, 13)
    graph = model.graph
    consts = constants(graph)
    fold_batch_norms(graph, consts)
    names = tensors_to_quantize(graph, consts)
    with tempfile.TemporaryDirectory(prefix='kiln-make-qdq-') as work:
        converted = os.path.join(work, 'model13.onnx')
        onnx.save(model, converted)
        lo, hi = calibrate(converted, names, args.calibration, args, work)

    inits, nodes = [], []
    scale_of = {}
    renamed = {}
    for n, a, b in zip(names, lo, hi):
        a, b = min(a, 0.0), max(b, 0.0)
        scale = np.float32((b - a) / 255 if b > a else 1.0)
        zp = np.uint8(np.clip(np.rint(-a / scale), 0, 255))
        scale_of[n] = scale
        inits += [numpy_helper.from_array(scale, n + '_scale'),
                  numpy_helper.from_array(zp, n + '_zero_point')]
        renamed[n] = n + '_dq'

    def pair(n):
        return [helper.make_node('QuantizeLinear', [n, n + '_scale', n + '_zero_point'], [n + '_q'],
                                 name=n + '_QuantizeLinear'),
                helper.make_node('DequantizeLinear', [n + '_q', n + '_scale', n + '_zero_point'],
                                 [n + '_dq'], name=n + '_DequantizeLinear')]

    for x in graph.input:
        if x.name in renamed:
            nodes += pair(x.name)
    replaced = set()
    for node in graph.node:
        original_input = node.input[0] if node.input else ''
        for i, name in enumerate(node.input):
            if name in renamed:
                node.input[i] = renamed[name]
        if weighted(node, consts) and original_input in scale_of:
            sx = scale_of[original_input]
            w = consts[node.input[1]].astype(np.float32)
            axis = 0 if node.op_type == 'Conv' or (node.op_type == 'Gemm' and attr(node, 'transB', 0)) else 1
            reduce = tuple(d for d in range(w.ndim) if d != axis)
            sw = (np.abs(w).max(axis=reduce) / 127).astype(np.float32)
            # An all-zero channel takes scale 1, as ONNX Runtime's tools do
            # for an empty range (its bias scale would be 0 otherwise).
            sw[sw == 0] = 1.0
            sw[sw == 0] = 1
            shape = [1] * w.ndim
            shape[axis] = -1
            wq = np.clip(np.rint(w / sw.reshape(shape)), -127, 127).astype(np.int8)
            base = node.name or node.output[0]
            inits += [numpy_helper.from_array(wq, base + '_w_q'),
                      numpy_helper.from_array(sw, base + '_w_scale'),
                      numpy_helper.from_array(np.zeros_like(sw, dtype=np.int8), base + '_w_zero_point')]
            nodes.append(helper.make_node('DequantizeLinear', [base + '_w_q', base + '_w_scale',
                                                               base + '_w_zero_point'],
                                          [base + '_w_dq'], axis=axis))
            replaced.add(node.input[1])
            node.input[1] = base + '_w_dq'
            if len(node.input) > 2 and node.input[2] in consts and consts[node.input[2]].ndim == 1:
                bias = consts[node.input[2]].astype(np.float64)
                sb = (np.float64(sx) * sw.astype(np.float64)).astype(np.float32)
                bq = np.rint(bias / sb).astype(np.int32)
                inits += [numpy_helper.from_array(bq, base + '_b_q'),
                          numpy_helper.from_array(sb, base + '_b_scale'),
                          numpy_helper.from_array(np.zeros_like(bq), base + '_b_zero_point')]
                nodes.append(helper.make_node('DequantizeLinear', [base + '_b_q', base + '_b_scale',
                                                                   base + '_b_zero_point'],
                                              [base + '_b_dq'], axis=0))
                replaced.add(node.input[2])
                node.input[2] = base + '_b_dq'
        nodes.append(node)
        for out in node.output:
            if out in renamed:
                nodes += pair(out)
    # Float weights no node reads any more.
    used = {i for n in nodes for i in n.input}
    keep = [i for i in graph.initializer if i.name in used]
    nodes = [n for n in nodes if not (n.op_type == 'Constant' and n.output[0] in replaced
                                      and n.output[0] not in used)]
    # Graph inputs that named dropped initializers (IR version 3 lists them).
    dropped = {i.name for i in graph.initializer} - {i.name for i in keep}
    real = [i for i in graph.input if i.name not in dropped]
    del graph.input[:]
    graph.input.extend(real)
    del graph.initializer[:]
    graph.initializer.extend(keep + inits)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.save(model, args.out)
    print('make_qdq: %d tensors quantized, %d ops with int8 weights -> %s' % (
        len(names), sum(1 for n in nodes if weighted(n, consts) or n.input[1:2] and
                        n.input[1].endswith('_w_dq')), args.out), file=sys.stderr)


if __name__ == '__main__':
    main()
