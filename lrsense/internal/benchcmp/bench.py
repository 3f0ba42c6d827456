"""numpy + OpenBLAS side of benchcmp: the same GD iteration as lrsense.

Reads commands from stdin, one per line, and answers each with one JSON line:
  setup NAME SYM N R M SEED   builds the problem (full m x n^2 operator)
  run NAME ITERS              times ITERS GD iterations, returns seconds
  info                        numpy version and the BLAS library loaded
"""
import json
import sys
import time

import numpy as np

problems = {}


def gaussian_rows(rng, m, n1, n2, sym):
    """The m x (n1 n2) matrix of vec(A_i)/sqrt(m), drawn 100 rows at a time."""
    a = np.empty((m, n1 * n2))
    s = 1 / np.sqrt(m)
    for lo in range(0, m, 100):
        hi = min(m, lo + 100)
        g = rng.standard_normal((hi - lo, n1, n2))
        if sym:
            g = (g + g.transpose(0, 2, 1)) / 2
        a[lo:hi] = s * g.reshape(hi - lo, n1 * n2)
    return a


def setup(name, sym, n, r, m, seed):
    rng = np.random.default_rng(seed)
    a = gaussian_rows(rng, m, n, n, sym)
    sigma = np.array([1.0, 2 ** -0.5, 0.5])
    q1, _ = np.linalg.qr(rng.standard_normal((n, 3)))
    if sym:
        truth = q1 @ np.diag(sigma) @ q1.T
        f = {"U": 0.1 / np.sqrt(n) * rng.standard_normal((n, r))}
    else:
        q2, _ = np.linalg.qr(rng.standard_normal((n, 3)))
        truth = q1 @ np.diag(sigma) @ q2.T
        f = {"L": 0.1 / np.sqrt(n) * rng.standard_normal((n, r)),
             "R": 0.1 / np.sqrt(n) * rng.standard_normal((n, r))}
    y = a @ truth.ravel()
    problems[name] = dict(sym=sym, n=n, a=a, y=y, f=f, eta=0.1)
    return {"bytes": a.nbytes}


def gd_sym(p):
    """U <- U - eta sym(A*(A(UU^T) - y)) U, with the loss and gradient norm."""
    a, y, u, n = p["a"], p["y"], p["f"]["U"], p["n"]
    x = u @ u.T
    r = a @ x.ravel() - y
    g = (a.T @ r).reshape(n, n)
    grad = 0.5 * (g + g.T) @ u
    loss = r @ r / 4
    gnorm = np.linalg.norm(grad)
    u -= p["eta"] * grad
    return loss, gnorm


def gd_asym(p):
    """L <- L - eta G R, R <- R - eta G^T L, G = A*(A(LR^T) - y)."""
    a, y, l, rr, n = p["a"], p["y"], p["f"]["L"], p["f"]["R"], p["n"]
    x = l @ rr.T
    r = a @ x.ravel() - y
    g = (a.T @ r).reshape(n, n)
    gl = g @ rr
    gr = g.T @ l
    loss = r @ r / 2
    gnorm = np.sqrt(np.sum(gl * gl) + np.sum(gr * gr))
    l -= p["eta"] * gl
    rr -= p["eta"] * gr
    return loss, gnorm


def run(name, iters):
    p = problems[name]
    step = gd_sym if p["sym"] else gd_asym
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        step(p)
        times.append(time.perf_counter() - t0)
    return {"times": times}


def info():
    blas = sorted({line.split()[-1] for line in open("/proc/self/maps")
                   if "blas" in line or "lapack" in line})
    return {"numpy": np.__version__, "libs": blas}


for line in sys.stdin:
    f = line.split()
    if not f:
        continue
    if f[0] == "setup":
        out = setup(f[1], f[2] == "1", int(f[3]), int(f[4]), int(f[5]), int(f[6]))
    elif f[0] == "run":
        out = run(f[1], int(f[2]))
    elif f[0] == "info":
        out = info()
    else:
        out = {"error": "unknown command " + f[0]}
    print(json.dumps(out), flush=True)
