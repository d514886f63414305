#!/usr/bin/env python3
"""Accuracy versus cost (issue 17): error at t_end against a tight reference, vector-field evaluations
and wall time, for each dlntui integrator at a few step sizes / tolerances, beside scipy's solve_ivp
(RK45 and DOP853) integrating the same flow from the same start in the same run, one BLAS thread.

Problems:
  d12   today's completion problem: d = 12, rank-3 target, half of the entries observed, small start
        (scale 1e-5), N = 3, the riemannian flow (4.11) to t = 600 (past its third rank jump). Made by
        dlntui (seed 1) and passed back with --target, --mask, --initial.
  arora the case of Arora, Cohen, Hu and Luo 2019: completion, d = 100, a rank-5 target scaled to
        Frobenius norm 100, 2,000 observed entries, depth 3, the upstairs gradient flow (3.6) from a
        Gaussian start whose end-to-end matrix has Frobenius norm about 1e-3 sqrt(100), factorised in
        balance (--initial; Theorem 2: the end-to-end curve is the one of any balanced factors), to
        t = 4 (rank 5 from t = 2, E = 7e-3).
        Drawn here with numpy (seed 1) and passed to dlntui as CSV files.

The reference is dlntui's dopri5 at rtol 1e-12, atol 1e-16 (the riemannian flow stepped in its
balanced factors, --lift balanced); scipy's DOP853 at rtol 1e-12 is printed beside it as an
independent check. The error is the largest relative error of the singular values of W(t_end) above
the rank tolerance (1e-2 sigma_1). Times: "process s" is dlntui's whole process (start-up, reading the
CSV files, the integration, writing one row); "integration s" is the integration alone, timed in the
process by `dlntui bench --until-time` (median of repeats, setup outside the timer), as scipy's is
solve_ivp alone (median of the same number of repeats). The summary matches each scipy RK45 row with
the cheapest row of dlntui's default integrator (dopri5; the riemannian flow lifted) at equal or
better error.

Usage: accuracy.py --dlntui .build/release/dlntui [--problem d12|arora|both] [--quick]
"""

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from baseline import blas_info, lemma1_eigenvalues  # noqa: E402

try:
    from scipy.integrate import solve_ivp
except ImportError:
    solve_ivp = None

N = 3


def write_csv(path, m):
    np.savetxt(path, m, delimiter=",", fmt="%.17g")


def read_csv(path):
    return np.loadtxt(path, delimiter=",", ndmin=2)


def make_d12(dlntui, folder):
    """dlntui's own draw of today's completion problem and its start W0."""
    subprocess.run([dlntui, "run", "--preset", "completion", "-d", "12", "--target-rank", "3", "--observed", "0.5",
                    "--init-scale", "1e-5", "-N", "3", "--seed", "1", "--steps", "0", "--save-problem", folder,
                    "--final-matrix", folder + "/w0.csv"], check=True, capture_output=True)
    return dict(name="d12", flow="riemannian", t_end=600.0, folder=folder)


def make_arora(folder, seed=1):
    rng = np.random.default_rng(seed)
    d, r = 100, 5
    a = rng.standard_normal((d, r)) @ rng.standard_normal((r, d))
    a *= 100 / np.linalg.norm(a)
    mask = np.zeros(d * d)
    mask[rng.choice(d * d, 2000, replace=False)] = 1
    mask = mask.reshape(d, d)
    scale = 1e-3
    w0 = np.eye(d)
    for _ in range(N):
        w0 = (rng.standard_normal((d, d)) * scale ** (1 / N) / np.sqrt(d)) @ w0
    write_csv(folder + "/target.csv", a)
    write_csv(folder + "/mask.csv", mask)
    write_csv(folder + "/w0.csv", w0)
    return dict(name="arora", flow="upstairs", t_end=4.0, folder=folder)


# ------------------------------------------------------------------------------------------ dlntui

def bench_dlntui(dlntui, problem, integrator, extra, flow=None, repeats=5):
    """The integration alone, timed inside dlntui (`bench --until-time`): median seconds and sigma."""
    f = problem["folder"]
    args = [dlntui, "bench", "--flow", flow or problem["flow"], "-N", str(N), "--target", f + "/target.csv",
            "--mask", f + "/mask.csv", "--initial", f + "/w0.csv", "--until-time", repr(problem["t_end"]),
            "--integrator", integrator, "--repeat", str(repeats)] + extra
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        return None
    out = dict(l.split("=", 1) for l in r.stdout.split() if "=" in l)
    return dict(seconds=float(out["integration_seconds"]), evaluations=int(out["evaluations"]),
                sigma=np.array([float(x) for x in out["sigma"].split(",")]))


def run_dlntui(dlntui, problem, integrator, extra, flow=None):
    f = problem["folder"]
    out = tempfile.mktemp(dir=f, suffix=".csv")
    args = [dlntui, "run", "--flow", flow or problem["flow"], "-N", str(N), "--target", f + "/target.csv",
            "--mask", f + "/mask.csv", "--initial", f + "/w0.csv", "--until-time", repr(problem["t_end"]),
            "--every-time", repr(problem["t_end"]), "--integrator", integrator, "--output", out,
            "--final-matrix", out + ".w.csv"] + extra
    start = time.perf_counter()
    r = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if r.returncode != 0:
        return None
    side = json.load(open(out + ".json"))
    return dict(w=read_csv(out + ".w.csv"), evaluations=side["evaluations"], steps=side["steps_done"],
                rejected=side["rejected_steps"], wall=wall)


# ------------------------------------------------------------------------------------------ scipy

def riemannian_field(a, mask):
    """(4.11) in Lemma 1's frame: dW/dt = -U (C o U^T E'(W) V) V^T, E'(W) = P_S(W - A)."""
    d = a.shape[0]

    def f(_t, y):
        w = y.reshape(d, d)
        u, s, vt = np.linalg.svd(w)
        m = (u.T @ ((w - a) * mask) @ vt.T) * lemma1_eigenvalues(s, N)
        return -(u @ m @ vt).ravel()

    return f, lambda w0: w0.ravel().copy(), lambda y: y.reshape(d, d)


def upstairs_field(a, mask):
    """(3.6): dW_p/dt = -W_{p+1}^T ... W_N^T E'(W) W_1^T ... W_{p-1}^T, factors stacked in y."""
    d = a.shape[0]

    def f(_t, y):
        x = y.reshape(N, d, d)
        prefix = [x[0]]
        for p in range(1, N):
            prefix.append(x[p] @ prefix[-1])
        r = (prefix[-1] - a) * mask
        v = np.empty_like(x)
        for p in range(N - 1, 0, -1):
            v[p] = r @ prefix[p - 1].T
            r = x[p].T @ r
        v[0] = r
        return -v.ravel()

    def start(w0):
        # Balanced factors of W0 = U S V^T: W_1 = S^(1/N) V^T, W_p = S^(1/N), W_N = U S^(1/N).
        u, s, vt = np.linalg.svd(w0)
        root = s ** (1 / N)
        parts = [root[:, None] * vt] + [np.diag(root) for _ in range(N - 2)] + [u * root]
        return np.stack(parts).ravel()

    def end_to_end(y):
        x = y.reshape(N, d, d)
        w = x[0]
        for p in range(1, N):
            w = x[p] @ w
        return w

    return f, start, end_to_end


def run_scipy(problem, method, rtol, atol, repeats=1):
    f = problem["folder"]
    a, mask, w0 = read_csv(f + "/target.csv"), read_csv(f + "/mask.csv"), read_csv(f + "/w0.csv")
    field, start, end_to_end = (riemannian_field if problem["flow"] == "riemannian" else upstairs_field)(a, mask)
    y0 = start(w0)
    walls = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sol = solve_ivp(field, (0, problem["t_end"]), y0, method=method, rtol=rtol, atol=atol, t_eval=[problem["t_end"]])
        walls.append(time.perf_counter() - t0)
        if not sol.success:
            return None
    return dict(w=end_to_end(sol.y[:, -1]), evaluations=sol.nfev, steps=None, rejected=None, wall=float(np.median(walls)),
                inprocess=float(np.median(walls)))


# ------------------------------------------------------------------------------------------ table

def error(w, reference):
    s = w if w.ndim == 1 else np.linalg.svd(w, compute_uv=False)
    ref = np.linalg.svd(reference, compute_uv=False)
    keep = ref > 1e-2 * ref[0]
    return float(np.max(np.abs(s[keep] - ref[keep]) / ref[keep]))


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return cpu


def table(dlntui, problem, quick):
    lifted = ["--lift", "balanced"] if problem["flow"] == "riemannian" else []
    reference = run_dlntui(dlntui, problem, "dopri5", ["--rtol", "1e-12", "--atol", "1e-16"] + lifted)
    ref_w = reference["w"]
    ranks = int(np.sum(np.linalg.svd(ref_w, compute_uv=False) > 1e-2 * np.linalg.norm(ref_w, 2)))
    print(f"\n### {problem['name']}: {problem['flow']} flow, t_end = {problem['t_end']:g}, final rank {ranks}")
    print(f"reference: dlntui dopri5 rtol 1e-12, atol 1e-16{' (balanced factors)' if lifted else ''} "
          f"({reference['evaluations']} evaluations, {reference['wall']:.2f} s)")
    if solve_ivp is not None and not quick:
        check = run_scipy(problem, "DOP853", 1e-12, 1e-16)
        if check is not None:
            print(f"scipy DOP853 rtol 1e-12 against it: {error(check['w'], ref_w):.1e} ({check['evaluations']} evaluations, {check['wall']:.2f} s)")
    if lifted and not quick:
        check = run_dlntui(dlntui, problem, "dopri5", ["--rtol", "1e-12", "--atol", "1e-16", "--lift", "none"])
        if check is not None:
            print(f"dlntui dopri5 rtol 1e-12 stepping W itself against it: {error(check['w'], ref_w):.1e} ({check['evaluations']} evaluations)")
    print()
    print("| integrator | setting | error at t_end | evaluations | accepted / rejected | process s | integration s |")
    print("|---|---|---|---|---|---|---|")
    if problem["name"] == "d12":
        fixed = [0.1, 0.01, 0.001] if not quick else [0.1]
        fixed_high = [0.1, 0.01]
    else:
        # Euler is stable below about 2 / (N sigma_1^(2-2/N)) = 3.6e-3 at sigma_1 = 56.
        fixed = [1e-3, 5e-4, 2.5e-4] if not quick else [1e-3]
        fixed_high = [1e-3, 5e-4] if not quick else [1e-3]
    tolerances = [(1e-4, 1e-8), (1e-6, 1e-10), (1e-8, 1e-12)] if not quick else [(1e-6, 1e-10)]
    # The default integrator also at every decade between (and one looser): "at equal accuracy"
    # matches a scipy row with the cheapest of these that is as accurate, not only the same rtol.
    decades = [(10.0 ** -k, 10.0 ** -(k + 4)) for k in range(3, 9)] if not quick else tolerances
    # (name, setting, integrator, flags, default?): what dlntui runs, in the process and in bench.
    plan = []
    for dt in fixed:
        plan.append(("dlntui euler", f"dt {dt:g}", "euler", ["--dt", repr(dt)], False))
    for method in ("heun", "rk4"):
        for dt in fixed_high:
            plan.append((f"dlntui {method}" + (", balanced factors" if lifted else ""), f"dt {dt:g}", method, ["--dt", repr(dt)], False))
    for rtol, atol in decades:
        tol = ["--rtol", repr(rtol), "--atol", repr(atol)]
        if lifted and (rtol, atol) in tolerances:
            plan.append(("dlntui dopri5, W itself (--lift none)", f"rtol {rtol:g}, atol {atol:g}", "dopri5", tol + ["--lift", "none"], False))
        plan.append(("dlntui dopri5" + (", balanced factors (default)" if lifted else ""), f"rtol {rtol:g}, atol {atol:g}", "dopri5", tol, True))
    rows = []
    for name, setting, integrator, flags, default in plan:
        r = run_dlntui(dlntui, problem, integrator, flags)
        if r is not None:
            # Slow rows (seconds each) are timed fewer times.
            b = bench_dlntui(dlntui, problem, integrator, flags, repeats=5 if r["wall"] < 1 else 1)
            r["inprocess"] = None if b is None else b["seconds"]
            r["default"] = default
        rows.append((name, setting, r))
    if solve_ivp is not None:
        for method in ("RK45", "DOP853"):
            for rtol, atol in tolerances:
                rows.append((f"scipy {method}", f"rtol {rtol:g}, atol {atol:g}", run_scipy(problem, method, rtol, atol, repeats=3)))
    for name, setting, r in rows:
        if r is None:
            print(f"| {name} | {setting} | failed | | | | |")
            continue
        r["error"] = error(r["w"], ref_w)
        steps = "" if r["steps"] is None else f"{r['steps']} / {r['rejected']}"
        process = "" if name.startswith("scipy") else f"{r['wall']:.3f}"
        inproc = "" if r.get("inprocess") is None else f"{r['inprocess']:.4f}"
        print(f"| {name} | {setting} | {r['error']:.1e} | {r['evaluations']} | {steps} | {process} | {inproc} |")
    # Equal or better accuracy: each scipy RK45 row against the cheapest default dlntui row that is as accurate.
    print()
    ours = [r for n, _, r in rows if r is not None and r.get("default") and r.get("inprocess")]
    for name, setting, r in rows:
        if r is None or name != "scipy RK45":
            continue
        match = [o for o in ours if o["error"] <= r["error"]]
        if not match:
            print(f"- scipy RK45 {setting} (error {r['error']:.1e}): no default dlntui row as accurate")
            continue
        best = min(match, key=lambda o: o["inprocess"])
        print(f"- scipy RK45 {setting} (error {r['error']:.1e}, {r['evaluations']} evaluations, {r['inprocess']:.4f} s): "
              f"dlntui dopri5 at error {best['error']:.1e} in {best['evaluations']} evaluations, {best['inprocess']:.4f} s: "
              f"{r['inprocess'] / best['inprocess']:.1f}x faster, {r['evaluations'] / best['evaluations']:.2f}x fewer evaluations")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dlntui", default=".build/release/dlntui")
    parser.add_argument("--problem", choices=["d12", "arora", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="one setting per integrator (a smoke test)")
    args = parser.parse_args()
    kernel = subprocess.run([args.dlntui, "bench", "--gemm", "-d", "8", "--repeat", "1"], capture_output=True, text=True).stdout
    kernel = next((l.split("=", 1)[1] for l in kernel.splitlines() if l.startswith("blas_kernel=")), "unknown")
    import scipy
    print(f"machine: {machine()}, dlntui's OpenBLAS kernel {kernel}, one thread; numpy {np.__version__}, "
          f"scipy {scipy.__version__}; numpy's BLAS: {blas_info() or 'unknown (no threadpoolctl)'}")
    with tempfile.TemporaryDirectory() as root:
        problems = []
        if args.problem in ("d12", "both"):
            os.makedirs(root + "/d12")
            problems.append(make_d12(args.dlntui, root + "/d12"))
        if args.problem in ("arora", "both"):
            os.makedirs(root + "/arora")
            problems.append(make_arora(root + "/arora"))
        for p in problems:
            table(args.dlntui, p, args.quick)


if __name__ == "__main__":
    main()
