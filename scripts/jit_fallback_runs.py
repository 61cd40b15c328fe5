#!/usr/bin/env python3
"""Classifies training runs as good or bad by where they spend their time, not by how long they
take (issue 16: some CNN runs stay 3-4.6x slower for the whole process). For each run directory
given (holding rec.jfr from -XX:StartFlightRecording, out.log with the bench's `epoch` lines
prefixed by a Unix timestamp, and optionally comp.xml from -XX:+LogCompilation), prints:

  - the share of JFR execution samples after epoch 1 whose stack, above the first dev.descent
    frame, holds a Vector API method running as a frame of its own (interpreted or compiled, not
    inlined): a Vector API call that is not inlined into its kernel is not intrinsified, so this is
    the API's Java fallback. Inlined frames are not counted: C2 attributes intrinsified code to
    the inlined Vector API methods too. A run is BAD when that share exceeds 5%;
  - the methods HotSpot marked not compilable (make_not_compilable in comp.xml; the compile's
    <failure reason=...> is in the compiler thread's part of the log).

Usage: scripts/jit_fallback_runs.py RUN_DIR... (JAVA_HOME must point at a JDK with bin/jfr)."""
import collections, datetime, json, os, re, subprocess, sys

def timestamp(t):
    t = t.rstrip('Z')
    if '.' in t:
        a, b = t.split('.')
        t = a + '.' + b[:6]
    return datetime.datetime.fromisoformat(t).replace(tzinfo=datetime.timezone.utc).timestamp()

def fallback_share(d):
    js = subprocess.run([os.environ['JAVA_HOME'] + '/bin/jfr', 'print', '--json', '--stack-depth', '16',
                         '--events', 'jdk.ExecutionSample', os.path.join(d, 'rec.jfr')], capture_output=True, check=True, text=True).stdout
    events = json.loads(js)['recording']['events']
    epoch1 = None
    for line in open(os.path.join(d, 'out.log'), errors='replace'):
        m = re.match(r'([0-9.]+) epoch .* epoch=1 ', line)
        if m:
            epoch1 = float(m.group(1))
    fallback = total = 0
    where = collections.Counter()
    for e in events:
        v = e['values']
        if epoch1 is None or timestamp(v['startTime']) < epoch1 or not v['stackTrace']:
            continue
        frames = [(f['method']['type']['name'].replace('/', '.') + '::' + f['method']['name'], f['type']) for f in v['stackTrace']['frames']]
        k = next((i for i, (n, _) in enumerate(frames) if n.startswith('dev.descent')), None)
        if k is None:
            continue
        total += 1
        if any(n.startswith(('jdk.incubator.vector', 'jdk.internal.vm.vector')) and t != 'Inlined' for n, t in frames[:k]):
            fallback += 1
            where[frames[k][0].split('.')[-1]] += 1
    return fallback, total, where

def not_compilable(d):
    path = os.path.join(d, 'comp.xml')
    if not os.path.exists(path):
        return []
    out = []
    for line in open(path, errors='replace'):
        if line.startswith('<make_not_compilable'):
            level = re.search(r"level='(\d)'", line)
            method = re.search(r"method='([^ ]* [^ ]*)", line).group(1)
            out.append(method.split('.')[-1] + (' at tier ' + level.group(1) if level else '') + (' (OSR)' if "osr='1'" in line else ''))
    return out

for d in sys.argv[1:]:
    fallback, total, where = fallback_share(d)
    share = fallback / total if total else float('nan')
    print(f"{d}: {'BAD ' if share > 0.05 else 'good'} {100 * share:5.1f}% of {total} samples after epoch 1 in Vector API "
          f"fallbacks {dict(where.most_common(3))}; not compilable: {not_compilable(d) or 'none'}")
