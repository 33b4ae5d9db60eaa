#!/usr/bin/env python3
"""Turns kiln-opt output into FileCheck lines with named SSA captures.

A development aid for writing lit tests (like MLIR's generate-test-checks.py):
  kiln-opt test.mlir -canonicalize | scripts/generate-checks.py
Review the output before pasting it into a test: checks should state what the
test is about, not everything the printer emits.
"""
import re
import sys

SSA = re.compile(r'%([A-Za-z_][\w$.]*|\d+)(#\d+)?')


def main():
    names = {}
    counter = [0]

    def capture(match):
        name = match.group(1)
        suffix = match.group(2) or ''
        if name in names:
            return '%[[' + names[name] + ']]' + suffix
        var = ('ARG' + name[3:]) if name.startswith('arg') else 'V' + str(counter[0])
        if not name.startswith('arg'):
            counter[0] += 1
        names[name] = var
        return '%[[' + var + ':.*]]' + suffix

    for line in sys.stdin:
        text = line.strip()
        if not text or text in ('module {', '}') or text.startswith('//'):
            continue
        if text.startswith('func.func'):
            names.clear()
            counter[0] = 0
            label = re.match(r'func\.func (?:private )?(@[\w.$]+)', text)
            print('// CHECK-LABEL: func.func ' + label.group(1))
            continue
        # Literal '[[' and ']]' (nested dense literals) would read as FileCheck
        # variables; escape them before adding the captures.
        text = text.replace('[[', '{{\\[\\[}}').replace(']]', '{{\\]\\]}}')
        print('// CHECK: ' + SSA.sub(capture, text))


if __name__ == '__main__':
    main()
