#!/usr/bin/env python3
"""dlntui ensembles against batched numpy (issue 14, "Performance"): `make bench` runs this.

Cases, side by side in one run, rounds alternating so slow spells of a shared machine fall on both:
  d = 2   the 2 x 2 problem (14.1), two-by-two preset: upstairs, N = 4, euler at dt = 0.05 (the
          preset steps rk4; numpy's step is Euler's), small start 1e-2
  d = 16  completion (the completion preset at d = 16 with -N 3, --observed 0.5, --dt 0.1: upstairs,
          N = 3, rank 3, half observed, euler at dt 0.1, as numpy's; until 2026-12-02 evening the
          flags left the preset's N = 4, 9 products a step against numpy's 6)
dlntui: `dlntui ensemble` end to end (start-up, every member's set-up, rows at step 0 and the end,
summary.csv, quantiles.csv), member-steps counted from summary.csv's steps column, over the wall time.
numpy: what a researcher would write: the M members as (M, d, d) stacks, one np.matmul per product,
the same explicit Euler step of the upstairs gradient flow, one BLAS thread.
Then --jobs 2 against --jobs 1 (beside two independent --jobs 1 processes against one: the machine's
ceiling), the CMV-sized study's wall time (3,000 members at each of N = 5, 10, 20, inf; riemannian
flow, depth-normalised time, --until-converged 1e-8; dopri5, and the preset's euler at dt 0.05) and
the peak RSS of a 10,000-member ensemble at d = 8 with 100 saved times.

Usage: bench/ensemble.py [--dlntui PATH] [--rounds 3] [--skip-cmv] [--skip-rss]
"""

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time

CASES = {
    "d2": dict(flags=["--preset", "two-by-two", "--integrator", "euler", "--dt", "0.05"], d=2, n=4, dt=0.05, members=2000, steps=2000, scale=1e-2),
    "d16": dict(flags=["--preset", "completion", "-d", "16", "-N", "3", "--observed", "0.5", "--dt", "0.1"], d=16, n=3, dt=0.1, members=200, steps=1000, scale=1e-5),
}

NUMPY_CHILD = r"""
import sys, time, numpy as np
d, n, m, steps, dt, scale = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
rng = np.random.default_rng(1)
if d == 2:
    target, mask = np.eye(2), np.eye(2)
else:
    g = rng.standard_normal((d, 3)) @ rng.standard_normal((3, d))
    target = g / np.linalg.norm(g, 2)
    mask = (rng.random((d, d)) < 0.5).astype(float)
sd = scale ** (1 / n) / np.sqrt(d)
w = [sd * rng.standard_normal((m, d, d)) for _ in range(n)]
def step(w):
    prefix = [w[0]]
    for p in range(1, n):
        prefix.append(np.matmul(w[p], prefix[-1]))
    r = mask * (prefix[-1] - target)
    new = [None] * n
    for p in range(n - 1, -1, -1):
        grad = r if p == 0 else np.matmul(r, np.swapaxes(prefix[p - 1], 1, 2))
        if p > 0:
            r = np.matmul(np.swapaxes(w[p], 1, 2), r)
        new[p] = w[p] - dt * grad
    return new
for _ in range(5):
    w = step(w)
start = time.perf_counter()
for _ in range(steps):
    w = step(w)
elapsed = time.perf_counter() - start
print(m * steps / elapsed)
"""


def numpy_env():
    env = dict(os.environ)
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(k, None)
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def numpy_rate(case):
    c = CASES[case]
    steps = max(50, c["steps"] // 4)
    out = subprocess.run([sys.executable, "-c", NUMPY_CHILD, str(c["d"]), str(c["n"]), str(c["members"]), str(steps),
                          str(c["dt"]), str(c["scale"])], env=numpy_env(), capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def member_steps(folder):
    with open(os.path.join(folder, "summary.csv")) as f:
        return sum(int(r["steps"]) for r in csv.DictReader(f))


def dlntui_rate(binary, case, jobs):
    c = CASES[case]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "study")
        start = time.perf_counter()
        subprocess.run([binary, "ensemble", *c["flags"], "--steps", str(c["steps"]), "--every", str(c["steps"]),
                        "--members", str(c["members"]), "--jobs", str(jobs), "--output", out, "--quiet"],
                       check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        return member_steps(out) / elapsed


def load():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def timed(cmd):
    """Wall seconds and peak RSS (KB, GNU time) of a command."""
    start = time.perf_counter()
    res = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if res.returncode not in (0, 3):
        sys.exit(f"failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr}")
    return elapsed, int(res.stderr.strip().splitlines()[-1])


def concurrent(f, n):
    """f() run n times at once (threads that each wait on a process); their results."""
    import threading
    results = [None] * n
    def one(i):
        results[i] = f()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dlntui", default=".build/release/dlntui")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip-cmv", action="store_true")
    ap.add_argument("--skip-rss", action="store_true")
    args = ap.parse_args()
    binary = os.path.abspath(args.dlntui)
    cores = os.cpu_count()
    print(f"ensembles: {cores} cores, load {load()} at the start")

    print("\ncase   members x steps   dlntui --jobs %d (member-steps/s)   batched numpy, 1 thread   ratio   target" % cores)
    for case, target in (("d2", 4.0), ("d16", 2.0)):
        ours, theirs = [], []
        for r in range(args.rounds):
            pair = [lambda: ours.append(dlntui_rate(binary, case, cores)), lambda: theirs.append(numpy_rate(case))]
            for f in (pair if r % 2 == 0 else pair[::-1]):
                f()
        a, b = statistics.median(ours), statistics.median(theirs)
        c = CASES[case]
        print(f"{case:5}  {c['members']:>6} x {c['steps']:<6}   {a:>22,.0f}   {b:>22,.0f}   {a / b:5.2f}x   >= {target:g}x {'met' if a / b >= target else 'NOT met'}")

    # --jobs 2 against --jobs 1, and beside it the machine's own ceiling: two independent --jobs 1
    # processes at once against one alone (no shared state at all; on a VM whose two vCPUs share a
    # core or the memory bandwidth this is below 2x too).
    one, two, pair_of = [], [], []
    for r in range(args.rounds):
        pair = [lambda: one.append(dlntui_rate(binary, "d2", 1)), lambda: two.append(dlntui_rate(binary, "d2", 2)),
                lambda: pair_of.append(sum(concurrent(lambda: dlntui_rate(binary, "d2", 1), 2)))]
        for f in (pair if r % 2 == 0 else pair[::-1]):
            f()
    s = statistics.median(two) / statistics.median(one)
    ceiling = statistics.median(pair_of) / statistics.median(one)
    print(f"\n--jobs 2 / --jobs 1 at d = 2: {statistics.median(two):,.0f} / {statistics.median(one):,.0f} = {s:.2f}x (target >= 1.7x: {'met' if s >= 1.7 else 'NOT met'}); "
          f"two --jobs 1 processes at once / one alone: {ceiling:.2f}x (the machine's ceiling)")

    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_cmv:
            # The study as specified (riemannian, depth time, the preset's small start, --until-converged
            # 1e-8), integrated by dopri5 (error controlled), and by euler at the preset's dt 0.05 (whose
            # step the watch finds too large for the riemannian flow, 1-2% in sigma_1; the preset steps rk4).
            for name, keys in (("dopri5", 'integrator = "dopri5"\nuntil-time = 1000\nevery-time = 5\n'),
                               ("euler dt 0.05", 'integrator = "euler"\nsteps = 20000\nevery = 100\n')):
                spec = os.path.join(tmp, "cmv.toml")
                out = os.path.join(tmp, "cmv-" + name.split()[0])
                with open(spec, "w") as f:
                    f.write('preset = "two-by-two"\nflow = "riemannian"\ntime-scale = "depth"\nmembers = 3000\nseed = 1\n'
                            + keys + 'until-converged = 1e-8\n\n[grid]\nN = [5, 10, 20, "inf"]\n')
                wall, rss = timed([binary, "sweep", spec, "--output", out, "--quiet"])
                with open(os.path.join(out, "summary.csv")) as f:
                    rows = list(csv.DictReader(f))
                stopped = sum(r["status"] == "ok" for r in rows)
                total = sum(int(r["steps"]) for r in rows)
                fractions = []
                for n in ("5", "10", "20", "inf"):
                    at = [r for r in rows if r["N"] == n]
                    one_rank = sum(float(r["sigma_2"]) < 0.05 * float(r["sigma_1"]) for r in at)
                    fractions.append(f"N={n} {100 * one_rank / max(len(at), 1):.1f}%")
                print(f"\nCMV-sized study, {name}: {len(rows)} members, {stopped} converged, {total:,} member-steps, "
                      f"wall {wall:.1f} s (target < 60 s: {'met' if wall < 60 else 'NOT met'}), peak RSS {rss / 1024:.0f} MB, load {load()}; "
                      f"rank one: {', '.join(fractions)}")
        if not args.skip_rss:
            wall, rss = timed([binary, "ensemble", "--preset", "completion", "-d", "8", "--target-rank", "2", "--steps", "99",
                               "--every", "1", "--members", "10000", "--output", os.path.join(tmp, "rss"), "--quiet"])
            print(f"10,000 members at d = 8, 100 saved times: peak RSS {rss / 1024:.0f} MB (target < 200 MB: "
                  f"{'met' if rss < 200 * 1024 else 'NOT met'}), wall {wall:.1f} s")


if __name__ == "__main__":
    main()
