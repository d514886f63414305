#!/usr/bin/env python3
"""dlntui against numpy, side by side (issue 7, "Measure first"): `make bench` runs this.

For every case (flow x N x d) it runs `dlntui bench` and `bench/baseline.py` alternately in the same run,
round after round (the order flipping every round), so slow spells of a shared machine fall on both;
each call reports the median of its timed repeats, and a case reports the median over rounds of each
side and their ratio dlntui / numpy. Before the cases of each d it measures the bare d x d product rate
(`dlntui bench --gemm`), and reports the fraction of it that the upstairs step reaches.

Environment: dlntui runs in the environment as given (it sets one OpenBLAS thread itself, and re-executes
itself with OPENBLAS_CORETYPE when OpenBLAS fell back to a generic kernel: issue 13). The numpy
baseline runs with one BLAS thread and with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed, both
together and for its commands alone: set on some machines for older OpenBLAS builds, they slow the
OpenBLAS that numpy bundles. The kernel numpy then runs is printed (threadpoolctl).

Usage: bench/compare.py [--dlntui PATH] [--rounds 3] [--repeat 3] [--seconds 0.3]
                        [--flows upstairs,riemannian,langevin] [--sizes 4,16,64,256] [--depths 4,16]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BASELINE = os.path.join(HERE, "baseline.py")

# Issue 7's targets: ("ratio", x) means dlntui/numpy >= x; ("gemm", f) means the upstairs step reaches
# at least f of the bare product rate.
def target(flow, n, d):
    if flow == "upstairs":
        if d >= 64:
            return ("gemm", 0.8)
        return ("ratio", {4: 20.0, 16: 8.0 if n == 4 else 5.0}[d])
    return ("ratio", {4: 20.0, 16: 10.0, 64: 2.0, 256: 1.0}[d])


def target_text(t):
    kind, x = t
    return f">= {x:.0%} of dgemm" if kind == "gemm" else f"{x:g}x"


def products_per_step(flow, n):
    """Matrix products the step really does: upstairs N-1 (prefix) + 2(N-1) (suffix and velocities)."""
    return 3 * (n - 1) if flow == "upstairs" else None


def rate_text(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def load():
    try:
        return open("/proc/loadavg").read().split()[:3]
    except OSError:
        return ["?"] * 3


def cpu_model():
    """'AMD EPYC 9R14 (AuthenticAMD family 25 model 17)' from the first processor of /proc/cpuinfo."""
    fields = {}
    try:
        for line in open("/proc/cpuinfo"):
            if not line.strip():
                break
            if ":" in line:
                k, v = line.split(":", 1)
                fields[k.strip()] = v.strip()
    except OSError:
        return "unknown CPU"
    return (f"{fields.get('model name', 'unknown CPU')} ({fields.get('vendor_id', '?')} family "
            f"{fields.get('cpu family', '?')} model {fields.get('model', '?')})")


class Runner:
    def __init__(self, dlntui, python):
        self.dlntui = dlntui
        self.python = python
        self.dlntui_env = dict(os.environ)
        env = dict(os.environ)
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
        env["OPENBLAS_NUM_THREADS"] = "1"
        env["OMP_NUM_THREADS"] = "1"
        self.numpy_env = env
        self.kernels_seen = set()

    def _value(self, cmd, env, key):
        """The float of the one `key=` line; every `blas_kernel=` line (dlntui prints one a call) is
        collected, so the report can say which kernel ran, and notice if it changed."""
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        lines = out.stdout.strip().splitlines()
        values = [ln.split("=", 1)[1] for ln in lines if ln.startswith(key + "=")]
        others = [ln for ln in lines if not ln.startswith(key + "=") and not ln.startswith("blas_kernel=")]
        if out.returncode != 0 or len(values) != 1 or others:
            sys.exit(f"compare.py: `{' '.join(cmd)}` printed {out.stdout.strip()[:300]!r} "
                     f"(exit {out.returncode}; stderr {out.stderr.strip()[:300]!r}); expected one line {key}=<float> "
                     "(and blas_kernel=<name>)")
        for ln in lines:
            if ln.startswith("blas_kernel="):
                self.kernels_seen.add(ln.split("=", 1)[1])
        return float(values[0])

    def dlntui_rate(self, flow, d, n, steps, repeat):
        cmd = [self.dlntui, "bench", "--flow", flow, "-d", str(d), "-N", str(n), "--repeat", str(repeat)]
        if steps:
            cmd += ["--steps", str(steps)]
        return self._value(cmd, self.dlntui_env, "steps_per_second")

    def numpy_rate(self, flow, d, n, steps, repeat):
        cmd = [self.python, BASELINE, "--flow", flow, "-d", str(d), "-N", str(n), "--repeat", str(repeat)]
        if steps:
            cmd += ["--steps", str(steps)]
        return self._value(cmd, self.numpy_env, "steps_per_second")

    def gemm(self, d, repeat):
        return self._value([self.dlntui, "bench", "--gemm", "-d", str(d), "--repeat", str(repeat)],
                           self.dlntui_env, "gemm_gflops")

    def numpy_gemm(self, d, repeat):
        return self._value([self.python, BASELINE, "--gemm", "-d", str(d), "--repeat", str(repeat)],
                           self.numpy_env, "gemm_gflops")

    def describe(self):
        """Which OpenBLAS each side loads and which kernel it runs, in the environment it runs in:
        dlntui's from `dlntui doctor` (after its own kernel choice, issue 13), numpy's from threadpoolctl."""
        try:
            out = subprocess.run([self.dlntui, "doctor"], env=self.dlntui_env, capture_output=True, text=True,
                                 timeout=60).stdout
            doc = dict(ln.split("=", 1) for ln in out.splitlines() if "=" in ln)
            mine = (f"kernel={doc.get('blas_kernel', '?')} ({doc.get('blas_kernel_choice', '?')}); "
                    f"{doc.get('blas_config', '?')}")
            self.dlntui_kernel = doc.get("blas_kernel", "?")
        except (OSError, subprocess.SubprocessError, ValueError):
            mine = "(dlntui doctor failed)"
            self.dlntui_kernel = "?"
        theirs = subprocess.run([self.python, BASELINE, "--blas-info"], env=self.numpy_env, capture_output=True,
                                text=True, timeout=120).stdout.strip()
        kernels = [ln.split("kernel=", 1)[1].split()[0] for ln in theirs.splitlines() if "kernel=" in ln]
        self.numpy_kernel = ",".join(kernels) or "?"
        return mine, theirs

    def check_flags(self):
        """`dlntui bench --flow F -d D -N N` must time that case and print one line."""
        out = subprocess.run([self.dlntui, "bench", "--flow", "upstairs", "-d", "4", "-N", "2", "--steps", "5",
                              "--repeat", "1"], env=self.dlntui_env, capture_output=True, text=True, timeout=120)
        lines = [ln for ln in out.stdout.strip().splitlines() if not ln.startswith("blas_kernel=")]
        if out.returncode != 0 or len(lines) != 1 or not lines[0].startswith("steps_per_second="):
            sys.exit("compare.py: `dlntui bench --flow upstairs -d 4 -N 2 --steps 5 --repeat 1` did not print one "
                     f"steps_per_second line (exit {out.returncode}, {len(lines)} lines): its --flow/-d/-N were not "
                     "applied (swift-argument-parser hands an option that the root command also declares to the "
                     "root). Fix dlntui before comparing.")


def main():
    ap = argparse.ArgumentParser(description="dlntui bench against bench/baseline.py, interleaved")
    ap.add_argument("--dlntui", default=os.path.join(ROOT, ".build", "release", "dlntui"))
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3, help="timed repeats inside each call (its median is used)")
    ap.add_argument("--seconds", type=float, default=0.3, help="target length of one timed repeat")
    ap.add_argument("--flows", default="upstairs,riemannian,langevin")
    ap.add_argument("--sizes", default="4,16,64,256")
    ap.add_argument("--depths", default="4,16")
    args = ap.parse_args()
    flows = args.flows.split(",")
    sizes = [int(x) for x in args.sizes.split(",")]
    depths = [int(x) for x in args.depths.split(",")]
    cases = [(f, n, d) for d in sizes for f in flows for n in depths]
    run = Runner(args.dlntui, args.python)
    start = time.time()
    load_start = load()

    print(f"# dlntui vs numpy: {cpu_model()}, {os.cpu_count()} cores; load average at start {' '.join(load_start)}")
    mine, theirs = run.describe()
    print(f"# dlntui's BLAS (dlntui doctor): {mine}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')} (left as they are for dlntui)")
    for line in theirs.splitlines():
        print(f"# numpy's BLAS (both variables removed for its commands): {line}")
    print(f"# {args.rounds} rounds, dlntui and numpy alternating (order flipped each round); each call: median of "
          f"{args.repeat} timed repeats of ~{args.seconds} s after warm-up; one BLAS thread on both sides")
    print("# ratio = dlntui steps/s / numpy steps/s (ratio of the medians over rounds; range = the per-round ratios)")
    print("# upstairs does 3(N-1) d x d products a step (N-1 for the prefix B_p, 2(N-1) for R_{p-1} and v_p), "
          "counted 2 d^3 flops each;")
    print("#   %dgemm = steps/s x 3(N-1) x 2 d^3 / bare product rate at d (`dlntui bench --gemm`: dlntui's own loop "
          "for d <= 8, cblas_dgemm above)")
    run.check_flags()

    # Calibration, discarded: one auto-sized repeat per side gives the steps for ~args.seconds a repeat.
    print("# calibrating --steps per case and side ...", flush=True)
    steps = {}
    for f, n, d in cases:
        a = run.dlntui_rate(f, d, n, None, 1)
        b = run.numpy_rate(f, d, n, None, 1)
        steps[(f, n, d)] = (max(3, round(args.seconds * a)), max(3, round(args.seconds * b)))

    rates = {c: ([], []) for c in cases}
    gemm = {d: [] for d in sizes}
    numpy_gemm = {d: [] for d in sizes}
    for r in range(args.rounds):
        print(f"# round {r + 1}/{args.rounds} (load {' '.join(load())})", flush=True)
        for d in sizes:
            gemm[d].append(run.gemm(d, args.repeat))
            numpy_gemm[d].append(run.numpy_gemm(d, args.repeat))
            for i, (f, n, dd) in enumerate(c for c in cases if c[2] == d):
                case = (f, n, dd)
                sa, sb = steps[case]
                order = ("dlntui", "numpy") if (r + i) % 2 == 0 else ("numpy", "dlntui")
                for side in order:
                    if side == "dlntui":
                        rates[case][0].append(run.dlntui_rate(f, d, n, sa, args.repeat))
                    else:
                        rates[case][1].append(run.numpy_rate(f, d, n, sb, args.repeat))
                print(f"  {f:10s} N={n:<2d} d={d:<3d} dlntui {rates[case][0][-1]:11.1f}  numpy "
                      f"{rates[case][1][-1]:10.1f}  ratio {rates[case][0][-1] / rates[case][1][-1]:6.2f}", flush=True)

    print()
    print("# bare d x d product rate (median over rounds), GFLOP/s, dlntui's / numpy's: " +
          ", ".join(f"d={d}: {statistics.median(gemm[d]):.2f} / {statistics.median(numpy_gemm[d]):.2f}"
                    for d in sizes))
    print("# %dgemm: upstairs flops rate over dlntui's bare product rate; numpy %: numpy's upstairs over numpy's")
    print(f"# {'flow':10s} {'N':>3s} {'d':>4s} {'steps/call':>13s} {'dlntui/s':>11s} {'numpy/s':>10s} {'ratio':>7s} "
          f"{'range':>13s} {'%dgemm':>7s} {'numpy %':>8s}")
    rows = []
    for f in flows:
        for n in depths:
            for d in sizes:
                case = (f, n, d)
                a = statistics.median(rates[case][0])
                b = statistics.median(rates[case][1])
                ratio = a / b
                paired = [x / y for x, y in zip(*rates[case])]
                frac = numpy_frac = None
                if products_per_step(f, n):
                    flops = products_per_step(f, n) * 2 * d ** 3
                    frac = a * flops / (statistics.median(gemm[d]) * 1e9)
                    numpy_frac = b * flops / (statistics.median(numpy_gemm[d]) * 1e9)
                t = target(f, n, d)
                met = (frac if t[0] == "gemm" else ratio) >= t[1]
                reached = f"{frac:.1%} of dgemm" if t[0] == "gemm" else f"{ratio:.2f}x"
                rows.append((f, n, d, a, b, ratio, t, met, reached, frac))
                sa, sb = steps[case]
                print(f"  {f:10s} {n:3d} {d:4d} {sa:6d}/{sb:<6d} {a:11.1f} {b:10.1f} {ratio:7.2f} "
                      f"{min(paired):6.2f}-{max(paired):<6.2f} {'' if frac is None else f'{frac:7.1%}'} "
                      f"{'' if numpy_frac is None else f'{numpy_frac:8.1%}'}")

    load_end = load()
    if run.kernels_seen != {run.dlntui_kernel}:
        print(f"# warning: dlntui's bench calls reported the kernels {sorted(run.kernels_seen)}, doctor {run.dlntui_kernel}")
    print()
    print(f"CPU: {cpu_model()}. BLAS kernel: dlntui {', '.join(sorted(run.kernels_seen)) or run.dlntui_kernel} "
          f"(Debian's OpenBLAS), numpy {run.numpy_kernel} (its bundled OpenBLAS).")
    print(f"Load average at start {' '.join(load_start)}, at end {' '.join(load_end)} "
          f"({os.cpu_count()} cores); {time.time() - start:.0f} s in all.")
    print()
    print("| flow | N | d | dlntui steps/s | numpy steps/s | ratio | target (issue 7) | reached | met? |")
    print("|---|---|---|---|---|---|---|---|---|")
    for f, n, d, a, b, ratio, t, met, reached, frac in rows:
        print(f"| {f} | {n} | {d} | {rate_text(a)} | {rate_text(b)} | {ratio:.2f} | {target_text(t)} | {reached} | "
              f"{'yes' if met else 'no'} |")
    missed = [r for r in rows if not r[7]]
    print()
    print(f"{len(rows) - len(missed)} of {len(rows)} targets met." +
          ("" if not missed else " Missed: " + "; ".join(f"{f} N={n} d={d} ({reached} < {target_text(t)})"
                                                       for f, n, d, _, _, _, t, _, reached, _ in missed) + "."))


if __name__ == "__main__":
    main()
