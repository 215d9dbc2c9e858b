"""Time commands interleaved (A, B, C, A, B, C, ...) and print each one's
median wall time, and its ratio to the first command's median.

The machine this project is measured on drifts by 2-3x within minutes; running
the commands in turn, rather than all runs of one then all of the next, lets
every command see the same drift, so the ratios hold even when the times move.

Usage: python3 benches/interleaved.py RUNS WARMUP 'cmd one' 'cmd two' ...
"""
import shlex
import statistics
import subprocess
import sys
import time

runs, warmup = int(sys.argv[1]), int(sys.argv[2])
cmds = sys.argv[3:]
times = {c: [] for c in cmds}
for i in range(warmup + runs):
    for c in cmds:
        argv = shlex.split(c)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        elapsed = time.perf_counter() - start
        if i >= warmup:
            times[c].append(elapsed * 1000)
base = statistics.median(times[cmds[0]])
for c in cmds:
    t = sorted(times[c])
    med = statistics.median(t)
    q1, q3 = t[len(t) // 4], t[(3 * len(t)) // 4]
    print(f"{med:8.1f} ms  (IQR {q1:.1f}-{q3:.1f})  {med / base:5.2f}x  {c}")
