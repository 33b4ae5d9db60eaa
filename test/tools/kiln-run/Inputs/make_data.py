"""Writes ONNX test data sets, valid and broken, for kiln-run's tests.

They fit the model of fake_model.c: inputs x float32[2,3] and y int64[2],
outputs z = x * 2 (float32[2,3]) and w = y + 1 (int64[2]). Each data set is
a directory of OUTDIR holding input_K.pb and maybe output_K.pb files.
OUTDIR/libnotkiln.so links to libm, a shared library that is no Kiln library.

usage: make_data.py OUTDIR
"""
import ctypes
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]

x = np.array([[0.5, -1.25, 3], [4, 1e-3, 6e5]], dtype=np.float32)
y = np.array([10, -20], dtype=np.int64)
z = x * 2
w = y + 1


def tensor(array, name=None):
    return numpy_helper.from_array(array, name)


def write(dataset, inputs, outputs=()):
    """Writes input_K.pb and output_K.pb files; each is a TensorProto or bytes."""
    directory = os.path.join(out, dataset)
    os.makedirs(directory, exist_ok=True)
    for kind, tensors in (('input', inputs), ('output', outputs)):
        for k, content in enumerate(tensors):
            if isinstance(content, TensorProto):
                content = content.SerializeToString()
            with open(os.path.join(directory, f'{kind}_{k}.pb'), 'wb') as f:
                f.write(content)


def varint(value):
    value &= (1 << 64) - 1
    encoded = bytearray()
    while value >= 0x80:
        encoded.append(value & 0x7f | 0x80)
        value >>= 7
    encoded.append(value)
    return bytes(encoded)


def key(field, wire_type):
    return varint(field << 3 | wire_type)


def length_delimited(field, payload):
    return key(field, 2) + varint(len(payload)) + payload


inputs = [tensor(x, 'x'), tensor(y, 'y')]
outputs = [tensor(z, 'z'), tensor(w, 'w')]

# Data sets that match.
write('match', inputs, outputs)
write('by-name', inputs[::-1], outputs[::-1])
write('positional', [tensor(x, 'a'), tensor(y, 'b')], [tensor(z), tensor(w)])
write('no-outputs', inputs)
write('typed',
      [helper.make_tensor('x', TensorProto.FLOAT, [2, 3], x.flatten().tolist()),
       helper.make_tensor('y', TensorProto.INT64, [2], y.tolist())],
      [helper.make_tensor('z', TensorProto.FLOAT, [2, 3], z.flatten().tolist()),
       helper.make_tensor('w', TensorProto.INT64, [2], w.tolist())])
special = np.array([[np.nan, np.inf, -np.inf], [1, 2, 3]], dtype=np.float32)
write('nan', [tensor(special, 'x'), tensor(y, 'y')],
      [tensor(special * 2, 'z'), tensor(w, 'w')])
for k in range(2):
    write(f'sets/test_data_set_{k}', [tensor(x + k, 'x'), tensor(y + k, 'y')],
          [tensor((x + k) * 2, 'z'), tensor(y + k + 1, 'w')])

# What protobuf allows but onnx does not write: packed dims, unpacked
# float_data and int64_data, and fields to skip (doc_string, segment, unknown
# ones of every wire type, a group among them).
hand_x = (length_delimited(1, varint(2) + varint(3)) + key(2, 0) + varint(1) +
          length_delimited(12, b'a doc string') +
          length_delimited(3, key(1, 0) + varint(0) + key(2, 0) + varint(6)) +
          b''.join(key(4, 5) + np.float32(v).tobytes() for v in x.flat) +
          key(99, 1) + bytes(8) + key(100, 3) + key(1, 0) + varint(7) +
          key(100, 4) + key(101, 5) + bytes(4) + key(14, 0) + varint(0) +
          length_delimited(8, b'x'))
hand_y = (key(1, 0) + varint(2) + key(2, 0) + varint(TensorProto.INT64) +
          b''.join(key(7, 0) + varint(int(v)) for v in y) +
          length_delimited(8, b'y'))
write('hand-encoded', [hand_x, hand_y], outputs)

# Data sets that mismatch. z's elements 1, 3 and 5 are off by 0.5, 0.25 and
# 15; w's element 1 by 1.
bad_z = z.copy()
bad_z[0, 1] += 0.5
bad_z[1, 0] += 0.25
bad_z[1, 2] = 15
write('mismatch', inputs, [tensor(bad_z, 'z'), tensor(w + [0, 1], 'w')])
write('nan-mismatch', [tensor(special, 'x'), tensor(y, 'y')],
      [tensor(np.array([[1, np.inf, np.inf], [2, 4, np.nan]], dtype=np.float32), 'z'),
       tensor(w, 'w')])
write('close-rel', inputs, [tensor(z * np.float32(1.005), 'z'), tensor(w, 'w')])
write('close-abs', inputs, [tensor(z + np.float32(0.25), 'z'), tensor(w, 'w')])

# Data sets that do not fit the model.
write('missing-input', inputs[:1])
write('extra-input', inputs + [tensor(y, 'extra')])
write('missing-output', inputs, outputs[:1])
write('swapped', [tensor(y, 'p'), tensor(x, 'q')])
write('wrong-shape', [tensor(np.zeros((2, 4), np.float32), 'x'), tensor(y, 'y')])
write('wrong-dtype', [tensor(x, 'x'), tensor(y.astype(np.int32), 'y')])
write('wrong-output-shape', inputs, [tensor(z.flatten(), 'z'), tensor(w, 'w')])
write('float16', [helper.make_tensor('x', TensorProto.FLOAT16, [2, 3],
                                     np.ones(6, np.float16)), tensor(y, 'y')])
write('overflow', [tensor(x, 'x'), tensor(np.array([1, 2**63 - 1]), 'y')])

# Broken .pb files, each as input_0.pb of its own data set.
serialized_x = inputs[0].SerializeToString()
broken = {
    'truncated': serialized_x[:-5],
    'truncated-varint': key(1, 0) + b'\x96',
    'truncated-tag': b'\x80',
    'bad-wire-type': key(1, 7),
    'overlong-varint': key(1, 0) + b'\xff' * 11,
    'bad-group': key(100, 3) + key(1, 0) + varint(7) + key(101, 4),
    'empty': b'',
}


def make(data_type, dims, name='x', **fields):
    proto = TensorProto(data_type=data_type, dims=dims, name=name)
    for field, values in fields.items():
        if field == 'raw_data':
            proto.raw_data = values
        else:
            getattr(proto, field).extend(values)
    return proto.SerializeToString()


broken.update({
    'raw-size': make(TensorProto.FLOAT, [2, 3], raw_data=bytes(20)),
    'count': make(TensorProto.FLOAT, [2, 3], float_data=[1, 2, 3, 4, 5]),
    'no-values': make(TensorProto.FLOAT, [2, 3]),
    'both-fields': make(TensorProto.FLOAT, [2, 3], raw_data=bytes(24),
                        float_data=[0] * 6),
    'wrong-field': make(TensorProto.FLOAT, [2, 3], int64_data=range(6)),
    'out-of-range': make(TensorProto.UINT8, [2, 3], int32_data=[1, 2, 300, 4, 5, 6]),
    'negative-dim': make(TensorProto.FLOAT, [-1, 3]),
    'huge': make(TensorProto.FLOAT, [2**30, 2**30], raw_data=bytes(4)),
    'string': make(TensorProto.STRING, [1], string_data=[b'text']),
    'complex': make(TensorProto.COMPLEX64, [1], float_data=[1, 2]),
    'external': make(TensorProto.FLOAT, [2, 3]) + key(14, 0) + varint(1),
})
for name, content in broken.items():
    write(name, [content, tensor(y, 'y')])

# A shared library that is not a Kiln library: the libm Python runs with.
ctypes.CDLL('libm.so.6')
with open('/proc/self/maps') as maps:
    libm = next(line.split()[-1] for line in maps if '/libm.so' in line)
link = os.path.join(out, 'libnotkiln.so')
if os.path.lexists(link):
    os.remove(link)
os.symlink(libm, link)
