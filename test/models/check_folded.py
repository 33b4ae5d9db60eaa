#!/usr/bin/env python3
"""Checks kilnc --emit=kiln output of a model: every weight is a constant.

Reads the printed module on stdin and fails when
  - an op outside the kiln dialect remains (besides func.func/return and
    tensor.cast),
  - a kiln op other than kiln.constant has only constant operands (an
    unfolded constant computation, such as a ConstantOfShape weight),
  - a conv, conv_transpose, gemm or matmul takes its weights from anything
    but a kiln.constant,
  - an op named with --forbid is present.
Prints a one-line summary.
"""
import argparse
import collections
import re
import sys

OP = re.compile(r'^\s*(?:(%[\w#:, %]+?)\s*=\s*)?"?([a-z_]+\.[a-z_]+)"?\b(.*)$')
VALUE = re.compile(r'%[\w]+(?:#\d+)?')
WEIGHTED = {'kiln.conv': 1, 'kiln.conv_transpose': 1, 'kiln.gemm': 1, 'kiln.matmul': 1}
ALLOWED_FOREIGN = {'func.func', 'func.return', 'tensor.cast'}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--forbid', action='append', default=[])
    args = parser.parse_args()
    constants = set()
    counts = collections.Counter()
    errors = []
    for line in sys.stdin:
        if line.strip().startswith('return '):
            continue
        m = OP.match(line)
        if not m:
            continue
        results, name, rest = m.groups()
        counts[name] += 1
        if name == 'builtin.module' or name in ALLOWED_FOREIGN:
            continue
        if not name.startswith('kiln.'):
            errors.append('non-kiln op left: %s' % line.strip()[:120])
            continue
        operands = VALUE.findall(rest.split(':', 1)[0])
        if name == 'kiln.constant':
            constants.update(VALUE.findall(results or ''))
            continue
        if operands and all(o in constants for o in operands):
            errors.append('unfolded constant computation: %s' % line.strip()[:120])
        if name in WEIGHTED and (len(operands) <= WEIGHTED[name] or
                                 operands[WEIGHTED[name]] not in constants):
            errors.append('weights are not a constant: %s' % line.strip()[:120])
        if name in args.forbid:
            errors.append('%s is present: %s' % (name, line.strip()[:120]))
    weighted = sum(counts[n] for n in WEIGHTED)
    if weighted == 0:
        errors.append('no conv, gemm or matmul found: is this a model?')
    for error in errors[:20]:
        print('error: ' + error)
    print('%d kiln ops, %d constants, %d weighted ops all with constant weights: %s'
          % (sum(c for n, c in counts.items() if n.startswith('kiln.')), counts['kiln.constant'],
             weighted, 'FAIL' if errors else 'ok'))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
