#!/usr/bin/env python3
"""Kiln against ONNX Runtime on the same models and inputs, in one run.

usage: bench/bench.py [--kilnc build/bin/kilnc] [--kiln-run build/bin/kiln-run]
                      [--models ../shared/models] [--threads 1,2] [--runs 20]
                      [--rounds 3] [--only NAME,...] [--mcpu native]

For each model it compiles a Kiln library (kilnc), then times the library
(kiln-run --bench, on test_data_set_0's inputs) and ONNX Runtime 1.30's CPU
provider (bench/ort_bench.js through onnxruntime-node, graph optimizations
on, intra-op threads = T) at each thread count, and prints median latencies,
the Kiln/ORT ratio per model and the ratios' geometric mean. Kiln and ORT
take turns (--rounds times, --runs timed runs each) and each reports the
median of its rounds, so that a machine whose speed drifts during the
benchmark affects both sides alike. ONNX Runtime is
installed on first use with `npm install --ignore-scripts onnxruntime-node`
into bench/node_modules. Needs ../shared/models (see its README).
"""
import argparse
import json
import math
import os
import statistics
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name, model folder, kilnc options
MODELS = [
    ('resnet50_rand', 'resnet50_rand', []),
    ('squeezenet_rand', 'squeezenet_rand', []),
    ('light_vgg19', 'light_vgg19', []),
    ('light_shufflenet', 'light_shufflenet', []),
    ('ppocr_det_v4', 'ppocr_det_v4', ['--input-shape', 'x=1x3x640x640']),
    ('ppocr_cls_v2', 'ppocr_cls_v2', ['--input-shape', 'x=1x3x48x192']),
]


def ensure_ort():
    if not os.path.isdir(os.path.join(HERE, 'node_modules', 'onnxruntime-node')):
        print('installing onnxruntime-node into bench/node_modules ...', file=sys.stderr)
        subprocess.run(['npm', 'install', '--ignore-scripts', '--no-save', '--prefix', HERE,
                        'onnxruntime-node@1.30'], check=True, stdout=sys.stderr)


def model_path(models, folder, work):
    path = os.path.join(models, folder, 'model.onnx')
    if os.path.exists(path):
        return path
    if folder == 'resnet50_rand':  # made as ../shared/models/README.md says
        path = os.path.join(work, 'resnet50_rand.onnx')
        if not os.path.exists(path):
            subprocess.run([sys.executable, os.path.join(models, '..', 'tools', 'randomize_light.py'),
                            os.path.join(models, 'light_resnet50', 'model.onnx'), path, '1'], check=True)
        return path
    raise SystemExit('bench: no model at %s' % path)


def ort_inputs(model, data, work, name):
    """Writes test_data_set_0's inputs as raw float32 files for ort_bench.js."""
    graph = onnx.load(model, load_external_data=False).graph
    inits = {i.name for i in graph.initializer}
    names = [i.name for i in graph.input if i.name not in inits]
    inputs = []
    for k, input_name in enumerate(names):
        tensor = onnx.TensorProto()
        with open(os.path.join(data, 'input_%d.pb' % k), 'rb') as f:
            tensor.ParseFromString(f.read())
        array = numpy_helper.to_array(tensor).astype(np.float32)
        file = os.path.join(work, '%s.input_%d.bin' % (name, k))
        array.tofile(file)
        inputs.append({'name': input_name, 'dims': list(array.shape), 'file': file})
    path = os.path.join(work, '%s.inputs.json' % name)
    with open(path, 'w') as f:
        json.dump(inputs, f)
    return path


def time_kiln(args, lib, data, threads):
    out = subprocess.run([args.kiln_run, lib, data, '--atol', '1e-4', '--bench', str(args.runs),
                          '--threads', str(threads)],
                         capture_output=True, text=True)
    m = re.search(r'bench: \d+ runs, median ([0-9.]+) ms, min ([0-9.]+) ms', out.stdout)
    if out.returncode != 0 or not m:
        raise SystemExit('bench: kiln-run failed on %s:\n%s%s' % (lib, out.stdout[-2000:], out.stderr[-2000:]))
    return float(m.group(1))


def time_ort(args, model, inputs, threads):
    out = subprocess.run(['node', os.path.join(HERE, 'ort_bench.js'), model, str(threads), str(args.runs),
                          inputs], capture_output=True, text=True, cwd=HERE)
    if out.returncode != 0:
        raise SystemExit('bench: onnxruntime failed on %s:\n%s' % (model, out.stderr[-2000:]))
    return json.loads(out.stdout.strip().splitlines()[-1])['median_ms']


def common_arguments(doc, rounds_help):
    """The options bench.py and quant_bench.py share."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--kilnc', default=os.path.join(ROOT, 'build', 'bin', 'kilnc'))
    p.add_argument('--kiln-run', default=os.path.join(ROOT, 'build', 'bin', 'kiln-run'))
    p.add_argument('--models', default=os.path.join(ROOT, '..', 'shared', 'models'))
    p.add_argument('--threads', default='1,2')
    p.add_argument('--runs', type=int, default=20)
    p.add_argument('--rounds', type=int, default=3, help=rounds_help)
    p.add_argument('--only', default='')
    p.add_argument('--work', default='', help='keep the libraries in this folder')
    return p


def main():
    p = common_arguments(__doc__, 'alternate Kiln and ORT this many times per model and thread count; '
                                  'each reports the median of its rounds\' medians (robust to drift)')
    p.add_argument('--mcpu', default='native')
    args = p.parse_args()
    if not os.path.isdir(args.models):
        raise SystemExit('bench: no models folder at %s (see ../shared/models)' % args.models)
    ensure_ort()
    threads = [int(t) for t in args.threads.split(',')]
    only = set(filter(None, args.only.split(',')))
    work = args.work or tempfile.mkdtemp(prefix='kiln-bench-')
    os.makedirs(work, exist_ok=True)
    rows = []
    for name, folder, options in MODELS:
        if only and name not in only:
            continue
        model = model_path(args.models, folder, work)
        data = os.path.join(args.models, folder, 'test_data_set_0')
        lib = os.path.join(work, 'lib%s.so' % name)
        subprocess.run([args.kilnc, model, '-o', lib, '--mcpu', args.mcpu] + options, check=True)
        inputs = ort_inputs(model, data, work, name)
        row = [name]
        for t in threads:
            kiln, ort = [], []
            for _ in range(max(1, args.rounds)):
                kiln.append(time_kiln(args, lib, data, t))
                ort.append(time_ort(args, model, inputs, t))
            row.append((statistics.median(kiln), statistics.median(ort)))
        rows.append(row)
        print('%-18s' % name + ''.join('  T=%d kiln %9.2f ms  ort %9.2f ms  ratio %6.2f' % (t, k, o, k / o)
                                       for t, (k, o) in zip(threads, row[1:])), file=sys.stderr)

    header = '| model | ' + ' | '.join('Kiln T=%d (ms) | ORT T=%d (ms) | Kiln/ORT T=%d' % (t, t, t)
                                       for t in threads) + ' |'
    print(header)
    print('|' + '---|' * (1 + 3 * len(threads)))
    for row in rows:
        print('| %s | ' % row[0] + ' | '.join('%.2f | %.2f | %.2f' % (k, o, k / o) for k, o in row[1:]) + ' |')
    geo = ['%.2f' % math.exp(sum(math.log(r[i + 1][0] / r[i + 1][1]) for r in rows) / len(rows))
           for i in range(len(threads))]
    print('| geometric mean | ' + ' | '.join(' | | %s' % g for g in geo) + ' |')


if __name__ == '__main__':
    main()
