"""Checks the output_K.pb files kiln-run --save-outputs wrote against the
references of a data set: same names, types, shapes and values, and no other
files (no temporary file left behind).

usage: check_saved.py SAVED_DIR REFERENCE_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

saved, reference = sys.argv[1:3]
expected_files = sorted(f for f in os.listdir(reference) if f.startswith('output_'))
if sorted(os.listdir(saved)) != expected_files:
    sys.exit(f'{saved} holds {sorted(os.listdir(saved))}, expected {expected_files}')
for file in expected_files:
    got = onnx.load_tensor(os.path.join(saved, file))
    want = onnx.load_tensor(os.path.join(reference, file))
    got_array, want_array = numpy_helper.to_array(got), numpy_helper.to_array(want)
    if (got.name, got.data_type, got_array.shape) != (want.name, want.data_type, want_array.shape):
        sys.exit(f'{file}: got {got.name} {got.data_type} {got_array.shape}, '
                 f'expected {want.name} {want.data_type} {want_array.shape}')
    if not np.array_equal(got_array, want_array, equal_nan=True):
        sys.exit(f'{file}: got {got_array}, expected {want_array}')
    print(f'{file}: {got.name} {got_array.dtype}{list(got_array.shape)} same')
