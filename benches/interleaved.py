"""Time commands interleaved (A, B, C, A, B, C, ...) and print each one's
median wall time and its ratio to the first command's median, then its median
CPU time (user + system, all threads) and that ratio.

The machine this project is measured on drifts by 2-3x within minutes; running
the commands in turn, rather than all runs of one then all of the next, lets
every command see the same drift, so the ratios hold even when the times move.

Usage: python3 benches/interleaved.py RUNS WARMUP 'cmd one' 'cmd two' ...
A command may start with VAR=value words, which are set in its environment.
"""
import os
import shlex
import statistics
import subprocess
import sys
import time

runs, warmup = int(sys.argv[1]), int(sys.argv[2])
cmds = sys.argv[3:]
wall = {c: [] for c in cmds}
cpu = {c: [] for c in cmds}


def split(cmd):
    """The command's environment and argv."""
    words = shlex.split(cmd)
    env = dict(os.environ)
    while words and "=" in words[0] and not words[0].startswith(("/", ".")):
        key, value = words.pop(0).split("=", 1)
        env[key] = value
    return env, words


for i in range(warmup + runs):
    for c in cmds:
        env, argv = split(c)
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            sys.exit(f"{c} exited with {proc.returncode}")
        if i >= warmup:
            wall[c].append(elapsed * 1000)
            cpu[c].append((usage.ru_utime + usage.ru_stime) * 1000)
base = statistics.median(wall[cmds[0]])
cpu_base = statistics.median(cpu[cmds[0]])
for c in cmds:
    t = sorted(wall[c])
    med = statistics.median(t)
    q1, q3 = t[len(t) // 4], t[(3 * len(t)) // 4]
    used = statistics.median(cpu[c])
    print(
        f"{med:8.1f} ms  (IQR {q1:.1f}-{q3:.1f})  {med / base:5.2f}x"
        f"   CPU {used:6.1f} ms {used / cpu_base:5.2f}x  {c}"
    )
