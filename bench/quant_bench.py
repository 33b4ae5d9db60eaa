#!/usr/bin/env python3
"""What int8 quantization buys: Kiln's int8 libraries against its float32 ones.

usage: bench/quant_bench.py [--kilnc build/bin/kilnc] [--kiln-run build/bin/kiln-run]
                            [--models ../shared/models] [--threads 1,2] [--runs 20]
                            [--rounds 3] [--only NAME,...] [--work DIR]

For each model it compiles a float32 library and an int8 one (kilnc
--quantize=int8, calibrated on the model's calibration/ folder, or on
test_data_set_0 where it has none), then times both with kiln-run --bench on
test_data_set_0's inputs, taking turns --rounds times, and prints the median
latencies, the int8/float32 time ratio and the libraries' sizes. Accuracy is
the tests' business (test/models/quantize.test) and each library's --report.
Needs ../shared/models.
"""
import os
import statistics
import subprocess
import sys
import tempfile

from bench import common_arguments, model_path, time_kiln

MODELS = [
    ('resnet50_rand', 'resnet50_rand', []),
    ('ppocr_det_v4', 'ppocr_det_v4', ['--input-shape', 'x=1x3x640x640']),
    ('ppocr_cls_v2', 'ppocr_cls_v2', ['--input-shape', 'x=1x3x48x192']),
]


def main():
    p = common_arguments(__doc__, 'alternate float32 and int8 this many times per model and '
                                  'thread count; each reports the median of its rounds\' medians')
    args = p.parse_args()
    if not os.path.isdir(args.models):
        raise SystemExit('quant_bench: no models folder at %s (see ../shared/models)' % args.models)
    threads = [int(t) for t in args.threads.split(',')]
    only = set(filter(None, args.only.split(',')))
    work = args.work or tempfile.mkdtemp(prefix='kiln-quant-bench-')
    os.makedirs(work, exist_ok=True)
    print('| model | threads | float32 (ms) | int8 (ms) | int8/float32 | float32 library | int8 library |')
    print('|---|---|---|---|---|---|---|')
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
        for kind, extra in (('f32', []), ('int8', ['--quantize=int8', '--calibration=' + calibration])):
            libs[kind] = os.path.join(work, 'lib%s_%s.so' % (name, kind))
            subprocess.run([args.kilnc, model, '-o', libs[kind]] + options + extra, check=True)
        for t in threads:
            times = {'f32': [], 'int8': []}
            for _ in range(args.rounds):
                for kind in ('f32', 'int8'):
                    times[kind].append(time_kiln(args, libs[kind], data, t))
            f, q = statistics.median(times['f32']), statistics.median(times['int8'])
            print('| %s | %d | %.2f | %.2f | %.3f | %.1f MB | %.1f MB |' % (
                name, t, f, q, q / f, os.path.getsize(libs['f32']) / 1e6,
                os.path.getsize(libs['int8']) / 1e6))
            sys.stdout.flush()


if __name__ == '__main__':
    main()
