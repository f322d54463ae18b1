"""Reference timings for bench/knn: sklearn brute-force kNN and numpy
TwoNN / MLE on the same data (read from .npy files written by the Go
benchmark). Prints one JSON object on stdout."""
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.neighbors import NearestNeighbors


def best_of(reps, f):
    best, out = float("inf"), None
    for _ in range(reps):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def knn_numpy(X, k, block=512):
    """Exact kNN distances (self excluded), vectorised numpy: blocked
    X X^T through BLAS (in place, 512 rows a block to stay in memory),
    partition (values only), sort."""
    n = len(X)
    sq = np.einsum("ij,ij->i", X, X)
    D = np.empty((n, k))
    for s in range(0, n, block):
        e = min(s + block, n)
        d2 = X[s:e] @ X.T
        d2 *= -2.0
        d2 += sq[s:e, None]
        d2 += sq[None, :]
        np.maximum(d2, 0, out=d2)
        d2[np.arange(e - s), np.arange(s, e)] = np.inf
        part = np.partition(d2, k - 1, axis=1)[:, :k]
        part.sort(axis=1)
        D[s:e] = np.sqrt(part)
    return D


def twonn_numpy(X):
    D = knn_numpy(X, 2)
    mu = np.sort(D[:, 1] / D[:, 0])
    n = len(mu)
    m = int(n * 0.9)
    x = np.log(mu[:m])
    y = -np.log(1 - np.arange(m) / n)
    return float(x @ y / (x @ x))


def mle_numpy(X, k=20):
    D = knn_numpy(X, k)
    d = (k - 1) / np.log(D[:, -1:] / D).sum(axis=1)
    return float(1 / np.mean(1 / d))


def main():
    d = sys.argv[1]
    reps = int(sys.argv[2])
    k = 20
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__}
    try:
        import threadpoolctl
        out["threads"] = [
            {key: i.get(key) for key in ("internal_api", "num_threads", "filepath")}
            for i in threadpoolctl.threadpool_info()
        ]
    except Exception as e:  # threadpoolctl is optional
        out["threads"] = str(e)
    X = np.load(os.path.join(d, "knn64.npy"))
    X32 = np.load(os.path.join(d, "knn32.npy")).astype(np.float32)
    for name, data in (("knn64", X), ("knn32", X32)):
        nn = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(data)
        t, (dist, ind) = best_of(reps, lambda: nn.kneighbors())
        out[name] = {"seconds": t, "first_row": ind[0].tolist(), "first_dist": dist[0].tolist()}
    Y = np.load(os.path.join(d, "id64.npy"))
    t, v = best_of(reps, lambda: twonn_numpy(Y))
    out["twonn"] = {"seconds": t, "value": v}
    t, v = best_of(reps, lambda: mle_numpy(Y))
    out["mle"] = {"seconds": t, "value": v}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
