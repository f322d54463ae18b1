"""Reference timings for bench/knnshapes, run on the .npy files the Go
benchmark writes, and printed as one JSON object.

  reference.py knn FILE.npy REPS K [M]
      sklearn NearestNeighbors(algorithm='auto', n_neighbors=K).kneighbors()
      (float64) and FAISS IndexFlatL2 (float32, K+1 searched, the point itself
      dropped) on the points of FILE; with M, only the first M points are
      queried and the times are scaled to all of them.
  reference.py id FILE.npy REPS [EST,EST...]
      the intrinsic-dimension estimators on the points of FILE, computed as
      scikit-dimension 0.3 (and DADApy for GRIDE) computes them: neighbours
      from sklearn NearestNeighbors with its default algorithm, then the
      estimator's formula.

Written for this benchmark from the estimators' definitions (read in
skdim's and DADApy's sources, not copied). Where skdim loops in Python
over pairs (ESS's determinants, DANCo's angles) the reference is
vectorised with numpy, which makes it faster than skdim, never slower.
"""
import gc
import json
import os
import sys
import time

import numpy as np
import scipy
import sklearn
from scipy.optimize import minimize
from scipy.spatial.distance import pdist, squareform
from scipy.special import digamma, i0, i1, lambertw
from scipy.interpolate import interp1d
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression
from sklearn.metrics import pairwise_distances_chunked
from sklearn.neighbors import NearestNeighbors


def best_of(reps, f):
    """Best wall time and best CPU time (all threads) of reps runs, and the
    last result."""
    best, cpu, out = float("inf"), float("inf"), None
    for _ in range(reps):
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        out = f()
        best = min(best, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return (best, cpu), out


def get_nn(X, k):
    """skdim's get_nn: default NearestNeighbors (auto, n_jobs=None)."""
    nn = NearestNeighbors(n_neighbors=k).fit(X)
    return nn.kneighbors(return_distance=True)


# --- estimators ---------------------------------------------------------


def twonn(X, discard=0.1):
    d, _ = get_nn(X, 2)
    mu = d[:, 1] / d[:, 0]
    n = len(X)
    m = int(n * (1 - discard))
    mu = mu[np.argsort(mu)[:m]]
    f = np.arange(m) / n
    lr = LinearRegression(fit_intercept=False)
    lr.fit(np.log(mu).reshape(-1, 1), -np.log(1 - f).reshape(-1, 1))
    return float(lr.coef_[0][0])


def mle(X, k=20):
    d, _ = get_nn(X, k)
    # Levina-Bickel (skdim Haro, no noise): (k-1) / sum log(r_k / r_j)
    pw = (k - 1) / np.log(d[:, -1:] / d[:, :-1]).sum(axis=1)
    return float(1 / np.mean(1 / pw))


def mom(X, k=100):
    d, _ = get_nn(X, k)
    m1 = d.sum(axis=1) / k
    return float(np.mean(-m1 / (m1 - d[:, -1])))


def tle_one(nn, dists, eps):
    # skdim's per-point Python computation on the k x k neighbour distances.
    r = dists[0, -1]
    k = dists.shape[1]
    V = squareform(pdist(nn))
    Di = np.tile(dists.T, (1, k))
    Dj = Di.T
    Z2 = 2 * Di**2 + 2 * Dj**2 - V**2
    with np.errstate(divide="ignore", invalid="ignore"):
        S = r * (np.sqrt((Di**2 + V**2 - Dj**2) ** 2 + 4 * V**2 * (r**2 - Di**2)) - (Di**2 + V**2 - Dj**2)) / (2 * (r**2 - Di**2))
        T = r * (np.sqrt((Di**2 + Z2 - Dj**2) ** 2 + 4 * Z2 * (r**2 - Di**2)) - (Di**2 + Z2 - Dj**2)) / (2 * (r**2 - Di**2))
        Dr = (dists == r).squeeze()
        S[Dr, :] = r * V[Dr, :] ** 2 / (r**2 + V[Dr, :] ** 2 - Dj[Dr, :] ** 2)
        T[Dr, :] = r * Z2[Dr, :] / (r**2 + Z2[Dr, :] - Dj[Dr, :] ** 2)
        Di0 = (Di == 0).squeeze()
        T[Di0], S[Di0] = Dj[Di0], Dj[Di0]
        Dj0 = (Dj == 0).squeeze()
        T[Dj0] = r * V[Dj0] / (r + V[Dj0])
        S[Dj0] = r * V[Dj0] / (r + V[Dj0])
        V0 = V == 0
        np.fill_diagonal(V0, False)
        T[V0], S[V0] = r, r
        nV0 = np.sum(V0)
        TS = (T < eps) | (S < eps)
        np.fill_diagonal(TS, 0)
        nTS = np.sum(TS)
        T[TS], S[TS] = r, r
        T, S = np.log(T / r), np.log(S / r)
        np.fill_diagonal(T, 0)
        np.fill_diagonal(S, 0)
        nD = int(np.sum(dists < eps))
        s2 = np.sum(np.log(dists[nD:] / r))
        return -2 * (k**2 - nTS - nD - nV0) / (np.sum(T) + np.sum(S) + 2 * s2)


def tle(X, k=20, eps=1e-4):
    d, i = get_nn(X, k)
    return float(np.mean([tle_one(X[i[p]], d[[p], :], eps) for p in range(len(X))]))


def mada(X, k=20):
    # skdim sorts the full distance matrix; the k-NN distances give the
    # same r_k and r_{k/2}, faster.
    d, _ = get_nn(X, k)
    return float(np.mean(np.log(2) / np.log(d[:, k - 1] / d[:, k // 2 - 1])))


def mind_lld(d, rhos, k, n):
    return n * np.log(k * d) + (d - 1) * np.sum(np.log(rhos)) + (k - 1) * np.sum(np.log(1 - rhos**d))


def mind_mlk(rhos, k, D):
    n = len(rhos)
    dinit = int(np.argmax([mind_lld(d, rhos, k, n) for d in range(1, D + 1)])) + 1

    def nll(d):
        return -mind_lld(d[0], rhos, k, n)

    def grad(d):
        d = d[0]
        return -np.array([n / d + np.sum(np.log(rhos) - (k - 1) * rhos**d * np.log(rhos) / (1 - rhos**d))])

    return float(minimize(nll, np.array([dinit]), jac=grad, method="L-BFGS-B", bounds=[(1e-6, D)]).x[0])


def mind_ml(X, k=20, D=10):
    d, _ = get_nn(X, k + 1)
    return mind_mlk(d[:, 0] / d[:, -1], k, D)


def corrint(X, k1=10, k2=20):
    d, _ = get_nn(X, k2)
    r1, r2 = np.median(d[:, k1 - 1]), np.median(d[:, k2 - 1])
    s1 = s2 = -len(X)
    for chunk in pairwise_distances_chunked(X):
        s1 += (chunk < r1).sum()
        s2 += (chunk < r2).sum()
    n2 = len(X) ** 2
    return float(np.log((s2 / n2) / (s1 / n2)) / np.log(r2 / r1))


def gride(X, range_max=64, d0=1e-3, d1=1000, eps=1e-7):
    # DADApy: neighbours up to range_max, ratios r_2n / r_n, maximum
    # likelihood by bisection of the likelihood's derivative (last scale).
    steps = int(np.log2(min(range_max, len(X) - 1)))
    kmax = 2**steps
    d, _ = get_nn(X, kmax)
    n1, n2 = kmax // 2, kmax
    mus = d[:, n2 - 1] / d[:, n1 - 1]
    mus[mus == 1] += 10 * np.finfo(float).eps
    q95, q50 = np.percentile(mus, 95), np.percentile(mus, 50)
    mus = mus[mus < 20 * (q95 - q50) + q50]
    N = len(mus)
    lm = np.log(mus)

    def neg_deriv(dd):
        o = np.maximum(1 - mus ** (-dd), 2 * eps)
        return np.sum(((1 - n2 + n1) / o + n2 - 1) * lm) - (N - 1) / dd

    l1 = neg_deriv(d1)
    while abs(d0 - d1) > eps:
        d2 = (d0 + d1) / 2
        if neg_deriv(d2) * l1 > 0:
            d1 = d2
        else:
            d0 = d2
    return float((d0 + d1) / 2)


def lpca(X, alpha=0.05):
    ev = PCA().fit(X).explained_variance_
    return float(np.sum(ev > alpha * ev[0]))


def ess_reference(maxdim):
    # Expected ESS (version a, d = 1) of uniform data, dimensions 1..maxdim.
    from scipy.special import gamma
    f1 = np.zeros(maxdim)
    f2 = np.zeros(maxdim)
    for start in (1, 2):
        c = gamma(start / 2) / gamma((start + 1) / 2)
        for j in range(start, maxdim + 1, 2):
            f1[j - 1] = c
            c *= j / (j + 1)
    for start in (2, 3):
        c = gamma(start / 2) / gamma((start - 1) / 2)
        for j in range(start, maxdim + 1, 2):
            f2[j - 1] = c
            c *= j / (j - 1)
    return f1 * f2


def ess_dim(v):
    mindim, maxdim = 1, 20
    ref = ess_reference(maxdim)
    while v > ref[maxdim - 1]:
        mindim, maxdim = maxdim + 1, 2 * (maxdim - 1)
        ref = ess_reference(maxdim)
    i = int(np.searchsorted(ref[mindim - 1:maxdim], v, side="right"))
    de = mindim + i - 1
    return de + (v - ref[de - 1]) / (ref[de] - ref[de - 1])


def ess(X, k=100):
    # skdim computes one 2x2 determinant per pair of centred neighbours in
    # a Python loop; here the Gram matrix of each neighbourhood gives them
    # all at once (same value, about 100x faster).
    _, idx = get_nn(X, k)
    iu = np.triu_indices(k, 1)
    out = np.empty(len(X))
    for p in range(len(X)):
        V = X[idx[p]] - X[idx[p]].mean(axis=0)
        G = V @ V.T
        dg = np.diag(G)
        vol = np.sqrt(np.abs(np.outer(dg, dg) - G**2))[iu].sum()
        w = np.sqrt(np.outer(dg, dg))[iu].sum()
        out[p] = ess_dim(vol / w)
    return float(np.mean(out))


def fishers(X, cond=10):
    Xc = X - X.mean(axis=0)
    pca = PCA()
    u = pca.fit_transform(Xc)
    s = pca.explained_variance_
    ind = np.where(s / s[0] > 1 / cond)[0]
    Y = u[:, ind] / np.std(u[:, ind], axis=0, ddof=1)
    Y = Y / np.sqrt((Y**2).sum(axis=1))[:, None]
    alphas = np.arange(0.6, 1, 0.02)
    n = len(Y)
    leng = (Y**2).sum(axis=1)
    counts = np.zeros(len(alphas))
    for a0 in range(0, n, 2000):
        xy = Y[a0:a0 + 2000] @ Y.T / leng[a0:a0 + 2000, None]
        xy[np.arange(len(xy)), np.arange(a0, a0 + len(xy))] = -np.inf
        v = np.sort(xy.ravel())
        counts += len(v) - np.searchsorted(v, alphas, side="left")
    py = counts / n / n
    dims = np.full(len(alphas), np.nan)
    for i, (a, p) in enumerate(zip(alphas, py)):
        if p > 0:
            a2 = a * a
            w = np.log(1 - a2)
            dims[i] = np.real(lambertw(-(w / (2 * np.pi * p * p * a2 * (1 - a2))))) / -w
    dims[np.isinf(dims)] = np.nan
    ok = ~np.isnan(dims)
    ref = 0.9 * alphas[ok].max()
    j = np.where(np.abs(alphas[ok] - ref) == np.min(np.abs(alphas - ref)))[0]
    return float(dims[ok][j].max())


def ainv(eta):
    if eta < 0.53:
        return 2 * eta + eta**3 + 5 * eta**5 / 6
    if eta < 0.85:
        return -0.4 + 1.39 * eta + 0.43 / (1 - eta)
    return 1 / (eta**3 - 4 * eta**2 + 3 * eta)


def danco_stats(X, k, D):
    d, idx = get_nn(X, k + 1)
    dhat = mind_mlk(d[:, 0] / d[:, -1], k, D)
    # Angles between each point's k nearest neighbours (vectorised; skdim
    # loops over points in Python).
    V = X[idx[:, :k]] - X[:, None, :]
    V /= np.linalg.norm(V, axis=2, keepdims=True)
    iu = np.triu_indices(k, 1)
    cos = np.clip(np.einsum("nad,nbd->nab", V, V)[:, iu[0], iu[1]], -1, 1)
    th = np.arccos(cos)
    ss, cs = np.sin(th), np.cos(th)
    nu = np.arctan(ss.sum(axis=1) / cs.sum(axis=1))
    eta = np.sqrt(cs.mean(axis=1) ** 2 + ss.mean(axis=1) ** 2)
    tau = np.array([ainv(e) for e in eta])
    return dhat, float(np.mean(nu)), (1.0 if X.shape[1] == 1 else float(np.mean(tau)))


def danco_kl(k, a, b):
    from scipy.special import comb
    hk = np.sum(1 / np.arange(1, k + 1))
    quo = b[0] / a[0]
    j = np.arange(k + 1)
    kld = hk * quo - np.log(quo) - (k - 1) * np.sum((-1.0) ** j * comb(k, j) * digamma(1 + j / quo))
    big = sys.float_info.max
    i0a, i0b, i1a = min(big, i0(a[2])), min(big, i0(b[2])), min(big, i1(a[2]))
    return kld + np.log(i0b / i0a) + i1a / i0a * (a[2] - b[2] * np.cos(a[1] - b[1]))


def danco(X, k=10, seed=0):
    n, D = X.shape
    obs = danco_stats(X, k, D)
    rng = np.random.default_rng(seed)
    kl = np.empty(D)
    for dd in range(1, D + 1):
        g = rng.standard_normal((n, dd))
        ball = g / np.linalg.norm(g, axis=1, keepdims=True) * rng.random((n, 1)) ** (1 / dd)
        kl[dd - 1] = danco_kl(k, obs, danco_stats(ball, k, 2 * dd + 5))
    de = int(np.argmin(kl)) + 1
    if D == 1:
        return 1.0
    kind = "cubic" if D > 3 else ("quadratic" if D == 3 else "linear")
    f = interp1d(np.arange(1, D + 1), kl, kind=kind, bounds_error=False, fill_value=(1, D + 1))
    return float(minimize(lambda x: f(x[0]), de, bounds=[(1, D + 1)], tol=1e-3).x[0])


ESTIMATORS = {
    "TwoNN": twonn, "MLE": mle, "MOM": mom, "TLE": tle, "MADA": mada, "MiND_ML": mind_ml,
    "CorrInt": corrint, "GRIDE": gride, "lPCA": lpca, "ESS": ess, "FisherS": fishers, "DANCo": danco,
}


def threads():
    try:
        import threadpoolctl
        return [(i.get("internal_api"), i.get("num_threads")) for i in threadpoolctl.threadpool_info()]
    except Exception as e:  # threadpoolctl is optional
        return str(e)


def run_knn(path, reps, k, m):
    """Self search of every point (m = 0), or of the first m points against
    all of them, timed and scaled by n / m (at n = 100,000: FAISS's flat
    index at d = 3 would take minutes, its time is linear in the queries)."""
    import faiss
    X = np.load(path)
    n = len(X)
    m = n if m <= 0 or m >= n else m
    nn = NearestNeighbors(n_neighbors=k if m == n else k + 1)
    if m == n:
        t_sk, (dist, ind) = best_of(reps, lambda: nn.fit(X).kneighbors())
    else:
        t_sk, (dist, ind) = best_of(reps, lambda: nn.fit(X).kneighbors(X[:m]))
        dist = dist[:, 1:]
    X32 = np.ascontiguousarray(X, dtype=np.float32)

    def faiss_self():
        index = faiss.IndexFlatL2(X32.shape[1])
        index.add(X32)
        return index.search(X32[:m], k + 1)

    t_fa, (fd, fi) = best_of(reps, faiss_self)
    scale = n / m
    return {"sklearn": sklearn.__version__, "faiss": faiss.__version__, "faiss_threads": faiss.omp_get_max_threads(),
            "threads": threads(), "sklearn_seconds": t_sk[0] * scale, "sklearn_cpu": t_sk[1] * scale, "sklearn_method": nn._fit_method,
            "faiss_seconds": t_fa[0] * scale, "faiss_cpu": t_fa[1] * scale, "queries": m,
            "first_dist": dist[0].tolist(), "faiss_first_dist": np.sqrt(np.maximum(fd[0, 1:], 0)).tolist()}


def run_id(path, reps, only):
    X = np.load(path)
    out = {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__, "threads": threads(), "cells": {}}
    for est, f in ESTIMATORS.items():
        if only and est not in only:
            continue
        r = reps if est not in ("DANCo", "ESS", "TLE") else 1
        t, v = best_of(r, lambda: f(X))
        out["cells"][est] = {"seconds": t[0], "cpu": t[1], "value": v}
    return out


def main():
    mode, d, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "knn":
        out = run_knn(d, reps, int(sys.argv[4]), int(sys.argv[5]) if len(sys.argv) > 5 else 0)
    else:
        out = run_id(d, reps, sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else None)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
