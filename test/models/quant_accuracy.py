"""Compares the outputs of a float32 and an int8 library (see quantize.test).

usage: quant_accuracy.py detector|classifier FLOAT_DIR INT8_DIR

Each DIR holds <set>/output_0.pb as kiln-run --save-outputs writes them.
detector: the text pixels (probability > 0.3) of each set must reach an
IoU of at least 0.95 with float32's. classifier: the decision (argmax) of
each set must be float32's. Prints one line per set and a summary; exits 1
if a set fails.
"""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def load(root):
    return {d: numpy_helper.to_array(onnx.load_tensor(os.path.join(root, d, 'output_0.pb')))
            for d in sorted(os.listdir(root))}


kind, fdir, qdir = sys.argv[1:4]
f, q = load(fdir), load(qdir)
assert f and sorted(f) == sorted(q), (sorted(f), sorted(q))
failed = 0
for name in sorted(f):
    if kind == 'detector':
        ft, qt = f[name] > 0.3, q[name] > 0.3
        iou = (ft & qt).sum() / max((ft | qt).sum(), 1)
        ok = iou >= 0.95
        print('%s: IoU %.4f of %d text pixels %s' % (name, iou, ft.sum(), 'ok' if ok else 'BELOW 0.95'))
    else:
        a, b = f[name].argmax(-1), q[name].argmax(-1)
        ok = bool((a == b).all())
        print('%s: decision %s %s' % (name, a.tolist(), 'same' if ok else 'DIFFERENT: %s' % b.tolist()))
    failed += not ok
print('%d of %d sets %s' % (len(f) - failed, len(f), 'agree' if kind != 'detector' else 'reach IoU 0.95'))
sys.exit(1 if failed else 0)
