#!/usr/bin/env python3
"""Runs Kiln over the ONNX backend conformance suite (Debian's libonnx-testdata).

In-scope tests are those of the node, pytorch-converted, pytorch-operator and
simple suites whose graph inputs and outputs are all non-string tensors and
which use no ai.onnx.preview.training op. Graph inputs that only set shape
parameters (a Reshape's shape, Squeeze's axes, ...) are frozen to the test's
values with --constant-input, as an ahead-of-time compiler specializes them.

Two modes:
  import  kilnc --emit=kiln must succeed.
  run     kilnc compiles the model into a shared library, and kiln-run runs
          it on every test_data_set_N and compares the outputs value by value
          with the expected ones (rtol 1e-3, atol 1e-7).

Every failure must be listed, with a reason, in an expected-failures file
(--xfail, repeatable); an unexpected failure or an unexpected pass fails the
run.

usage: conformance.py --kilnc build/bin/kilnc --xfail test/conformance/import-xfail.txt
       conformance.py --mode run --kilnc build/bin/kilnc --kiln-run build/bin/kiln-run \
           --xfail test/conformance/import-xfail.txt --xfail test/conformance/run-xfail.txt
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import onnx
except ImportError:  # Debian's python3-onnx lives in the system Python
    sys.path.append('/usr/lib/python3/dist-packages')
    import onnx

SUITES = ['node', 'pytorch-converted', 'pytorch-operator', 'simple']
DEFAULT_DATA = '/usr/share/libonnx-testdata/data'

# (op type, input index) of inputs that decide output shapes or op semantics.
SHAPE_PARAMETERS = {
    ('Reshape', 1), ('Expand', 1), ('Tile', 1), ('ConstantOfShape', 0),
    ('Slice', 1), ('Slice', 2), ('Slice', 3), ('Slice', 4),
    ('Pad', 1), ('Resize', 2), ('Resize', 3), ('Upsample', 1),
    ('TopK', 1), ('Split', 1), ('Range', 0), ('Range', 1), ('Range', 2),
    ('OneHot', 1), ('ReduceSum', 1), ('Squeeze', 1), ('Unsqueeze', 1),
    ('CumSum', 1), ('Dropout', 1), ('Dropout', 2), ('Compress', 1),
    ('Loop', 0), ('Loop', 1), ('Resize', 1), ('HannWindow', 0), ('HammingWindow', 0), ('BlackmanWindow', 0),
}

# Ops whose outputs depend only on the shapes of their inputs: freezing
# stops there.
SHAPE_ONLY = {'Shape', 'Size'}


def in_scope(model):
    """Why a test is out of scope, or None."""
    for value in list(model.graph.input) + list(model.graph.output):
        if not value.type.HasField('tensor_type'):
            return 'non-tensor input or output'
        if value.type.tensor_type.elem_type == onnx.TensorProto.STRING:
            return 'string tensor'
    if any(n.domain == 'ai.onnx.preview.training' for n in model.graph.node):
        return 'training domain'
    return None


def graph_inputs(model):
    initializers = {t.name for t in model.graph.initializer}
    return [i.name for i in model.graph.input if i.name not in initializers]


def frozen_inputs(model, test_dir, data_set='test_data_set_0'):
    """(name, .pb path) of the inputs frozen with --constant-input."""
    inputs = graph_inputs(model)
    producer = {out: node for node in model.graph.node for out in node.output}
    wanted = set()
    # Graph inputs that a shape parameter is computed from (the expanded
    # function tests compute them with a few ops first).
    pending = [name for node in model.graph.node
               for index, name in enumerate(node.input)
               if (node.op_type, index) in SHAPE_PARAMETERS]
    seen = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in inputs:
            wanted.add(name)
        elif name in producer and producer[name].op_type not in SHAPE_ONLY:
            pending.extend(producer[name].input)
    data = os.path.join(test_dir, data_set)
    return [(name, os.path.join(data, 'input_%d.pb' % inputs.index(name)))
            for name in sorted(wanted)]


def collect(data_root, pattern):
    tests = []
    for suite in SUITES:
        suite_dir = os.path.join(data_root, suite)
        for name in sorted(os.listdir(suite_dir)):
            if pattern and not re.search(pattern, name):
                continue
            test_dir = os.path.join(suite_dir, name)
            model_path = os.path.join(test_dir, 'model.onnx')
            if not os.path.exists(model_path):
                continue
            model = onnx.load(model_path, load_external_data=False)
            if in_scope(model) is None:
                tests.append((name, test_dir, frozen_inputs(model, test_dir),
                              graph_inputs(model)))
    return tests


def failure_reason(proc):
    """The first error line of a failed tool run (with an op list if any)."""
    lines = proc.stderr.splitlines() + proc.stdout.splitlines()
    first = next((i for i, l in enumerate(lines) if 'error' in l), 0)
    # An unsupported-op report lists the ops on the indented lines after it.
    detail = [l.strip() for l in lines[first + 1:] if l.startswith('  ')]
    reason = lines[first] if lines else 'exit code %d' % proc.returncode
    if detail:
        reason += ' [' + '; '.join(detail) + ']'
    if proc.returncode < 0:
        reason = 'crashed (signal %d): %s' % (-proc.returncode, reason)
    return reason


def compile_command(kilnc, test_dir, frozen, extra):
    cmd = [kilnc, os.path.join(test_dir, 'model.onnx')] + extra
    for input_name, path in frozen:
        cmd.append('--constant-input=%s=%s' % (input_name, path))
    return cmd


def run_import(args, test):
    name, test_dir, frozen, _ = test
    cmd = compile_command(args.kilnc, test_dir, frozen, ['--emit=kiln', '-o', '/dev/null'])
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return name, False, 'timed out'
    if proc.returncode == 0:
        return name, True, ''
    return name, False, failure_reason(proc)


def run_compiled(args, test):
    """Compiles the test's model into a library and runs it on each data set."""
    name, test_dir, _, inputs = test
    data_sets = sorted(d for d in os.listdir(test_dir) if d.startswith('test_data_set_'))
    work = tempfile.mkdtemp(prefix='kiln-conformance-')
    try:
        library = None
        for data_set in data_sets:
            frozen = frozen_inputs(onnx.load(os.path.join(test_dir, 'model.onnx'),
                                              load_external_data=False),
                                   test_dir, data_set) if test[2] else []
            # Frozen inputs are compiled in: one library per data set.
            if library is None or frozen:
                library = os.path.join(work, 'lib%s.so' % data_set)
                cmd = compile_command(args.kilnc, test_dir, frozen,
                                      ['-o', library, '--name=model'])
                try:
                    proc = subprocess.run(cmd, capture_output=True, text=True,
                                          timeout=300)
                except subprocess.TimeoutExpired:
                    return name, False, 'compilation timed out'
                if proc.returncode != 0:
                    return name, False, 'compile: ' + failure_reason(proc)
            # The library's inputs are the graph inputs that were not frozen.
            source = os.path.join(test_dir, data_set)
            target = os.path.join(work, data_set)
            os.mkdir(target)
            frozen_names = {n for n, _ in frozen}
            kept = [i for i, n in enumerate(inputs) if n not in frozen_names]
            for k, i in enumerate(kept):
                os.symlink(os.path.join(source, 'input_%d.pb' % i),
                           os.path.join(target, 'input_%d.pb' % k))
            for f in os.listdir(source):
                if f.startswith('output_'):
                    os.symlink(os.path.join(source, f), os.path.join(target, f))
            try:
                proc = subprocess.run([args.kiln_run, library, target],
                                      capture_output=True, text=True, timeout=300)
            except subprocess.TimeoutExpired:
                return name, False, 'run timed out'
            if proc.returncode != 0:
                mismatch = [l.strip() for l in proc.stdout.splitlines() if 'MISMATCH' in l]
                if mismatch:
                    return name, False, 'wrong values: ' + mismatch[0].split(': ', 1)[-1]
                return name, False, 'run: ' + failure_reason(proc)
        return name, True, ''
    finally:
        shutil.rmtree(work, ignore_errors=True)


def read_xfail(paths):
    expected = {}
    for path in paths or []:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith('#'):
                    continue
                name, _, reason = line.partition('#')
                name = name.strip()
                if not reason.strip():
                    sys.exit('%s: entry %s has no reason' % (path, name))
                if name in expected:
                    sys.exit('%s: %s is listed twice' % (path, name))
                expected[name] = reason.strip()
    return expected


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--mode', choices=['import', 'run'], default='import')
    parser.add_argument('--kilnc', required=True)
    parser.add_argument('--kiln-run', help='kiln-run (for --mode run)')
    parser.add_argument('--data', default=DEFAULT_DATA)
    parser.add_argument('--xfail', action='append',
                        help='expected-failures file (name  # reason); repeatable')
    parser.add_argument('--filter', help='only tests whose name matches this regex')
    parser.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    parser.add_argument('--verbose', '-v', action='store_true')
    args = parser.parse_args()
    if not os.path.isdir(args.data):
        sys.exit('no conformance data at %s (install libonnx-testdata)' % args.data)

    if args.mode == 'run' and not args.kiln_run:
        sys.exit('--mode run needs --kiln-run')

    tests = collect(args.data, args.filter)
    expected = read_xfail(args.xfail)
    runner = run_import if args.mode == 'import' else run_compiled
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda t: runner(args, t), tests))

    passed = [r for r in results if r[1]]
    failed = [r for r in results if not r[1]]
    unexpected_failures = [r for r in failed if r[0] not in expected]
    unexpected_passes = [r for r in passed if r[0] in expected]
    for name, _, reason in failed:
        if args.verbose or name not in expected:
            print('%s %s: %s' % ('XFAIL' if name in expected else 'FAIL', name, reason))
    for name, _, _ in unexpected_passes:
        print('XPASS %s: expected to fail (%s) but passes; remove it from the '
              'expected failures' % (name, expected[name]))
    if not args.filter:
        stale = sorted(set(expected) - {r[0] for r in results})
        for name in stale:
            print('STALE %s: listed as an expected failure but not an in-scope test' % name)
        if stale:
            unexpected_passes.extend((n, True, '') for n in stale)
    total = len(results)
    what = 'import' if args.mode == 'import' else 'compile, run and match'
    print('%s conformance: %d of %d in-scope tests %s (%.1f%%), '
          '%d expected failures' % (args.mode, len(passed), total, what,
                                    100.0 * len(passed) / max(total, 1), len(failed)))
    print('%d passed, %d failed' % (len(passed), len(failed)))
    return 1 if unexpected_failures or unexpected_passes else 0


if __name__ == '__main__':
    sys.exit(main())
