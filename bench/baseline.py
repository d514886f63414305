#!/usr/bin/env python3
"""The numpy baseline for `dlntui bench` (issue 7): the same fixed problem, the same step, one BLAS thread.

What a researcher would otherwise write: numpy only, vectorised, buffers allocated once and products
written into them with `out=`, the SVD from `np.linalg.svd` (LAPACK's dgesdd, as in dlntui).

The problem (Sources/DLNOutput/Bench.swift): matrix completion, E = 1/2 sum_S (W_ij - a_ij)^2 with a
rank-2 target A = G1 G2 / ||G1 G2||_2, exactly round(0.4 d^2) entries observed, a balanced start (5.16)
W_p = Q_p Sigma^(1/N) Q_{p-1}^T with sigma_k uniform in [0.5, 1.5] and Haar frames Q_0 ... Q_N, dt = 1e-3;
beta = inf upstairs, beta = 1e4 downstairs, kappa = 1 for langevin. The draws are numpy's, not dlntui's:
the problem is the same in distribution, and the work per step is the same operation for operation:

- upstairs (3.6): prefix B_p = W_p B_{p-1} (N-1 products), E'(W) = P_S(W - A) at W = B_N, suffix
  R_{p-1} = W_p^T R_p and v_p = -R_p B_{p-1}^T (2(N-1) products): 3(N-1) products a step;
- riemannian (4.11), free-energy (6.7), langevin (12.12): SVD of W, Lemma 1's C_kl, M = -C o (U^T E' V)
  plus diag(a Sigma' + b Sigma''), drift U M V^T (4 products); langevin synthesises the drift and the
  noise together, U (dt M + sqrt(2 kappa/beta) sqrt(C) o dB) V^T with dB ~ N(0, dt) (still 4 products);
- Euler-Maruyama: candidate = x + dt drift (+ noise), then one pass of sums of squares per part that
  refuses a non-finite step or one whose norm bound passes 1e100.

Usage:
  baseline.py --flow upstairs -d 64 -N 4 [--steps K] [--repeat R]   prints steps_per_second=<median>
  baseline.py --check [-d 16 -N 4 --steps 500]                        final energy of each flow
  baseline.py --gemm -d 64 [--repeat R]                                numpy's bare product rate
  baseline.py --blas-info                                             numpy's BLAS: library, kernel, threads
"""

import os

# One BLAS thread, fixed before numpy loads its OpenBLAS (the variables are read at load time only).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse
import math
import sys
import time

import numpy as np

try:
    import threadpoolctl
except ImportError:  # optional: without it the environment variables above are trusted
    threadpoolctl = None

FLOWS = ("upstairs", "riemannian", "free-energy", "langevin")
DT = 1e-3
DIVERGENCE_LOG_BOUND = math.log(1e100)  # EulerMaruyama.divergenceBound

np.seterr(divide="ignore", invalid="ignore")  # 0/0 on C_kl's diagonal is replaced by its limit N


def blas_info():
    """numpy's BLAS libraries as threadpoolctl sees them, or None without threadpoolctl."""
    if threadpoolctl is None:
        return None
    return [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]


def ensure_one_thread():
    info = blas_info()
    if info is None:
        return
    if any(i.get("num_threads") != 1 for i in info):
        threadpoolctl.threadpool_limits(1, user_api="blas")
        info = blas_info()
    bad = [i for i in info if i.get("num_threads") != 1]
    if bad:
        sys.exit(f"baseline.py: could not limit BLAS to one thread: {bad}")


# ---------------------------------------------------------------------------------------------- problem

class Problem:
    """Target A (rank min(2, d), spectral norm 1) and 0/1 mask with exactly round(0.4 d^2) ones."""

    def __init__(self, d, rng, rank=2, observed=0.4):
        r = min(rank, d)
        a = rng.standard_normal((d, r)) @ rng.standard_normal((r, d))
        self.target = a / np.linalg.norm(a, 2)
        count = min(d * d, max(1, int(round(observed * d * d))))
        mask = np.zeros(d * d)
        mask[rng.permutation(d * d)[:count]] = 1.0
        self.mask = mask.reshape(d, d)
        self.d = d

    def energy(self, w):
        r = self.mask * (w - self.target)
        return 0.5 * float(np.vdot(r, r))


def haar(d, rng):
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def balanced_factors(d, n, rng, scale=1.0):
    """(5.16): W_p = Q_p Lambda Q_{p-1}^T, Lambda = Sigma^(1/N); parts[p-1] = W_p, stacked (N, d, d)."""
    sigma = np.sort((0.5 + rng.random(d)) * scale)[::-1]
    lam = sigma ** (1.0 / n)
    q = [haar(d, rng) for _ in range(n + 1)]
    return np.stack([(q[p] * lam) @ q[p - 1].T for p in range(1, n + 1)])


def end_to_end(parts):
    w = parts[0].copy()
    for p in range(1, len(parts)):
        w = parts[p] @ w
    return w


# ------------------------------------------------------------------------------------------ Lemma 1

def lemma1_eigenvalues(s, n):
    """C_kl = s_hi^(2-2/N) expm1(-2a)/expm1(-2a/N) with a = |log s_k - log s_l| (4.14, MATH.md's closed
    form): no cancellation as s_k -> s_l (the ratio tends to N) and exact at s_lo = 0 (the ratio is 1).
    The ratio is smooth in a, so a as a difference of logs is as accurate as dlntui's log1p branch."""
    if n == 1:
        return np.ones((s.size, s.size))
    logs = np.log(s)
    a = np.abs(np.subtract.outer(logs, logs))
    ratio = np.expm1(-2.0 * a)
    ratio /= np.expm1((-2.0 / n) * a)
    ratio[a == 0] = n                                      # the limit s_l -> s_k, the diagonal included
    c = np.maximum.outer(s, s) ** (2.0 - 2.0 / n)
    c *= ratio
    if s[-1] == 0:                                         # s_k = s_l = 0: C = 0 (Lemma 1's limit)
        c[np.isnan(c)] = 0.0
    return c


def entropy_force(s, n):
    """Sigma'_kk = (N/2) s_k^(1-2/N) sum_{l != k} g(log s_k - log s_l) (12.8 in its stable form).
    Assumes every s_k > 0, as on the benchmark problem (dlntui also handles s_k = 0)."""
    if n == 1:
        return np.zeros_like(s)
    logs = np.log(s)
    t = np.subtract.outer(logs, logs)
    g = -2.0 / np.expm1(-2.0 * t) + (2.0 / n) / np.expm1(-2.0 * t / n)
    small = np.abs(t) < 1e-2
    ts = t[small]
    n2 = 1.0 / (n * n)
    g[small] = ((1 - 1 / n) + ts / 3 * (1 - n2) - ts ** 3 / 45 * (1 - n2 * n2)
                + 2 * ts ** 5 / 945 * (1 - n2 ** 3))
    np.fill_diagonal(g, 0.0)
    return 0.5 * n * s ** (1.0 - 2.0 / n) * g.sum(axis=1)


def ito_drift(s, n):
    """Sigma''_kk = (N-1) s_k^((N-2)/N) (12.9)."""
    return (n - 1) * s ** ((n - 2.0) / n) if n > 1 else np.zeros_like(s)


# -------------------------------------------------------------------------------------------- flows

class StepRefused(RuntimeError):
    pass


def accept(candidate):
    """Euler-Maruyama's check: per-part sums of squares finite, and prod ||part||_F <= 1e100."""
    squares = np.einsum("pij,pij->p", candidate, candidate)
    if not np.isfinite(squares).all():
        raise StepRefused("non-finite state")
    if 0.5 * np.log(squares).sum() > DIVERGENCE_LOG_BOUND:
        raise StepRefused("diverged")


class Upstairs:
    """Gradient flow of the N factors (3.6), beta = inf: no noise."""

    def __init__(self, problem, parts):
        self.a, self.mask = problem.target, problem.mask
        self.x = np.ascontiguousarray(parts)
        self.cand = np.empty_like(self.x)
        self.prefix = np.empty_like(self.x)      # prefix[p-1] = B_p = W_p ... W_1
        self.vel = np.empty_like(self.x)         # minus the drift: R_p B_{p-1}^T
        d = self.x.shape[1]
        self.r = np.empty((d, d))
        self.r_next = np.empty((d, d))

    def step(self):
        x, b, v, n = self.x, self.prefix, self.vel, self.x.shape[0]
        b[0] = x[0]
        for p in range(1, n):
            np.matmul(x[p], b[p - 1], out=b[p])
        r, r_next = self.r, self.r_next
        np.subtract(b[n - 1], self.a, out=r)     # R_N = E'(W) = P_S(W - A)
        r *= self.mask
        for p in range(n - 1, 0, -1):            # parts index p holds W_{p+1}
            np.matmul(r, b[p - 1].T, out=v[p])
            np.matmul(x[p].T, r, out=r_next)
            r, r_next = r_next, r
        v[0] = r
        np.multiply(v, -DT, out=self.cand)
        self.cand += x
        accept(self.cand)
        self.x, self.cand = self.cand, self.x

    def end_to_end(self):
        return end_to_end(self.x)


class Downstairs:
    """riemannian (4.11), free-energy (6.7) and langevin (12.12) in Lemma 1's frame."""

    def __init__(self, problem, w, flow, n, beta, kappa, rng):
        self.a, self.mask = problem.target, problem.mask
        self.n, self.rng = n, rng
        self.entropy_weight = 0.0 if flow == "riemannian" or math.isinf(beta) else 1.0 / beta
        self.ito_weight = kappa / beta if flow == "langevin" and not math.isinf(beta) else 0.0
        self.noisy = flow == "langevin" and not math.isinf(beta) and kappa > 0
        self.noise_scale = math.sqrt(2.0 * kappa / beta) if self.noisy else 0.0
        d = w.shape[0]
        self.x = w.reshape(1, d, d).copy()
        self.cand = np.empty_like(self.x)
        self.g = np.empty((d, d))
        self.tmp = np.empty((d, d))
        self.coords = np.empty((d, d))
        self.vel = np.empty((d, d))
        self.db = np.empty((d, d))
        self.diag = self.coords.reshape(-1)[:: d + 1]  # a writable view of coords' diagonal

    def step(self):
        w, tmp, m = self.x[0], self.tmp, self.coords
        u, s, vt = np.linalg.svd(w)                # dgesdd, full U and V^T
        c = lemma1_eigenvalues(s, self.n)
        np.subtract(w, self.a, out=self.g)        # E'(W)
        self.g *= self.mask
        np.matmul(u.T, self.g, out=tmp)           # U^T E' V
        np.matmul(tmp, vt.T, out=m)
        m *= c
        np.negative(m, out=m)
        if self.entropy_weight:
            self.diag += self.entropy_weight * entropy_force(s, self.n)
        if self.ito_weight:
            self.diag += self.ito_weight * ito_drift(s, self.n)
        cand = self.cand[0]
        if self.noisy:
            # dt M + c sqrt(C) o dB in the frame, then one synthesis, as dlntui does.
            self.rng.standard_normal(out=self.db)
            self.db *= np.sqrt(c)                 # sqrt(C) o dB
            self.db *= self.noise_scale * math.sqrt(DT)
            m *= DT
            m += self.db
            np.matmul(u, m, out=tmp)              # U (dt M + noise) V^T
            np.matmul(tmp, vt, out=self.vel)
            np.add(w, self.vel, out=cand)
        else:
            np.matmul(u, m, out=tmp)              # U M V^T
            np.matmul(tmp, vt, out=self.vel)
            np.multiply(self.vel, DT, out=cand)
            cand += w
        accept(self.cand)
        self.x, self.cand = self.cand, self.x

    def end_to_end(self):
        return self.x[0]


def make(flow, d, n, seed=1):
    """The benchmark problem and its start, with flow-dependent beta and kappa as in Bench.swift."""
    rng = np.random.default_rng(seed)
    problem = Problem(d, rng)
    parts = balanced_factors(d, n, rng)
    if flow == "upstairs":
        return problem, Upstairs(problem, parts)
    beta, kappa = 1e4, (1.0 if flow == "langevin" else 0.0)
    return problem, Downstairs(problem, end_to_end(parts), flow, n, beta, kappa, rng)


# ------------------------------------------------------------------------------------------ timing

def steps_per_second(flow, d, n, steps, repeats):
    _, integrator = make(flow, d, n)
    step = integrator.step
    # Warm-up as in Bench.swift: at least 5 steps and 0.05 s; it sizes a repeat to ~0.2 s if --steps is absent.
    start = time.perf_counter()
    warm = 0
    while warm < 5 or (time.perf_counter() - start < 0.05 and warm < 100_000):
        step()
        warm += 1
    per_step = (time.perf_counter() - start) / warm
    count = steps if steps else max(10, int(0.2 / max(per_step, 1e-9)))
    rates = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        for _ in range(count):
            step()
        rates.append(count / (time.perf_counter() - start))
    return float(np.median(rates))


def gemm_gigaflops(d, repeats):
    """numpy's bare d x d product rate (np.matmul into a preallocated result), 2 d^3 flops a product."""
    rng = np.random.default_rng(7)
    a, b, c = rng.standard_normal((d, d)), rng.standard_normal((d, d)), np.empty((d, d))
    count = 1
    while True:  # size each repeat to about 0.1 s
        start = time.perf_counter()
        for _ in range(count):
            np.matmul(a, b, out=c)
        elapsed = time.perf_counter() - start
        if elapsed > 0.05 or count > 1 << 26:
            count = max(1, int(count * 0.1 / elapsed))
            break
        count *= 4
    rates = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        for _ in range(count):
            np.matmul(a, b, out=c)
        rates.append(2.0 * d ** 3 * count / (time.perf_counter() - start) / 1e9)
    return float(np.median(rates))


def check(d, n, steps):
    """A few hundred steps of every flow from the same start: energies that a reader can compare with
    `dlntui run` on the same kind of problem (the draws differ, so only the order of magnitude should)."""
    print(f"# baseline.py --check: completion d={d} N={n} dt={DT} steps={steps}, same start for every flow")
    print(f"# compare: dlntui run --energy completion --flow F -d {d} -N {n} --init balanced --init-scale 1 "
          f"--observed 0.4 --target-rank 2 --dt {DT} --beta B --kappa K --steps {steps} --every {steps}")
    final = {}
    for flow in FLOWS:
        problem, integrator = make(flow, d, n)
        e0 = problem.energy(integrator.end_to_end())
        for _ in range(steps):
            integrator.step()
        w = final[flow] = integrator.end_to_end().copy()
        s = np.linalg.svd(w, compute_uv=False)
        print(f"{flow:12s} energy {e0:.6g} -> {problem.energy(w):.6g}   sigma_1,2 {s[0]:.4f} {s[1]:.4f}")
    # From a balanced start the factors' flow and the Riemannian flow move W alike (Theorem 5):
    # their end-to-end matrices differ only by the two Euler schemes' O(dt) errors.
    up, down = final["upstairs"], final["riemannian"]
    print(f"# ||W_upstairs - W_riemannian||_F / ||W||_F = {np.linalg.norm(up - down) / np.linalg.norm(up):.2e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--flow", choices=FLOWS)
    ap.add_argument("-d", type=int, default=16)
    ap.add_argument("-N", type=int, default=4)
    ap.add_argument("--steps", type=int, default=None, help="steps per timed repeat (default ~0.2 s)")
    ap.add_argument("--repeat", type=int, default=5, help="timed repeats; the median is printed")
    ap.add_argument("--check", action="store_true", help="run every flow and print final energies")
    ap.add_argument("--blas-info", action="store_true", help="print numpy's BLAS as threadpoolctl sees it")
    ap.add_argument("--gemm", action="store_true", help="print numpy's bare d x d product rate: gemm_gflops=<median>")
    args = ap.parse_args()
    if args.d < 1 or args.N < 1 or (args.steps is not None and args.steps < 1) or args.repeat < 1:
        ap.error("-d, -N, --steps and --repeat must be positive")
    ensure_one_thread()
    if args.blas_info:
        info = blas_info()
        if info is None:
            print("threadpoolctl not installed; OPENBLAS_NUM_THREADS=1 trusted")
        for i in info or []:
            print(f"{i.get('internal_api')} {i.get('version')} kernel={i.get('architecture')} "
                  f"threads={i.get('num_threads')} {os.path.basename(i.get('filepath', ''))}")
        print(f"numpy {np.__version__}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')} "
              f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}")
        return
    if args.gemm:
        print(f"gemm_gflops={gemm_gigaflops(args.d, args.repeat)}")
        return
    if args.check:
        check(args.d, args.N, args.steps or 500)
        return
    if args.flow is None:
        ap.error("--flow is required (or --check / --gemm / --blas-info)")
    rate = steps_per_second(args.flow, args.d, args.N, args.steps, args.repeat)
    print(f"steps_per_second={rate}")


if __name__ == "__main__":
    main()
