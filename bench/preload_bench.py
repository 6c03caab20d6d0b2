#!/usr/bin/env python3
"""Real and synthetic programs under each malloc, preloaded, in one run: glibc (none
preloaded), memkit (libmemkit-malloc.so), mimalloc and jemalloc (Debian's libmimalloc2.0
and libjemalloc2, skipped when absent). Prints the median wall time and peak RSS of
RUNS runs per program, and each allocator's ratio to glibc. Timings are noisy on a
shared machine: compare the ratios, and rerun.

Usage: bench/preload_bench.py BUILD_DIR [RUNS]     (BUILD_DIR: a Release build with
       tests off, e.g. build/rel; it holds src/malloc/ and bench/malloc_churn)"""
import os
import statistics
import subprocess
import sys
import time

build = os.path.abspath(sys.argv[1])
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
preload = os.path.join(top, "tests", "preload")
churn = os.path.join(build, "bench", "malloc_churn")

allocators = [("glibc", None), ("memkit", os.path.join(build, "src/malloc/libmemkit-malloc.so"))]
for name, path in [("mimalloc", "/usr/lib/x86_64-linux-gnu/libmimalloc.so.2"),
                   ("jemalloc", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2")]:
    if os.path.exists(path):
        allocators.append((name, path))

programs = [
    ("python3 workload.py", ["/usr/bin/python3", os.path.join(preload, "workload.py")]),
    ("lua5.4 workload.lua", ["lua5.4", os.path.join(preload, "workload.lua")]),
    ("sqlite3 workload.sql", ["sqlite3", "-init", "/dev/null", ":memory:",
                              ".read " + os.path.join(preload, "workload.sql")]),
    ("gcc -O2 -S heap.c", ["gcc", "-O2", "-S", "-o", "/dev/null", "-I" + top + "/include",
                           "-I" + top + "/src", top + "/src/heap.c"]),
    ("malloc_churn 1 thread", [churn, "1", "2000000"]),
    ("malloc_churn 2 threads", [churn, "2", "1000000"]),
]


def measure(argv, lib):
    """Wall seconds and peak RSS (KiB) of one run. GNU time reports the RSS: a child
    forked from this Python process would count Python's own pages until its exec."""
    env_args = ["env", "LD_PRELOAD=" + lib] if lib else []
    rss_file = os.path.join(build, "preload_bench.rss")
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + env_args + argv,
                          stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{argv} under {lib} failed with status {done.returncode}")
    with open(rss_file) as f:
        return wall, int(f.read().split()[-1])


print(f"median of {runs} runs; ratio = allocator / glibc")
print(f"{'program':24} {'allocator':9} {'wall ms':>9} {'ratio':>6} {'peak RSS KiB':>13} {'ratio':>6}")
for label, argv in programs:
    base = None
    for name, lib in allocators:
        samples = [measure(argv, lib) for _ in range(runs)]
        wall = statistics.median(s[0] for s in samples) * 1000
        rss = statistics.median(s[1] for s in samples)
        if base is None:
            base = (wall, rss)
        print(f"{label:24} {name:9} {wall:9.1f} {wall / base[0]:6.2f} {rss:13.0f} {rss / base[1]:6.2f}")
