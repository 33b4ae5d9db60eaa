#!/usr/bin/env python3
"""What quantization buys: Kiln's int8 and bf16 libraries against its float32
ones, and a pre-quantized (QDQ) model in Kiln against ONNX Runtime.

usage: bench/quant_bench.py [--kilnc build/bin/kilnc] [--kiln-run build/bin/kiln-run]
                            [--models ../shared/models] [--threads 1,2] [--runs 20]
                            [--rounds 3] [--only NAME,...] [--work DIR] [--no-ort]

For each model it compiles a float32 library, an int8 one (kilnc
--quantize=int8, calibrated on the model's calibration/ folder, or on
test_data_set_0 where it has none) and a bf16 one (kilnc --quantize=bf16:
weights stored in 16 bits, computed in f32), then times them with kiln-run
--bench on test_data_set_0's inputs, taking turns --rounds times, and prints
the median latencies, the time ratios to float32 and the libraries' sizes.

It also writes the model in the QDQ format ONNX Runtime's quantize_static
produces (bench/make_qdq.py, calibrated on the same sets), compiles that
with kilnc (kiln-fold-qdq maps it onto the integer kernels) and, unless
--no-ort, times ONNX Runtime on the float32 and the QDQ model in the same
turns (bench/ort_bench.js, as bench.py does).
Accuracy is the tests' business (test/models/quantize.test,
test/numerics/qdq.test) and each library's --report. Needs ../shared/models.
"""
import os
import statistics
import subprocess
import sys
import tempfile

from bench import common_arguments, ensure_ort, model_path, ort_inputs, time_kiln, time_ort

HERE = os.path.dirname(os.path.abspath(__file__))

MODELS = [
    ('resnet50_rand', 'resnet50_rand', []),
    ('ppocr_det_v4', 'ppocr_det_v4', ['--input-shape', 'x=1x3x640x640']),
    ('ppocr_cls_v2', 'ppocr_cls_v2', ['--input-shape', 'x=1x3x48x192']),
]


def main():
    p = common_arguments(__doc__, 'alternate float32 and int8 this many times per model and '
                                  'thread count; each reports the median of its rounds\' medians')
    p.add_argument('--no-ort', action='store_true', help='time Kiln only')
    args = p.parse_args()
    if not os.path.isdir(args.models):
        raise SystemExit('quant_bench: no models folder at %s (see ../shared/models)' % args.models)
    threads = [int(t) for t in args.threads.split(',')]
    only = set(filter(None, args.only.split(',')))
    work = args.work or tempfile.mkdtemp(prefix='kiln-quant-bench-')
    os.makedirs(work, exist_ok=True)
    if not args.no_ort:
        ensure_ort()
    print('| model | threads | float32 (ms) | int8 (ms) | int8/float32 | bf16 (ms) | bf16/float32 '
          '| float32 library | int8 library | bf16 library '
          '| QDQ model (ms) | ORT float32 (ms) | ORT QDQ (ms) | Kiln QDQ / ORT QDQ |')
    print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
    for name, folder, options in MODELS:
        if only and name not in only:
            continue
        model = model_path(args.models, folder, work)
        reference = os.path.join(args.models, folder, 'test_data_set_0')
        # The inputs alone: int8 outputs are not expected to match float32's
        # to kiln-run's tolerance.
        data = os.path.join(work, name + '_inputs')
        os.makedirs(data, exist_ok=True)
        for f in os.listdir(reference):
            if f.startswith('input_') and not os.path.exists(os.path.join(data, f)):
                os.symlink(os.path.join(reference, f), os.path.join(data, f))
        calibration = os.path.join(args.models, folder, 'calibration')
        if not os.path.isdir(calibration):
            calibration = reference
        libs = {}
        for kind, extra in (('f32', []), ('int8', ['--quantize=int8', '--calibration=' + calibration]),
                            ('bf16', ['--quantize=bf16'])):
            libs[kind] = os.path.join(work, 'lib%s_%s.so' % (name, kind))
            subprocess.run([args.kilnc, model, '-o', libs[kind]] + options + extra, check=True)
        qdq = os.path.join(work, name + '_qdq.onnx')
        if not os.path.exists(qdq):
            subprocess.run([sys.executable, os.path.join(HERE, 'make_qdq.py'), model, calibration, qdq,
                            '--kilnc', args.kilnc, '--kiln-run', args.kiln_run] +
                           (['--'] + options if options else []),
                           check=True)
        libs['qdq'] = os.path.join(work, 'lib%s_qdq.so' % name)
        subprocess.run([args.kilnc, qdq, '-o', libs['qdq']] + options, check=True)
        ort = {} if args.no_ort else {'ort_f32': model, 'ort_qdq': qdq}
        inputs = None if args.no_ort else ort_inputs(model, reference, work, name)
        for t in threads:
            times = {k: [] for k in list(libs) + list(ort)}
            for _ in range(args.rounds):
                for kind in libs:
                    times[kind].append(time_kiln(args, libs[kind], data, t))
                for kind, path in ort.items():
                    times[kind].append(time_ort(args, path, inputs, t))
            m = {k: statistics.median(v) for k, v in times.items()}
            f, q = m['f32'], m['int8']
            ort_cells = ('%.2f | %.2f | %.2f' % (m['ort_f32'], m['ort_qdq'], m['qdq'] / m['ort_qdq'])
                         if ort else '- | - | -')
            h = m['bf16']
            size = lambda kind: os.path.getsize(libs[kind]) / 1e6
            print('| %s | %d | %.2f | %.2f | %.3f | %.2f | %.3f | %.1f MB | %.1f MB | %.1f MB | %.2f | %s |' % (
                name, t, f, q, q / f, h, h / f, size('f32'), size('int8'), size('bf16'), m['qdq'],
                ort_cells))
            sys.stdout.flush()


if __name__ == '__main__':
    main()
