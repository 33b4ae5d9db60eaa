"""Writes a float32 TensorProto file: write_tensor.py OUT.pb DIMS VALUES

DIMS is like 1x2x3x3; VALUES is a comma-separated list of numbers, or
"ramp:A:B" for evenly spaced values from A to B.
"""
import sys

import numpy as np
from onnx import numpy_helper

out, dims, values = sys.argv[1:4]
shape = [int(d) for d in dims.split("x")]
if values.startswith("ramp:"):
    _, a, b = values.split(":")
    data = np.linspace(float(a), float(b), int(np.prod(shape)), dtype=np.float32)
else:
    data = np.array([float(v) for v in values.split(",")], dtype=np.float32)
with open(out, "wb") as f:
    f.write(numpy_helper.from_array(data.reshape(shape)).SerializeToString())
