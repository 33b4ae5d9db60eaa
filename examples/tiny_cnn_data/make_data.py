#!/usr/bin/env python3
"""Writes tiny_cnn's test data: input_0.pb (an 8x8 image with a diagonal
stroke) and output_0.pb, computed from the model's weights with an
independent numpy implementation of its layers.

usage: /usr/bin/python3 examples/tiny_cnn_data/make_data.py
"""
import os

import numpy as np
import onnx
from onnx import numpy_helper, parser

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    with open(os.path.join(HERE, '..', 'tiny_cnn.onnxtxt')) as f:
        model = parser.parse_model(f.read())
    w = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}

    image = np.zeros((1, 1, 8, 8), np.float32)
    for i in range(8):
        image[0, 0, i, i] = 1.0
        if i + 1 < 8:
            image[0, 0, i, i + 1] = 0.5

    x = np.pad(image.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    conv = np.zeros((1, 4, 8, 8))
    for m in range(4):
        for i in range(8):
            for j in range(8):
                conv[0, m, i, j] = np.sum(x[0, :, i:i + 3, j:j + 3] * w['conv_w'][m]) + w['conv_b'][m]
    c = (slice(None), None, None)
    norm = (conv - w['bn_mean'][c]) / np.sqrt(w['bn_var'][c] + 1e-5) * w['bn_scale'][c] + w['bn_bias'][c]
    act = np.maximum(norm, 0)
    pooled = act.reshape(1, 4, 4, 2, 4, 2).max(axis=(3, 5))
    features = pooled.mean(axis=(2, 3))
    logits = features @ w['fc_w'].T + w['fc_b']
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)

    for name, array, file in (('image', image, 'input_0.pb'),
                              ('probabilities', probabilities, 'output_0.pb')):
        with open(os.path.join(HERE, file), 'wb') as f:
            f.write(numpy_helper.from_array(array, name).SerializeToString())
    print('probabilities:', probabilities)


if __name__ == '__main__':
    main()
